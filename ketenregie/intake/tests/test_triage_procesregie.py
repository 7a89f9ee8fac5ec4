"""The triage start is an assignment point of the one-procesregisseur-per-household rule
(issue 15): a start naming another procesregisseur than the household's is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import Case, CaseMembership, CaseRole, Household
from ketenregie.cases.workflow import Status
from ketenregie.intake import services
from ketenregie.intake.models import Referral
from ketenregie.intake.tests.test_services import _agenda
from ketenregie.tests_support.clock import during
from ketenregie.tests_support.factories import (
    CaseFactory,
    MembershipFactory,
    UserFactory,
    in_household_variant,
)

pytestmark = pytest.mark.django_db


def test_triage_start_refuses_a_second_procesregisseur_for_the_household(
    submitted: Referral, intake: dict[str, Any]
) -> None:
    in_household_variant(intake["house"])
    household = Household.objects.create(name="Gezin Jansen")
    Case.objects.filter(pk=submitted.case_id).update(household=household)
    sibling = CaseFactory(house=intake["house"], household=household, status=Status.IN_UITVOERING)
    other = UserFactory(
        roles=[(Role.PROCESREGISSEUR, intake["house"])], first_name="Olga", last_name="Ander"
    )
    MembershipFactory(case=sibling, user=other, role=CaseRole.PROCESREGISSEUR)
    item = _agenda(submitted, intake)
    with during(item.meeting):
        services.record_attendance(item, actor=intake["chair"], present=True)
        with pytest.raises(ValidationError, match="Olga Ander"):
            services.decide_outcome(
                item,
                actor=intake["chair"],
                outcome="start_pga",
                procesregisseur=intake["regisseur"],
            )
        assert Case.objects.get(pk=submitted.case_id).status == Status.GEAGENDEERD
        services.decide_outcome(
            item, actor=intake["chair"], outcome="start_pga", procesregisseur=other
        )
    assert (
        CaseMembership.objects.get(case_id=submitted.case_id, role=CaseRole.PROCESREGISSEUR).user
        == other
    )
