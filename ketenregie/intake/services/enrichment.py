"""Enrichment ("bekendheidscheck"): partners' answers, and putting the referral on the
agenda of a triage meeting with an invitation for the referrer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

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
from ketenregie.cases.grounds import Necessity
from ketenregie.cases.models import (
    Case,
    ExchangeKind,
)
from ketenregie.cases.sharing import Grounds, record_exchange
from ketenregie.cases.workflow import Status
from ketenregie.core.forms import not_in_past
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
    necessity: Necessity,
) -> dict[str, str]:
    """Collect every reason the answer may not be shared (AVG grounds, beroepsgeheim, the
    necessity checks)."""
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
    if summary.strip():
        errors.update(necessity.errors())
    if answer == EnrichmentRequest.Answer.KNOWN and not summary.strip():
        errors["summary"] = _("Vat samen wat relevant is, of kies ‘alleen luisteren’.")
    return errors


ENRICHMENT_PURPOSE = "bekendheidscheck voor de triage"


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
    necessity: Necessity | None = None,
) -> EnrichmentRequest:
    """A partner's answer; when it shares content, with the grounds and the necessity
    checks (`necessity`, required then), stored on the request and in the register."""
    necessity = necessity or Necessity()
    locked = lock(request, expected_version=expected_version, related=["organisation"])
    errors = _answer_errors(
        locked,
        answer=answer,
        summary=summary,
        legal_basis=legal_basis,
        special_category=special_category,
        secrecy_ground=secrecy_ground,
        necessity=necessity,
    )
    if errors:
        raise ValidationError(errors)
    shared = bool(summary.strip())
    grounds = Grounds(
        purpose=ENRICHMENT_PURPOSE if shared else "",
        legal_basis=legal_basis if shared else "",
        special_category=special_category if shared else "",
        secrecy_ground=secrecy_ground if shared else "",
        necessity=necessity if shared else Necessity(),
    )
    # The summary is free text: the trail keeps the answer and the grounds, not the words.
    save_audited(
        locked,
        actor=actor,
        action="enrichment.answered",
        values={"answer": answer, "summary": summary.strip(), **grounds.values()},
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
    if shared:
        record_exchange(
            ExchangeKind.ENRICHMENT_ANSWER,
            actor=actor,
            case=locked.referral.case,
            to_label=locked.referral.case.house.name,
            grounds=grounds,
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


AD_HOC_MINUTES = 60


def _ad_hoc_meeting(referral: Referral, starts_at: dt.datetime, actor: User) -> TriageMeeting:
    """The extra triage of the house at that moment: the one already planned then, or a
    new one (audited)."""
    house = referral.case.house
    existing = (
        TriageMeeting.objects.select_for_update()
        .filter(house=house, ad_hoc=True, starts_at=starts_at, cancelled=False)
        .first()
    )
    if existing is not None:
        return existing
    meeting = TriageMeeting.objects.create(
        house=house,
        date=timezone.localdate(starts_at),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=AD_HOC_MINUTES),
        ad_hoc=True,
    )
    audit.record(
        "triage.ad_hoc_planned",
        actor=actor,
        case_id=referral.case_id,
        obj=meeting,
        data={"begint": starts_at.isoformat(), "huis": house.pk},
    )
    return meeting


def _agenda_errors(
    proposed_level: int | None, reasoning: str, extra_at: dt.datetime | None
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if proposed_level not in (1, 2, 3, 4, 5):
        errors["proposed_level"] = _("Kies het voorgestelde escalatieniveau (1 tot en met 5).")
    if not reasoning.strip():
        errors["reasoning"] = _("Licht de weging volgens het de-escalatiemodel toe.")
    if extra_at is not None:
        try:
            not_in_past(extra_at, _("Dit moment ligt in het verleden. Kies een moment vanaf nu."))
        except ValidationError as exc:
            errors["extra_day"] = exc.messages
    return errors


@transaction.atomic
def put_on_agenda(
    case: Case,
    *,
    actor: User,
    expected_version: int,
    proposed_level: int | None,
    reasoning: str,
    extra_at: dt.datetime | None = None,
) -> AgendaItem:
    """Put the enriched referral on the weekly triage, or (`extra_at`, acute referrals
    only) on an extra triage at that moment instead."""
    errors = _agenda_errors(proposed_level, reasoning, extra_at)
    if errors:
        raise ValidationError(errors)
    referral = _locked_referral(case, Status.VERRIJKING, expected_version)
    if extra_at is not None and referral.urgency != Referral.Urgency.ACUUT:
        raise ValidationError(
            {"triage": _("Een extra triage is er alleen voor acute aanmeldingen.")}
        )
    referral.proposed_level = proposed_level
    referral.proposed_level_reasoning = reasoning.strip()
    _bump(referral, "proposed_level", "proposed_level_reasoning")
    planned = referral.triage_meeting
    if extra_at is not None:
        meeting = _ad_hoc_meeting(referral, extra_at, actor)
    elif (
        planned is None
        or planned.ad_hoc
        or planned.cancelled
        or planned.starts_at <= timezone.now()
    ):
        meeting = next_meeting_after_now(referral.case.house)
    else:
        meeting = planned
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
            "extra_triage": meeting.ad_hoc,
        },
    )
    start, _end = slot_of(item)
    when = {"datum": format_meeting(meeting), "tijd": f"{timezone.localtime(start):%H:%M}"}
    if meeting.ad_hoc:
        text = _(
            "Uw acute aanmelding staat op de agenda van een extra integrale triage op "
            "%(datum)s, tijdsblok %(tijd)s (20 minuten). Uw aanwezigheid is nodig; u krijgt "
            "een uitnodiging."
        )
    else:
        text = _(
            "Uw aanmelding staat op de agenda van de integrale triage op %(datum)s, tijdsblok "
            "%(tijd)s (20 minuten). Uw aanwezigheid is nodig; u krijgt een uitnodiging."
        )
    _feedback(referral, text % when, subject=_("aanmelding geagendeerd"))
    _invite_referrer(item)
    return item
