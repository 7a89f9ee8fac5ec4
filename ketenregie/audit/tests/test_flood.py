"""Flood-prone events: every one counted, the trail's growth bounded (audit.flood, ADR 13)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from ketenregie.audit import flood
from ketenregie.audit.models import AuditEvent, EventTally
from ketenregie.audit.verify import verify_chain

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)


def _total() -> int:
    return sum(
        int(ev.data["aantal"]) for ev in AuditEvent.objects.filter(action="auth.csrf_failed")
    )


def test_many_addresses_share_an_overflow_subject(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flood, "MAX_SUBJECTS", 20)
    with time_machine.travel(START, tick=False):
        for n in range(60):
            for _ in range(3):
                flood.record_flood_prone(
                    "auth.csrf_failed",
                    actor=None,
                    subject=f"ip:10.0.0.{n}",
                    data={"ip": f"10.0.0.{n}"},
                )
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        assert flood.flush() == 21  # 20 addresses and the overflow subject had more
    assert _total() == 180
    # 20 subjects and the overflow: a first event and a summary each.
    assert AuditEvent.objects.filter(action="auth.csrf_failed").count() == 42
    assert not EventTally.objects.exists()
    assert flood.flush() == 0


def test_a_minute_is_flushed_only_when_it_is_over() -> None:
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            flood.record_flood_prone("auth.csrf_failed", actor=None, subject="ip:x")
        assert flood.flush() == 0
        assert _total() == 1
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        # The next event of any kind writes the last minute's summary first.
        flood.record_flood_prone("auth.csrf_failed", actor=None, subject="ip:x")
    assert _total() == 5
    summary = AuditEvent.objects.filter(data__samenvatting=True).get()
    assert summary.data["aantal"] == 3 and summary.data["minuut"] == "2026-03-02 10:00"
    checked, problem = verify_chain()
    assert checked == 3 and problem is None
