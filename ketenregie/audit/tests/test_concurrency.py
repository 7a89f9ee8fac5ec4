"""Audited requests do not queue behind each other on the audit chain (issue 10, ADR 0010).

On PostgreSQL with real threads and connections: a writer whose transaction stays open,
or a sealer holding the chain head, must not hold up another writer. A second writer
that has to wait more than a second fails (`lock_timeout`), as it did when every event
locked the head inside its writer's transaction. SQLite serialises writers itself, so
there the same module checks the order a later writer seals in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from uuid import uuid4

import pytest
from django.db import DatabaseError, connection, transaction

from ketenregie.audit import sealing
from ketenregie.audit import services as audit
from ketenregie.audit.models import AuditChainHead, AuditEvent
from ketenregie.audit.verify import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)


def _record_without_waiting(case_id: int) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
        audit.record("case.viewed", actor=None, case_id=case_id)


class _Holder:
    """Runs `hold` in a transaction on its own thread and connection until released."""

    def __init__(self, hold: Callable[[], None]) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        self.errors: list[BaseException] = []
        self._hold = hold
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        try:
            with transaction.atomic():
                self._hold()
                self.started.set()
                self.release.wait(20)
        except BaseException as error:  # reported by the test, not lost in the thread
            self.errors.append(error)
            self.started.set()
        finally:
            connection.close()

    def __enter__(self) -> _Holder:
        self._thread.start()
        assert self.started.wait(20)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._thread.join(20)


if connection.vendor == "postgresql":

    def test_a_writer_does_not_wait_for_an_open_writer_transaction() -> None:
        def open_writer() -> None:
            audit.record("case.viewed", actor=None, case_id=1)

        with _Holder(open_writer) as slow:
            _record_without_waiting(2)  # fails with lock_timeout if it has to queue
            quick = AuditEvent.objects.get(case_id=2)
            # Sealed right after its commit, while the other transaction is still open.
            assert quick.seq == 1
        assert slow.errors == []
        late = AuditEvent.objects.get(case_id=1)
        # Written first, committed last: the chain order is the order of sealing.
        assert late.pk < quick.pk and late.seq == 2
        assert verify_chain() == (2, None)

    def test_a_writer_does_not_wait_for_a_sealer_holding_the_head() -> None:
        def batch_job() -> None:
            assert sealing.lock_head(wait=True) is not None

        sealing.seal_pending()  # the head exists (the trail's first event made it)
        with _Holder(batch_job) as job:
            _record_without_waiting(1)
            # Its own sealer skipped the taken head: the event waits, the writer did not.
            assert AuditEvent.objects.get().seq is None
        assert job.errors == []
        assert verify_chain() == (1, None)

    @contextmanager
    def _as_app_role() -> Iterator[None]:
        """An ordinary login role with every privilege on every table, as a production
        app user has, next to the connection's own user (here the tables' owner and a
        superuser): the triggers hold for both."""
        name = f"ketenregie_app_{uuid4().hex[:12]}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {name}")
            cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {name}")
            cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {name}")
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SET ROLE {name}")
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")
                cursor.execute(f"DROP OWNED BY {name}")
                cursor.execute(f"DROP ROLE {name}")

    @pytest.mark.parametrize("who", ["eigen gebruiker", "app-rol"])
    def test_the_database_refuses_edits_and_deletes_but_allows_sealing(who: str) -> None:
        for i in range(2):
            audit.record("case.viewed", actor=None, case_id=i)
        first = AuditEvent.objects.order_by("id").first()
        assert first is not None and first.seq == 1  # sealing passed the trigger
        table = AuditEvent._meta.db_table
        head = AuditChainHead._meta.db_table
        refused = (
            f"UPDATE {table} SET action = 'x' WHERE id = %s",  # noqa: S608
            f"UPDATE {table} SET seq = 7 WHERE id = %s",  # noqa: S608
            f"UPDATE {table} SET seq = NULL, prev_hash = NULL, hash = NULL WHERE id = %s",  # noqa: S608
            f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
            # The chain head, the other audit table: not deleted, not moved back, not
            # given another hash at the same place (the id is a dummy parameter).
            f"DELETE FROM {head} WHERE id <> %s",  # noqa: S608
            f"UPDATE {head} SET seq = seq - 1 WHERE id <> %s",  # noqa: S608
            f"UPDATE {head} SET hash = md5(hash) WHERE id <> %s",  # noqa: S608
        )
        with _as_app_role() if who == "app-rol" else nullcontext():
            for statement in refused:
                with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute(statement, [first.pk])
            # Sealing, which moves the head forward, still works for this user.
            audit.record("case.viewed", actor=None, case_id=9)
        assert AuditChainHead.objects.get().seq == 3
        assert verify_chain() == (3, None)

else:

    def test_sealing_continues_after_a_writer_whose_follow_up_never_ran(
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(sealing, "seal_when_committed", lambda: None)
        audit.record("case.viewed", actor=None, case_id=1)
        monkeypatch.undo()
        audit.record("case.viewed", actor=None, case_id=2)
        rows = list(AuditEvent.objects.order_by("id").values_list("case_id", "seq"))
        assert rows == [(1, 1), (2, 2)]
        assert verify_chain() == (2, None)
