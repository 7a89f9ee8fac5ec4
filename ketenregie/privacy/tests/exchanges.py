"""One driver per exchange kind: each shares a case's data through the real service or
page (a bekendheidscheck answer, an escalation, a meeting, a download, the subject
access export) in a team world (`plans.tests.conftest.build_team`), leaving what it made
in the world for the test's own checks. `DRIVERS` maps every `ExchangeKind` to its
driver (test_every_exchange_kind fails for a kind without one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import CaseRole, ExchangeKind
from ketenregie.cases.workflow import Status
from ketenregie.core.tests.samples import pdf_bytes
from ketenregie.core.timeutil import today
from ketenregie.intake.models import Attachment, EnrichmentRequest, Referral
from ketenregie.intake.services import answer_enrichment
from ketenregie.pga import services as pga_services
from ketenregie.plans import services as plan_services
from ketenregie.plans.tests.conftest import held, schedule
from ketenregie.tests_support.factories import (
    NECESSARY,
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

Team = dict[str, Any]


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def referral_of(case: Any) -> Referral:
    referrer = UserFactory(roles=[(Role.AANMELDER, case.house)])
    return Referral.objects.create(
        case=case, referrer=referrer, reason="Overlast.", submitted_at=timezone.now()
    )


def open_request(case: Any, organisation: Any) -> EnrichmentRequest:
    """A bekendheidscheck at `organisation` about `case`, waiting for its answer."""
    return EnrichmentRequest.objects.create(
        referral=referral_of(case),
        organisation=organisation,
        requested_at=timezone.now(),
        deadline=timezone.now(),
    )


def drive_enrichment_answer(team: Team) -> Any:
    police = OrganisationFactory(police=True)
    officer = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=police)
    request = open_request(team["case"], police)
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
    team |= {"police": police, "officer": officer, "request": request}
    return team["case"]


def drive_escalation(team: Team) -> Any:
    local, zvh = HouseFactory(local_pga=True), HouseFactory()
    case = CaseFactory(house=local, status=Status.IN_UITVOERING)
    referral_of(case)
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
    team |= {"local": local, "zvh": zvh, "carer": carer}
    return case


def drive_meeting_invitation(team: Team) -> Any:
    team["meeting"] = schedule(team, person_invited=True)
    return team["case"]


def drive_meeting_held(team: Team) -> Any:
    held(team)
    return team["case"]


def drive_minutes_sent(team: Team) -> Any:
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


def drive_plan_pdf(team: Team) -> Any:
    plan_services.plan_for(team["case"], actor=team["regisseur"])
    resp = client_of(team["casus"]).get(reverse("plan_pdf", args=[team["case"].pk]))
    assert resp.status_code == 200
    return team["case"]


def drive_safety_plan_pdf(team: Team) -> Any:
    plan_services.plan_for(team["case"], actor=team["regisseur"])
    plan_services.safety_plan_for(team["case"], actor=team["regisseur"])
    resp = client_of(team["casus"]).get(reverse("safety_pdf", args=[team["case"].pk]))
    assert resp.status_code == 200
    return team["case"]


def drive_attachment(team: Team) -> Any:
    referral = referral_of(team["case"])
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
    resp = client_of(team["regisseur"]).get(reverse("attachment_download", args=[attachment.pk]))
    assert resp.status_code == 200
    return team["case"]


def drive_letter_pdf(team: Team) -> Any:
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
    resp = client_of(team["regisseur"]).post(
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


def drive_subject_access(team: Team) -> Any:
    # The FG opens the review of the person's export and releases it (JSON).
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    client = client_of(fg)
    opened = client.post(reverse("subject_access"), {"person": team["case"].person_id})
    assert opened.status_code == 302, opened.status_code
    resp = client.post(opened["Location"].rstrip("/") + "/vrijgeven/", {"format": "json"})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/json")
    return team["case"]


def drive_veilig_thuis_report(team: Team) -> Any:
    # Slice meldcode: the casusregisseur records a report to Veilig Thuis on the page.
    from ketenregie.safeguarding.meldcode_services import start_trajectory

    start_trajectory(team["case"], actor=team["casus"])
    resp = client_of(team["casus"]).post(
        reverse("meldcode_report", args=[team["case"].pk]),
        {
            "reported_on": today().isoformat(),
            "reference": "VT-1",
            "content": "Signalen van huiselijk geweld.",
            "person_informed": "ja",
        },
    )
    assert resp.status_code == 302, resp.status_code
    return team["case"]


DRIVERS: dict[str, Callable[[Team], Any]] = {
    ExchangeKind.ENRICHMENT_ANSWER: drive_enrichment_answer,
    ExchangeKind.ESCALATION: drive_escalation,
    ExchangeKind.MEETING_INVITATION: drive_meeting_invitation,
    ExchangeKind.MEETING_HELD: drive_meeting_held,
    ExchangeKind.MINUTES_SENT: drive_minutes_sent,
    ExchangeKind.PLAN_PDF: drive_plan_pdf,
    ExchangeKind.SAFETY_PLAN_PDF: drive_safety_plan_pdf,
    ExchangeKind.ATTACHMENT: drive_attachment,
    ExchangeKind.LETTER_PDF: drive_letter_pdf,
    ExchangeKind.SUBJECT_ACCESS: drive_subject_access,
    ExchangeKind.VEILIG_THUIS_REPORT: drive_veilig_thuis_report,
}
