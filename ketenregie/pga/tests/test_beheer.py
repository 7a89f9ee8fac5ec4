"""The letter template is a record kind on the functioneel beheerder's pages, declared by
pga through the accounts registry."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.beheer import resources
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.pga.models import LetterTemplate
from ketenregie.tests_support.factories import HouseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_letter_templates_are_registered_after_accounts_own_kinds() -> None:
    # Apps higher up (plans: the social map) register theirs after pga.
    kinds = list(resources())
    assert kinds[:7] == [
        "regios",
        "huizen",
        "organisaties",
        "gebruikers",
        # cases (issue 15): the competence profiles and the escalation map.
        "competentieprofielen",
        "escalatiekaart",
        "brieven",
    ]
    assert kinds[7:] == ["behoeften", "sociale-kaart", "scanstellingen"]
    assert resources()["brieven"].model is LetterTemplate


def test_beheerder_creates_and_lists_a_letter_template(client: Client) -> None:
    house = HouseFactory(name="Huis Noord")
    client.force_login(UserFactory(roles=[(Role.BEHEERDER, None)]))
    assert "Informatiebrieven" in client.get(reverse("manage_index")).content.decode()
    resp = client.post(
        reverse("manage_create", args=["brieven"]),
        {
            "house": house.pk,
            "letterhead": "Gemeente Noord",
            "body": "Beste {naam},",
            "signatory_name": "A. de Burgemeester",
            "signatory_title": "Burgemeester",
            "municipality": "Gemeente Noord",
            "privacy_contact": "privacy@noord.example.invalid",
            "complaint_route": "Bij het college van Noord.",
        },
    )
    assert resp.status_code == 302
    template = LetterTemplate.objects.get(house=house)
    assert template.signatory_name == "A. de Burgemeester"
    assert AuditEvent.objects.filter(object_id=str(template.pk)).exists()
    listing = client.get(reverse("manage_list", args=["brieven"])).content.decode()
    assert "Gemeente Noord" in listing and "Huis Noord" in listing


def test_other_roles_do_not_reach_the_letter_templates(client: Client) -> None:
    client.force_login(UserFactory(roles=[(Role.PROCESREGISSEUR, HouseFactory())]))
    assert client.get(reverse("manage_list", args=["brieven"])).status_code == 403


def test_a_letter_template_needs_municipality_privacy_contact_and_complaint_route(
    client: Client,
) -> None:
    house = HouseFactory(name="Huis Zuid")
    client.force_login(UserFactory(roles=[(Role.BEHEERDER, None)]))
    resp = client.post(
        reverse("manage_create", args=["brieven"]),
        {
            "house": house.pk,
            "letterhead": "Huis Zuid",
            "body": "Geachte {naam},",
            "signatory_name": "A. de Burgemeester",
            "signatory_title": "Burgemeester van Zuid",
        },
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert html.count("Dit veld is verplicht.") == 3
    assert not LetterTemplate.objects.filter(house=house).exists()
