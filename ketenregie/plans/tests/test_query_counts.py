"""Query counts of "Mijn acties", the plan page, meetings and the safety plan do not grow
with the data (items per case and cases per user)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.plans import services
from ketenregie.plans.models import (
    Action,
    CasusregisseurAgreement,
    Goal,
    Meeting,
    Participant,
    PlanVersion,
    SafetyAgreement,
    SafetyScore,
    Statement,
)
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _build(n: int) -> dict[str, Any]:
    house = HouseFactory()
    org = OrganisationFactory()
    user = UserFactory(roles=[(Role.PROCESREGISSEUR, house)], organisation=org)
    others = [UserFactory(roles=[(Role.PROFESSIONAL, None)]) for _ in range(3)]
    cases = []
    for i in range(n):
        case = CaseFactory(house=house, status=Status.IN_UITVOERING)
        MembershipFactory(case=case, user=user, role=CaseRole.PROCESREGISSEUR)
        MembershipFactory(case=case, user=others[i % 3], role=CaseRole.CASUSREGISSEUR)
        cases.append(case)
        # Actions on every case: the user's own and their organisation's, some overdue.
        Action.objects.create(
            case=case,
            what=f"Actie {i}",
            owner_user=user,
            owner_organisation=org,
            due_date=today() + dt.timedelta(days=i % 5 - 2),
            created_by=user,
        )
        Action.objects.create(
            case=case,
            what=f"Organisatie-actie {i}",
            owner_user=others[i % 3],
            owner_organisation=others[i % 3].organisation,
            due_date=today(),
            created_by=user,
        )
    first = cases[0]
    plan = services.plan_for(first)
    plan.joint_goal = "Doel"
    plan.save()
    meeting = Meeting.objects.create(
        house=house,
        case=first,
        kind=Meeting.Kind.FIRST,
        state=Meeting.State.HELD,
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2, hours=-1),
        location="Huis",
        organiser=user,
    )
    for i in range(n):
        # The first case's plan grows: statements, goals, versions, scores, meetings.
        Statement.objects.create(
            plan=plan, kind="kracht", text=f"Uitspraak {i}", said_by="betrokkene", added_by=user
        )
        goal = Goal.objects.create(plan=plan, text=f"Doel {i}", good_enough="Goed")
        Action.objects.create(
            case=first,
            meeting=meeting,
            goal=goal,
            what=f"Plan-actie {i}",
            owner_user=others[i % 3],
            owner_organisation=others[i % 3].organisation,
            due_date=today(),
            created_by=user,
        )
        PlanVersion.objects.create(
            plan=plan,
            number=i + 1,
            adopted_at=timezone.now(),
            adopted_by=user,
            content=services.plan_content(plan) if i < 3 else {"domeinen": {}},
        )
        participant = UserFactory(roles=[(Role.PROFESSIONAL, None)])
        Participant.objects.create(meeting=meeting, user=participant, reply="ja")
        SafetyScore.objects.create(
            case=first, who=f"persoon {i % 4}", score=i % 11, on_date=today(), recorded_by=user
        )
    agreement = CasusregisseurAgreement.objects.create(
        case=first, casusregisseur=others[0], recorded_by=user, recorded_at=timezone.now()
    )
    agreement.agreed_by.set(others)
    safety = services.safety_plan_for(first)
    for i in range(n):
        SafetyAgreement.objects.create(
            safety_plan=safety, what=f"Afspraak {i}", who_checks="wijkagent", if_not_kept="OM"
        )
    return {"user": user, "case": first, "meeting": meeting}


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page",
    ["my_actions", "plan", "plan_version", "meeting", "meetings", "safety"],
)
def test_query_count_is_flat(client: Client, page: str) -> None:
    counts = []
    for n in (5, 40):
        world = _build(n)
        client.force_login(world["user"])
        client.get(reverse("dashboard"))  # settle the session's MFA check
        case = world["case"]
        url = {
            "my_actions": reverse("my_actions"),
            "plan": reverse("plan", args=[case.pk]),
            "plan_version": reverse("plan_version", args=[case.pk, 2]),
            "meeting": reverse("meeting_detail", args=[world["meeting"].pk]),
            "meetings": reverse("meetings"),
            "safety": reverse("safety_plan", args=[case.pk]),
        }[page]
        counts.append(_count(client, url))
        client.logout()
    print(f"{page}: {counts[0]} queries at 5, {counts[1]} at 40")
    assert counts[0] == counts[1], counts
