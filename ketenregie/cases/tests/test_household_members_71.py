"""Issue 15 leftover (ADR 0031): the household members' own fields of the support plan's
"Gezinsleden" (seed 002 7.1). Gender, marital status and profession or school on the
membership, a member's own address, phone and e-mail on their person: written by the
household services (audited, in the member's history), typed on the member form (Dutch
errors, input kept), shown in full and never to an adviser."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.audit.models import AuditEvent
from ketenregie.cases import household_services as hs
from ketenregie.cases.models import HouseholdMember, HouseholdMemberVersion, PersonVersion
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.timeutil import today

pytestmark = pytest.mark.django_db

M = HouseholdMember
JOB = "Heftruckchauffeur bij Maasvlakte Logistiek"
PHONE = "06-48151623"
EMAIL = "ruud.kwartelveld@example.com"
STREET = "Kwartelpad 42"


def _years_ago(years: int) -> dt.date:
    day = today()
    return day.replace(year=day.year - years, day=min(day.day, 28))


def _father(case: Any, actor: Any) -> HouseholdMember:
    return hs.add_member(
        case,
        actor=actor,
        person_values={
            "voornamen": "Ruud",
            "tussenvoegsel": "",
            "achternaam": "Kwartelveld",
            "geboortedatum": _years_ago(41),
            "bsn": None,
            "straat": STREET,
            "postcode": "5911 AB",
            "woonplaats": "Venlo",
            "telefoon": PHONE,
            "email": EMAIL,
        },
        values={
            "relation": M.Relation.VADER,
            "custody": M.Custody.JA,
            "lives_in_home": False,
            "valid_from": today() - dt.timedelta(days=10),
            "valid_to": None,
            "gender": M.Gender.MAN,
            "marital_status": M.MaritalStatus.GESCHEIDEN,
            "occupation": JOB,
        },
    )


@pytest.fixture
def family(case_with_team: dict[str, Any]) -> dict[str, Any]:
    ctx = dict(case_with_team)
    ctx["father"] = _father(ctx["case"], ctx["regisseur"])
    ctx["case"].refresh_from_db()
    return ctx


def _form(**over: str) -> dict[str, str]:
    data = {
        "voornamen": "Pieter",
        "achternaam": "Kwartelveld",
        "geboortedatum": _years_ago(15).isoformat(),
        "relation": "kind",
        "custody": "nee",
        "gender": "man",
        "marital_status": "ongehuwd",
        "occupation": "3 havo",
        "straat": STREET,
        "postcode": "5911 AB",
        "woonplaats": "Venlo",
        "telefoon": "",
        "email": "",
        "lives_in_home": "on",
        "valid_from": today().isoformat(),
    }
    return {**data, **over}


def test_adding_a_member_keeps_the_71_fields_audited_and_in_the_history(
    family: dict[str, Any],
) -> None:
    case, father = family["case"], family["father"]
    father.refresh_from_db()
    assert (father.gender, father.marital_status, father.occupation) == (
        "man",
        "gescheiden",
        JOB,
    )
    assert (father.person.straat, father.person.telefoon, father.person.email) == (
        STREET,
        PHONE,
        EMAIL,
    )
    version = HouseholdMemberVersion.objects.get(member=father, version=1)
    assert version.values["occupation"] == JOB and version.values["gender"] == "man"
    assert version.values["marital_status"] == "gescheiden"
    added = AuditEvent.objects.filter(
        action="household.member_added", object_id=str(father.pk)
    ).first()
    assert added is not None
    assert {"gender", "marital_status", "occupation"} <= set(added.data["velden"])
    # The trail names fields, never the values (they identify people).
    created = AuditEvent.objects.filter(action="person.created", case_id=case.pk)
    assert created.exists()
    for event in AuditEvent.objects.filter(case_id=case.pk):
        text = str(event.data)
        assert JOB not in text and PHONE not in text and EMAIL not in text


def test_changing_the_71_fields_and_contact_details_keeps_both_histories(
    family: dict[str, Any],
) -> None:
    case, father, regisseur = family["case"], family["father"], family["regisseur"]
    person = father.person
    hs.update_member(
        father,
        case=case,
        actor=regisseur,
        expected_version=1,
        values={"marital_status": M.MaritalStatus.GEHUWD, "occupation": "Werkzoekend"},
        person_values={"telefoon": "077-3512345", "email": "ruud@example.com"},
        person_version=person.version,
    )
    father.refresh_from_db()
    person.refresh_from_db()
    assert father.version == 2 and father.occupation == "Werkzoekend"
    assert person.telefoon == "077-3512345" and person.email == "ruud@example.com"
    old, new = HouseholdMemberVersion.objects.filter(member=father).order_by("version")
    assert (old.values["occupation"], new.values["occupation"]) == (JOB, "Werkzoekend")
    assert (old.values["marital_status"], new.values["marital_status"]) == (
        "gescheiden",
        "gehuwd",
    )
    person_versions = PersonVersion.objects.filter(person=person).order_by("version")
    assert [v.values["telefoon"] for v in person_versions] == [PHONE, "077-3512345"]
    changed = AuditEvent.objects.get(action="household.member_changed")
    assert changed.data["velden"] == ["marital_status", "occupation"]
    assert "Werkzoekend" not in str(changed.data)
    updated = AuditEvent.objects.get(action="person.updated", case_id=case.pk)
    assert set(updated.data["velden"]) == {"telefoon", "email"}
    assert "077-3512345" not in str(updated.data)
    # A stale form is refused, as for every other member field.
    with pytest.raises(ConcurrentEditError):
        hs.update_member(
            father, case=case, actor=regisseur, expected_version=1, values={"occupation": "X"}
        )


def test_the_household_page_shows_the_fields_and_both_histories(
    client: Client, family: dict[str, Any]
) -> None:
    case, father = family["case"], family["father"]
    hs.update_member(
        father,
        case=case,
        actor=family["regisseur"],
        expected_version=1,
        values={"occupation": "Werkzoekend"},
        person_values={"telefoon": "077-3512345"},
        person_version=father.person.version,
    )
    client.force_login(family["regisseur"])
    html = client.get(reverse("household", args=[case.pk])).content.decode()
    for shown in ("Gescheiden", "Werkzoekend", "077-3512345", EMAIL, STREET, "5911 AB Venlo"):
        assert shown in html
    assert "geslacht: man" in html
    history = html.split('id="member-history"')[1]
    assert f"beroep of school: {JOB}" in history and "beroep of school: Werkzoekend" in history
    assert "persoonsgegevens versie 1" in history and f"telefoon: {PHONE}" in history
    assert "persoonsgegevens versie 2" in history and "telefoon: 077-3512345" in history


def test_the_member_form_takes_the_new_fields(client: Client, family: dict[str, Any]) -> None:
    case = family["case"]
    client.force_login(family["regisseur"])
    resp = client.post(
        reverse("household_member_add", args=[case.pk]),
        _form(postcode="5911ab", telefoon="+31 6 12345678", email="pieter@example.com"),
    )
    assert resp.status_code == 302
    pieter = HouseholdMember.objects.select_related("person").get(person__voornamen="Pieter")
    assert (pieter.gender, pieter.marital_status, pieter.occupation) == (
        "man",
        "ongehuwd",
        "3 havo",
    )
    # The postcode is stored in one form: four digits, a space, two capitals.
    assert pieter.person.postcode == "5911 AB" and pieter.person.email == "pieter@example.com"
    page = client.get(reverse("household_member_edit", args=[case.pk, pieter.pk])).content.decode()
    assert 'value="3 havo"' in page and 'value="+31 6 12345678"' in page
    assert '<option value="ongehuwd" selected>' in page
    resp = client.post(
        reverse("household_member_edit", args=[case.pk, pieter.pk]),
        _form(
            version=str(pieter.version),
            person_version=str(pieter.person.version),
            gender="liever_niet",
            occupation="4 havo",
        ),
    )
    assert resp.status_code == 302
    pieter.refresh_from_db()
    assert pieter.gender == "liever_niet" and pieter.occupation == "4 havo"
    assert pieter.versions.count() == 2


def test_bad_contact_details_give_dutch_errors_and_keep_the_input(
    client: Client, family: dict[str, Any]
) -> None:
    case = family["case"]
    client.force_login(family["regisseur"])
    resp = client.post(
        reverse("household_member_add", args=[case.pk]),
        _form(postcode="59111AB", telefoon="12", email="pieter@", occupation="2 vwo"),
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Vul een Nederlandse postcode in" in html
    assert "Vul een telefoonnummer in van 10 tot 15 cijfers" in html
    assert "Voer een geldig e-mailadres in." in html
    assert "Het gezinslid is niet opgeslagen" in html
    for typed in ('value="59111AB"', 'value="12"', 'value="pieter@"', 'value="2 vwo"'):
        assert typed in html
    assert not HouseholdMember.objects.filter(person__voornamen="Pieter").exists()
    # The same rule on the person's own page.
    person = case.person
    resp = client.post(
        reverse("person_edit", args=[case.pk]),
        {
            "version": person.version,
            "voornamen": person.voornamen,
            "achternaam": person.achternaam,
            "postcode": "AB 5911",
        },
    )
    assert resp.status_code == 200 and "Vul een Nederlandse postcode in" in resp.content.decode()


def test_an_adviser_sees_none_of_the_new_fields(client: Client, family: dict[str, Any]) -> None:
    case = family["case"]
    client.force_login(family["adviser"])
    for url in (reverse("household", args=[case.pk]), reverse("case_detail", args=[case.pk])):
        html = client.get(url).content.decode()
        assert "Vader" in html  # the role in the family, and the age band
        for secret in (JOB, PHONE, EMAIL, STREET, "5911 AB", "Gescheiden", "geslacht"):
            assert secret not in html, (url, secret)
    edit = reverse("household_member_edit", args=[case.pk, family["father"].pk])
    assert client.get(edit).status_code == 403


def test_a_partner_on_the_team_sees_them_through_the_same_gate(
    client: Client, family: dict[str, Any]
) -> None:
    """Full access (the casusregisseur's organisation) sees everything; a former member
    and an outsider nothing."""
    case = family["case"]
    client.force_login(family["casus"])
    html = client.get(reverse("household", args=[case.pk])).content.decode()
    assert JOB in html and PHONE in html
    for user in (family["former"], family["outsider"]):
        client.force_login(user)
        assert client.get(reverse("household", args=[case.pk])).status_code == 404


def test_another_cases_change_to_a_shared_person_stays_out_of_the_history(
    client: Client, family: dict[str, Any]
) -> None:
    """A member can be the client of another case: what that case's team changed on the
    person (and who did) must not show here, or this team learns the other case exists."""
    from ketenregie.cases import services
    from ketenregie.tests_support.factories import CaseFactory, UserFactory

    case, father = family["case"], family["father"]
    CaseFactory(person=father.person)
    outsider = UserFactory(first_name="Otto", last_name="Elders")
    services.update_person(
        father.person,
        actor=outsider,
        values={"telefoon": "043-9998877"},
        expected_version=father.person.version,
    )
    client.force_login(family["regisseur"])
    html = client.get(reverse("household", args=[case.pk])).content.decode()
    history = html.split('id="member-history"')[1]
    assert f"telefoon: {PHONE}" in history
    assert "043-9998877" not in history and "Otto Elders" not in history
