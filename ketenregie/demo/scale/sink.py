"""The audit events of generated data, chained and written through `record_many`.

Events are collected as plain tuples and handed to `record_many` (the one writer of the
trail) in large batches, in the order they were added. On PostgreSQL, outside a
transaction, a forked helper process chains and writes them while the generator builds
the next rows: the chain is sequential work, and the machine has more than one core.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from collections.abc import Mapping
from typing import Any

from django.db import connection, connections
from django.utils import timezone

from ketenregie.accounts.models import User
from ketenregie.audit.services import PendingEvent, record_many

# action, actor id, case id, object type, object id, purpose, data, occurred at
Event = tuple[str, int | None, int | None, str, str, str, Mapping[str, Any], dt.datetime]
BATCH = 20000


def _pending(users: Mapping[int, User], batch: list[Event]) -> list[PendingEvent]:
    return [
        PendingEvent(
            action=action,
            actor=users.get(actor) if actor is not None else None,
            case_id=case_id,
            object_type=object_type,
            object_id=object_id,
            purpose=purpose,
            data=data,
            occurred_at=at,
        )
        for action, actor, case_id, object_type, object_id, purpose, data, at in batch
    ]


def _worker(users: Mapping[int, User], inbox: Any, outbox: Any) -> None:
    total = 0
    try:
        while (batch := inbox.get()) is not None:
            total += record_many(_pending(users, batch))
        outbox.put(total)
    except Exception as exc:  # reported to the parent, which raises it
        outbox.put(repr(exc))
    finally:
        connection.close()


class AuditSink:
    """Collects events; `close` writes the rest and returns how many were written."""

    def __init__(self, *, parallel: bool) -> None:
        self.users = {u.pk: u for u in User.objects.all()}
        self.batch: list[Event] = []
        self.total = 0
        self.process: Any = None
        if parallel and connection.vendor == "postgresql" and not connection.in_atomic_block:
            ctx = mp.get_context("fork")
            self.inbox, self.outbox = ctx.Queue(maxsize=6), ctx.Queue()
            connections.close_all()  # parent and child each open their own connection
            self.process = ctx.Process(
                target=_worker, args=(self.users, self.inbox, self.outbox), daemon=True
            )
            self.process.start()

    def add(
        self,
        action: str,
        actor: int | None,
        case_id: int | None,
        obj: tuple[str, int | str],
        at: dt.datetime,
        data: Mapping[str, Any] | None = None,
        purpose: str = "",
    ) -> None:
        self.batch.append((action, actor, case_id, obj[0], str(obj[1]), purpose, data or {}, at))
        if len(self.batch) >= BATCH:
            self.flush()

    def add_pending(self, events: list[PendingEvent]) -> None:
        """Events built by the case generator (with users as actors)."""
        for e in events:
            actor = e.actor.pk if e.actor is not None else None
            at = e.occurred_at or timezone.now()
            item = (e.action, actor, e.case_id, e.object_type, str(e.object_id), e.purpose)
            self.batch.append((*item, e.data, at))
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        if self.process is not None:
            self.inbox.put(self.batch)
        else:
            self.total += record_many(_pending(self.users, self.batch))
        self.batch = []

    def close(self) -> int:
        self.flush()
        if self.process is not None:
            self.inbox.put(None)
            result = self.outbox.get()
            self.process.join()
            self.process = None
            if isinstance(result, str):
                raise RuntimeError(f"Audit writer failed: {result}")
            self.total += int(result)
        return self.total
