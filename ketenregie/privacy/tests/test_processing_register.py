"""The processing register (AVG art. 30): started from the model by an explicit action,
every save a new numbered version (audited, refused when based on an older version), the
register's rules as Dutch messages on the page, old versions read-only, the comparison of
two versions, the PDF with version and date on every page, and who may use it."""

from __future__ import annotations

import io
import re
from typing import Any

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.models import Domain, HousePartner
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.privacy import processing
from ketenregie.privacy import processing_services as services
from ketenregie.privacy.models import ProcessingRegister, RegisterVersion
from ketenregie.tests_support.factories import HouseFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    house = HouseFactory(name="Zorg- en Veiligheidshuis Proefstad")
    other = HouseFactory(name="Zorg- en Veiligheidshuis Elders")
    town = OrganisationFactory(name="Gemeente Proefstad", domain=Domain.SOCIAAL)
    police = OrganisationFactory(name="Politie Proef", domain=Domain.VEILIGHEID)
    housing = OrganisationFactory(name="Woningcorporatie Proef", domain=Domain.WONEN)
    stranger = OrganisationFactory(name="Elders Zorg", domain=Domain.ZORG)
    for org in (town, police):
        HousePartner.objects.create(house=house, organisation=org, is_fixed_triage_partner=True)
    HousePartner.objects.create(house=house, organisation=housing)
    HousePartner.objects.create(house=other, organisation=stranger)
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)], first_name="Fien", last_name="Geurts")
    contact = UserFactory(roles=[(Role.PRIVACY_CONTACT, house)])
    return {
        "house": house,
        "other": other,
        "town": town,
        "police": police,
        "housing": housing,
        "stranger": stranger,
        "fg": fg,
        "contact": contact,
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _started(world: dict[str, Any]) -> ProcessingRegister:
    services.start_from_model(world["house"], actor=world["fg"])
    return ProcessingRegister.objects.get(house=world["house"])


def _post_data(item: dict[str, Any], version: int, **changes: Any) -> dict[str, Any]:
    """A processing form as the browser posts it, from a processing of the content."""
    data: dict[str, Any] = {f: item.get(f, "") for f in processing.TEXT_FIELDS}
    data["legal_bases"] = list(item["legal_bases"])
    data["joint_controllers"] = [c["id"] for c in item["joint_controllers"]]
    data.update(version=version, note="Bewaartermijn aangescherpt na advies FG")
    data.update(changes)
    return data


def _first(register: ProcessingRegister) -> dict[str, Any]:
    return dict(services.current(register).content["processings"][0])


def test_start_from_the_model_is_version_one_with_the_houses_fixed_partners(
    world: dict[str, Any],
) -> None:
    version = services.start_from_model(world["house"], actor=world["fg"])
    content = version.content
    names = [p["name"] for p in content["processings"]]
    assert version.number == 1 and version.saved_by == world["fg"]
    for name in (
        "Aanmelding, screening en triage",
        "Persoonsgerichte aanpak",
        "Gegevensdeling met ketenpartners",
        "Managementinformatie",
        "Inzage- en andere verzoeken",
    ):
        assert name in names
    pga = next(p for p in content["processings"] if p["name"] == "Persoonsgerichte aanpak")
    # Joint controllers: the fixed partners (not every partner of the house), by id and name.
    assert {c["name"] for c in pga["joint_controllers"]} == {"Gemeente Proefstad", "Politie Proef"}
    assert pga["legal_bases"] == ["publieke_taak"] and pga["exception"]
    assert "convenant" in pga["legal_basis_text"] and "geen" in pga["legal_basis_text"]
    assert all(p["transfers"].startswith("Geen") for p in content["processings"])
    assert "Gemeente Proefstad" in content["controller"]
    # Every processing of the model satisfies the register's own rules.
    partner_ids = {world["town"].pk, world["police"].pk, world["housing"].pk}
    for item in content["processings"]:
        others = [p for p in content["processings"] if p is not item]
        assert processing.processing_errors(item, others=others, partner_ids=partner_ids) == {}
    event = AuditEvent.objects.get(action="processing_register.started")
    assert event.actor == world["fg"] and event.data["versie"] == 1
    with pytest.raises(ValidationError):
        services.start_from_model(world["house"], actor=world["fg"])
    assert RegisterVersion.objects.count() == 1


def test_a_house_without_register_gets_one_only_by_the_explicit_action(
    world: dict[str, Any],
) -> None:
    client = _client(world["contact"])
    url = reverse("processing_register", args=[world["house"].pk])
    page = client.get(url)
    assert page.status_code == 200 and "Start met het model" in page.content.decode()
    assert not ProcessingRegister.objects.exists()  # viewing creates nothing
    done = client.post(reverse("processing_register_start", args=[world["house"].pk]))
    assert done.status_code == 302 and done["Location"] == url
    html = client.get(url).content.decode()
    assert "versie 1" in html and "Persoonsgerichte aanpak" in html
    assert (
        client.post(reverse("processing_register_start", args=[world["house"].pk])).status_code
        == 302
    )
    assert RegisterVersion.objects.count() == 1  # a second start is refused with a message


def test_every_save_is_a_new_version_and_the_old_one_stays_readable(
    world: dict[str, Any],
) -> None:
    register = _started(world)
    item = _first(register)
    client = _client(world["fg"])
    url = reverse("processing_edit", args=[world["house"].pk, item["key"]])
    form = client.get(url)
    assert form.status_code == 200 and item["name"] in form.content.decode()
    resp = client.post(url, _post_data(item, 1, retention="Twee jaar na afsluiting."))
    assert resp.status_code == 302
    register.refresh_from_db()
    assert register.version == 2
    new = RegisterVersion.objects.get(register=register, number=2)
    assert new.note == "Bewaartermijn aangescherpt na advies FG" and new.saved_by == world["fg"]
    assert _first(register)["retention"] == "Twee jaar na afsluiting."
    # Version 1 is frozen: its text is what the model said.
    old = RegisterVersion.objects.get(register=register, number=1)
    assert old.content["processings"][0]["retention"] == item["retention"]
    page = client.get(reverse("processing_version", args=[world["house"].pk, 1])).content.decode()
    assert "oude versie" in page and "Opslaan" not in page
    assert "Twee jaar na afsluiting." not in page  # version 1 as it was
    detail = client.get(reverse("processing_register", args=[world["house"].pk])).content.decode()
    assert (
        "Bewaartermijn aangescherpt na advies FG" in detail and "Twee jaar na afsluiting." in detail
    )
    event = AuditEvent.objects.get(action="processing_register.saved")
    assert event.data["versie"] == 2
    assert event.data["onderdelen"] == [f"{item['name']}: Bewaartermijn"]
    # The trail names the part, never the register's text.
    assert "Twee jaar" not in str(event.data)


def test_a_save_based_on_an_older_version_is_refused_and_keeps_the_text(
    world: dict[str, Any],
) -> None:
    register = _started(world)
    item = _first(register)
    url = reverse("processing_edit", args=[world["house"].pk, item["key"]])
    _client(world["contact"]).post(url, _post_data(item, 1, purposes="Eerst opgeslagen."))
    late = _client(world["fg"]).post(url, _post_data(item, 1, purposes="Mijn eigen tekst."))
    html = late.content.decode()
    assert late.status_code == 200
    assert "Iemand anders heeft dit gegeven opgeslagen" in html
    assert "Mijn eigen tekst." in html
    register.refresh_from_db()
    assert register.version == 2 and _first(register)["purposes"] == "Eerst opgeslagen."
    # The form now carries the new version: a deliberate second save goes through.
    assert 'name="version" value="2"' in html
    with pytest.raises(ConcurrentEditError):
        services.save_processing(
            register,
            actor=world["fg"],
            expected_version=1,
            key=item["key"],
            values=item,
            note="x",
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"legal_bases": ["gerechtvaardigd_belang"]}, "Selecteer een geldige keuze"),
        ({"legal_bases": []}, "Kies ten minste één grondslag"),
        ({"exception": ""}, "wettelijke uitzondering"),
        ({"name": "Persoonsgerichte aanpak"}, "al een verwerking met deze naam"),
        ({"purposes": "  "}, "Vul dit onderdeel van het register in"),
        ({"note": ""}, "Schrijf kort op wat u wijzigt"),
        ({"arrangement": ""}, "Beschrijf de regeling"),
        ({"joint_controllers": ["999999"]}, "Kies uit de mogelijkheden"),
        ({}, "U heeft niets gewijzigd"),
    ],
)
def test_the_registers_rules_are_dutch_messages_on_the_form(
    world: dict[str, Any], changes: dict[str, Any], message: str
) -> None:
    register = _started(world)
    item = _first(register)
    url = reverse("processing_edit", args=[world["house"].pk, item["key"]])
    data = _post_data(item, 1, **changes)
    data["data_marker"] = "ignored"
    resp = _client(world["fg"]).post(url, data)
    assert resp.status_code == 200, changes
    html = resp.content.decode()
    assert message in html, (changes, re.findall(r"error-message[^>]*>(.*?)</div>", html, re.S))
    assert item["purposes"][:40] in html or "purposes" in changes  # the input is kept
    assert RegisterVersion.objects.count() == 1


