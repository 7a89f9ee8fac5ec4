"""Issue 15 (phases) demo data: a household case the demo closes gets aftercare and the
evaluation first (so it can close for good); the 6a move runs on a running household case."""

from __future__ import annotations

import random
from typing import Any

import pytest

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import CaseMembership, CaseRole, Household
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.demo import hh_phases
from ketenregie.pga import services as pga
from ketenregie.pga.models import AftercareAgreement, ProfessionalChange
from ketenregie.tests_support.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_closing_of_a_household_case_records_aftercare_and_evaluation(
    case_with_team: dict[str, Any],
) -> None:
    case, regisseur = case_with_team["case"], case_with_team["regisseur"]
    team = OrganisationFactory(name="Wijkteam demo")
    rng = random.Random(1)
    assert not hh_phases.before_closing(case, actor=regisseur, organisation=team, rng=rng)
    case.household = Household.objects.create(name="Gezin demo")
    case.save(update_fields=["household"])
    assert hh_phases.before_closing(case, actor=regisseur, organisation=team, rng=rng)
    assert AftercareAgreement.objects.filter(case=case).count() == 2
    closed = pga.close_case(
        case,
        actor=regisseur,
        provisional=False,
        decided_with="Team",
        handover_organisation=team,
        handover_note="Wijkteam",
    )
    assert closed.status == Status.AFGESLOTEN


def test_demo_moves_procesregie_on_a_running_household_case(
    case_with_team: dict[str, Any], house: Any
) -> None:
    case, regisseur = case_with_team["case"], case_with_team["regisseur"]
    case.household = Household.objects.create(name="Gezin demo")
    case.save(update_fields=["household"])
    colleague = UserFactory(roles=[(Role.PROCESREGISSEUR, house)])
    assert hh_phases.move_procesregie() == {"wisseling procesregie (6a)": 1}
    change = ProfessionalChange.objects.get(case=case)
    assert change.from_user == regisseur and change.to_user == colleague
    assert [
        m.user_id
        for m in CaseMembership.objects.active_on(today()).filter(
            case=case, role=CaseRole.PROCESREGISSEUR
        )
    ] == [colleague.pk]
