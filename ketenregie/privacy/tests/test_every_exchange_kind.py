"""Every exchange kind, driven through the real service or page that shares the data,
leaves its row in the data-sharing register with purpose, basis, where the basis came
from and the necessity checks (issue 13: "a test drives each kind and checks its row").

One case per `ExchangeKind`: a kind added without a driver here fails, so no exchange
can reach the product without its register row being proven."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import CaseRole, ExchangeKind, SharingRecord
from ketenregie.cases.sharing import CHOSEN_KINDS, STATUTORY_GROUNDS
from ketenregie.cases.workflow import Status
from ketenregie.core.tests.samples import pdf_bytes
from ketenregie.core.timeutil import today
from ketenregie.intake.models import Attachment, EnrichmentRequest, Referral
from ketenregie.intake.services import answer_enrichment
from ketenregie.pga import services as pga_services
from ketenregie.plans import services as plan_services
from ketenregie.plans.tests.conftest import build_team, held, schedule
from ketenregie.tests_support.factories import (
    NECESSARY,
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Team = dict[str, Any]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _referral(case: Any) -> Referral:
    referrer = UserFactory(roles=[(Role.AANMELDER, case.house)])
    return Referral.objects.create(
        case=case, referrer=referrer, reason="Overlast.", submitted_at=timezone.now()
    )


def _enrichment_answer(team: Team) -> Any:
    police = OrganisationFactory(police=True)
    officer = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=police)
    request = EnrichmentRequest.objects.create(
        referral=_referral(team["case"]),
        organisation=police,
        requested_at=timezone.now(),
        deadline=timezone.now(),
    )
    answer_enrichment(
        request,
        actor=officer,
        expected_version=request.version,
        answer=EnrichmentRequest.Answer.KNOWN,
        summary="Twee meldingen van overlast.",
        legal_basis="publieke_taak",
        special_category="strafrechtelijk_wet",
        secrecy_ground="",
        necessity=NECESSARY,
    )
    return team["case"]


def _escalation(team: Team) -> Any:
    local, zvh = HouseFactory(local_pga=True), HouseFactory()
    case = CaseFactory(house=local, status=Status.IN_UITVOERING)
    _referral(case)
    carer = UserFactory(
        roles=[(Role.PROCESREGISSEUR, local)], organisation=OrganisationFactory(domain="zorg")
    )
    MembershipFactory(case=case, user=carer, role=CaseRole.PROCESREGISSEUR)
    pga_services.escalate_to_zvh(
        case,
        actor=carer,
        to_house=zvh,
        summary="Lokale aanpak loopt vast.",
        purpose="Ketenbrede aanpak",
        legal_basis="publieke_taak",
        special_category="zorg",
        secrecy_ground="conflict_van_plichten",
        necessity=NECESSARY,
    )
    return case


def _meeting_invitation(team: Team) -> Any:
    schedule(team, person_invited=True)
    return team["case"]


def _meeting_held(team: Team) -> Any:
    held(team)
    return team["case"]


def _minutes_sent(team: Team) -> Any:
    meeting = held(team)
    meeting = plan_services.save_minutes(
        meeting,
        actor=team["regisseur"],
        minutes="Verslag.",
        decisions="Geen besluiten.",
        expected_version=meeting.version,
    )
    plan_services.send_minutes(meeting, actor=team["regisseur"])
    return team["case"]


def _plan_pdf(team: Team) -> Any:
    plan_services.plan_for(team["case"], actor=team["regisseur"])
    resp = _client(team["casus"]).get(reverse("plan_pdf", args=[team["case"].pk]))
    assert resp.status_code == 200
    return team["case"]


def _safety_plan_pdf(team: Team) -> Any:
    plan_services.plan_for(team["case"], actor=team["regisseur"])
    plan_services.safety_plan_for(team["case"], actor=team["regisseur"])
    resp = _client(team["casus"]).get(reverse("safety_pdf", args=[team["case"].pk]))
    assert resp.status_code == 200
    return team["case"]


def _attachment(team: Team) -> Any:
    referral = _referral(team["case"])
    (team["tmp_path"] / "brief").write_bytes(pdf_bytes())
    attachment = Attachment.objects.create(
        referral=referral,
        file="brief",
        original_name="brief.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=referral.referrer,
        uploaded_at=timezone.now(),
    )
    resp = _client(team["regisseur"]).get(reverse("attachment_download", args=[attachment.pk]))
    assert resp.status_code == 200
    return team["case"]


def _letter_pdf(team: Team) -> Any:
    pga_services.ensure_letter_template(
        team["house"],
        values={
            "municipality": "Gemeente Noordstad",
            "letterhead": "Zorg- en Veiligheidshuis Noordstad",
            "signatory_name": "drs. K.L. Voorbeeld",
            "signatory_title": "Burgemeester van Noordstad",
            "privacy_contact": "Functionaris gegevensbescherming",
            "complaint_route": "Schriftelijk bij het college van Noordstad.",
        },
    )
    resp = _client(team["regisseur"]).post(
        reverse("pga_letter", args=[team["case"].pk]),
        {
            "contact_name": "Femke de Contactpersoon",
            "contact_details": "045 000 11 22",
            "conversation_date": (today() + dt.timedelta(days=7)).isoformat(),
            "conversation_time": "10:30",
            "conversation_place": "Stationsplein 1",
        },
    )
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    return team["case"]


def _subject_access(team: Team) -> Any:
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    resp = _client(fg).post(
        reverse("subject_access"), {"person": team["case"].person_id, "format": "json"}
    )
    assert resp.status_code == 200
    return team["case"]


DRIVERS: dict[str, Callable[[Team], Any]] = {
    ExchangeKind.ENRICHMENT_ANSWER: _enrichment_answer,
    ExchangeKind.ESCALATION: _escalation,
    ExchangeKind.MEETING_INVITATION: _meeting_invitation,
    ExchangeKind.MEETING_HELD: _meeting_held,
    ExchangeKind.MINUTES_SENT: _minutes_sent,
    ExchangeKind.PLAN_PDF: _plan_pdf,
    ExchangeKind.SAFETY_PLAN_PDF: _safety_plan_pdf,
    ExchangeKind.ATTACHMENT: _attachment,
    ExchangeKind.LETTER_PDF: _letter_pdf,
    ExchangeKind.SUBJECT_ACCESS: _subject_access,
}


@pytest.mark.parametrize("kind", list(ExchangeKind))
def test_every_exchange_kind_leaves_its_register_row(
    kind: ExchangeKind, settings: Any, tmp_path: Any
) -> None:
    driver = DRIVERS.get(kind)
    assert driver is not None, f"{kind}: a new exchange kind needs a driver in this test"
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    team = {**build_team(), "tmp_path": tmp_path}
    case = driver(team)
    row = SharingRecord.objects.get(kind=kind)
    assert row.case_id == case.pk and row.case_code == case.code and row.house_id == case.house_id
    assert row.purpose and row.legal_basis and row.actor_label and row.to_label
    assert row.identifying
    if kind in CHOSEN_KINDS:
        assert row.basis_source == SharingRecord.Source.CHOSEN
        assert row.proportional and row.subsidiary and row.person_informed is True
        assert row.proportionality_note == NECESSARY.proportionality_note
    elif kind in STATUTORY_GROUNDS:
        assert row.basis_source == SharingRecord.Source.LAW
        assert row.legal_basis == "wettelijke_plicht" and "art. 15" in row.legal_reference
    else:
        # No house configuration in this world: the default, marked as such.
        assert row.basis_source == SharingRecord.Source.DEFAULT
        assert row.legal_basis == "publieke_taak"
