"""Writing to the audit trail: the only code that appends AuditEvent rows.

Callers are services (in the same transaction as the change they record) and views
(for reads of person data). `record_many` is the bulk path for data generation. Every
action code must be declared in `vocabulary`; an undeclared one raises UnknownAuditAction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from ketenregie.audit.chain import GENESIS_HASH, audit_key, event_hash
from ketenregie.audit.models import AuditChainHead, AuditEvent
from ketenregie.audit.vocabulary import check
from ketenregie.core.bulk import insert_rows

if TYPE_CHECKING:
    # The user model, whichever AUTH_USER_MODEL names (django-stubs), as in core.http:
    # audit sits below accounts and does not import it.
    from django.contrib.auth.models import _User as User


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


def _lock_head() -> AuditChainHead:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
    )
    return head


def _build(event: PendingEvent, seq: int, prev_hash: str) -> AuditEvent:
    check(event.action)
    actor = event.actor if event.actor is not None and event.actor.pk else None
    occurred_at = event.occurred_at or timezone.now()
    data = _plain(event.data)
    fields: dict[str, Any] = {
        "seq": seq,
        "occurred_at": occurred_at,
        "actor_id": actor.pk if actor else None,
        "actor_label": actor.get_username() if actor else "",
        "actor_organisation_id": actor.organisation_id if actor else None,
        "action": event.action,
        "case_id": event.case_id,
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "purpose": event.purpose,
        "data": data,
    }
    return AuditEvent(prev_hash=prev_hash, hash=event_hash(prev_hash=prev_hash, **fields), **fields)


@transaction.atomic
def record_many(events: Iterable[PendingEvent], *, batch_size: int = 2000) -> int:
    """Append events in order, continuing the chain; returns how many were written."""
    head = _lock_head()
    seq, prev = head.seq, head.hash
    batch: list[AuditEvent] = []
    count = 0
    for pending in events:
        seq += 1
        row = _build(pending, seq, prev)
        prev = row.hash
        batch.append(row)
        count += 1
        if len(batch) >= batch_size:
            insert_rows(AuditEvent, batch)
            batch.clear()
    if batch:
        insert_rows(AuditEvent, batch)
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

    Raises UnknownAuditAction when `action` is not in the audit vocabulary.
    """
    check(action)
    record_many(
        [
            PendingEvent(
                action=action,
                actor=actor,
                case_id=case_id,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                purpose=purpose,
                data=data or {},
            )
        ]
    )


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
