"""Who a meeting's invitation form offers: the house's partners and staff and the case's
own team, not whoever works on any other case of the house."""

from __future__ import annotations

from typing import Any

import pytest

from ketenregie.accounts.models import HousePartner
from ketenregie.accounts.roles import Role
from ketenregie.cases.models import CaseRole
from ketenregie.plans.views.common import _invitable
from ketenregie.tests_support.factories import (
    CaseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_case_meeting_offers_the_team_partners_and_staff_not_other_teams(
    case_with_team: dict[str, Any],
) -> None:
    case = case_with_team["case"]
    partner_org = OrganisationFactory()
    HousePartner.objects.create(house=case.house, organisation=partner_org)
    partner = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=partner_org)
    team_org = OrganisationFactory()
    team_org_member = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=team_org)
    MembershipFactory(case=case, user=None, organisation=team_org, role=CaseRole.BETROKKEN_PARTNER)
    elsewhere = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    MembershipFactory(case=CaseFactory(house=case.house), user=elsewhere)

    offered = set(_invitable(case.house_id, case.pk))
    monitoring = set(_invitable(case.house_id))

    team = {case_with_team[k] for k in ("regisseur", "casus", "adviser", "former")}
    assert team | {partner, team_org_member} <= offered
    assert elsewhere not in offered and case_with_team["outsider"] not in offered
    assert {case_with_team["regisseur"], partner} <= monitoring
    assert not {case_with_team["casus"], team_org_member, elsewhere} & monitoring
