"""Who directs the plan and who owns an action, on top of the one case gate."""

from __future__ import annotations

from typing import Any

import pytest

from ketenregie.accounts.roles import Role
from ketenregie.cases.access import get_case_for
from ketenregie.core.timeutil import today
from ketenregie.plans import access, services
from ketenregie.tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_only_the_directors_direct_the_plan(team: dict[str, Any]) -> None:
    pk = team["case"].pk
    assert access.director_roles(team["regisseur"], get_case_for(team["regisseur"], pk)) == {
        "procesregisseur"
    }
    assert access.director_roles(team["casus"], get_case_for(team["casus"], pk)) == {
        "casusregisseur"
    }
    assert not access.can_direct(team["partner"], get_case_for(team["partner"], pk))
    # An adviser sees the case pseudonymised, and never directs.
    assert not access.can_direct(team["adviser"], get_case_for(team["adviser"], pk))
    # A case object that did not come through the gate gives no rights.
    assert access.director_roles(team["regisseur"], team["case"]) == set()


def test_an_action_is_owned_by_its_person_and_their_organisation(team: dict[str, Any]) -> None:
    personal = services.add_action(
        team["case"],
        actor=team["regisseur"],
        what="Bellen",
        owner_user=team["casus"],
        owner_organisation=None,
        due_date=today(),
    )
    colleague = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=team["org"])
    assert access.owns_action(team["casus"], personal)
    assert access.owns_action(colleague, personal)  # the organisation's action too
    assert not access.owns_action(team["partner"], personal)
    mine = services.my_actions_filter(colleague)
    assert list(type(personal).objects.filter(mine)) == [personal]
    assert not type(personal).objects.filter(services.my_actions_filter(team["partner"])).exists()
