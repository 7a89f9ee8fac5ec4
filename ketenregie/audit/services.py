"""Writing to the audit trail: the only code that appends AuditEvent rows.

Callers are services (in the same transaction as the change they record) and views
(for reads of person data). `record` writes without taking a lock and leaves linking the
chain to `audit.sealing`; `record_many` is the bulk path for data generation. Every
action code must be declared in `vocabulary`; an undeclared one raises UnknownAuditAction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from ketenregie.audit import sealing
from ketenregie.audit.chain import CONTENT_FIELDS, Hasher, audit_key, body_json
from ketenregie.audit.models import AuditEvent
from ketenregie.audit.vocabulary import check

if TYPE_CHECKING:
    # The user model, whichever AUTH_USER_MODEL names (django-stubs), as in core.http:
    # audit sits below accounts and does not import it.
    from django.contrib.auth.models import _User as User


# Test-only (tests/test_faults.py): the server under test pauses this long after writing
# each event inside a transaction, so a SIGKILL or a database restart lands mid-transaction.
# Unset (0) everywhere else; never set it in production.
_FAULT_TEST_PAUSE = float(os.environ.get("KETENREGIE_FAULT_TEST_PAUSE_SECONDS") or 0)


def _plain(data: Mapping[str, Any]) -> Any:
    # Round-trip through JSON so the hashed value equals what the database returns.
    return json.loads(json.dumps(dict(data), cls=DjangoJSONEncoder))


@dataclass
class PendingEvent:
    action: str
    actor: User | None = None
    case_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    purpose: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    occurred_at: dt.datetime | None = None


def _content(event: PendingEvent) -> tuple[Any, ...]:
    """The event's content, values in CONTENT_FIELDS order, as the database will return it."""
    check(event.action)
    actor = event.actor if event.actor is not None and event.actor.pk else None
    # In UTC: the bulk path writes with a raw INSERT, and SQLite keeps a datetime as the
    # text it was given; an aware time in +01:00 would then sort after later UTC times.
    when = (event.occurred_at or timezone.now()).astimezone(dt.UTC)
    return (
        when,
        actor.pk if actor else None,
        actor.get_username() if actor else "",
        actor.organisation_id if actor else None,
        event.action,
        event.case_id,
        event.object_type,
        str(event.object_id),
        event.purpose,
        _plain(event.data),
    )


def _write_sealed(rows: list[tuple[Any, ...]]) -> None:
    # COPY on PostgreSQL (the fastest way in); one prepared INSERT for many rows elsewhere.
    # recorded_at is left to the database default.
    columns = ("seq", "prev_hash", "hash", "body_hash", *CONTENT_FIELDS)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row[:-1], json.dumps(row[-1])))
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names from the model
            [(*row[:-1], json.dumps(row[-1])) for row in rows],
        )


@transaction.atomic
def record_many(events: Iterable[PendingEvent], *, batch_size: int = 5000) -> int:
    """Append events in order, continuing the chain; returns how many were written.

    The bulk path (data generation): a batch job, so it waits for the chain head, seals
    what is pending first and writes its events sealed, computing the chain in one pass.
    It holds the head until the caller's transaction ends; writers meanwhile are not held
    up, their events are sealed after it.
    """
    head = sealing.lock_head(wait=True)
    if head is None:  # pragma: no cover - a waiting lock always returns the head
        raise RuntimeError("audit chain head not locked")
    sealing.seal_locked(head)
    hasher = Hasher()
    seq, prev = head.seq, head.hash
    batch: list[tuple[Any, ...]] = []
    count = 0
    for pending in events:
        content = _content(pending)
        body = body_json(content)
        seq += 1
        link = hasher.chain(prev, seq, body)
        batch.append((seq, prev, link, hasher.body(body), *content))
        prev = link
        if len(batch) >= batch_size:
            _write_sealed(batch)
            count += len(batch)
            batch.clear()
    if batch:
        _write_sealed(batch)
        count += len(batch)
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])
    return count


def record(
    action: str,
    *,
    actor: User | None,
    case_id: int | None = None,
    obj: models.Model | None = None,
    purpose: str = "",
    data: Mapping[str, Any] | None = None,
) -> None:
    """Append one event. Inside a service this joins the service's transaction.

    The event is written unsealed, without any lock, and sealed after the transaction
    commits (`audit.sealing`), so audited requests never queue behind each other.
    Raises UnknownAuditAction when `action` is not in the audit vocabulary.
    """
    content = _content(
        PendingEvent(
            action=action,
            actor=actor,
            case_id=case_id,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            purpose=purpose,
            data=data or {},
        )
    )
    fields = dict(zip(CONTENT_FIELDS, content, strict=True))
    AuditEvent.objects.create(body_hash=Hasher().body(body_json(content)), **fields)
    if _FAULT_TEST_PAUSE and connection.in_atomic_block:
        time.sleep(_FAULT_TEST_PAUSE)
    sealing.seal_when_committed()


def term_digest(term: str) -> str:
    """SHA-256 of a normalised search term.

    Search terms often are names or BSNs; the permanent trail keeps only their digest, so
    the privacy officer can still check "did anyone search for X" by hashing X.
    """
    normal = " ".join(str(term).lower().split())
    # Keyed: an unkeyed hash of a BSN could be reversed by trying every number.
    return hmac.new(audit_key(), normal.encode("utf-8"), hashlib.sha256).hexdigest()


def search_filters(filters: Mapping[str, Any], personal: tuple[str, ...]) -> dict[str, str]:
    """Filters as audit data, with personal search terms replaced by their digest."""
    return {
        (f"{k}_sha256" if k in personal else k): (term_digest(v) if k in personal else str(v))
        for k, v in filters.items()
    }
