"""Dates that cannot be true are refused on the field (issue 12): a case meeting planned
in the past (unless recorded afterwards, explicitly, without invitations) and an action
due in the past."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.audit.models import AuditEvent
from ketenregie.core.timeutil import today
from ketenregie.plans import services as plan_services
from ketenregie.plans.models import Action, Meeting

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team(case_with_team: dict[str, Any]) -> dict[str, Any]:
    """The case team with e-mail addresses: an invitation would reach them."""
    for key in ("regisseur", "casus"):
        user = case_with_team[key]
        user.email = f"{key}@example.invalid"
        user.save(update_fields=["email"])
    return case_with_team


def _meeting_post(team: dict[str, Any], start: dt.datetime, **extra: str) -> dict[str, Any]:
    local = timezone.localtime(start)
    end = local + dt.timedelta(minutes=30)
    return {
        "kind": "eerste",
        "day": local.date().isoformat(),
        "start": f"{local:%H:%M}",
        "end": f"{end:%H:%M}" if end.date() == local.date() else "23:59",
        "participants": [team["regisseur"].pk, team["casus"].pk],
        "person_invited": "on",
        **extra,
    }


def test_meeting_in_the_past_is_refused_on_the_date(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    three_days_ago = timezone.now() - dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        resp = _client(team["regisseur"]).post(
            reverse("meeting_new", args=[team["case"].pk]), _meeting_post(team, three_days_ago)
        )
    assert resp.status_code == 200
    form = resp.context["form"]
    assert "achteraf vastleggen" in " ".join(form.errors["day"])
    assert 'aria-invalid="true"' in resp.content.decode()
    assert not Meeting.objects.filter(case=team["case"]).exists()
    assert not [m for m in mail.outbox if "uitnodiging" in m.subject]


def test_meeting_recorded_afterwards_sends_no_invitations(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    three_days_ago = (timezone.now() - dt.timedelta(days=3)).replace(hour=10, minute=0)
    with django_capture_on_commit_callbacks(execute=True):
        resp = _client(team["regisseur"]).post(
            reverse("meeting_new", args=[team["case"].pk]),
            _meeting_post(team, three_days_ago, afterwards="on"),
        )
    assert resp.status_code == 302, resp.content.decode()[:1500]
    meeting = Meeting.objects.get(case=team["case"])
    assert meeting.starts_at < timezone.now()
    assert not [m for m in mail.outbox if "uitnodiging" in m.subject]
    event = AuditEvent.objects.filter(action="meeting.scheduled").latest("pk")
    assert event.data["achteraf_vastgelegd"] is True
    # What happened can be recorded straight away.
    resp = _client(team["regisseur"]).post(
        reverse("meeting_attendance", args=[meeting.pk]),
        {"version": meeting.version, "present": [team["regisseur"].pk]},
    )
    assert resp.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD


def test_recording_afterwards_a_meeting_still_to_come_is_refused(
    team: dict[str, Any],
) -> None:
    tomorrow = timezone.now() + dt.timedelta(days=1)
    resp = _client(team["regisseur"]).post(
        reverse("meeting_new", args=[team["case"].pk]),
        _meeting_post(team, tomorrow, afterwards="on"),
    )
    assert resp.status_code == 200
    assert "nog in de toekomst" in " ".join(resp.context["form"].errors["day"])
    assert not Meeting.objects.filter(case=team["case"]).exists()


def test_planned_meeting_ahead_still_invites(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        resp = _client(team["regisseur"]).post(
            reverse("meeting_new", args=[team["case"].pk]),
            _meeting_post(team, timezone.now() + dt.timedelta(days=2)),
        )
    assert resp.status_code == 302
    assert [m for m in mail.outbox if m.subject.endswith("uitnodiging casusoverleg")]


def test_new_meeting_form_proposes_a_date_ahead(team: dict[str, Any]) -> None:
    resp = _client(team["regisseur"]).get(reverse("meeting_new", args=[team["case"].pk]))
    assert resp.context["form"].initial["day"] > today()
    assert "Achteraf vastleggen" in resp.content.decode()


def test_action_due_in_the_past_is_refused_on_the_field(team: dict[str, Any]) -> None:
    client = _client(team["regisseur"])
    plan_services.plan_for(team["case"], team["regisseur"])
    data = {
        "what": "Budgetcoach regelen",
        "owner_organisation": team["org"].pk,
        "due_date": (today() - dt.timedelta(days=1)).isoformat(),
    }
    resp = client.post(reverse("plan_action", args=[team["case"].pk]), data)
    assert resp.status_code == 200
    assert "ligt in het verleden" in " ".join(resp.context["action_form"].errors["due_date"])
    assert not Action.objects.filter(case=team["case"]).exists()
    data["due_date"] = today().isoformat()
    resp = client.post(reverse("plan_action", args=[team["case"].pk]), data)
    assert resp.status_code == 302
    assert Action.objects.filter(case=team["case"], due_date=today()).exists()
