"""`manage.py generate_scale --cases N`: a national-scale data set with every kind of record.

Prints the seconds per stage, the number of records per kind and the result of the same
chain check as `verify_audit`. `--audit-events N` adds N page-view events to the trail.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from ketenregie.demo.scale.run import generate, summary


class Command(BaseCommand):
    help = (
        "Genereert N fictieve casussen met alles wat erbij hoort, voor schaal- en prestatietests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--chunk", type=int, default=2000)
        parser.add_argument(
            "--audit-events",
            type=int,
            default=0,
            help="Extra auditevents (inzage van casussen), bijvoorbeeld 10000000.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with tqdm(total=options["cases"], unit="casus", disable=options["verbosity"] == 0) as bar:
            report = generate(
                options["cases"],
                seed=options["seed"],
                chunk=options["chunk"],
                audit_events=options["audit_events"],
                progress=bar.update,
            )
        for line in summary(report):
            self.stdout.write(line)
