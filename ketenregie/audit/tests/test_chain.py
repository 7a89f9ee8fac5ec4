"""The hash chain detects edits, deletions, reordering and forgeries made behind the product's back.

The tampering runs as an attacker with rights over the database would: on PostgreSQL with
the append-only trigger switched off (`session_replication_role`, superuser), because the
point is that the chain still shows what they did.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketenregie.audit import sealing
from ketenregie.audit import services as audit
from ketenregie.audit.models import AuditChainHead, AuditEvent
from ketenregie.audit.verify import STALE_AFTER, verify_chain

pytestmark = pytest.mark.django_db(transaction=True)


def _five_events() -> list[AuditEvent]:
    for i in range(5):
        audit.record("case.viewed", actor=None, case_id=i, data={"n": i, "tekst": "é ü"})
    return list(AuditEvent.objects.order_by("seq"))


def _sql(statement: str, params: list[object]) -> None:
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off
        try:
            cursor.execute(statement.format(table=table), params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def no_sealing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writers whose follow-up never runs (a process killed right after its commit)."""
    monkeypatch.setattr(sealing, "seal_when_committed", lambda: None)


def _db_time(value: dt.datetime) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def test_intact_chain_verifies() -> None:
    _five_events()
    assert verify_chain() == (5, None)
    call_command("verify_audit")


def test_edited_event_is_named() -> None:
    events = _five_events()
    _sql("UPDATE {table} SET action = %s WHERE id = %s", ["test.vervalst", events[2].pk])
    checked, problem = verify_chain()
    assert problem is not None and problem.seq == 3 and checked == 2
    with pytest.raises(CommandError, match="seq=3"):
        call_command("verify_audit")


def test_edited_data_is_detected() -> None:
    events = _five_events()
    _sql("UPDATE {table} SET data = %s WHERE id = %s", ['{"n": 99, "tekst": "x"}', events[1].pk])
    assert verify_chain()[1].seq == 2


def test_deleted_event_is_detected() -> None:
    events = _five_events()
    _sql("DELETE FROM {table} WHERE id = %s", [events[1].pk])
    problem = verify_chain()[1]
    assert problem is not None and problem.seq == 3


def test_deleted_last_event_is_detected() -> None:
    events = _five_events()
    _sql("DELETE FROM {table} WHERE id = %s", [events[4].pk])
    problem = verify_chain()[1]
    assert problem is not None and "einde" in problem.reason


def test_reordered_events_are_detected() -> None:
    events = _five_events()
    a, b = events[1], events[3]
    # Swap the sequence numbers of two rows (via a free value, seq is unique).
    _sql("UPDATE {table} SET seq = %s WHERE id = %s", [-1, a.pk])
    _sql("UPDATE {table} SET seq = %s WHERE id = %s", [a.seq, b.pk])
    _sql("UPDATE {table} SET seq = %s WHERE id = %s", [b.seq, a.pk])
    problem = verify_chain()[1]
    assert problem is not None and problem.seq == 2


def test_orm_refuses_updates_and_deletes() -> None:
    ev = _five_events()[0]
    with pytest.raises(PermissionError):
        ev.save()
    with pytest.raises(PermissionError):
        ev.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=ev.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_bulk_path_continues_the_chain() -> None:
    _five_events()
    audit.record_many(
        audit.PendingEvent(action="demo.reference_loaded", data={"i": i}) for i in range(2500)
    )
    assert verify_chain() == (2505, None)


def test_deleted_head_with_tail_is_detected() -> None:
    events = _five_events()
    _sql("DELETE FROM {table} WHERE id = %s", [events[4].pk])
    _sql(f"DELETE FROM {AuditChainHead._meta.db_table}", [])  # noqa: S608
    problem = verify_chain()[1]
    assert problem is not None and "kop" in problem.reason


def test_chain_is_keyed(settings: object) -> None:
    from ketenregie.audit.chain import audit_key

    _five_events()
    audit_key.cache_clear()
    try:
        settings.KETENREGIE_AUDIT_KEY = "een-andere-sleutel"
        assert verify_chain()[1] is not None  # recomputing without the key fails
    finally:
        audit_key.cache_clear()


def test_events_are_written_without_the_chain_head_and_sealed_after_commit() -> None:
    head_table = AuditChainHead._meta.db_table
    with transaction.atomic():
        with CaptureQueriesContext(connection) as writing:
            for i in range(3):
                audit.record("case.viewed", actor=None, case_id=i)
        # Inside the writer's transaction: no lock, no read of the head, nothing sealed yet.
        assert not [q for q in writing.captured_queries if head_table in q["sql"]]
        assert list(AuditEvent.objects.values_list("seq", flat=True)) == [None] * 3
    assert list(AuditEvent.objects.order_by("id").values_list("seq", flat=True)) == [1, 2, 3]
    assert AuditChainHead.objects.get().seq == 3
    assert verify_chain() == (3, None)


def test_a_rolled_back_event_leaves_no_gap() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("case.viewed", actor=None, case_id=1)
        raise RuntimeError("rollback")
    audit.record("case.viewed", actor=None, case_id=2)
    assert list(AuditEvent.objects.values_list("case_id", "seq")) == [(2, 1)]
    assert verify_chain() == (1, None)


