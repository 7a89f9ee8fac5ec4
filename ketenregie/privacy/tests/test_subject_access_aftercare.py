"""Issue 15 (phases): aftercare agreements and the trajectory's evaluation are the
person's data too: the subject access export carries them, other people blacked out."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ketenregie.cases.models import Household, HouseholdMember
from ketenregie.core.timeutil import today
from ketenregie.pga.models import AftercareAgreement, TrajectoryEvaluation
from ketenregie.privacy.subject_access import build_export
from ketenregie.privacy.subject_access_output import export_json
from ketenregie.tests_support.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_export_carries_aftercare_and_evaluation(case_with_team: dict[str, Any]) -> None:
    case, regisseur = case_with_team["case"], case_with_team["regisseur"]
    household = Household.objects.create(name="")
    other = PersonFactory(voornamen="Zwaantje", tussenvoegsel="", achternaam="Klaverblad")
    HouseholdMember.objects.create(household=household, person=case.person, relation="betrokkene")
    HouseholdMember.objects.create(household=household, person=other, relation="partner")
    case.household = household
    case.save(update_fields=["household"])
    AftercareAgreement.objects.create(
        case=case,
        who="Oma (netwerk)",
        what="Haalt de kinderen twee keer per week uit school.",
        starts_on=today(),
        frequency="twee keer per week",
        recorded_by=regisseur,
        recorded_at=timezone.now(),
    )
    TrajectoryEvaluation.objects.create(
        case=case,
        held_on=today(),
        with_client=True,
        with_professionals=True,
        went_well="Eén plan voor het gezin.",
        went_less_well="Wachttijd jeugdhulp.",
        goals_reached="deels",
        client_satisfaction=8,
        client_view="Fijn, ook voor Zwaantje Klaverblad.",
        lessons="Eerder de school betrekken.",
        recorded_by=regisseur,
        recorded_at=timezone.now(),
    )
    text = export_json(build_export(case.person)).decode()
    assert "Haalt de kinderen twee keer per week uit school." in text
    assert "Eerder de school betrekken." in text and "Deels" in text
    assert "Klaverblad" not in text
