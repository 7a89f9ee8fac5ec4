"""Sealing: linking committed audit events into the hash chain, in the order they are sealed.

Writing an event (`services.record`) takes no lock. After the writer's transaction
commits, it tries to seal without waiting (the chain head row with SKIP LOCKED): if it
gets the head, it seals every committed unsealed event in id order; if another sealer
holds the head, that one looks again after releasing it, and the next writer,
`seal_audit` and `verify_audit` seal whatever is left (ADR 0010). An event is sealed only
while its content still matches the keyed hash it was written with; one that does not
stays unsealed, and verification reports it.
"""

from __future__ import annotations

import hmac
import logging

from django.db import connection, transaction

from ketenregie.audit.chain import CONTENT_FIELDS, GENESIS_HASH, Hasher, body_json
from ketenregie.audit.models import AuditChainHead, AuditEvent

log = logging.getLogger(__name__)

BATCH = 2000
# A writer seals at most this many events after its commit; a larger backlog is left to
# the next writer or `seal_audit`, so no single request pays for it.
WRITER_LIMIT = 5000
# How often a writer's sealer looks again after releasing the head, for events committed
# while it held it (whose own sealer skipped because the head was taken).
_LOOKS = 3


class ChainHeadMissing(Exception):
    """Sealed events exist but the chain's head row does not: the end was tampered with."""


def lock_head(*, wait: bool) -> AuditChainHead | None:
    """The chain head, locked until the end of the transaction.

    None when another transaction holds it and `wait` is False. Creates the head of an
    empty trail; refuses (ChainHeadMissing) to start a new chain after a deleted head.
    """
    locked = AuditChainHead.objects.select_for_update(skip_locked=not wait).filter(pk=1)
    head = locked.first()
    if head is None and not AuditChainHead.objects.filter(pk=1).exists():
        if AuditEvent.objects.filter(seq__isnull=False).exists():
            raise ChainHeadMissing
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(pk=1, seq=0, hash=GENESIS_HASH)], ignore_conflicts=True
        )
        head = locked.first()
    return head


def _update_sql() -> str:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    # `seq IS NULL`: a row is sealed once, never re-linked.
    return f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s AND seq IS NULL"  # noqa: S608 - name from the model


def seal_locked(head: AuditChainHead, *, limit: int | None = None) -> int:
    """Seal committed unsealed events in id order after the locked head; return how many."""
    hasher = Hasher()
    seq, prev = head.seq, head.hash
    sealed, after = 0, 0
    while limit is None or sealed < limit:
        size = BATCH if limit is None else min(BATCH, limit - sealed)
        rows = list(
            AuditEvent.objects.filter(seq__isnull=True, id__gt=after)
            .order_by("id")
            .values_list("id", "body_hash", *CONTENT_FIELDS)[:size]
        )
        if not rows:
            break
        links: list[tuple[int, str, str, int]] = []
        for pk, body_hash, *content in rows:
            after = pk
            body = body_json(tuple(content))
            if not hmac.compare_digest(hasher.body(body), body_hash):
                log.error("Audit event id=%s not sealed: its content does not match its hash.", pk)
                continue
            seq += 1
            link = hasher.chain(prev, seq, body)
            links.append((seq, prev, link, pk))
            prev = link
        if links:
            with connection.cursor() as cursor:
                cursor.executemany(_update_sql(), links)
        sealed += len(links)
    if sealed:
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])
    return sealed


def seal_pending(*, wait: bool = True, limit: int | None = None) -> int | None:
    """Seal in a transaction of its own; None when `wait` is False and the head is taken."""
    with transaction.atomic():
        head = lock_head(wait=wait)
        if head is None:
            return None
        return seal_locked(head, limit=limit)


def seal_after_commit() -> None:
    """A writer's follow-up after its commit: seal without waiting for anyone."""
    for _ in range(_LOOKS):
        if seal_pending(wait=False, limit=WRITER_LIMIT) is None:
            return  # the holder looks again after releasing the head
        # Events committed while this sealer held the head were skipped by their writers.
        if not AuditEvent.objects.filter(seq__isnull=True).exists():
            return


def seal_when_committed() -> None:
    """Have the current transaction's events sealed after it commits (once per transaction)."""
    conn = transaction.get_connection()
    if any(entry[1] is seal_after_commit for entry in conn.run_on_commit):
        return
    # robust: the writer's transaction has committed; a failing seal is logged, and the
    # events wait for the next sealer instead of turning the request into an error.
    transaction.on_commit(seal_after_commit, robust=True)