def test_seal_audit_seals_what_writers_left(no_sealing: None) -> None:
    for i in range(3):
        audit.record("case.viewed", actor=None, case_id=i)
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 3
    call_command("seal_audit")
    assert list(AuditEvent.objects.order_by("id").values_list("seq", flat=True)) == [1, 2, 3]
    assert verify_chain() == (3, None)


def test_verify_seals_pending_events_first(no_sealing: None) -> None:
    for i in range(2):
        audit.record("case.viewed", actor=None, case_id=i)
    assert verify_chain() == (2, None)
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()


def test_a_writer_seals_a_bounded_backlog(
    no_sealing: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        audit.record("case.viewed", actor=None, case_id=i)
    monkeypatch.setattr(sealing, "WRITER_LIMIT", 2)
    monkeypatch.setattr(sealing, "_LOOKS", 1)
    sealing.seal_after_commit()
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 3
    assert verify_chain() == (5, None)


def test_tampered_unsealed_event_is_never_sealed_and_is_reported(no_sealing: None) -> None:
    for i in range(3):
        audit.record("case.viewed", actor=None, case_id=i, data={"n": i})
    middle = AuditEvent.objects.order_by("id")[1]
    _sql("UPDATE {table} SET data = %s WHERE id = %s", ['{"n": 99}', middle.pk])
    checked, problem = verify_chain()
    assert checked == 2 and problem is not None
    assert problem.event_id == middle.pk and "niet-verzegeld" in problem.reason
    # The others are sealed around it; it stays unsealed, so every later check reports it.
    assert AuditEvent.objects.get(pk=middle.pk).seq is None
    assert verify_chain()[1] == problem


def test_forged_unsealed_event_is_reported() -> None:
    _five_events()
    _sql(
        "INSERT INTO {table} (occurred_at, recorded_at, action, actor_label, object_type, "
        "object_id, purpose, data, body_hash) VALUES (%s, %s, 'case.viewed', '', '', '', '', "
        "'{{}}', %s)",
        [_db_time(dt.datetime.now(dt.UTC)), _db_time(dt.datetime.now(dt.UTC)), "f" * 64],
    )
    checked, problem = verify_chain()
    assert checked == 5 and problem is not None and "niet-verzegeld" in problem.reason


def test_forged_event_in_the_chain_is_detected() -> None:
    events = _five_events()
    _sql(
        "INSERT INTO {table} (seq, prev_hash, hash, occurred_at, recorded_at, action, "
        "actor_label, object_type, object_id, purpose, data, body_hash) VALUES (%s, %s, %s, "
        "%s, %s, 'case.viewed', '', '', '', '', '{{}}', '')",
        [
            6,
            events[4].hash,
            "e" * 64,
            _db_time(dt.datetime.now(dt.UTC)),
            _db_time(dt.datetime.now(dt.UTC)),
        ],
    )
    checked, problem = verify_chain()
    assert checked == 5 and problem is not None and problem.seq == 6


def test_event_left_unsealed_too_long_is_reported(no_sealing: None) -> None:
    audit.record("case.viewed", actor=None, case_id=1)
    event = AuditEvent.objects.get()
    long_ago = dt.datetime.now(dt.UTC) - STALE_AFTER - dt.timedelta(minutes=1)
    _sql("UPDATE {table} SET recorded_at = %s WHERE id = %s", [_db_time(long_ago), event.pk])
    with pytest.raises(CommandError, match=f"id={event.pk}: wacht sinds .* op verzegeling"):
        call_command("verify_audit")
    # Sealed now: from here on the trail is intact again.
    assert verify_chain() == (1, None)


def test_sealed_event_unsealed_again_is_detected() -> None:
    events = _five_events()
    _sql(
        "UPDATE {table} SET seq = NULL, prev_hash = NULL, hash = NULL WHERE id = %s",
        [events[2].pk],
    )
    problem = verify_chain()[1]
    assert problem is not None and problem.seq == 4


def test_bulk_path_seals_pending_events_first(no_sealing: None) -> None:
    audit.record("case.viewed", actor=None, case_id=1)
    assert (
        audit.record_many(audit.PendingEvent(action="demo.reference_loaded") for _ in range(3)) == 3
    )
    assert list(AuditEvent.objects.order_by("id").values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert verify_chain() == (4, None)


def test_bulk_events_in_local_time_sort_with_the_rest() -> None:
    """An event written by the bulk path with a time in local time (+01:00, as a demo or
    import builds it) compares with other times as the moment it is, on SQLite too."""
    amsterdam = dt.timezone(dt.timedelta(hours=1))
    earlier = timezone.now().astimezone(amsterdam) - dt.timedelta(minutes=30)
    audit.record_many([audit.PendingEvent(action="case.viewed", occurred_at=earlier)])
    assert not AuditEvent.objects.filter(occurred_at__gt=timezone.now()).exists()
    assert AuditEvent.objects.get(action="case.viewed").occurred_at == earlier