def test_the_service_refuses_what_the_form_does_not_offer(world: dict[str, Any]) -> None:
    register = _started(world)
    item = _first(register)
    values = {**item, "joint_controllers": [world["stranger"]]}
    with pytest.raises(ValidationError) as refused:
        services.save_processing(
            register,
            actor=world["fg"],
            expected_version=1,
            key=item["key"],
            values=values,
            note="x",
        )
    assert "joint_controllers" in refused.value.message_dict
    values = {**item, "legal_bases": ["gerechtvaardigd_belang"], "joint_controllers": []}
    with pytest.raises(ValidationError) as refused:
        services.save_processing(
            register,
            actor=world["fg"],
            expected_version=1,
            key=item["key"],
            values=values,
            note="x",
        )
    assert "overheidsorganisaties" in refused.value.message_dict["legal_bases"][0]


def test_add_and_remove_processings_and_compare_versions_field_by_field(
    world: dict[str, Any],
) -> None:
    register = _started(world)
    client = _client(world["fg"])
    house = world["house"]
    new = {
        **processing.empty_processing(),
        "name": "Cameratoezicht bij het huis",
        "purposes": "Beveiliging van het gebouw.",
        "persons": "Bezoekers.",
        "categories": "Camerabeelden.",
        "recipients": "Beveiliging.",
        "retention": "Vier weken.",
        "legal_bases": ["publieke_taak"],
        "joint_controllers": [],
    }
    added = client.post(reverse("processing_add", args=[house.pk]), _post_data(new, 1))
    assert added.status_code == 302
    register.refresh_from_db()
    content = services.current(register).content
    camera = processing.find(content, content["processings"][-1]["key"])
    assert camera is not None and camera["name"] == "Cameratoezicht bij het huis"
    general = {f: "Nieuw: " + f for f in processing.GENERAL_FIELDS}
    resp = client.post(
        reverse("processing_general", args=[house.pk]),
        {**general, "version": 2, "note": "Contactgegevens bijgewerkt"},
    )
    assert resp.status_code == 302
    gone = _first(register)
    resp = client.post(
        reverse("processing_remove", args=[house.pk, gone["key"]]),
        {"version": 3, "note": "Opgegaan in de persoonsgerichte aanpak"},
    )
    assert resp.status_code == 302
    register.refresh_from_db()
    assert register.version == 4
    assert processing.find(services.current(register).content, gone["key"]) is None
    page = client.get(reverse("processing_compare", args=[house.pk]), {"van": 1, "naar": 4})
    html = page.content.decode()
    assert page.status_code == 200
    assert "toegevoegd" in html and "Cameratoezicht bij het huis" in html
    assert "vervallen" in html and gone["name"] in html
    assert "Nieuw: controller" in html  # was / wordt of a general field
    changes = processing.diff(
        RegisterVersion.objects.get(number=1).content,
        RegisterVersion.objects.get(number=4).content,
    )
    kinds = {(c.section, c.field, c.kind) for c in changes}
    assert ("Cameratoezicht bij het huis", "", "toegevoegd") in kinds
    assert (gone["name"], "", "vervallen") in kinds
    assert ("Algemeen", "Verwerkingsverantwoordelijke", "gewijzigd") in kinds
    # Comparing a version with itself is a Dutch error, not a server error.
    same = client.get(reverse("processing_compare", args=[house.pk]), {"van": 2, "naar": 2})
    assert same.status_code == 200 and "twee verschillende versies" in same.content.decode()
    bad = client.get(reverse("processing_compare", args=[house.pk]), {"van": "x", "naar": 99})
    assert bad.status_code == 200 and "Selecteer een geldige keuze" in bad.content.decode()


