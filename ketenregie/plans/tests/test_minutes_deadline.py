"""The one-week deadline for the minutes, on Amsterdam dates, across DST changes.

A meeting held on local day D is on time through D+7 and late from D+8. The cases pick
meetings whose UTC date differs from the local date, on the nights the clocks change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from ketenregie.audit.models import AuditEvent
from ketenregie.core.timeutil import today
from ketenregie.plans import services
from ketenregie.plans.models import Meeting
from ketenregie.plans.tests.conftest import build_team, local, schedule

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)

STARTS = [
    # 00:30 on the night summer time begins: still CET, so 23:30 UTC the day before.
    pytest.param(local(2026, 3, 29, 0, 30), id="dst-begins-after-midnight"),
    # 23:30 on the evening before summer time begins: the UTC date is the same.
    pytest.param(local(2026, 3, 28, 23, 30), id="dst-begins-evening-before"),
    # 00:30 on the night summer time ends: CEST, 22:30 UTC the day before.
    pytest.param(local(2026, 10, 25, 0, 30), id="dst-ends-after-midnight"),
    # A meeting in summer just after midnight (UTC+2), deadline in summer too.
    pytest.param(local(2026, 6, 10, 1, 0), id="summer-night"),
    # An afternoon in winter.
    pytest.param(local(2027, 1, 13, 14, 0), id="winter-afternoon"),
]


def _hold(start: dt.datetime) -> tuple[dict[str, Any], Meeting]:
    """Plan and hold a meeting at `start`, minutes written but not sent."""
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        team = build_team()
        meeting = schedule(team, starts_at=start)
        meeting = services.record_attendance(
            meeting, actor=team["regisseur"], present=[], expected_version=meeting.version
        )
        meeting = services.save_minutes(
            meeting,
            actor=team["regisseur"],
            minutes="Verslag.",
            decisions="Geen besluiten.",
            expected_version=meeting.version,
        )
    return team, meeting


@pytest.mark.parametrize("start", STARTS)
def test_minutes_are_late_from_the_eighth_local_day(start: dt.datetime) -> None:
    _team, meeting = _hold(start)
    held_on = start.date()  # the Amsterdam date of the meeting
    assert meeting.minutes_due == held_on + 7 * DAY
    assert not meeting.minutes_late_on(held_on)
    assert not meeting.minutes_late_on(held_on + 7 * DAY)
    assert meeting.minutes_late_on(held_on + 8 * DAY)
    everything = Meeting.objects.all()
    assert list(everything.minutes_late(held_on + 7 * DAY)) == []
    assert list(everything.minutes_late(held_on + 8 * DAY)) == [meeting]

    # The same with the clock itself: the last minute of D+7 and the first of D+8.
    with time_machine.travel(local(*(held_on + 7 * DAY).timetuple()[:3], 23, 59), tick=False):
        assert today() == held_on + 7 * DAY
        assert not meeting.minutes_late_on(today())
        assert list(Meeting.objects.minutes_late()) == []
    with time_machine.travel(local(*(held_on + 8 * DAY).timetuple()[:3], 0, 1), tick=False):
        assert meeting.minutes_late_on(today())
        assert list(Meeting.objects.minutes_late()) == [meeting]


@pytest.mark.parametrize("start", STARTS)
def test_sending_in_the_last_minute_of_the_week_is_on_time(start: dt.datetime) -> None:
    team, meeting = _hold(start)
    last_minute = local(*(start.date() + 7 * DAY).timetuple()[:3], 23, 59)
    with time_machine.travel(last_minute, tick=False):
        services.send_minutes(meeting, actor=team["regisseur"])
    event = AuditEvent.objects.get(action="meeting.minutes_sent", object_id=str(meeting.pk))
    assert event.data["op_tijd"] is True and event.data["eerste_keer"] is True
    meeting.refresh_from_db()
    # Sent minutes are never late, whatever the day.
    assert not meeting.minutes_late_on(start.date() + 30 * DAY)
    assert list(Meeting.objects.minutes_late(start.date() + 30 * DAY)) == []


@pytest.mark.parametrize("start", STARTS)
def test_sending_just_after_midnight_of_the_eighth_day_is_late(start: dt.datetime) -> None:
    team, meeting = _hold(start)
    # 00:10 local is still the previous day in UTC: the local date decides.
    first_minutes = local(*(start.date() + 8 * DAY).timetuple()[:3], 0, 10)
    with time_machine.travel(first_minutes, tick=False):
        services.send_minutes(meeting, actor=team["regisseur"])
    event = AuditEvent.objects.get(action="meeting.minutes_sent", object_id=str(meeting.pk))
    assert event.data["op_tijd"] is False


def test_an_unrecorded_meeting_is_late_too_a_cancelled_one_never(team: dict[str, Any]) -> None:
    start = local(2026, 5, 4, 10)
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        planned = schedule(team, starts_at=start)  # never held
        cancelled = schedule(
            team, starts_at=start, kind=Meeting.Kind.INCIDENTAL, person_invited=True
        )
        services.cancel_meeting(
            cancelled, actor=team["regisseur"], expected_version=cancelled.version
        )
    later = start.date() + 30 * DAY
    cancelled.refresh_from_db()
    # Not recording the attendance does not stop the clock; cancelling does.
    assert planned.minutes_late_on(later) and not cancelled.minutes_late_on(later)
    assert list(Meeting.objects.minutes_late(later)) == [planned]


def test_plan_page_meetings_page_and_dashboard_agree_on_late_minutes(
    team: dict[str, Any],
) -> None:
    """One rule: an unrecorded meeting past its week is late on the plan page, on the
    meetings list and on the dashboard alike (the pages once only looked at held ones)."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from ketenregie.plans.queries import late_minutes_for_director

    start = timezone.now() - 10 * DAY
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        planned = schedule(team, starts_at=start)  # attendance never recorded
    services.plan_for(team["case"], actor=team["regisseur"])
    # Today, ten days after the meeting:
    assert planned.minutes_late
    assert list(late_minutes_for_director(team["regisseur"])) == [planned]
    client = Client()
    client.force_login(team["regisseur"])
    plan_page = client.get(reverse("plan", args=[team["case"].pk]))
    assert plan_page.status_code == 200
    assert "verslag te laat" in plan_page.content.decode()
    meetings_page = client.get(reverse("meetings"))
    assert meetings_page.status_code == 200
    assert "te laat" in meetings_page.content.decode()


@pytest.mark.parametrize("state", list(Meeting.State))
@pytest.mark.parametrize("offset", [0, 7, 8, 30])
def test_queryset_and_instance_say_the_same(
    team: dict[str, Any], state: Meeting.State, offset: int
) -> None:
    start = local(2026, 5, 4, 10)
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        meeting = schedule(team, starts_at=start)
    Meeting.objects.filter(pk=meeting.pk).update(state=state)
    meeting.refresh_from_db()
    day = start.date() + offset * DAY
    in_query = Meeting.objects.minutes_late(day).filter(pk=meeting.pk).exists()
    assert in_query == meeting.minutes_late_on(day)
