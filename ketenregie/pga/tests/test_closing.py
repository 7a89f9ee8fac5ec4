"""Signals, closing with a warm handover (blocked by acute unsafety), reopening, escalation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import Case, CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.tests.mailutil import addressees
from ketenregie.core.timeutil import today
from ketenregie.intake.models import Referral
from ketenregie.pga import services
from ketenregie.pga.models import Closing, Transfer
from ketenregie.tests_support.factories import (
    NECESSARY,
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(house: Any) -> dict[str, Any]:
    case = CaseFactory(house=house, status=Status.IN_UITVOERING)
    regisseur = UserFactory(roles=[(Role.PROCESREGISSEUR, house)], email="pr@example.invalid")
    casus = UserFactory(roles=[(Role.PROFESSIONAL, None)], email="cr@example.invalid")
    MembershipFactory(case=case, user=regisseur, role=CaseRole.PROCESREGISSEUR)
    MembershipFactory(case=case, user=casus, role=CaseRole.CASUSREGISSEUR)
    return {"case": case, "regisseur": regisseur, "casus": casus, "team": OrganisationFactory()}


def _close(ctx: dict[str, Any], provisional: bool = False) -> Case:
    return services.close_case(
        ctx["case"],
        actor=ctx["regisseur"],
        provisional=provisional,
        decided_with="Casusregisseur en partners in het overleg van vandaag",
        handover_organisation=ctx["team"],
        handover_note="Wijkteam neemt schuldhulp over.",
    )


def test_acute_unsafety_blocks_closing_until_resolved(
    running: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        signal = services.raise_signal(
            running["case"],
            actor=running["casus"],
            kind="acute_onveiligheid",
            text="Dreiging richting ex-partner.",
        )
    assert addressees(mail.outbox) == ["cr@example.invalid", "pr@example.invalid"]
    assert "Dreiging" not in mail.outbox[0].body  # link only
    with pytest.raises(ValidationError, match="acute onveiligheid"):
        _close(running)
    services.resolve_signal(signal, actor=running["regisseur"], resolution="Veiligheidsplan.")
    case = _close(running, provisional=True)
    assert case.status == Status.VOORLOPIG_AFGESLOTEN
    case = _close(running)
    assert case.status == Status.AFGESLOTEN and Closing.objects.count() == 2


def test_closing_needs_handover_and_who_decided(running: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        services.close_case(
            running["case"],
            actor=running["regisseur"],
            provisional=False,
            decided_with="",
            handover_organisation=None,
            handover_note="",
        )
    assert {"decided_with", "handover_organisation", "handover_note"} <= set(err.value.message_dict)


def test_closing_conversation_and_reopen_with_reason(running: dict[str, Any]) -> None:
    _close(running)
    with pytest.raises(ValidationError):
        services.record_closing_conversation(
            running["case"],
            actor=running["regisseur"],
            on_date=today(),
            reason_explained=False,
            feedback="",
        )
    services.record_closing_conversation(
        running["case"],
        actor=running["regisseur"],
        on_date=today(),
        reason_explained=True,
        feedback="Voelde zich gehoord.",
    )
    with pytest.raises(ValidationError):
        services.reopen_case(running["case"], actor=running["regisseur"], reason=" ")
    case = services.reopen_case(running["case"], actor=running["regisseur"], reason="Terugval.")
    assert case.status == Status.IN_UITVOERING


def test_local_pga_escalates_to_a_zvh(running: dict[str, Any]) -> None:
    local = HouseFactory(local_pga=True)
    zvh = HouseFactory()
    case = CaseFactory(house=local, status=Status.IN_UITVOERING)
    # The municipality runs the local PGA: a public body, no beroepsgeheim.
    regisseur = UserFactory(
        roles=[(Role.PROCESREGISSEUR, local)],
        organisation=OrganisationFactory(domain="sociaal_domein"),
    )
    MembershipFactory(case=case, user=regisseur, role=CaseRole.PROCESREGISSEUR)
    with pytest.raises(ValidationError) as err:
        services.escalate_to_zvh(
            case, actor=regisseur, to_house=zvh, summary="", purpose="", legal_basis=""
        )
    assert {"summary", "purpose", "legal_basis"} <= set(err.value.message_dict)
    new = services.escalate_to_zvh(
        case,
        actor=regisseur,
        to_house=zvh,
        summary="Lokale aanpak loopt vast.",
        purpose="Opschaling naar ketenbrede aanpak",
        legal_basis="wettelijke_plicht",
        necessity=NECESSARY,
    )
    case.refresh_from_db()
    assert case.status == Status.OPGESCHAALD
    assert new.house == zvh and new.status == Status.AANGEMELD and new.person_id == case.person_id
    referral = Referral.objects.get(case=new)
    assert referral.triage_meeting is not None and referral.reason == "Lokale aanpak loopt vast."
    transfer = Transfer.objects.get(from_case=case)
    assert transfer.legal_basis == "wettelijke_plicht" and transfer.to_case_id == new.pk
    # A ZVH case cannot be escalated.
    with pytest.raises(ValidationError):
        services.escalate_to_zvh(
            running["case"],
            actor=running["regisseur"],
            to_house=zvh,
            summary="x",
            purpose="x",
            legal_basis="wettelijke_plicht",
        )


def test_closing_page_keeps_input_on_error(client: Client, running: dict[str, Any]) -> None:
    client.force_login(running["regisseur"])
    resp = client.post(
        reverse("pga_close", args=[running["case"].pk]),
        {"provisional": "0", "decided_with": "Getypt besluit", "handover_note": ""},
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "Getypt besluit" in html and "overdrachtsnotitie" in html
    client.force_login(running["casus"])
    ok = client.post(
        reverse("pga_signal", args=[running["case"].pk]),
        {"kind": "verandering", "text": "Verhuisd."},
    )
    assert ok.status_code == 302
    assert client.post(reverse("pga_close", args=[running["case"].pk]), {}).status_code == 403


def test_signal_form_defaults_to_a_kind_that_does_not_block_closing(
    client: Client, running: dict[str, Any]
) -> None:
    """Issue 12: the signal form on the closing page defaulted to "Acute onveiligheid",
    which blocks closing; a hurried submit raised the wrong signal. The default is safe."""
    client.force_login(running["regisseur"])
    html = client.get(reverse("pga_closing", args=[running["case"].pk])).content.decode()
    assert '<option value="verandering" selected>' in html
    assert '<option value="acute_onveiligheid">' in html  # offered, not chosen