def test_a_renamed_processing_compares_as_a_change_not_as_remove_and_add(
    world: dict[str, Any],
) -> None:
    register = _started(world)
    item = _first(register)
    services.save_processing(
        register,
        actor=world["fg"],
        expected_version=1,
        key=item["key"],
        values={**item, "name": "Aanmelding en triage", "joint_controllers": []},
        note="Naam ingekort",
    )
    changes = processing.diff(
        RegisterVersion.objects.get(number=1).content,
        RegisterVersion.objects.get(number=2).content,
    )
    assert [
        (c.field, c.kind, c.before, c.after) for c in changes if c.field.startswith("Naam")
    ] == [("Naam van de verwerking", "gewijzigd", item["name"], "Aanmelding en triage")]
    assert not any(c.kind in ("toegevoegd", "vervallen") for c in changes)


def _pdf_pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-")
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_the_pdf_has_version_and_date_on_every_page_also_for_an_old_version(
    world: dict[str, Any],
) -> None:
    register = _started(world)
    item = _first(register)
    services.save_processing(
        register,
        actor=world["fg"],
        expected_version=1,
        key=item["key"],
        values={**item, "retention": "Nieuwe termijn.", "joint_controllers": []},
        note="Termijn",
    )
    client = _client(world["contact"])
    current = client.get(reverse("processing_register_pdf", args=[world["house"].pk]))
    assert current.status_code == 200 and current["Content-Type"] == "application/pdf"
    pages = _pdf_pages(current.content)
    assert len(pages) > 2
    for text in pages:
        assert (
            "Versie 2 van" in text
            and "Verwerkingsregister Zorg- en Veiligheidshuis Proefstad" in text
        )
    assert "Nieuwe termijn." in "".join(pages)
    old = client.get(reverse("processing_version_pdf", args=[world["house"].pk, 1]))
    old_pages = _pdf_pages(old.content)
    assert all("Versie 1 van" in text for text in old_pages)
    assert "niet de huidige versie" in old_pages[0]
    assert "Nieuwe termijn." not in "".join(old_pages)
    events = AuditEvent.objects.filter(action="processing_register.pdf_downloaded")
    assert sorted(e.data["versie"] for e in events) == [1, 2]
    missing = client.get(reverse("processing_version_pdf", args=[world["house"].pk, 9]))
    assert missing.status_code == 404


