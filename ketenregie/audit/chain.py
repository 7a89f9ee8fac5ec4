"""The hash that links one audit event to the one before it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from functools import cache
from typing import Any

from django.conf import settings

GENESIS_HASH = "0" * 64


@cache
def audit_key() -> bytes:
    """The HMAC key of the chain, kept outside the database.

    With a plain hash, anyone able to write to the database could recompute the whole
    chain after tampering; with a key they also need the application's secret.
    """
    key = settings.KETENREGIE_AUDIT_KEY
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def canonical_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    prev_hash: str,
    seq: int,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    actor_organisation_id: int | None,
    action: str,
    case_id: int | None,
    object_type: str,
    object_id: str,
    purpose: str,
    data: Any,
) -> str:
    payload = json.dumps(
        [
            seq,
            canonical_time(occurred_at),
            actor_id,
            actor_label,
            actor_organisation_id,
            action,
            case_id,
            object_type,
            object_id,
            purpose,
            data,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hmac.new(audit_key(), (prev_hash + payload).encode("utf-8"), hashlib.sha256).hexdigest()
