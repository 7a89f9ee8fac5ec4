"""The deadline rule in Europe/Amsterdam across daylight-saving changes and cancellations."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketenregie.accounts.models import House
from ketenregie.intake import schedule

AMS = ZoneInfo("Europe/Amsterdam")


def house(**kw: object) -> House:
    # Unsaved: the rule only reads the configuration fields.
    return House(name="Testhuis", code="T", kind="zvh", **kw)


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=AMS)


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (at(2026, 11, 26, 15, 59), dt.date(2026, 12, 3)),  # Thursday before 16:00
        (at(2026, 11, 26, 16, 0), dt.date(2026, 12, 10)),  # at 16:00 is too late
        (at(2026, 11, 27, 9, 0), dt.date(2026, 12, 10)),  # Friday
        (at(2026, 11, 23, 10, 0), dt.date(2026, 12, 3)),  # Monday
        # Across the autumn change (25 October 2026, 03:00 -> 02:00).
        (at(2026, 10, 22, 15, 30), dt.date(2026, 10, 29)),
        # Across the spring change (29 March 2026).
        (at(2026, 3, 26, 15, 59), dt.date(2026, 4, 2)),
    ],
)
def test_examples(submitted: dt.datetime, expected: dt.date) -> None:
    assert schedule.first_triage_date(house(), submitted) == expected


def test_triage_window_is_local_time_in_both_seasons() -> None:
    h = house()
    winter_start, winter_end = schedule.triage_window(h, dt.date(2026, 12, 3))
    summer_start, _ = schedule.triage_window(h, dt.date(2026, 7, 2))
    assert winter_start.astimezone(dt.UTC).hour == 12  # 13:00 CET
    assert summer_start.astimezone(dt.UTC).hour == 11  # 13:00 CEST
    assert (winter_end - winter_start) == dt.timedelta(minutes=90)


def test_other_configuration() -> None:
    # Cut-off Tuesday 12:00, triage Wednesday.
    h = house(cutoff_weekday=1, cutoff_time=dt.time(12, 0), triage_weekday=2)
    assert schedule.first_triage_date(h, at(2026, 11, 24, 11, 0)) == dt.date(2026, 11, 25)
    assert schedule.first_triage_date(h, at(2026, 11, 24, 12, 30)) == dt.date(2026, 12, 2)


instants = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=dt.datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)


@settings(max_examples=400)
@given(instants)
def test_rule_holds_for_any_instant(submitted: dt.datetime) -> None:
    h = house()
    day = schedule.first_triage_date(h, submitted)
    local = submitted.astimezone(AMS)
    assert day.weekday() == 3 and day > local.date()
    # Submitted before the cut-off of the week before the triage, not before the one earlier.
    cutoff = dt.datetime.combine(day - dt.timedelta(days=7), dt.time(16, 0), tzinfo=AMS)
    earlier = cutoff - dt.timedelta(days=7)
    assert earlier <= local < cutoff


@settings(max_examples=200)
@given(instants, st.sets(st.integers(min_value=0, max_value=5), max_size=4))
def test_cancelled_dates_are_skipped(submitted: dt.datetime, skip: set[int]) -> None:
    h = house()
    first = schedule.first_triage_date(h, submitted)
    cancelled = {first + dt.timedelta(days=7 * i) for i in skip}
    day = schedule.next_triage_date(h, submitted, cancelled)
    assert day not in cancelled and day >= first and (day - first).days % 7 == 0
    assert all(
        first + dt.timedelta(days=7 * i) in cancelled for i in range((day - first).days // 7)
    )


def test_holidays() -> None:
    days = schedule.dutch_holidays(2026)
    assert days[dt.date(2026, 5, 14)] == "Hemelvaartsdag"  # a Thursday: hits the triage
    assert days[dt.date(2026, 4, 3)] == "Goede Vrijdag"
    assert days[dt.date(2026, 4, 6)] == "Tweede Paasdag"
    assert days[dt.date(2026, 5, 25)] == "Tweede Pinksterdag"
    assert schedule.dutch_holidays(2025)[dt.date(2025, 4, 26)] == "Koningsdag"  # 27th a Sunday
    assert schedule.holiday_name(dt.date(2026, 12, 3)) == ""
