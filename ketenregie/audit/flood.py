"""Auditing events that an attacker can cause in floods, without letting them flood the trail.

Failed logins, attempts while blocked, failed verification codes and refused forms
(CSRF) are all recorded (ASVS 16.3, BIO2 12.4.1, NEN 7513), but a script can make
thousands a minute. `record_flood_prone` writes the first event per (action, subject,
minute) to the trail at once, with `aantal: 1`, and counts the rest of that minute in an
`EventTally`; `flush` turns each finished minute's count into one summary event
(`aantal: n`, `samenvatting: true`). Summing `aantal` over the events gives every
attempt, and each subject costs the trail at most two rows a minute. Beyond
`MAX_SUBJECTS` subjects for one action in one minute (many addresses), further ones
share the subject "*", so even a botnet cannot grow the trail without bound.

`flush` runs opportunistically with every flood-prone event and from `seal_audit` (cron),
so a finished minute's count reaches the trail within a minute or two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ketenregie.audit.models import EventTally
from ketenregie.audit.services import record

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

MAX_SUBJECTS = 100
OVERFLOW_SUBJECT = "*"
_FLUSH_BATCH = 500


def _minute(now: dt.datetime) -> dt.datetime:
    return now.replace(second=0, microsecond=0)


def record_flood_prone(
    action: str, *, actor: User | None, subject: str, data: Mapping[str, Any] | None = None
) -> None:
    """Record one event of a kind that can come in floods (see the module docstring).

    `subject` says whose attempts are counted together: "user:<id>" for a known account,
    "ip:<address>" otherwise. Runs in its own transaction (or the caller's).
    """
    minute = _minute(timezone.now())
    flush(before=minute)
    with transaction.atomic():
        if _count(action, subject, minute):
            return
        if EventTally.objects.filter(action=action, minute=minute).count() >= MAX_SUBJECTS:
            subject, actor = OVERFLOW_SUBJECT, None
            if _count(action, subject, minute):
                return
        try:
            with transaction.atomic():
                EventTally.objects.create(
                    action=action,
                    subject=subject,
                    minute=minute,
                    actor_id=actor.pk if actor is not None else None,
                    data=dict(data or {}),
                )
        except IntegrityError:
            # Another request wrote this minute's first event a moment ago: count this one.
            _count(action, subject, minute)
            return
        record(action, actor=actor, data={**(data or {}), "aantal": 1, "minuut": _label(minute)})


def _count(action: str, subject: str, minute: dt.datetime) -> bool:
    tally = EventTally.objects.filter(action=action, subject=subject, minute=minute)
    return bool(tally.update(extra=F("extra") + 1))


def _label(minute: dt.datetime) -> str:
    return timezone.localtime(minute).strftime("%Y-%m-%d %H:%M")


def flush(*, before: dt.datetime | None = None) -> int:
    """Write the summary event of every tally of a minute before `before` (default: the
    current minute) and remove the tallies; returns how many summaries were written."""
    before = before or _minute(timezone.now())
    written = 0
    while True:
        ids = list(
            EventTally.objects.filter(minute__lt=before)
            .order_by("minute", "id")
            .values_list("pk", flat=True)[:_FLUSH_BATCH]
        )
        if not ids:
            return written
        for pk in ids:
            written += _flush_one(pk)


def _flush_one(pk: int) -> int:
    with transaction.atomic():
        # Locked, so an increment arriving now is either in this count or waits and then
        # finds the tally gone (and starts a new one): never counted twice or lost.
        tally = EventTally.objects.select_for_update().filter(pk=pk).first()
        if tally is None:  # flushed by a concurrent request
            return 0
        tally.delete()
        if not tally.extra:
            return 0
        actor = (
            get_user_model().objects.filter(pk=tally.actor_id).first()
            if tally.actor_id is not None
            else None
        )
        record(
            tally.action,
            actor=actor,
            data={
                **tally.data,
                "aantal": tally.extra,
                "minuut": _label(tally.minute),
                "samenvatting": True,
            },
        )
        return 1
