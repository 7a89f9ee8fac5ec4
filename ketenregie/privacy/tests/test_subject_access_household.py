"""ADR 0031 in the subject access export: the person's own place in a household (role,
custody, home, period and the support plan's 7.1 fields, with earlier versions) is theirs
and exported in full, withholdable like any item; another member's fields are not."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from ketenregie.accounts.roles import Role
from ketenregie.cases import household_services as hs
from ketenregie.cases.models import HouseholdMember
from ketenregie.core.timeutil import today
from ketenregie.privacy.subject_access import Review, build_export
from ketenregie.privacy.subject_access_output import export_json, export_pdf, passages
from ketenregie.tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db

M = HouseholdMember
OWN_JOB = "Kassamedewerker bij De Korenaar"
OTHER_JOB = "Vrachtwagenchauffeur Ruimtevaartlogistiek"
OTHER_PHONE = "06-91827364"


@pytest.fixture
def family(case_with_team: dict[str, Any]) -> dict[str, Any]:
    case, regisseur = case_with_team["case"], case_with_team["regisseur"]
    partner = hs.add_member(
        case,
        actor=regisseur,
        person_values={
            "voornamen": "Zwaantje",
            "tussenvoegsel": "",
            "achternaam": "Klaverblad",
            "geboortedatum": dt.date(1985, 5, 1),
            "bsn": None,
            "telefoon": OTHER_PHONE,
        },
        values={
            "relation": M.Relation.PARTNER,
            "custody": M.Custody.JA,
            "lives_in_home": True,
            "valid_from": today() - dt.timedelta(days=40),
            "valid_to": None,
            "gender": M.Gender.VROUW,
            "marital_status": M.MaritalStatus.GEHUWD,
            "occupation": OTHER_JOB,
        },
    )
    case.refresh_from_db()
    own = M.objects.get(household_id=case.household_id, person=case.person)
    hs.update_member(
        own,
        case=case,
        actor=regisseur,
        expected_version=own.version,
        values={
            "gender": M.Gender.LIEVER_NIET,
            "marital_status": M.MaritalStatus.GEHUWD,
            "occupation": OWN_JOB,
        },
    )
    return {**case_with_team, "own": own, "partner_member": partner}


def _own_row(export: dict[str, Any]) -> dict[str, Any]:
    return next(m for h in export["households"] for m in h["members"] if m["is_subject"])


def test_the_own_membership_is_exported_in_full_and_others_are_not(
    family: dict[str, Any],
) -> None:
    export = build_export(family["case"].person)
    own = _own_row(export)
    values = {f["key"]: f["value"] for f in own["item"]["fields"]}
    assert values["occupation"] == OWN_JOB
    assert values["gender"] == "Zeg ik liever niet" and values["marital_status"] == "Gehuwd"
    labels = {f["label"] for f in own["item"]["fields"]}
    assert {"geslacht", "burgerlijke staat", "beroep of school"} <= labels
    # Version 1 (made with the household) and version 2 (the 7.1 fields filled in).
    assert [v["version"] for v in own["history"]] == [1, 2]
    second = {f["key"]: f["value"] for f in own["history"][1]["fields"]}
    assert second["occupation"] == OWN_JOB and second["gender"] == "Zeg ik liever niet"
    other = next(m for h in export["households"] for m in h["members"] if not m["is_subject"])
    assert other["item"] is None and other["history"] == [] and other["relation"] == "Partner"
    text = export_json(export).decode()
    for secret in (OTHER_JOB, OTHER_PHONE, "Zwaantje", "Klaverblad"):
        assert secret not in text


def test_the_pdf_shows_it_in_plain_dutch(family: dict[str, Any]) -> None:
    export = build_export(family["case"].person)
    pdf = export_pdf(export)
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Uw plaats in dit huishouden" in text
    assert "Beroep of school" in text and OWN_JOB in text and "Zeg ik liever niet" in text
    assert OTHER_JOB not in text
    assert not re.search(r"\bliever_niet\b", text)


def test_the_membership_can_be_withheld_and_is_shown_for_review(
    client: Client, family: dict[str, Any]
) -> None:
    person = family["case"].person
    item_id = _own_row(build_export(person))["item"]["id"]
    assert item_id == f"membership:{family['own'].pk}" and item_id in passages(build_export(person))
    withheld = build_export(person, review=Review(withheld={item_id: "Lopend onderzoek"}))
    assert _own_row(withheld)["item"]["fields"] == []
    assert {"id": item_id, "reason": "Lopend onderzoek"} in withheld["withheld"]
    # Its earlier versions go with it.
    assert _own_row(withheld)["history"] == [] and OWN_JOB not in export_json(withheld).decode()
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    client.force_login(fg)
    response = client.post(reverse("subject_access"), {"person": person.pk})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Eigen plaats in huishouden" in html and OWN_JOB in html
    assert OTHER_JOB not in html
