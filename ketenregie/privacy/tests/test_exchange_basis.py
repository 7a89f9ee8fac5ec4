"""The house's fixed basis per exchange kind (issue 13): the FG or the house's privacy
contact sets it once on a page, the one sharing rule and the necessity checks apply,
the write is audited, a concurrent edit is refused with the input kept, and from then
on the register records it for every exchange of that kind."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import ExchangeBasis, ExchangeKind, SharingRecord
from ketenregie.cases.sharing import CHOSEN_KINDS, FIXED_KINDS, STATUTORY_GROUNDS, record_exchange
from ketenregie.tests_support.factories import CaseFactory, HouseFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "version": "0",
    "purpose": "Uitvoering van het plan van aanpak door het casusteam",
    "legal_basis": "publieke_taak",
    "special_category": "zwaarwegend_algemeen_belang",
    "secrecy_ground": "",
    "legal_reference": "Wet gegevensverwerking door samenwerkingsverbanden, art. 2.4",
    "proportional": "on",
    "proportionality_note": "Alleen het plan, niet het dossier",
    "subsidiary": "on",
    "subsidiarity_note": "Zonder het plan geen uitvoering",
    "person_informed": "ja",
}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit(house: Any, kind: str = ExchangeKind.PLAN_PDF) -> str:
    return reverse("exchange_basis_edit", args=[house.pk, kind])


def test_the_fg_lists_every_fixed_kind_per_house_with_the_default() -> None:
    first, second = HouseFactory(), HouseFactory()
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    html = _client(fg).get(reverse("exchange_bases")).content.decode()
    assert first.name in html and second.name in html
    for kind in FIXED_KINDS:
        assert _edit(first, kind) in html
    for kind in (*CHOSEN_KINDS, *STATUTORY_GROUNDS):
        assert _edit(first, kind) not in html
    assert html.count("nog niet vastgesteld door het huis") == 2 * len(FIXED_KINDS)
    register = _client(fg).get(reverse("sharing_register")).content.decode()
    assert reverse("exchange_bases") in register


def test_the_fg_fixes_a_basis_audited_and_the_register_records_it() -> None:
    case = CaseFactory()
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    client = _client(fg)
    form = client.get(_edit(case.house)).content.decode()
    assert "uitvoering plan van aanpak" in form  # the default, to start from
    resp = client.post(_edit(case.house), VALID)
    assert resp.status_code == 302 and resp["Location"] == reverse("exchange_bases")
    basis = ExchangeBasis.objects.get(house=case.house, kind=ExchangeKind.PLAN_PDF)
    assert basis.legal_reference.startswith("Wet gegevensverwerking") and basis.proportional
    assert basis.changed_by == fg
    event = AuditEvent.objects.get(action="register.basis_set")
    assert event.actor_id == fg.pk
    assert event.data["soort"] == "plan_pdf" and event.data["huis"] == case.house.pk
    # Free text by name only: the structured values, not the notes.
    assert "Alleen het plan" not in str(event.data) and "purpose" in event.data["velden"]
    listing = client.get(reverse("exchange_bases")).content.decode()
    assert "Alleen het plan, niet het dossier" in listing
    row = record_exchange(ExchangeKind.PLAN_PDF, actor=fg, case=case, to_label="x", from_house=True)
    assert row.basis_source == SharingRecord.Source.HOUSE
    assert row.purpose == VALID["purpose"] and row.legal_reference == VALID["legal_reference"]
    assert row.proportional and row.subsidiarity_note == VALID["subsidiarity_note"]
    assert row.special_categories


def test_the_sharing_rule_and_the_checks_are_refused_in_dutch_with_the_input_kept() -> None:
    house = HouseFactory()
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    post = {
        **VALID,
        "legal_basis": "gerechtvaardigd_belang",
        "purpose": "Mijn getypte doel",
        "proportional": "",
        "person_informed": "nee",
    }
    resp = _client(fg).post(_edit(house), post)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Gerechtvaardigd belang is geen grondslag voor overheidsorganisaties" in html
    assert "(proportionaliteit)" in html
    assert "Geef aan waarom de betrokkene niet is geïnformeerd." in html
    assert "Mijn getypte doel" in html
    resp = _client(fg).post(_edit(house), {**VALID, "purpose": " "})
    html = resp.content.decode()
    assert "Geef het doel van deze uitwisseling (doelbinding)." in html
    assert not ExchangeBasis.objects.exists()
    assert not AuditEvent.objects.filter(action="register.basis_set").exists()


def test_a_concurrent_edit_is_refused_then_a_deliberate_save_replaces_it() -> None:
    house = HouseFactory()
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    contact = UserFactory(roles=[(Role.PRIVACY_CONTACT, house)])
    # Both opened the form while the house had no basis (version 0).
    assert _client(contact).post(_edit(house), VALID).status_code == 302
    late = {**VALID, "purpose": "Het doel van de FG"}
    resp = _client(fg).post(_edit(house), late)
    html = resp.content.decode()
    assert resp.status_code == 200 and "Iemand anders heeft dit gegeven opgeslagen" in html
    assert "Het doel van de FG" in html
    basis = ExchangeBasis.objects.get()
    assert basis.purpose == VALID["purpose"] and basis.changed_by == contact
    # The form now carries the saved version: saving again is deliberate and wins.
    resp = _client(fg).post(_edit(house), {**late, "version": str(basis.version)})
    assert resp.status_code == 302
    basis.refresh_from_db()
    assert basis.purpose == "Het doel van de FG" and basis.changed_by == fg
    assert AuditEvent.objects.filter(action="register.basis_set").count() == 2


def test_a_privacy_contact_works_on_their_own_house_only() -> None:
    own, other = HouseFactory(), HouseFactory()
    contact = UserFactory(roles=[(Role.PRIVACY_CONTACT, own)])
    client = _client(contact)
    html = client.get(reverse("exchange_bases")).content.decode()
    assert own.name in html and other.name not in html
    assert client.get(_edit(own)).status_code == 200
    assert client.get(_edit(other)).status_code == 404
    assert client.post(_edit(other), VALID).status_code == 404
    assert not ExchangeBasis.objects.exists()


@pytest.mark.parametrize("kind", ["bekendheidscheck", "inzageverzoek", "onzin"])
def test_chosen_and_statutory_kinds_have_no_house_basis(kind: str) -> None:
    house = HouseFactory()
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    assert _client(fg).get(_edit(house, kind)).status_code == 404
    assert _client(fg).post(_edit(house, kind), VALID).status_code == 404
