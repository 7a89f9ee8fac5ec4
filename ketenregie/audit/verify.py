"""Checking the audit trail end to end: the sealed chain, its head and the unsealed events."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models.functions import Now

from ketenregie.audit.chain import CONTENT_FIELDS, GENESIS_HASH, Hasher, body_json
from ketenregie.audit.models import AuditChainHead, AuditEvent
from ketenregie.audit.sealing import ChainHeadMissing, lock_head, seal_locked

# A writer seals its events right after its commit; one still unsealed after this long
# means the sealing step is not running (or a sealer is stuck holding the head).
STALE_AFTER = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    event_id: int | None
    reason: str


def verify_chain(chunk_size: int = 10000) -> tuple[int, ChainProblem | None]:
    """Seal what is pending, then check every event; return (events checked, first problem).

    Problems, first found first: a sealed event whose number, link or content does not
    match; a head that does not match the end of the chain; an unsealed event whose
    content does not match its hash; an event that waited longer than STALE_AFTER for
    its seal.
    """
    late = _seal_first()
    hasher = Hasher()
    with _snapshot():
        checked, problem = _check_sealed(hasher, chunk_size)
        problem = problem or _check_unsealed(hasher)
    return checked, problem or late


@contextmanager
def _snapshot() -> Iterator[None]:
    # On PostgreSQL the head and the chain are read from one snapshot, so events sealed
    # meanwhile cannot look like a chain running past its head. (SQLite would lock out
    # writers for the whole walk; there a plain read will do.)
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _seal_first() -> ChainProblem | None:
    """Seal pending events, noting the first that waited too long (reported last)."""
    try:
        with transaction.atomic():
            head = lock_head(wait=True)
            late = (
                AuditEvent.objects.filter(seq__isnull=True, recorded_at__lt=Now() - STALE_AFTER)
                .order_by("id")
                .values_list("id", "recorded_at")
                .first()
            )
            if head is not None:
                seal_locked(head)
    except ChainHeadMissing:
        return None  # reported by the check of the sealed chain
    if late is None:
        return None
    reason = f"wacht sinds {late[1]:%Y-%m-%d %H:%M} op verzegeling (verzegelen loopt niet)"
    return ChainProblem(None, late[0], reason)


def _sealed_rows(chunk_size: int) -> Iterator[tuple[Any, ...]]:
    rows = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("seq")
        .values_list("id", "seq", "prev_hash", "hash", *CONTENT_FIELDS)
    )
    if connection.vendor != "postgresql":
        yield from rows.iterator(chunk_size=chunk_size)
        return
    # Millions of rows: plain tuples from a server-side cursor, without Django's per-row
    # converters; `data` (the last column, jsonb arriving as text) is decoded once here.
    sql, params = rows.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(chunk_size):
            for row in batch:
                yield (*row[:-1], json.loads(row[-1]))


def _check_sealed(hasher: Hasher, chunk_size: int) -> tuple[int, ChainProblem | None]:
    """Walk the sealed events in chain order, then compare the end with the head."""
    head = AuditChainHead.objects.filter(pk=1).first()
    expected, prev, checked = 1, GENESIS_HASH, 0
    for pk, seq, prev_hash, link, *content in _sealed_rows(chunk_size):
        if seq != expected:
            return checked, ChainProblem(
                seq, pk, f"volgnummer {seq} verwacht {expected} (ontbrekend event)"
            )
        if prev_hash != prev:
            return checked, ChainProblem(
                seq, pk, "verwijzing naar vorige hash klopt niet (verwijderd of verplaatst)"
            )
        if hasher.chain(prev_hash, seq, body_json(tuple(content))) != link:
            return checked, ChainProblem(seq, pk, "inhoud gewijzigd (hash klopt niet)")
        prev = link
        expected += 1
        checked += 1
    if head is None and checked:
        return checked, ChainProblem(None, None, "kop van de keten ontbreekt (verwijderd)")
    if head is not None and (head.seq != checked or head.hash != prev):
        reason = f"keten eindigt bij {checked}, kop verwacht {head.seq} (einde verwijderd)"
        return checked, ChainProblem(head.seq, None, reason)
    return checked, None


def _check_unsealed(hasher: Hasher) -> ChainProblem | None:
    """Events still unsealed after sealing: the sealer leaves those whose content was changed."""
    rows = (
        AuditEvent.objects.filter(seq__isnull=True)
        .order_by("id")
        .values_list("id", "body_hash", *CONTENT_FIELDS)
    )
    for pk, body_hash, *content in rows.iterator():
        if hasher.body(body_json(tuple(content))) != body_hash:
            reason = "niet-verzegeld event gewijzigd of ingevoegd (inhoud klopt niet met de hash)"
            return ChainProblem(None, pk, reason)
    return None
