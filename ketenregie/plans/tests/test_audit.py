"""Every write of the execution phase leaves its audit event in the same transaction, and
the audit trail holds no free text and no personal data of the person."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder

from ketenregie.audit import services as audit_services
from ketenregie.audit.models import AuditEvent
from ketenregie.audit.verify import verify_chain
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.pga.models import Signal
from ketenregie.plans import services
from ketenregie.plans.models import (
    Action,
    ActionReport,
    DirectorEscalation,
    Meeting,
    Participant,
    SafetyScore,
)
from ketenregie.plans.tests.conftest import held, other_case, schedule
from ketenregie.plans.tests.flow import SECRET, run_full_flow

pytestmark = pytest.mark.django_db

PLANS_ACTIONS = {
    "action.added",
    "action.reminder_sent",
    "action.reported",
    "case.director_escalated",
    "case.director_escalation_handled",
    "meeting.attendance_recorded",
    "meeting.cancelled",
    "meeting.minutes_saved",
    "meeting.minutes_sent",
    "meeting.participant_invited",
    "meeting.replied",
    "meeting.scheduled",
    "plan.adopted",
    "plan.casusregisseur_agreed",
    "plan.goal_added",
    "plan.goal_updated",
    "plan.scores_saved",
    "plan.statement_added",
    "plan.text_saved",
    "safety.agreement_added",
    "safety.saved",
    "safety.score_added",
}


def test_the_full_flow_is_audited_without_free_text_or_personal_data(
    team: dict[str, Any],
) -> None:
    result = run_full_flow(team)
    assert result["reminders"] == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert PLANS_ACTIONS <= actions
    # Each of them was written for the case itself (monitoring events are house-wide).
    on_case = AuditEvent.objects.filter(case_id=team["case"].pk)
    assert PLANS_ACTIONS <= set(on_case.values_list("action", flat=True))
    assert {"pga.signal_raised", "team.member_added", "team.handed_over"} <= actions
    person = team["person"]
    needles = [
        SECRET,
        person.achternaam,
        "Bartholomeus",
        person.bsn,
        "Proefstraat",
        "6411",
        "1984-02-29",
        "29-02-1984",
    ]
    for event in AuditEvent.objects.all():
        blob = json.dumps(event.data, cls=DjangoJSONEncoder, ensure_ascii=False)
        for needle in needles:
            assert needle not in blob, (event.action, needle, blob)
    checked, problem = verify_chain()
    assert problem is None and checked == AuditEvent.objects.count()


def test_each_event_names_its_actor_and_object(team: dict[str, Any]) -> None:
    meeting = held(team)
    by_action = {e.action: e for e in AuditEvent.objects.filter(object_id=str(meeting.pk))}
    assert by_action["meeting.scheduled"].actor == team["regisseur"]
    assert by_action["meeting.scheduled"].object_type == "plans.meeting"
    assert by_action["meeting.attendance_recorded"].case_id == team["case"].pk


def _broken_audit(monkeypatch: Any, action: str) -> None:
    real = audit_services.record

    def record(name: str, **kw: Any) -> None:
        real(name, **kw)
        if name == action:
            raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit_services, "record", record)


def _add_action(team: dict[str, Any]) -> Callable[[], Any]:
    return lambda: services.add_action(
        team["case"],
        actor=team["regisseur"],
        what="Iets",
        owner_user=team["casus"],
        owner_organisation=None,
        due_date=today() + dt.timedelta(days=3),
    )


def test_a_failing_audit_write_undoes_the_whole_change(
    team: dict[str, Any], monkeypatch: Any
) -> None:
    """The audit event is written in the service's transaction: when it fails, nothing stays."""
    meeting = held(team)
    upcoming = schedule(team, kind=Meeting.Kind.INCIDENTAL, person_invited=True)
    action = _add_action(team)()
    counts_before = AuditEvent.objects.count()
    cases: list[tuple[str, Callable[[], Any], Callable[[], bool]]] = [
        ("action.added", _add_action(team), lambda: Action.objects.count() == 1),
        (
            "action.reported",
            lambda: services.report_on_action(
                action, actor=team["casus"], kind="niet_uitvoerbaar", text="x"
            ),
            lambda: (
                not ActionReport.objects.exists()
                and Action.objects.get(pk=action.pk).state == "open"
                and not Signal.objects.exists()
            ),
        ),
        (
            "meeting.minutes_saved",
            lambda: services.save_minutes(
                meeting,
                actor=team["regisseur"],
                minutes="x",
                decisions="y",
                expected_version=meeting.version,
            ),
            lambda: Meeting.objects.get(pk=meeting.pk).minutes == "",
        ),
        (
            "case.director_escalated",
            lambda: services.escalate(
                team["case"], actor=team["casus"], to="procesregisseur", reason="x"
            ),
            lambda: not DirectorEscalation.objects.exists(),
        ),
        (
            "safety.score_added",
            lambda: services.add_safety_score(
                team["case"], actor=team["casus"], who="Zus", score=3, on_date=today()
            ),
            lambda: not SafetyScore.objects.exists(),
        ),
        (
            "meeting.replied",
            lambda: services.reply(
                Participant.objects.get(meeting=upcoming, user=team["partner"]),
                actor=team["partner"],
                answer="ja",
                capacity="betrokken",
            ),
            lambda: Participant.objects.get(meeting=upcoming, user=team["partner"]).reply == "",
        ),
    ]
    for name, call, unchanged in cases:
        with monkeypatch.context() as patch:
            _broken_audit(patch, name)
            with pytest.raises(RuntimeError):
                call()
        assert unchanged(), name
        assert AuditEvent.objects.count() == counts_before, name


def test_a_refused_write_leaves_no_row_and_no_event(team: dict[str, Any]) -> None:
    closed = other_case(team["house"], status=Status.AFGESLOTEN)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.add_action(
            closed,
            actor=team["regisseur"],
            what="Iets",
            owner_user=team["casus"],
            owner_organisation=None,
            due_date=today(),
        )
    with pytest.raises(ValidationError):
        schedule(team, kind=Meeting.Kind.INCIDENTAL)  # no invitation, no reasons
    with pytest.raises(ValidationError):
        services.add_safety_score(
            team["case"], actor=team["casus"], who="Zus", score=12, on_date=today()
        )
    assert not Action.objects.exists() and not Meeting.objects.exists()
    assert AuditEvent.objects.count() == before
