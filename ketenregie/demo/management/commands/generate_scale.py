"""`manage.py generate_scale --cases N`: the demo generator at scale, with bulk inserts."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from ketenregie.accounts.models import User
from ketenregie.demo.generator import generate_cases, load_reference_data


class Command(BaseCommand):
    help = "Genereert N fictieve casussen voor schaal- en prestatietests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--chunk", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        if not User.objects.exists():
            load_reference_data()
        start = time.monotonic()
        with tqdm(total=options["cases"], unit="casus", disable=options["verbosity"] == 0) as bar:
            n = generate_cases(
                options["cases"],
                seed=options["seed"],
                chunk=options["chunk"],
                progress=bar.update,
                with_households=True,
            )
        self.stdout.write(f"{n} casussen gegenereerd in {time.monotonic() - start:.1f} s.")
