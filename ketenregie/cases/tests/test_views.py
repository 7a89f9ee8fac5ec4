"""Case pages through the test client: full page, htmx fragment, bad input, audit of reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import CaseMembership, CaseRole
from ketenregie.core.timeutil import today
from ketenregie.tests_support.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_detail_shows_person_team_and_timeline(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    case = case_with_team["case"]
    resp = login(client, case_with_team["regisseur"]).get(reverse("case_detail", args=[case.pk]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert case.person.achternaam in html and case.person.bsn in html
    assert "Casusteam" in html and "Tijdlijn" in html and "voormalig" in html
    assert resp["Vary"].find("HX-Request") >= 0
    ev = AuditEvent.objects.get(action="case.viewed")
    assert ev.case_id == case.pk and ev.data == {"weergave": "volledig"}


def test_adviser_sees_pseudonymised_detail(client: Client, case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    person = case.person
    resp = login(client, case_with_team["adviser"]).get(reverse("case_detail", args=[case.pk]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert case.code in html and "gepseudonimiseerd" in html and person.gemeente in html
    for secret in (person.achternaam, person.bsn, person.voornamen, "1990", person.straat or "@@"):
        assert secret not in html
    assert AuditEvent.objects.get(action="case.viewed").data == {"weergave": "gepseudonimiseerd"}


def test_timeline_htmx_fragment(client: Client, case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    c = login(client, case_with_team["regisseur"])
    c.get(reverse("case_detail", args=[case.pk]))  # one read event to show
    resp = c.get(
        reverse("case_detail", args=[case.pk]) + "?inzage=1", headers={"HX-Request": "true"}
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert html.lstrip().startswith('<ol class="kr-timeline" id="timeline">')
    assert "<html" not in html and "Casus ingezien" in html


def test_list_htmx_fragment_and_search(client: Client, case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    c = login(client, case_with_team["regisseur"])
    resp = c.get(
        reverse("case_list") + f"?q={case.person.achternaam}", headers={"HX-Request": "true"}
    )
    html = resp.content.decode()
    assert html.lstrip().startswith('<div id="results">') and case.code in html
    assert AuditEvent.objects.filter(action="case.searched").count() == 1


def test_adviser_cannot_find_case_by_name(client: Client, case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    c = login(client, case_with_team["adviser"])
    by_name = c.get(reverse("case_list") + f"?q={case.person.achternaam}").content.decode()
    by_code = c.get(reverse("case_list") + f"?q={case.code}").content.decode()
    assert case.code not in by_name and "0 casussen" in by_name
    assert case.code in by_code and case.person.achternaam not in by_code


def test_list_filters(client: Client, case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    c = login(client, case_with_team["regisseur"])
    assert case.code in c.get(reverse("case_list") + "?phase=casuistiek&level=3").content.decode()
    assert case.code not in c.get(reverse("case_list") + "?phase=afsluiting").content.decode()
    assert case.code in c.get(reverse("case_list") + "?my_role=procesregisseur").content.decode()
    assert case.code not in c.get(reverse("case_list") + "?my_role=adviseur").content.decode()


def test_person_edit_bad_input_keeps_typed_values(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    case = case_with_team["case"]
    PersonFactory(bsn="999990019")
    c = login(client, case_with_team["regisseur"])
    url = reverse("person_edit", args=[case.pk])
    base = {
        "voornamen": "Getypte Voornaam",
        "achternaam": "Getypt",
        "version": case.person.version,
    }
    cases = [
        ({"bsn": "123456789"}, "11-proef"),
        ({"bsn": "999990019"}, "al een betrokkene met dit BSN"),
        ({"geboortedatum": (today() + dt.timedelta(days=5)).isoformat()}, "in de toekomst"),
    ]
    for extra, message in cases:
        resp = c.post(url, {**base, **extra})
        html = resp.content.decode()
        assert resp.status_code == 200, extra
        assert message in html
        assert 'value="Getypte Voornaam"' in html
    case.person.refresh_from_db()
    assert case.person.voornamen == "Jan"
    assert not AuditEvent.objects.filter(action="person.updated").exists()


def test_person_edit_conflict_keeps_input(client: Client, case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    c = login(client, case_with_team["regisseur"])
    url = reverse("person_edit", args=[case.pk])
    stale = case.person.version
    ok = c.post(url, {"voornamen": "Eerste", "achternaam": "Versie", "version": stale})
    assert ok.status_code == 302
    resp = c.post(url, {"voornamen": "Tweede", "achternaam": "Versie", "version": stale})
    html = resp.content.decode()
    assert "Iemand anders heeft dit gegeven opgeslagen nadat u het opende" in html
    assert 'value="Tweede"' in html
    case.person.refresh_from_db()
    assert case.person.voornamen == "Eerste"


def test_team_add_overlapping_procesregisseur_and_bad_period(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    case = case_with_team["case"]
    other = case_with_team["casus"]
    c = login(client, case_with_team["regisseur"])
    url = reverse("team_add", args=[case.pk])
    before = CaseMembership.objects.count()
    resp = c.post(
        url,
        {
            "role": CaseRole.PROCESREGISSEUR,
            "organisation": other.organisation_id,
            "user": other.pk,
            "valid_from": today().isoformat(),
            "note": "getypte toelichting",
        },
    )
    html = resp.content.decode()
    assert "al een procesregisseur" in html and "getypte toelichting" in html
    resp = c.post(
        url,
        {
            "role": CaseRole.BETROKKEN_PARTNER,
            "organisation": other.organisation_id,
            "valid_from": today().isoformat(),
            "valid_to": (today() - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert "De einddatum ligt voor de begindatum" in resp.content.decode()
    assert CaseMembership.objects.count() == before


def test_team_add_and_end(client: Client, case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    outsider = case_with_team["outsider"]
    c = login(client, case_with_team["regisseur"])
    resp = c.post(
        reverse("team_add", args=[case.pk]),
        {
            "role": CaseRole.BETROKKEN_PARTNER,
            "organisation": outsider.organisation_id,
            "user": outsider.pk,
            "valid_from": today().isoformat(),
        },
    )
    assert resp.status_code == 302
    m = CaseMembership.objects.get(case=case, user=outsider)
    resp = c.post(reverse("team_end", args=[case.pk, m.pk]), {"valid_to": today().isoformat()})
    assert resp.status_code == 302
    m.refresh_from_db()
    assert m.valid_to == today()


def test_holder_hands_over_own_role(client: Client, case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    holder = case_with_team["casus"]
    m = CaseMembership.objects.get(case=case, user=holder)
    c = login(client, holder)
    url = reverse("team_handover", args=[case.pk, m.pk])
    # No colleague in the role's organisation yet: the page says so instead of a form.
    alone = c.get(url).content.decode()
    assert "niemand die de rol van u kan overnemen" in alone and "procesregisseur" in alone
    successor = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=holder.organisation)
    bad = c.post(url, {"successor": holder.pk, "from_date": today().isoformat(), "note": "getypt"})
    # The holder is not offered: the form refuses them as a choice, keeping what was typed.
    assert "geldige keuze" in bad.content.decode() and "getypt" in bad.content.decode()
    # Only colleagues of the role's own organisation are offered, grouped by organisation;
    # someone of another organisation is refused with a message, and what was typed stays.
    outsider = case_with_team["outsider"]
    page = c.get(url).content.decode()
    assert str(outsider) not in page and f'value="{holder.pk}"' not in page
    refused = c.post(
        url,
        {
            "successor": outsider.pk,
            "from_date": (today() + dt.timedelta(days=1)).isoformat(),
            "note": "blijft staan",
        },
    )
    assert refused.status_code == 200 and "blijft staan" in refused.content.decode()
    assert not CaseMembership.objects.filter(case=case, user=outsider).exists()
    page = c.get(url).content.decode()
    assert f'<optgroup label="{holder.organisation}">' in page and str(successor) in page
    resp = c.post(
        url,
        {"successor": successor.pk, "from_date": (today() + dt.timedelta(days=1)).isoformat()},
    )
    assert resp.status_code == 302
    assert CaseMembership.objects.get(case=case, user=successor).role == CaseRole.CASUSREGISSEUR
    # Someone else's role: not for a plain team member.
    other = CaseMembership.objects.get(case=case, user=case_with_team["regisseur"])
    assert c.get(reverse("team_handover", args=[case.pk, other.pk])).status_code == 403


def test_escalation_page_keeps_input(client: Client, case_with_team: dict[str, Any]) -> None:
    from ketenregie.cases.defaults import ensure_escalation_criteria
    from ketenregie.cases.models import EscalationCriterion

    ensure_escalation_criteria()
    case = case_with_team["case"]
    c = login(client, case_with_team["regisseur"])
    url = reverse("case_escalation", args=[case.pk])
    page = c.get(url).content.decode()
    assert "Opschalen:" in page and "Afschalen:" in page
    resp = c.post(url, {"level": "4", "reason": "Getypte toelichting"})
    html = resp.content.decode()
    assert "Kies de criteria van de regiekaart" in html and "Getypte toelichting" in html
    up = EscalationCriterion.objects.filter(direction="op", from_level=3).first()
    assert up is not None
    resp = c.post(url, {"level": "4", "reason": "Dreiging", "criteria": [up.pk]})
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.escalation_level == 4


def test_escalation_form_starts_at_the_current_level(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    """Issue 12: the form defaulted to level 1, so a hurried submit lowered the case."""
    case = case_with_team["case"]
    case.escalation_level = 3
    case.save(update_fields=["escalation_level"])
    c = login(client, case_with_team["regisseur"])
    html = c.get(reverse("case_escalation", args=[case.pk])).content.decode()
    assert '<option value="3" selected>' in html and '<option value="1">' in html


def test_list_counts_and_pages_only_up_to_the_bound(
    client: Client, case_with_team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the bound the list says "meer dan" and asks to narrow the filter; a deep page
    number shows the last counted page instead of an OFFSET over everything."""
    from ketenregie.core import paging
    from ketenregie.tests_support.factories import CaseFactory, MembershipFactory

    regisseur = case_with_team["regisseur"]
    for _ in range(3):
        MembershipFactory(case=CaseFactory(), user=regisseur, role=CaseRole.PROCESREGISSEUR)
    monkeypatch.setattr(paging, "LIMIT", 2)
    page = login(client, regisseur).get(reverse("case_list") + "?page=500").content.decode()
    assert "meer dan 2 casussen gevonden" in page
    assert "Verfijn het filter" in page
