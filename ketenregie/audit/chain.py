"""The hash that links one audit event to the one before it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64


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
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()
