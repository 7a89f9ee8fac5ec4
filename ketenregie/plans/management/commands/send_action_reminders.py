"""Daily job: link-only reminders for overdue open actions (safe to run more than once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ketenregie.plans.services import send_reminders


class Command(BaseCommand):
    help = (
        "Stuurt herinneringen voor acties die over de datum zijn (hooguit één per actie per dag)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent} herinnering(en) verstuurd.")
