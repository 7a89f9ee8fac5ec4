"""`manage.py restore PATH [--force]`: put a backup back onto an empty installation.

Refuses a non-empty installation without --force and an audit key from the environment
that differs from the archive's; checks the row counts against the archive and verifies
the audit trail afterwards (exit non-zero when either fails).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.core.backup import restore


class Command(BaseCommand):
    help = "Zet een back-up van `manage.py backup` terug op een lege installatie."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Het archief van manage.py backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ook terugzetten als de installatie niet leeg is (overschrijft de database).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = restore(options["path"], force=options["force"])
        differ = {
            label: (count, result.rows.get(label))
            for label, count in result.expected_rows.items()
            if result.rows.get(label) != count
        }
        if differ:
            raise CommandError(f"Aantallen wijken af van de back-up (verwacht, nu): {differ}")
        written = ", ".join(result.keys_written) or "geen (uit de omgeving)"
        self.stdout.write(
            f"Teruggezet: {sum(result.rows.values())} rijen, {result.attachments} bijlagen; "
            f"sleutels geschreven: {written}."
        )
        call_command("verify_audit", stdout=self.stdout)
