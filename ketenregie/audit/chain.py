"""The keyed hashes of audit events: one over an event's content, one linking it to the chain.

An event gets its `body_hash` when it is written and its chain `hash` when it is sealed
(`audit.sealing`). Both are HMACs with a key kept outside the database. The chain hash is
unchanged from the first version of the trail, so chains written before sealing existed
still verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from functools import cache
from typing import Any

from django.conf import settings

GENESIS_HASH = "0" * 64

# The content columns in the order they are hashed (after `seq` in the chain hash).
CONTENT_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "actor_organisation_id",
    "action",
    "case_id",
    "object_type",
    "object_id",
    "purpose",
    "data",
)

# Separates the content hash from the chain hash: a chain hash input starts with 64 hex digits.
_BODY_PREFIX = b"body:"


@cache
def audit_key() -> bytes:
    """The HMAC key of the chain, kept outside the database.

    With a plain hash, anyone able to write to the database could recompute the whole
    chain after tampering; with a key they also need the application's secret.
    """
    key = settings.KETENREGIE_AUDIT_KEY
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def forget_key_when_changed(*, setting: str, **kwargs: Any) -> None:
    """`setting_changed` receiver (AuditConfig.ready): a restore (`manage.py restore`) or
    a test that sets another key must not keep hashing with the cached one."""
    if setting == "KETENREGIE_AUDIT_KEY":
        audit_key.cache_clear()


def canonical_time(value: dt.datetime) -> str:
    """UTC as 2026-01-02T03:04:05.000006Z (what strftime "%Y-%m-%dT%H:%M:%S.%fZ" gives, faster)."""
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


# One encoder for every event: json.dumps would build a new one per call.
_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def body_json(content: tuple[Any, ...]) -> str:
    """Canonical JSON of an event's content, values in CONTENT_FIELDS order."""
    return _canonical([canonical_time(content[0]), *content[1:]])


class Hasher:
    """Both hashes for many events with one keyed HMAC state (the key is set up once).

    `chain()` hashes exactly what the first version hashed: prev_hash followed by the
    JSON list [seq, content...], built here from the content's JSON without dumping twice.
    """

    def __init__(self) -> None:
        self._base = hmac.new(audit_key(), digestmod=hashlib.sha256)

    def body(self, body: str) -> str:
        mac = self._base.copy()
        mac.update(_BODY_PREFIX + body.encode("utf-8"))
        return mac.hexdigest()

    def chain(self, prev_hash: str, seq: int, body: str) -> str:
        mac = self._base.copy()
        mac.update(f"{prev_hash}[{seq},{body[1:]}".encode())
        return mac.hexdigest()


def event_hash(*, prev_hash: str, seq: int, **content: Any) -> str:
    """The chain hash of one event, content given by field name (see CONTENT_FIELDS)."""
    body = body_json(tuple(content[name] for name in CONTENT_FIELDS))
    return Hasher().chain(prev_hash, seq, body)
