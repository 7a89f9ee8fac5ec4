"""The hash chain detects edits, deletions and reordering made behind the product's back."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ketenregie.audit import services as audit
from ketenregie.audit.models import AuditChainHead, AuditEvent
from ketenregie.audit.verify import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)


def _five_events() -> list[AuditEvent]:
    for i in range(5):
        audit.record("case.viewed", actor=None, case_id=i, data={"n": i, "tekst": "é ü"})
    return list(AuditEvent.objects.order_by("seq"))


def _sql(statement: str, params: list[object]) -> None:
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=table), params)


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
    AuditChainHead.objects.all().delete()
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
