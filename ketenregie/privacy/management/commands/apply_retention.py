"""Daily job: delete the closed cases and rows whose retention period has passed (safe to
run more than once; `--dry-run` only says what would go)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketenregie.core.templatetags.dates import short_date
from ketenregie.privacy.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Verwijdert afgesloten casussen en gegevens waarvan de bewaartermijn is verstreken "
        "(geblokkeerde casussen blijven). Met --dry-run wordt alleen getoond wat zou gaan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Niets verwijderen, alleen tonen."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry = bool(options["dry_run"])
        run = apply_retention(dry_run=dry)
        verb = "wordt verwijderd" if dry else "verwijderd"
        total = "te verwijderen" if dry else "verwijderd"
        for due in run.deleted:
            self.stdout.write(
                f"{due.case.code} ({due.case.house.name}): afgesloten {short_date(due.closed_on)}, "
                f"termijn verstreken {short_date(due.due_on)}: {verb}"
            )
        for due in run.held:
            self.stdout.write(f"{due.case.code} ({due.case.house.name}): geblokkeerd, blijft")
        for (house, category), n in sorted(run.rows.items()):
            self.stdout.write(f"{house}, {category}: {n} rij(en) {total}")
        if run.vi_signals:
            self.stdout.write(f"Verwijsindex: {run.vi_signals} verlopen signaal(en) {total}")
        for code, error in run.failed:
            self.stderr.write(f"{code}: niet verwijderd ({error})")
        self.stdout.write(
            f"{'Proefdraaien' if dry else 'Klaar'}: {len(run.deleted)} casus(sen) {total}, "
            f"{len(run.held)} geblokkeerd, {sum(run.rows.values())} overige rij(en) {total}, "
            f"{len(run.failed)} mislukt."
        )
        if run.failed:
            raise CommandError(f"{len(run.failed)} casus(sen) niet verwijderd.")
