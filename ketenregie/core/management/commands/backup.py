"""`manage.py backup PATH`: the database, attachments and keys in one archive (0600)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ketenregie.core.backup import backup


class Command(BaseCommand):
    help = (
        "Maakt een back-up (tar, modus 0600) van de database, de bijlagen en de sleutels. "
        "Het archief bevat persoonsgegevens en sleutels: versleutel het voor het de machine "
        "verlaat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Nieuw bestand voor het archief.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = backup(options["path"])
        self.stdout.write(
            f"Back-up geschreven naar {result.path}: {sum(result.rows.values())} rijen, "
            f"{result.attachments} bijlagen, auditsleutel"
            + (" en geheime sleutel." if result.secret_key_included else ".")
        )
        self.stderr.write(
            "Let op: dit archief bevat persoonsgegevens en de sleutels. Bewaar het versleuteld."
        )
