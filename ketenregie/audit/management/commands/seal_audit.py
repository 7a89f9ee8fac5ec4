"""`manage.py seal_audit`: link every committed unsealed audit event into the chain.

Writers seal their own events right after they commit; this command (e.g. from cron
every minute) bounds how long an event can stay unsealed when a writer's follow-up did
not run (a crashed process, a sealer skipped while another held the head).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ketenregie.audit.sealing import seal_pending


class Command(BaseCommand):
    help = "Verzegelt de nog niet verzegelde auditgebeurtenissen in de hashketen."

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = seal_pending(wait=True)
        self.stdout.write(f"{sealed or 0} auditgebeurtenissen verzegeld.")
