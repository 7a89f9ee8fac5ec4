"""Issue 15, slice hh: the client system of a case. Services (members with history,
network, consent, preference) and pages (full, adviser pseudonymised, refused)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.audit.models import AuditEvent
from ketenregie.cases import household_services as hs
from ketenregie.cases.models import (
    Consent,
    HouseholdMember,
    HouseholdMemberVersion,
    NetworkContact,
    RegisseurPreference,
)
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.timeutil import today
from ketenregie.tests_support.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _years_ago(years: int) -> dt.date:
    day = today()
    return day.replace(year=day.year - years, day=min(day.day, 28))


def _child(case: Any, actor: Any, name: str = "Sanne", years: int = 9) -> HouseholdMember:
    return hs.add_member(
        case,
        actor=actor,
        person_values={
            "voornamen": name,
            "tussenvoegsel": "",
            "achternaam": "Kwartelveld",
            "geboortedatum": _years_ago(years),
            "bsn": None,
        },
        values={
            "relation": HouseholdMember.Relation.KIND,
            "custody": HouseholdMember.Custody.NEE,
            "lives_in_home": True,
            "valid_from": today() - dt.timedelta(days=10),
            "valid_to": None,
        },
    )


@pytest.fixture
def family(case_with_team: dict[str, Any]) -> dict[str, Any]:
    ctx = dict(case_with_team)
    ctx["child"] = _child(ctx["case"], ctx["regisseur"])
    ctx["case"].refresh_from_db()
    return ctx


def test_first_member_makes_the_household_with_the_client_first(family: dict[str, Any]) -> None:
    case, child = family["case"], family["child"]
    assert case.household_id == child.household_id
    members = HouseholdMember.objects.filter(household_id=case.household_id)
    assert {m.relation for m in members} == {"betrokkene", "kind"}
    assert HouseholdMemberVersion.objects.filter(member=child, version=1).exists()
    events = AuditEvent.objects.filter(action="household.member_added", case_id=case.pk)
    assert events.count() == 2
    # The trail names fields and versions, never the member's name.
    assert all("Sanne" not in str(e.data) for e in events)


def test_member_history_is_kept_and_versions_checked(family: dict[str, Any]) -> None:
    case, child, regisseur = family["case"], family["child"], family["regisseur"]
    hs.update_member(
        child,
        case=case,
        actor=regisseur,
        expected_version=1,
        values={"lives_in_home": False, "custody": HouseholdMember.Custody.NEE},
    )
    child.refresh_from_db()
    assert child.version == 2 and child.lives_in_home is False
    versions = list(HouseholdMemberVersion.objects.filter(member=child).order_by("version"))
    assert [v.values["lives_in_home"] for v in versions] == [True, False]
    with pytest.raises(ConcurrentEditError):
        hs.update_member(
            child, case=case, actor=regisseur, expected_version=1, values={"lives_in_home": True}
        )
    assert AuditEvent.objects.get(action="household.member_changed").data["velden"] == [
        "lives_in_home"
    ]


def test_member_person_data_changes_through_the_person_service(family: dict[str, Any]) -> None:
    case, child = family["case"], family["child"]
    hs.update_member(
        child,
        case=case,
        actor=family["regisseur"],
        expected_version=1,
        values={},
        person_values={"voornamen": "Sanne Marie"},
        person_version=child.person.version,
    )
    child.person.refresh_from_db()
    assert child.person.voornamen == "Sanne Marie"
    assert AuditEvent.objects.filter(action="person.updated", case_id=case.pk).exists()


def test_ending_a_member_keeps_the_row(family: dict[str, Any]) -> None:
    case, child, regisseur = family["case"], family["child"], family["regisseur"]
    with pytest.raises(ValidationError) as exc:
        hs.end_member(
            child, case=case, actor=regisseur, expected_version=1, on=today() - dt.timedelta(30)
        )
    assert "on" in exc.value.message_dict
    hs.end_member(child, case=case, actor=regisseur, expected_version=1, on=today())
    child.refresh_from_db()
    assert child.valid_to == today() and not child.lives_in_home
    assert HouseholdMemberVersion.objects.filter(member=child).count() == 2
    with pytest.raises(ValidationError, match="al uit het huishouden"):
        hs.end_member(child, case=case, actor=regisseur, expected_version=2, on=today())
    primary = HouseholdMember.objects.get(household_id=case.household_id, person=case.person)
    with pytest.raises(ValidationError, match="betrokkene zelf"):
        hs.end_member(primary, case=case, actor=regisseur, expected_version=1, on=today())
    with pytest.raises(ValidationError, match="betrokkene zelf"):
        hs.update_member(
            primary, case=case, actor=regisseur, expected_version=1, values={"valid_to": today()}
        )


def test_network_contact_added_changed_ended(family: dict[str, Any]) -> None:
    case, regisseur = family["case"], family["regisseur"]
    contact = hs.add_network_contact(
        case,
        actor=regisseur,
        values={
            "name": "Oma Kwartelveld",
            "relation": NetworkContact.Relation.FAMILIE,
            "support_kinds": ["kinderopvang", "emotioneel"],
            "support_note": "Haalt de kinderen twee keer per week van school.",
            "contact": "06-12345678",
            "valid_from": today(),
        },
    )
    assert contact.support_labels() == ["Opvang van de kinderen", "Emotionele steun"]
    hs.update_network_contact(
        contact, actor=regisseur, expected_version=1, values={"support_kinds": ["praktisch"]}
    )
    with pytest.raises(ConcurrentEditError):
        hs.update_network_contact(contact, actor=regisseur, expected_version=1, values={})
    hs.end_network_contact(contact, actor=regisseur, expected_version=2, on=today())
    contact.refresh_from_db()
    assert contact.valid_to == today() and contact.support_kinds == ["praktisch"]
    codes = set(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {
        "household.network_added",
        "household.network_changed",
        "household.network_ended",
    } <= codes


def test_consent_recorded_and_withdrawn(family: dict[str, Any]) -> None:
    case, regisseur = family["case"], family["regisseur"]
    mother = HouseholdMember.objects.get(household_id=case.household_id, person=case.person)
    base = {
        "subject": Consent.Subject.COORDINATIE,
        "partners": "",
        "given_on": today(),
        "form": Consent.Form.SCHRIFTELIJK,
        "note": "",
    }
    with pytest.raises(ValidationError) as exc:
        hs.record_consent(
            case,
            actor=regisseur,
            values={**base, "given_by_member": mother, "given_by_representative": "Voogd X"},
        )
    assert "given_by_member" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        hs.record_consent(
            case,
            actor=regisseur,
            values={
                **base,
                "subject": Consent.Subject.DELEN_PARTNERS,
                "given_by_member": mother,
                "given_on": today() + dt.timedelta(days=1),
            },
        )
    assert {"partners", "given_on"} <= set(exc.value.message_dict)
    consent = hs.record_consent(case, actor=regisseur, values={**base, "given_by_member": mother})
    with pytest.raises(ValidationError) as exc:
        hs.withdraw_consent(consent, actor=regisseur, on=today(), by=" ")
    assert "by" in exc.value.message_dict
    hs.withdraw_consent(consent, actor=regisseur, on=today(), by="Moeder, telefonisch")
    consent.refresh_from_db()
    assert consent.is_withdrawn and consent.withdrawn_by == "Moeder, telefonisch"
    with pytest.raises(ValidationError, match="al ingetrokken"):
        hs.withdraw_consent(consent, actor=regisseur, on=today(), by="Moeder")
    event = AuditEvent.objects.get(action="household.consent_withdrawn")
    assert "Moeder" not in str(event.data)


def test_preference_recorded_and_changed(family: dict[str, Any]) -> None:
    case, regisseur = family["case"], family["regisseur"]
    with pytest.raises(ValidationError):
        hs.record_preference(
            case, actor=regisseur, expected_version=None, preference=" ", organisation=None
        )
    org = OrganisationFactory(name="Wijkteam Noord")
    row = hs.record_preference(
        case, actor=regisseur, expected_version=None, preference="Haar buurvrouw", organisation=None
    )
    hs.record_preference(
        case, actor=regisseur, expected_version=row.version, preference="", organisation=org
    )
    row.refresh_from_db()
    assert row.organisation == org and row.version == 2
    with pytest.raises(ConcurrentEditError):
        hs.record_preference(
            case, actor=regisseur, expected_version=1, preference="x", organisation=None
        )
    assert RegisseurPreference.objects.filter(case=case).count() == 1


def test_household_page_in_full(client: Client, family: dict[str, Any]) -> None:
    case = family["case"]
    client.force_login(family["regisseur"])
    html = client.get(reverse("household", args=[case.pk])).content.decode()
    assert "Sanne" in html and "9 jaar" in html and "minderjarig" in html
    assert "Informeel netwerk" in html and "Toestemming" in html and "versie 1" in html
    assert "Gezinslid toevoegen" in html
    assert AuditEvent.objects.get(action="household.viewed").data == {"weergave": "volledig"}
    case_html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Sanne Kwartelveld (kind, 9 jaar, minderjarig)" in case_html


def test_adviser_sees_the_household_pseudonymised(client: Client, family: dict[str, Any]) -> None:
    case = family["case"]
    hs.add_network_contact(
        case,
        actor=family["regisseur"],
        values={
            "name": "Buurman Veldhoen",
            "relation": "buur",
            "support_kinds": ["praktisch"],
            "support_note": "",
            "contact": "",
            "valid_from": today(),
        },
    )
    client.force_login(family["adviser"])
    for url in (reverse("household", args=[case.pk]), reverse("case_detail", args=[case.pk])):
        html = client.get(url).content.decode()
        assert "Kind" in html and "0-11 jaar" in html
        for secret in ("Sanne", "Kwartelveld", "Veldhoen", case.person.achternaam):
            assert secret not in html
    html = client.get(reverse("household", args=[case.pk])).content.decode()
    assert "Informeel netwerk" not in html and "gepseudonimiseerd" in html
    assert client.get(reverse("household_member_add", args=[case.pk])).status_code == 403


def test_outsider_gets_404_and_writes_are_refused(client: Client, family: dict[str, Any]) -> None:
    case = family["case"]
    client.force_login(family["outsider"])
    assert client.get(reverse("household", args=[case.pk])).status_code == 404
    assert client.post(reverse("household_member_add", args=[case.pk]), {}).status_code == 404


def test_bad_input_keeps_what_was_typed(client: Client, family: dict[str, Any]) -> None:
    case = family["case"]
    client.force_login(family["regisseur"])
    resp = client.post(
        reverse("household_member_add", args=[case.pk]),
        {
            "voornamen": "Pieter",
            "achternaam": "Kwartelveld",
            "geboortedatum": "31-02-2010",
            "relation": "kind",
            "custody": "nee",
            "valid_from": today().isoformat(),
            "valid_to": (today() - dt.timedelta(days=3)).isoformat(),
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and 'value="Pieter"' in html
    assert "De einddatum ligt voor de begindatum." in html
    assert not HouseholdMember.objects.filter(person__voornamen="Pieter").exists()


def test_pages_add_member_network_consent(client: Client, family: dict[str, Any]) -> None:
    case = family["case"]
    client.force_login(family["regisseur"])
    resp = client.post(
        reverse("household_member_add", args=[case.pk]),
        {
            "voornamen": "Daan",
            "achternaam": "Kwartelveld",
            "geboortedatum": _years_ago(15).isoformat(),
            "relation": "kind",
            "custody": "nee",
            "lives_in_home": "on",
            "valid_from": today().isoformat(),
        },
    )
    assert resp.status_code == 302
    daan = HouseholdMember.objects.get(person__voornamen="Daan")
    resp = client.post(
        reverse("household_member_edit", args=[case.pk, daan.pk]),
        {
            "version": daan.version,
            "person_version": daan.person.version,
            "voornamen": "Daan",
            "achternaam": "Kwartelveld",
            "geboortedatum": _years_ago(15).isoformat(),
            "relation": "kind",
            "custody": "nee",
            "valid_from": today().isoformat(),
        },
    )
    assert resp.status_code == 302
    daan.refresh_from_db()
    assert daan.lives_in_home is False and daan.versions.count() == 2
    resp = client.post(
        reverse("household_network_add", args=[case.pk]),
        {"name": "Tante Ria", "relation": "familie", "valid_from": today().isoformat()},
    )
    assert resp.status_code == 200 and "Kies minstens één soort steun" in resp.content.decode()
    resp = client.post(
        reverse("household_network_add", args=[case.pk]),
        {
            "name": "Tante Ria",
            "relation": "familie",
            "support_kinds": ["veiligheid"],
            "valid_from": today().isoformat(),
        },
    )
    assert resp.status_code == 302
    mother = HouseholdMember.objects.get(household_id=case.household_id, person=case.person)
    resp = client.post(
        reverse("household_consent_add", args=[case.pk]),
        {
            "subject": "coordinatie",
            "given_by_member": mother.pk,
            "given_on": today().isoformat(),
            "form": "mondeling",
        },
    )
    assert resp.status_code == 302
    consent = Consent.objects.get(case=case)
    resp = client.post(
        reverse("household_consent_withdraw", args=[case.pk, consent.pk]),
        {"on": today().isoformat(), "by": "Moeder"},
    )
    assert resp.status_code == 302
    html = client.get(reverse("household", args=[case.pk])).content.decode()
    assert "Tante Ria" in html and "ingetrokken" in html and "Daan" in html
