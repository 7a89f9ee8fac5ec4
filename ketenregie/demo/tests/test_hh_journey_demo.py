"""Issue 15, "demo data with households in every phase": the house in the household
variant has a client system's case, with its members, in each household phase of
`cases.phases` (1 to 6), and the browser journey's two procesregisseurs (B and B+)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ketenregie.accounts.models import CompetenceProfile, House
from ketenregie.cases.client_system import is_client_system
from ketenregie.cases.models import Case, HouseholdMember
from ketenregie.cases.phases import case_phase

pytestmark = pytest.mark.django_db


def test_household_variant_house_has_a_client_system_in_every_phase() -> None:
    call_command("load_demo", stdout=io.StringIO())
    house = House.objects.get(household_variant=True)
    phases: dict[str, list[str]] = {}
    for case in Case.objects.filter(house=house, household__isnull=False).select_related("house"):
        assert is_client_system(case)
        if HouseholdMember.objects.filter(household_id=case.household_id).count() < 2:
            continue  # the client alone is no household yet
        # "3a" and "3b" are both phase 3, "5a" and "5b" phase 5, "6b" phase 6.
        phases.setdefault(case_phase(case)["code"][0], []).append(case.code)
    assert sorted(phases) == ["1", "2", "3", "4", "5", "6"], phases


def test_the_journey_has_a_b_and_a_b_plus_procesregisseur_at_the_house() -> None:
    call_command("load_demo", "--cases", "5", stdout=io.StringIO())
    profiles = dict(
        CompetenceProfile.objects.filter(user__username__in=["pr.venlo", "pr2.venlo"]).values_list(
            "user__username", "profile"
        )
    )
    assert profiles == {"pr.venlo": "B+", "pr2.venlo": "B"}
