"""The subject access export shows a person's Verwijsindex signals: that they exist, who
signalled and when, never the risk category (issue 15, slice vi)."""

from __future__ import annotations

import datetime as dt

import pytest

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import CaseRole
from ketenregie.core.timeutil import today
from ketenregie.privacy.subject_access import build_export
from ketenregie.safeguarding import vi_services
from ketenregie.safeguarding.vi_models import RiskCategory
from ketenregie.tests_support.factories import (
    CaseFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_export_lists_signals_without_their_ground() -> None:
    young = PersonFactory(geboortedatum=today() - dt.timedelta(days=17 * 365))
    case = CaseFactory(person=young)
    worker = UserFactory(
        roles=[(Role.PROFESSIONAL, None)],
        organisation=OrganisationFactory(name="Jeugdteam Oost"),
        email="w@example.invalid",
    )
    MembershipFactory(case=case, user=worker, role=CaseRole.BETROKKEN_PARTNER)
    vi_services.record_signal(
        case,
        actor=worker,
        person_id=young.pk,
        category=RiskCategory.WOONPLAATS,
        informed_on=today(),
        not_informed_reason="",
    )
    export = build_export(young)
    (section,) = [s for s in export["cases"][0]["sections"] if s["key"] == "vi_signals"]
    values = {f["key"]: f["value"] for f in section["items"][0]["fields"]}
    assert values["organisation"] == "Jeugdteam Oost" and values["signalled_on"] == today()
    assert str(RiskCategory.WOONPLAATS.label) not in repr(export)
