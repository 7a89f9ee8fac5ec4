"""Rules added after review: who gets access by replying, what can no longer be reported,
escalation without a manager, actions tied to their own case, reminders without owner."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from ketenregie.accounts.models import RoleAssignment
from ketenregie.accounts.roles import Role
from ketenregie.cases.models import Case, CaseMembership
from ketenregie.cases.workflow import Status
from ketenregie.core.tests.mailutil import addressees
from ketenregie.core.timeutil import today
from ketenregie.plans import services
from ketenregie.plans.models import Action, Goal, Meeting, Participant
from ketenregie.plans.tests.conftest import other_case, schedule
from ketenregie.tests_support.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_declining_gives_no_case_access(team: dict[str, Any]) -> None:
    meeting = schedule(team, participants=[team["regisseur"], team["outsider"]])
    invited = Participant.objects.get(meeting=meeting, user=team["outsider"])
    services.reply(invited, actor=team["outsider"], answer="nee", capacity="adviseur")
    assert not CaseMembership.objects.filter(user=team["outsider"]).exists()
    services.reply(invited, actor=team["outsider"], answer="ja", capacity="adviseur")
    assert CaseMembership.objects.filter(user=team["outsider"], role="adviseur").exists()


def test_no_reporting_on_a_case_that_no_longer_runs(team: dict[str, Any]) -> None:
    action = services.add_action(
        team["case"],
        actor=team["regisseur"],
        what="Huisbezoek",
        owner_user=team["casus"],
        owner_organisation=None,
        due_date=today(),
    )
    Case.objects.filter(pk=team["case"].pk).update(status=Status.AFGESLOTEN)
    with pytest.raises(ValidationError, match="loopt niet meer"):
        services.report_on_action(action, actor=team["casus"], kind="gedaan", text="")
    action.refresh_from_db()
    assert action.state == Action.State.OPEN


def test_escalating_to_a_house_without_manager_is_refused(team: dict[str, Any]) -> None:
    RoleAssignment.objects.filter(role=Role.MANAGER, house=team["house"]).delete()
    with pytest.raises(ValidationError) as err:
        services.escalate(team["case"], actor=team["regisseur"], to="manager", reason="Vast")
    assert "geen manager" in str(err.value)


def test_an_action_takes_goals_and_meetings_of_its_own_case_only(team: dict[str, Any]) -> None:
    stranger = other_case(team["house"], status=Status.IN_UITVOERING)
    goal = Goal.objects.create(plan=services.plan_for(stranger), text="x", good_enough="y")
    with pytest.raises(ValidationError) as err:
        services.add_action(
            team["case"],
            actor=team["regisseur"],
            what="Huisbezoek",
            owner_user=team["casus"],
            owner_organisation=None,
            due_date=today(),
            goal=goal,
        )
    assert "andere casus" in str(err.value)
    assert not Action.objects.exists()


def test_a_reminder_without_anyone_of_the_organisation_goes_to_the_directors(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    outside = OrganisationFactory(name="Schuldhulp Zuid")
    services.add_action(
        team["case"],
        actor=team["regisseur"],
        what="Schuldhulp aanvragen",
        owner_user=None,
        owner_organisation=outside,
        due_date=today() - dt.timedelta(days=1),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 1
    assert addressees(mail.outbox) == sorted([team["regisseur"].email, team["casus"].email])


def test_a_former_member_is_not_let_back_in_by_replying(team: dict[str, Any]) -> None:
    meeting = schedule(team, participants=[team["regisseur"], team["former"]])
    invited = Participant.objects.get(meeting=meeting, user=team["former"])
    services.reply(invited, actor=team["former"], answer="ja", capacity="adviseur")
    assert not CaseMembership.objects.filter(
        user=team["former"], case=team["case"], valid_to__isnull=True
    ).exists()


def test_an_adviser_can_be_admitted_as_involved(team: dict[str, Any]) -> None:
    from ketenregie.cases.access import visible_cases

    meeting = schedule(team, participants=[team["regisseur"], team["outsider"]])
    invited = Participant.objects.get(meeting=meeting, user=team["outsider"])
    services.reply(invited, actor=team["outsider"], answer="ja", capacity="adviseur")
    services.reply(invited, actor=team["outsider"], answer="ja", capacity="betrokken")
    invited.refresh_from_db()
    services.admit_participant(invited, actor=team["regisseur"])
    seen = visible_cases(team["outsider"]).get(pk=team["case"].pk)
    assert seen.full_access is True


def test_an_adviser_in_monitoring_keeps_the_organisations_full_access(
    team: dict[str, Any],
) -> None:
    from ketenregie.cases.access import visible_cases

    colleague = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=team["org"])
    CaseMembership.objects.create(
        case=team["case"],
        organisation=team["org"],
        role="betrokken_partner",
        valid_from=today() - dt.timedelta(days=5),
    )
    meeting = schedule(
        team, kind=Meeting.Kind.MONITORING, participants=[team["regisseur"], colleague]
    )
    invited = Participant.objects.get(meeting=meeting, user=colleague)
    services.reply(invited, actor=colleague, answer="ja", capacity="adviseur")
    assert visible_cases(colleague).get(pk=team["case"].pk).full_access is True


def test_monitoring_minutes_only_for_who_sees_every_case(team: dict[str, Any]) -> None:
    from django.test import Client
    from django.urls import reverse

    other_case(team["house"], status=Status.IN_UITVOERING)
    meeting = schedule(
        team,
        kind=Meeting.Kind.MONITORING,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        participants=[team["regisseur"], team["partner"]],
    )
    meeting = services.record_attendance(
        meeting, actor=team["regisseur"], present=[], expected_version=meeting.version
    )
    services.save_minutes(
        meeting,
        actor=team["regisseur"],
        minutes="Procesafspraak: volgende keer eerder beginnen.",
        decisions="",
        expected_version=meeting.version,
    )
    client = Client()
    client.force_login(team["partner"])
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Procesafspraak" not in page
    client.force_login(team["regisseur"])  # the organiser
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Procesafspraak" in page
