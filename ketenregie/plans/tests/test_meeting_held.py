"""Issue 15 (slice consent): a meeting whose time has passed is never left "Gepland".

A meeting recorded afterwards is held from the start (who took part: present); minutes
or another outcome (the meldcode's answers) recorded for a planned meeting that has
begun make it held, through the service and audited; and nobody is asked "Komt u?" for
a meeting that has begun or is held. The lists show the state that follows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import ExchangeKind, SharingRecord
from ketenregie.plans import services
from ketenregie.plans.models import Meeting, Participant, Plan
from ketenregie.plans.tests.conftest import schedule

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _past(hours: int = 2) -> dt.datetime:
    return (timezone.now() - dt.timedelta(hours=hours)).replace(second=0, microsecond=0)


def _reply_url(meeting: Meeting) -> str:
    return reverse("meeting_reply", args=[meeting.pk])


def test_meeting_recorded_afterwards_is_held_with_its_participants_present(
    team: dict[str, Any],
) -> None:
    meeting = schedule(team, starts_at=_past(), afterwards=True)
    assert meeting.state == Meeting.State.HELD
    present = Participant.objects.filter(meeting=meeting)
    assert {p.user_id for p in present if p.attended} == {
        team["regisseur"].pk,
        team["casus"].pk,
        team["partner"].pk,
    }
    event = AuditEvent.objects.get(action="meeting.scheduled", object_id=str(meeting.pk))
    assert event.data["achteraf_vastgelegd"] is True and event.data["stand"] == "gehouden"
    # The meeting shared the case among those present: once in the register.
    assert SharingRecord.objects.filter(case=team["case"], kind=ExchangeKind.MEETING_HELD).count()
    html = _client(team["casus"]).get(reverse("meeting_detail", args=[meeting.pk])).content
    page = html.decode()
    assert ">Gehouden</span>" in page and "Gepland" not in page
    assert "Komt u?" not in page and _reply_url(meeting) not in page
    # Minutes straight away; correcting the attendance adds no second register row.
    services.save_minutes(
        meeting,
        actor=team["regisseur"],
        minutes="Besproken.",
        decisions="Geen.",
        expected_version=meeting.version,
    )
    meeting.refresh_from_db()
    services.record_attendance(
        meeting,
        actor=team["regisseur"],
        present=[team["regisseur"].pk],
        expected_version=meeting.version,
    )
    assert (
        SharingRecord.objects.filter(case=team["case"], kind=ExchangeKind.MEETING_HELD).count() == 1
    )


def test_minutes_of_a_planned_meeting_that_has_begun_make_it_held(team: dict[str, Any]) -> None:
    meeting = schedule(team, starts_at=_past())
    assert meeting.state == Meeting.State.PLANNED
    services.save_minutes(
        meeting,
        actor=team["regisseur"],
        minutes="Besproken: de start.",
        decisions="Plan van aanpak opstellen.",
        expected_version=meeting.version,
    )
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    event = AuditEvent.objects.filter(action="meeting.minutes_saved").latest("pk")
    assert event.object_id == str(meeting.pk) and "state" in event.data["velden"]
    # Attendance recorded after the minutes: the register row comes then, once.
    services.record_attendance(
        meeting,
        actor=team["regisseur"],
        present=[team["regisseur"].pk, team["casus"].pk],
        expected_version=meeting.version,
    )
    assert (
        SharingRecord.objects.filter(case=team["case"], kind=ExchangeKind.MEETING_HELD).count() == 1
    )


def test_minutes_of_a_meeting_still_to_come_are_refused(team: dict[str, Any]) -> None:
    meeting = schedule(team)
    with pytest.raises(ValidationError, match="nog niet begonnen"):
        services.save_minutes(
            meeting,
            actor=team["regisseur"],
            minutes="Te vroeg.",
            decisions="Geen.",
            expected_version=meeting.version,
        )
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PLANNED


def test_an_outcome_from_above_marks_a_begun_meeting_held_once(team: dict[str, Any]) -> None:
    """The meldcode's answers at a meeting (safeguarding) go through `mark_held`."""
    ahead = schedule(team)
    services.mark_held(ahead, actor=team["regisseur"])
    ahead.refresh_from_db()
    assert ahead.state == Meeting.State.PLANNED
    begun = schedule(team, kind=Meeting.Kind.INCIDENTAL, starts_at=_past(), person_invited=True)
    services.mark_held(begun, actor=team["regisseur"])
    services.mark_held(begun, actor=team["regisseur"])
    begun.refresh_from_db()
    assert begun.state == Meeting.State.HELD
    assert AuditEvent.objects.filter(action="meeting.marked_held").count() == 1


def test_nobody_is_asked_to_reply_once_the_meeting_has_begun(team: dict[str, Any]) -> None:
    """The page asks no more (a late answer posted from an old page is still taken in
    while the meeting is not recorded: a capacity declared at the table counts)."""
    meeting = schedule(team, starts_at=_past())
    client = _client(team["partner"])
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Komt u?" not in page and _reply_url(meeting) not in page
    assert "Voorbij, nog vast te leggen" in page
    # A meeting still to come asks.
    ahead = schedule(team, kind=Meeting.Kind.INCIDENTAL, person_invited=True)
    page = client.get(reverse("meeting_detail", args=[ahead.pk])).content.decode()
    assert "Komt u?" in page and ">Gepland</span>" in page


def test_lists_put_a_begun_meeting_under_earlier_meetings(team: dict[str, Any]) -> None:
    past = schedule(team, starts_at=_past())
    ahead = schedule(team, kind=Meeting.Kind.INCIDENTAL, person_invited=True)
    held = schedule(
        team, kind=Meeting.Kind.INCIDENTAL, starts_at=_past(5), afterwards=True, person_invited=True
    )
    resp = _client(team["regisseur"]).get(reverse("meetings"))
    assert [m.pk for m in resp.context["upcoming"]] == [ahead.pk]
    assert {m.pk for m in resp.context["recent"]} == {past.pk, held.pk}
    page = resp.content.decode()
    assert "Voorbij, nog vast te leggen" in page and "Gehouden" in page
    Plan.objects.create(case=team["case"])
    plan = _client(team["regisseur"]).get(reverse("plan", args=[team["case"].pk]))
    text = plan.content.decode()
    assert "Voorbij, nog vast te leggen" in text and "Gehouden" in text
