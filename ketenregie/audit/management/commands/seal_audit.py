"""`manage.py seal_audit`: link every committed unsealed audit event into the chain.

Writers seal their own events right after they commit; this command (e.g. from cron
every minute) bounds how long an event can stay unsealed when a writer's follow-up did
not run (a crashed process, a sealer skipped while another held the head). It first
writes the summary events of finished minutes of flood-prone security events
(`audit.flood`), so their counts reach the trail even when no new attempt comes.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ketenregie.audit.flood import flush
from ketenregie.audit.sealing import seal_pending


class Command(BaseCommand):
    help = "Verzegelt de nog niet verzegelde auditgebeurtenissen in de hashketen."

    def handle(self, *args: Any, **options: Any) -> None:
        summaries = flush()
        if summaries:
            self.stdout.write(f"{summaries} samenvattingen van beveiligingsgebeurtenissen.")
        sealed = seal_pending(wait=True)
        self.stdout.write(f"{sealed or 0} auditgebeurtenissen verzegeld.")
