"""Functioneel beheer pages: regions, houses with partners, organisations, users with roles."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ketenregie.accounts.beheer import register_resource, resources
from ketenregie.accounts.models import (
    House,
    HousePartner,
    Organisation,
    Region,
    RoleAssignment,
    User,
)
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.tests_support.factories import HouseFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(UserFactory(roles=[(Role.BEHEERDER, None)]))
    return client


def test_create_house_with_fixed_partners(admin_client: Client) -> None:
    region = Region.objects.create(name="Testregio")
    police, care = OrganisationFactory(name="Politie test"), OrganisationFactory(name="GGZ test")
    resp = admin_client.post(
        reverse("manage_create", args=["huizen"]),
        {
            "name": "ZVH Testhuis",
            "code": "TST",
            "kind": House.Kind.ZVH,
            "region": region.pk,
            "triage_weekday": 3,
            "triage_start": "13:00",
            "triage_end": "14:30",
            "cutoff_weekday": 3,
            "cutoff_time": "16:00",
            "partner_organisations": [care.pk],
            "fixed_partners": [police.pk],
        },
    )
    assert resp.status_code == 302, resp.content.decode()[-3000:]
    house = House.objects.get(code="TST")
    links = {
        link.organisation_id: link.is_fixed_triage_partner
        for link in HousePartner.objects.filter(house=house)
    }
    assert links == {police.pk: True, care.pk: False}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"house.created", "house.partners_changed"} <= actions


def test_house_with_end_before_start_keeps_input(admin_client: Client) -> None:
    region = Region.objects.create(name="Testregio")
    resp = admin_client.post(
        reverse("manage_create", args=["huizen"]),
        {
            "name": "ZVH Fout",
            "code": "FOUT",
            "kind": House.Kind.ZVH,
            "region": region.pk,
            "triage_weekday": 3,
            "triage_start": "15:00",
            "triage_end": "14:00",
            "cutoff_weekday": 3,
            "cutoff_time": "16:00",
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "eindigen na het begintijdstip" in html
    assert 'value="ZVH Fout"' in html
    assert not House.objects.filter(code="FOUT").exists()


def test_create_user_with_roles_and_edit_it(admin_client: Client) -> None:
    house = HouseFactory()
    org = OrganisationFactory()
    resp = admin_client.post(
        reverse("manage_create", args=["gebruikers"]),
        {
            "username": "nieuwe.regisseur",
            "first_name": "Nieuwe",
            "last_name": "Regisseur",
            "email": "n@example.invalid",
            "organisation": org.pk,
            "is_active": "on",
            "roles": [f"procesregisseur|{house.pk}", "beleid|"],
        },
    )
    # The beheerder sees where the set-up link went (mailed: the address is known).
    assert resp.status_code == 200, resp.content.decode()[-2000:]
    assert "naar het e-mailadres van de gebruiker gestuurd" in resp.content.decode()
    user = User.objects.get(username="nieuwe.regisseur")
    assert not user.has_usable_password()
    # Beleid (figures only) is granted at once; the procesregisseur role waits (four eyes).
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", "house_id")) == {
        ("beleid", None)
    }
    ev = AuditEvent.objects.get(action="user.roles_changed")
    assert ev.data["na"] == ["beleid@-"]
    requested = AuditEvent.objects.get(action="user.role_grant_requested")
    assert requested.data["rol"] == f"procesregisseur@{house.pk}"
    edit = admin_client.get(reverse("manage_edit", args=["gebruikers", user.pk])).content.decode()
    assert 'value="beleid|"' in edit and "checked" in edit
    assert "Rollen die wachten op goedkeuring" in edit and "Procesregisseur" in edit


def test_concurrent_edit_of_organisation_is_refused(admin_client: Client) -> None:
    org = OrganisationFactory(name="Oud")
    url = reverse("manage_edit", args=["organisaties", org.pk])
    data = {"name": "Eerste", "domain": org.domain, "is_active": "on", "version": org.version}
    assert admin_client.post(url, data).status_code == 302
    resp = admin_client.post(url, {**data, "name": "Tweede"})
    html = resp.content.decode()
    assert (
        "Iemand anders heeft dit gegeven opgeslagen nadat u het opende" in html
        and 'value="Tweede"' in html
    )
    org.refresh_from_db()
    assert org.name == "Eerste"
    assert Organisation.objects.count() >= 1


def test_unknown_kind_is_404(admin_client: Client) -> None:
    assert admin_client.get("/beheer/onbekend/").status_code == 404


def test_index_lists_every_registered_kind(admin_client: Client) -> None:
    page = admin_client.get(reverse("manage_index")).content.decode()
    for kind, res in resources().items():
        assert reverse("manage_list", args=[kind]) in page
        assert escape(str(res.title)) in page


def test_registry_takes_the_same_declaration_twice_but_not_a_different_one() -> None:
    regions = resources()["regios"]
    register_resource("regios", regions)
    assert resources()["regios"] is regions
    with pytest.raises(ImproperlyConfigured):
        register_resource("regios", replace(regions, title="Andere regio's"))
    assert resources()["regios"] is regions


def test_registry_is_read_only_from_outside() -> None:
    with pytest.raises(TypeError):
        resources()["nieuw"] = resources()["regios"]  # type: ignore[index]


def test_house_switched_to_the_household_variant_is_audited(admin_client: Client) -> None:
    """Issue 15, slice hh: the household variant is a house field on the beheer page."""
    house = HouseFactory(kind=House.Kind.LOCAL_PGA)
    url = reverse("manage_edit", args=["huizen", house.pk])
    assert "Werkt in de huishoudvariant" in admin_client.get(url).content.decode()
    resp = admin_client.post(
        url,
        {
            "version": house.version,
            "name": house.name,
            "code": house.code,
            "kind": house.kind,
            "region": house.region_id,
            "triage_weekday": 3,
            "triage_start": "13:00",
            "triage_end": "14:30",
            "cutoff_weekday": 3,
            "cutoff_time": "16:00",
            "household_variant": "on",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[-3000:]
    house.refresh_from_db()
    assert house.household_variant
    event = AuditEvent.objects.get(action="house.updated")
    assert event.data["wijzigingen"]["household_variant"] == {"voor": False, "na": True}