def test_the_privacy_contact_keeps_only_their_houses_register(world: dict[str, Any]) -> None:
    _started(world)
    services.start_from_model(world["other"], actor=world["fg"])
    contact = _client(world["contact"])
    listing = contact.get(reverse("processing_registers")).content.decode()
    assert world["house"].name in listing and world["other"].name not in listing
    assert contact.get(reverse("processing_register", args=[world["other"].pk])).status_code == 404
    assert (
        contact.post(reverse("processing_register_start", args=[world["other"].pk])).status_code
        == 404
    )
    fg_listing = _client(world["fg"]).get(reverse("processing_registers")).content.decode()
    assert world["house"].name in fg_listing and world["other"].name in fg_listing
    manager = _client(UserFactory(roles=[(Role.MANAGER, world["house"])]))
    assert manager.get(reverse("processing_registers")).status_code == 403
    assert manager.get(reverse("processing_register", args=[world["house"].pk])).status_code == 403


def test_the_demo_step_starts_every_house_once(world: dict[str, Any]) -> None:
    assert services.start_missing_registers() == 2
    assert services.start_missing_registers() == 0
    assert set(ProcessingRegister.objects.values_list("version", flat=True)) == {1}
    assert set(RegisterVersion.objects.values_list("saved_by", flat=True)) == {world["fg"].pk}


def test_an_empty_new_processing_names_every_missing_part_at_once(world: dict[str, Any]) -> None:
    _started(world)
    resp = _client(world["fg"]).post(
        reverse("processing_add", args=[world["house"].pk]),
        {"version": 1, "name": "", "special": "Gezondheid", "exception": ""},
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert html.count("Vul dit onderdeel van het register in") >= 6  # name, purposes, ...
    assert "Kies ten minste één grondslag" in html
    assert "wettelijke uitzondering" in html and "Schrijf kort op wat u wijzigt" in html
    assert 'id="foutmeldingen"' in html  # the summary at the top links to each field
    assert "Gezondheid" in html
    assert RegisterVersion.objects.count() == 1


def test_a_version_and_its_audit_event_commit_together_or_not_at_all(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    register = _started(world)
    item = _first(register)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.save_processing(
            register,
            actor=world["fg"],
            expected_version=1,
            key=item["key"],
            values={**item, "retention": "Anders.", "joint_controllers": []},
            note="Poging",
        )
    register.refresh_from_db()
    assert register.version == 1 and RegisterVersion.objects.count() == 1
