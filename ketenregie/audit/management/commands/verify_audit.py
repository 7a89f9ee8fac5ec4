"""`manage.py verify_audit`: exit non-zero and name the first bad event if the chain is broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ketenregie.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Controleert de hashketen van de audittrail."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problem = verify_chain()
        if problem is not None:
            where = "niet verzegeld" if problem.seq is None else f"seq={problem.seq}"
            raise CommandError(
                f"Audittrail NIET intact: eerste fout bij event {where} "
                f"id={problem.event_id}: {problem.reason} ({checked} events in orde daarvoor)."
            )
        self.stdout.write(f"Audittrail intact: {checked} events gecontroleerd.")
