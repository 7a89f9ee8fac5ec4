"""Issue 15, slice planvi: the safety plan's contact rows, and the free text from before
them, are the person's data in their own export (seed 002 7.2)."""

from __future__ import annotations

import pytest

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import CaseRole
from ketenregie.plans import services as plans
from ketenregie.plans.models import SafetyPlan
from ketenregie.privacy.subject_access import build_export
from ketenregie.tests_support.factories import (
    CaseFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_export_holds_the_contact_rows_and_the_earlier_text() -> None:
    person = PersonFactory()
    case = CaseFactory(person=person)
    director = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    MembershipFactory(case=case, user=director, role=CaseRole.PROCESREGISSEUR)
    safety = plans.safety_plan_for(case, actor=director)
    SafetyPlan.objects.filter(pk=safety.pk).update(earlier_contacts="Oma 06-99999999")
    safety.refresh_from_db()
    plans.save_safety_plan(
        safety,
        actor=director,
        values={},
        expected_version=safety.version,
        contacts=[
            {
                "name": "Ingrid Zusterman",
                "role": "zus",
                "phone": "06-12340001",
                "when_to_call": "Als de spanning oploopt.",
            }
        ],
    )
    export = build_export(person)
    (section,) = [s for s in export["cases"][0]["sections"] if s["key"] == "safety_plan"]
    items = {item["id"].split(":")[0]: item for item in section["items"]}
    contact = {f["key"]: f["value"] for f in items["safety_contact"]["fields"]}
    assert contact["name"] == "Ingrid Zusterman" and contact["phone"] == "06-12340001"
    assert contact["when_to_call"] == "Als de spanning oploopt."
    plan = {f["key"]: f["value"] for f in items["safety_plan"]["fields"]}
    assert plan["earlier_contacts"] == "Oma 06-99999999"
