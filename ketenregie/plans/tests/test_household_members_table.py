"""ADR 0031: the support plan's head shows "Gezinsleden" as seed 002 7.1 lays it out (a
column per member: name, gender, date of birth, role, custody, home, marital status,
profession or school, address, phone, e-mail), on the plan page and in its PDF; only
those with full access to the case see it (the plan is theirs alone)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.cases import household_services as hs
from ketenregie.cases.models import HouseholdMember
from ketenregie.core.timeutil import today
from ketenregie.plans import pdf, services

pytestmark = pytest.mark.django_db

M = HouseholdMember
ROWS = (
    "Naam",
    "Geslacht",
    "Geboortedatum",
    "Rol in het gezin",
    "Gezag",
    "Woont in huis",
    "Burgerlijke staat",
    "Beroep of school",
    "Straat en huisnummer",
    "Postcode en woonplaats",
    "Telefoon",
    "E-mail",
)


def _pdf_text(data: bytes) -> str:
    return " ".join(
        (p.extract_text() or "") for p in pypdf.PdfReader(io.BytesIO(data)).pages
    ).replace("\n", " ")


def _child(case: Any, actor: Any, name: str, years: int, school: str) -> HouseholdMember:
    born = today().replace(year=today().year - years, day=min(today().day, 28))
    return hs.add_member(
        case,
        actor=actor,
        person_values={
            "voornamen": name,
            "tussenvoegsel": "",
            "achternaam": "Kwartelveld",
            "geboortedatum": born,
            "bsn": None,
            "straat": "Proefstraat 17",
            "postcode": "6411 XK",
            "woonplaats": "Heerlen",
            "telefoon": "06-11223344" if years > 12 else "",
            "email": f"{name.lower()}@example.com" if years > 12 else "",
        },
        values={
            "relation": M.Relation.KIND,
            "custody": M.Custody.NEE,
            "lives_in_home": True,
            "valid_from": today() - dt.timedelta(days=30),
            "valid_to": None,
            "gender": M.Gender.VROUW,
            "marital_status": M.MaritalStatus.ONGEHUWD,
            "occupation": school,
        },
    )


@pytest.fixture
def family(team: dict[str, Any]) -> dict[str, Any]:
    case, regisseur = team["case"], team["regisseur"]
    _child(case, regisseur, "Lieke", 15, "4 havo Maasoever")
    for i, name in enumerate(("Thijs", "Fenna", "Bram", "Sofie")):
        _child(case, regisseur, name, 9 - i, f"Groep {6 - i} Wilgenhof")
    case.refresh_from_db()
    services.plan_for(case)
    return team


def test_the_plan_page_shows_the_members_as_the_seed_table(
    client: Client, family: dict[str, Any]
) -> None:
    case = family["case"]
    client.force_login(family["partner"])
    html = client.get(reverse("plan", args=[case.pk])).content.decode()
    table = html.split('id="members-71"')[1].split("</table>")[0]
    for label in ROWS:
        assert f'scope="row">{label}</th>' in table, label
    for value in ("Lieke Kwartelveld", "4 havo Maasoever", "06-11223344", "lieke@example.com"):
        assert value in table
    assert "Ongehuwd" in table and "Vrouw" in table and "6411 XK Heerlen" in table


def test_the_plan_pdf_holds_the_members_table(family: dict[str, Any]) -> None:
    case = family["case"]
    text = _pdf_text(pdf.plan_pdf(case, family["regisseur"]))
    assert "Gezinsleden" in text
    for label in ("Geslacht", "Burgerlijke staat", "Beroep of school", "Postcode en woonplaats"):
        assert label in text
    # Six members: two tables of at most four columns, every member in one of them.
    assert "Gezinsleden (vervolg)" in text
    for value in ("Lieke Kwartelveld", "Sofie Kwartelveld", "4 havo Maasoever", "06-11223344"):
        assert value in text.replace("\u00ad", ""), value


def test_an_adviser_does_not_get_the_plan(client: Client, family: dict[str, Any]) -> None:
    case = family["case"]
    client.force_login(family["adviser"])
    for url in (reverse("plan", args=[case.pk]), reverse("plan_pdf", args=[case.pk])):
        resp = client.get(url)
        assert resp.status_code in (403, 404)
        assert "4 havo Maasoever" not in resp.content.decode(errors="ignore")
