"""The plan starts from the referral (issue 12): its problems per life domain fill the new
plan's rows, editable, only when the plan is started by a POST; the household shows on
the plan page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.audit.models import AuditEvent
from ketenregie.cases.defaults import ensure_life_domains
from ketenregie.cases.models import Household, HouseholdMember, LifeDomain
from ketenregie.intake.models import Referral, ReferralProblem
from ketenregie.plans import services
from ketenregie.plans.models import DomainScore, Plan
from ketenregie.tests_support.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(team: dict[str, Any]) -> dict[str, Any]:
    ensure_life_domains()
    case = team["case"]
    referral = Referral.objects.create(
        case=case, referrer=UserFactory(), reason="Overlast.", submitted_at=timezone.now()
    )
    first, second = list(LifeDomain.objects.filter(is_active=True).order_by("order")[:2])
    ReferralProblem.objects.create(referral=referral, domain=first, description="Schulden.")
    ReferralProblem.objects.create(referral=referral, domain=second, description="Geen werk.")
    household = Household.objects.create(name="Huishouden test")
    HouseholdMember.objects.create(household=household, person=case.person, relation="betrokkene")
    child = PersonFactory(voornamen="Gerritje", tussenvoegsel="", achternaam="Kindsnaam", bsn=None)
    HouseholdMember.objects.create(household=household, person=child, relation="kind")
    case.household = household
    case.save(update_fields=["household"])
    return {**team, "first": first, "second": second}


def test_starting_the_plan_fills_the_referrals_problems(
    client: Client, referred: dict[str, Any]
) -> None:
    case = referred["case"]
    client.force_login(referred["regisseur"])
    # Reading the page starts nothing and fills nothing.
    assert "Plan van aanpak starten" in client.get(reverse("plan", args=[case.pk])).content.decode()
    assert not Plan.objects.filter(case=case).exists()
    assert client.post(reverse("plan_start", args=[case.pk])).status_code == 302
    rows = {r.domain_id: r.problem for r in DomainScore.objects.filter(plan__case=case)}
    assert rows[referred["first"].pk] == "Schulden."
    assert rows[referred["second"].pk] == "Geen werk."
    assert sum(1 for p in rows.values() if p) == 2
    created = AuditEvent.objects.get(case_id=case.pk, action="plan.created")
    assert sorted(created.data["uit_aanmelding"]) == sorted(
        [referred["first"].name, referred["second"].name]
    )
    page = client.get(reverse("plan", args=[case.pk])).content.decode()
    # Editable: the text is in the score form's field; the household shows too.
    assert "Schulden.</textarea>" in page
    assert "Huishouden" in page and "Gerritje Kindsnaam" in page


def test_an_edited_problem_is_not_overwritten_by_starting_again(referred: dict[str, Any]) -> None:
    case = referred["case"]
    plan = services.plan_for(case, actor=referred["regisseur"])
    services.save_domain_scores(
        plan,
        actor=referred["regisseur"],
        scores={referred["first"].pk: (2, "Schulden, nu in de schuldhulp.")},
        expected_version=plan.version,
    )
    services.plan_for(case, actor=referred["regisseur"])
    row = DomainScore.objects.get(plan=plan, domain=referred["first"])
    assert row.problem == "Schulden, nu in de schuldhulp."
    assert AuditEvent.objects.filter(case_id=case.pk, action="plan.created").count() == 1
