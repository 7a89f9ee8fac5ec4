"""`manage.py subject_access --bsn N --out DIR`: the subject access export for the privacy
officer's scripts; writes the JSON and the PDF and records the export in the trail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.privacy import subject_access


class Command(BaseCommand):
    help = "Inzage-export (AVG art. 15) voor één betrokkene: schrijft JSON en PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bsn", required=True)
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        persons = subject_access.find_persons(bsn=options["bsn"])
        if not persons:
            raise CommandError("Geen betrokkene met dit BSN gevonden.")
        person = persons[0]
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        export = subject_access.build_export(person)
        # A command has no signed-in user: the trail records the system as actor.
        subject_access.record_export(None, person, export, "json+pdf")
        stem = f"inzage-{person.pk}"
        (out / f"{stem}.json").write_text(
            json.dumps(export, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        (out / f"{stem}.pdf").write_bytes(subject_access.export_pdf(export))
        self.stdout.write(f"{out / stem}.json en .pdf geschreven")
