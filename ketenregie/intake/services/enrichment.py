"""Enrichment ("bekendheidscheck"): partners' answers, and putting the referral on the
agenda of a triage meeting with an invitation for the referrer.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.models import Domain, User
from ketenregie.audit import services as audit
from ketenregie.audit.writes import lock, save_audited
from ketenregie.cases import services as case_services
from ketenregie.cases.models import (
    Case,
)
from ketenregie.cases.workflow import Status
from ketenregie.core.ics import meeting_ics
from ketenregie.core.mail import absolute_url, send_link_mail
from ketenregie.intake.grounds import sharing_errors
from ketenregie.intake.models import (
    AgendaItem,
    EnrichmentRequest,
    Referral,
    TriageMeeting,
)
from ketenregie.intake.services.common import _bump, _locked_referral
from ketenregie.intake.services.feedback import _feedback, format_meeting
from ketenregie.intake.services.meeting_dates import next_meeting_after_now, next_open_meeting

SLOT_MINUTES = 20


def _answer_errors(
    locked: EnrichmentRequest,
    *,
    answer: str,
    summary: str,
    legal_basis: str,
    special_category: str,
    secrecy_ground: str,
) -> dict[str, str]:
    """Collect every reason the answer may not be shared (AVG grounds, beroepsgeheim)."""
    errors: dict[str, str] = {}
    domain = locked.organisation.domain
    if answer not in EnrichmentRequest.Answer.values:
        errors["answer"] = _("Kies bekend, niet bekend of alleen luisteren.")
    if answer == EnrichmentRequest.Answer.LISTEN_ONLY:
        if domain != Domain.ZORG:
            errors["answer"] = _("Alleen zorgpartners met beroepsgeheim kunnen alleen luisteren.")
        if summary.strip():
            errors["summary"] = _("Bij ‘alleen luisteren’ deelt u geen inhoud; laat dit leeg.")
    # The grounds: one rule with the escalation to a ZVH (intake.grounds).
    errors.update(
        sharing_errors(
            domain=domain,
            shares=bool(summary.strip()),
            legal_basis=legal_basis,
            special_category=special_category,
            secrecy_ground=secrecy_ground,
        )
    )
    if answer == EnrichmentRequest.Answer.KNOWN and not summary.strip():
        errors["summary"] = _("Vat samen wat relevant is, of kies ‘alleen luisteren’.")
    return errors


@transaction.atomic
def answer_enrichment(
    request: EnrichmentRequest,
    *,
    actor: User,
    expected_version: int,
    answer: str,
    summary: str,
    legal_basis: str,
    special_category: str,
    secrecy_ground: str,
) -> EnrichmentRequest:
    locked = lock(request, expected_version=expected_version, related=["organisation"])
    errors = _answer_errors(
        locked,
        answer=answer,
        summary=summary,
        legal_basis=legal_basis,
        special_category=special_category,
        secrecy_ground=secrecy_ground,
    )
    if errors:
        raise ValidationError(errors)
    shared = bool(summary.strip())
    # The summary is free text: the trail keeps the answer and the grounds, not the words.
    save_audited(
        locked,
        actor=actor,
        action="enrichment.answered",
        values={
            "answer": answer,
            "summary": summary.strip(),
            "legal_basis": legal_basis if shared else "",
            "special_category": special_category if shared else "",
            "secrecy_ground": secrecy_ground if shared else "",
        },
        case_id=locked.referral.case_id,
        shown=["answer"],
        labels={"answer": "antwoord"},
        extra=lambda saved: {
            "grondslag": saved.legal_basis,
            "art9": saved.special_category,
            "beroepsgeheim": saved.secrecy_ground,
        },
        touch={"answered_by": actor, "answered_at": timezone.now()},
        always=True,
        purpose="bekendheidscheck",
        clean=False,
    )
    return locked


def _add_to_agenda(referral: Referral, meeting: TriageMeeting) -> AgendaItem:
    # Lock the meeting: two cases added at once get distinct slots, and a meeting
    # cancelled a moment ago is not used.
    meeting = lock(meeting, related=["house"])
    if meeting.cancelled:
        meeting = next_open_meeting(meeting)
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(meeting=meeting, referral=referral, position=last + 1)
    referral.triage_meeting = meeting
    referral.save(update_fields=["triage_meeting"])
    return item


def slot_of(item: AgendaItem) -> tuple[dt.datetime, dt.datetime]:
    start = item.meeting.starts_at + dt.timedelta(minutes=SLOT_MINUTES * (item.position - 1))
    return start, start + dt.timedelta(minutes=SLOT_MINUTES)


def _invite_referrer(item: AgendaItem) -> None:
    referral = item.referral
    start, end = slot_of(item)
    path = reverse("referral_detail", args=[referral.case_id])
    url = absolute_url(path)

    def ics(address: str) -> bytes:
        return meeting_ics(
            uid=f"triage-{item.meeting_id}-{referral.case_id}@ketenregie",
            start=start,
            end=end,
            summary=f"Integrale triage {item.meeting.house.name}: casus {referral.case.code}",
            location=item.meeting.house.name + " (of online)",
            url=url,
            organizer_name=item.meeting.house.name,
            attendee=address,
        )

    send_link_mail(
        [referral.referrer.email],
        subject=_("uitnodiging integrale triage"),
        text=_(
            "U bent uitgenodigd voor de integrale triage; uw aanwezigheid is nodig om de "
            "casus te bespreken. De uitnodiging zit als agenda-item bij dit bericht."
        ),
        path=path,
        ics=ics,
    )


@transaction.atomic
def put_on_agenda(
    case: Case, *, actor: User, expected_version: int, proposed_level: int | None, reasoning: str
) -> AgendaItem:
    errors = {}
    if proposed_level not in (1, 2, 3, 4, 5):
        errors["proposed_level"] = _("Kies het voorgestelde escalatieniveau (1 tot en met 5).")
    if not reasoning.strip():
        errors["reasoning"] = _("Licht de weging volgens het de-escalatiemodel toe.")
    if errors:
        raise ValidationError(errors)
    referral = _locked_referral(case, Status.VERRIJKING, expected_version)
    referral.proposed_level = proposed_level
    referral.proposed_level_reasoning = reasoning.strip()
    _bump(referral, "proposed_level", "proposed_level_reasoning")
    meeting = referral.triage_meeting
    if meeting is None or meeting.cancelled or meeting.starts_at <= timezone.now():
        meeting = next_meeting_after_now(referral.case.house)
    item = _add_to_agenda(referral, meeting)
    referral.case = case_services.change_status(referral.case, to=Status.GEAGENDEERD, actor=actor)
    open_requests = EnrichmentRequest.objects.filter(referral=referral, answer="").count()
    audit.record(
        "referral.put_on_agenda",
        actor=actor,
        case_id=referral.case_id,
        obj=referral,
        data={
            "triage": meeting.date.isoformat(),
            "positie": item.position,
            "voorgesteld_niveau": proposed_level,
            "onbeantwoorde_verzoeken": open_requests,
        },
    )
    start, _end = slot_of(item)
    _feedback(
        referral,
        _(
            "Uw aanmelding staat op de agenda van de integrale triage op %(datum)s, tijdsblok "
            "%(tijd)s (20 minuten). Uw aanwezigheid is nodig; u krijgt een uitnodiging."
        )
        % {"datum": format_meeting(meeting), "tijd": f"{timezone.localtime(start):%H:%M}"},
        subject=_("aanmelding geagendeerd"),
    )
    _invite_referrer(item)
    return item
