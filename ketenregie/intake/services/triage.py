"""The triage meeting: attendance, the outcome of an agenda item, and cancelling a meeting
or a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.models import House, Organisation, User
from ketenregie.audit import services as audit
from ketenregie.audit.writes import lock, save_audited
from ketenregie.cases import services as case_services
from ketenregie.cases.models import (
    CaseRole,
)
from ketenregie.cases.workflow import SCREENING_STATUSES, Status
from ketenregie.core.forms import not_in_future
from ketenregie.core.templatetags.dates import long_date
from ketenregie.core.timeutil import today
from ketenregie.intake.models import (
    AgendaItem,
    Invitee,
    Referral,
    TriageMeeting,
)
from ketenregie.intake.services.enrichment import _add_to_agenda, _invite_referrer
from ketenregie.intake.services.feedback import _feedback, format_meeting
from ketenregie.intake.services.meeting_dates import meeting_on, next_open_meeting


@transaction.atomic
def cancel_meeting_on(house: House, day: dt.date, *, actor: User, reason: str) -> TriageMeeting:
    """Cancel the triage of a date that may have no stored meeting yet (a refused cancel
    rolls the new meeting row back with it)."""
    return cancel_meeting(meeting_on(house, day), actor=actor, reason=reason)


def _locked_item(item: AgendaItem) -> AgendaItem:
    locked = (
        AgendaItem.objects.select_for_update()
        .select_related("meeting__house", "referral__case", "referral__referrer")
        .get(pk=item.pk)
    )
    if locked.outcome:
        raise ValidationError(
            _(
                "Over dit agendapunt is zojuist al besloten (%(uitkomst)s). "
                "Uw invoer is niet opgeslagen."
            )
            % {"uitkomst": AgendaItem.Outcome(locked.outcome).label}
        )
    return locked


def _check_started(item: AgendaItem, field: str | None) -> None:
    """Attendance and outcomes are facts of a triage that has begun, never of a coming one."""
    try:
        not_in_future(
            item.meeting.starts_at,
            _(
                "Deze triage begint pas op %(datum)s. Aanwezigheid en uitkomst legt u vast "
                "tijdens of na de triage."
            )
            % {"datum": format_meeting(item.meeting)},
        )
    except ValidationError as exc:
        raise ValidationError({field: exc.messages} if field else exc.messages) from exc


@transaction.atomic
def record_attendance(
    item: AgendaItem, *, actor: User, present: bool, note: str = ""
) -> AgendaItem:
    locked = _locked_item(item)
    _check_started(locked, None)
    locked.referrer_present = present
    locked.note = note.strip()
    fields = ["referrer_present", "note"]
    if not present:
        # Without the referrer the case cannot be discussed: it moves to the next triage.
        locked.outcome = AgendaItem.Outcome.MOVED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        fields += ["outcome", "decided_by", "decided_at"]
    locked.save(update_fields=fields)
    audit.record(
        "triage.attendance_recorded",
        actor=actor,
        case_id=locked.referral.case_id,
        obj=locked,
        data={"aanmelder_aanwezig": present},
    )
    if not present:
        nxt = next_open_meeting(locked.meeting)
        new_item = _add_to_agenda(locked.referral, nxt)
        audit.record(
            "triage.moved",
            actor=actor,
            case_id=locked.referral.case_id,
            obj=new_item,
            data={"van": locked.meeting.date.isoformat(), "naar": nxt.date.isoformat()},
        )
        _feedback(
            locked.referral,
            _(
                "U was niet aanwezig bij de triage; zonder u kan de casus niet worden besproken. "
                "Zij staat nu op de agenda van %(datum)s."
            )
            % {"datum": format_meeting(nxt)},
            subject=_("casus verplaatst naar volgende triage"),
        )
        _invite_referrer(new_item)
    return locked


@dataclass
class IncidentalInvitee:
    organisation: Organisation
    justification: str
    explanation: str


def _outcome_errors(
    locked: AgendaItem,
    *,
    outcome: str,
    advice: str,
    referred_to: str,
    procesregisseur: User | None,
    fixed_invitees: list[Organisation],
    incidental: list[IncidentalInvitee],
) -> dict[str, str]:
    """Collect every reason the outcome cannot be recorded, so the form shows them at once."""
    errors: dict[str, str] = {}
    if locked.referrer_present is not True:
        errors["outcome"] = _("Leg eerst vast dat de aanmelder aanwezig is.")
    if outcome == AgendaItem.Outcome.NO_PGA and not advice.strip():
        errors["advice"] = _("Geef de aanmelder een advies over andere steun.")
    if outcome == AgendaItem.Outcome.REFER and not referred_to.strip():
        errors["referred_to"] = _("Geef aan naar welke regio of welk overleg.")
    if outcome == AgendaItem.Outcome.START_PGA:
        errors.update(_start_pga_errors(procesregisseur, fixed_invitees, incidental))
    if outcome not in (
        AgendaItem.Outcome.NO_PGA,
        AgendaItem.Outcome.START_PGA,
        AgendaItem.Outcome.REFER,
    ):
        errors["outcome"] = _("Kies een uitkomst.")
    return errors


def _start_pga_errors(
    procesregisseur: User | None,
    fixed_invitees: list[Organisation],
    incidental: list[IncidentalInvitee],
) -> dict[str, str]:
    """Starting a PGA needs a procesregisseur with an organisation and justified invitees."""
    errors: dict[str, str] = {}
    if procesregisseur is None:
        errors["procesregisseur"] = _("Kies de procesregisseur die de PGA start.")
    elif procesregisseur.organisation is None:
        errors["procesregisseur"] = _("Deze procesregisseur hoort bij geen organisatie.")
    chosen = [o.pk for o in fixed_invitees] + [i.organisation.pk for i in incidental]
    if len(chosen) != len(set(chosen)):
        errors["incidental"] = _("Nodig elke organisatie maar één keer uit.")
    for inv in incidental:
        if (
            inv.justification
            not in (
                Invitee.Justification.EXPERTISE,
                Invitee.Justification.LEGAL_TASK,
            )
            or not inv.explanation.strip()
        ):
            errors["incidental"] = _(
                "Een incidentele deelnemer mag alleen met benodigde expertise of een "
                "relevante wettelijke of publieke taak; licht dat per deelnemer toe."
            )
    return errors


def _start_pga(
    referral: Referral,
    *,
    actor: User,
    procesregisseur: User,
    fixed_invitees: list[Organisation],
    incidental: list[IncidentalInvitee],
    profile_reason: str = "",
) -> str:
    """Start the PGA: status, proposed level, procesregisseur and invitees; return the feedback."""
    case = referral.case
    case_services.change_status(case, to=Status.PGA_GESTART, actor=actor)
    if referral.proposed_level:
        case_services.change_escalation_level(
            case,
            level=referral.proposed_level,
            actor=actor,
            reason=_("Vastgesteld in de integrale triage."),
        )
    case_services.add_membership(
        case,
        actor=actor,
        role=CaseRole.PROCESREGISSEUR,
        organisation=procesregisseur.organisation,  # type: ignore[arg-type]
        user=procesregisseur,
        valid_from=today(),
        profile_reason=profile_reason,
    )
    for org in fixed_invitees:
        Invitee.objects.create(
            case=case, organisation=org, justification=Invitee.Justification.FIXED
        )
    for inv in incidental:
        Invitee.objects.create(
            case=case,
            organisation=inv.organisation,
            incidental=True,
            justification=inv.justification,
            explanation=inv.explanation.strip(),
        )
    return _(
        "De triage start een persoonsgerichte aanpak (PGA). De procesregisseur neemt "
        "contact met u op over het informeren van de betrokkene."
    )


def _apply_outcome(
    referral: Referral,
    *,
    actor: User,
    outcome: str,
    advice: str,
    referred_to: str,
    procesregisseur: User | None,
    fixed_invitees: list[Organisation],
    incidental: list[IncidentalInvitee],
    profile_reason: str = "",
) -> str:
    """Carry out the decided outcome on the case; return the feedback for the referrer."""
    case = referral.case
    if outcome == AgendaItem.Outcome.NO_PGA:
        case_services.change_status(case, to=Status.GEEN_PGA, actor=actor, reason=advice.strip())
        return _("De triage start geen PGA. Advies: %(advies)s") % {"advies": advice.strip()}
    if outcome == AgendaItem.Outcome.REFER:
        referral.referred_to = referred_to.strip()
        referral.save(update_fields=["referred_to"])
        case_services.change_status(
            case, to=Status.DOORVERWEZEN, actor=actor, reason=referred_to.strip()
        )
        return _("De triage verwijst de casus door naar: %(naar)s.") % {"naar": referred_to}
    assert procesregisseur is not None
    return _start_pga(
        referral,
        actor=actor,
        procesregisseur=procesregisseur,
        fixed_invitees=fixed_invitees,
        incidental=incidental,
        profile_reason=profile_reason,
    )


@transaction.atomic
def decide_outcome(
    item: AgendaItem,
    *,
    actor: User,
    outcome: str,
    advice: str = "",
    referred_to: str = "",
    procesregisseur: User | None = None,
    fixed_invitees: Iterable[Organisation] = (),
    incidental: Iterable[IncidentalInvitee] = (),
    profile_reason: str = "",
) -> AgendaItem:
    fixed_invitees = list(fixed_invitees)
    incidental = list(incidental)
    locked = _locked_item(item)
    _check_started(locked, "outcome")
    errors = _outcome_errors(
        locked,
        outcome=outcome,
        advice=advice,
        referred_to=referred_to,
        procesregisseur=procesregisseur,
        fixed_invitees=fixed_invitees,
        incidental=incidental,
    )
    if errors:
        raise ValidationError(errors)
    referral = locked.referral
    locked.outcome = outcome
    locked.advice = advice.strip()
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["outcome", "advice", "decided_by", "decided_at"])
    message = _apply_outcome(
        referral,
        actor=actor,
        outcome=outcome,
        advice=advice,
        referred_to=referred_to,
        procesregisseur=procesregisseur,
        fixed_invitees=fixed_invitees,
        incidental=incidental,
        profile_reason=profile_reason,
    )
    audit.record(
        "triage.outcome",
        actor=actor,
        case_id=referral.case.pk,
        obj=locked,
        data={
            "uitkomst": outcome,
            "procesregisseur": procesregisseur.pk if procesregisseur else None,
            "uitgenodigd": sorted(
                [o.pk for o in fixed_invitees] + [i.organisation.pk for i in incidental]
            ),
        },
    )
    _feedback(referral, message, subject=_("uitkomst integrale triage"))
    return locked


def _move_waiting_referrals(locked: TriageMeeting, nxt: TriageMeeting, *, actor: User) -> None:
    """Referrals planned for the cancelled date but not yet on its agenda move to the next one."""
    waiting = Referral.objects.filter(
        triage_meeting=locked,
        agenda_items__isnull=True,
        case__status__in=SCREENING_STATUSES,
    ).select_related("case", "referrer")
    for ref in waiting:
        audit.record(
            "triage.moved",
            actor=actor,
            case_id=ref.case_id,
            obj=ref,
            data={"van": locked.date.isoformat(), "naar": nxt.date.isoformat()},
        )
        ref.triage_meeting = nxt
        ref.save(update_fields=["triage_meeting"])
        _feedback(
            ref,
            _("De triage van %(oud)s vervalt; uw aanmelding wordt besproken op %(nieuw)s.")
            % {"oud": long_date(locked.date), "nieuw": format_meeting(nxt)},
            subject=_("triage verplaatst"),
        )


def _move_open_items(
    locked: TriageMeeting, nxt: TriageMeeting, *, actor: User, reason: str
) -> None:
    """Undecided agenda items of the cancelled meeting are marked moved and re-added later."""
    for item in (
        AgendaItem.objects.select_for_update()
        .filter(meeting=locked, outcome="")
        .select_related("referral__case", "referral__referrer")
    ):
        audit.record(
            "triage.moved",
            actor=actor,
            case_id=item.referral.case_id,
            obj=item,
            data={"van": locked.date.isoformat(), "naar": nxt.date.isoformat()},
        )
        item.outcome = AgendaItem.Outcome.MOVED
        item.decided_by, item.decided_at = actor, timezone.now()
        item.note = _("Triage vervallen: %(reden)s") % {"reden": reason.strip()}
        item.save(update_fields=["outcome", "decided_by", "decided_at", "note"])
        new_item = _add_to_agenda(item.referral, nxt)
        _feedback(
            item.referral,
            _("De triage van %(oud)s vervalt; uw casus staat nu op de agenda van %(nieuw)s.")
            % {"oud": long_date(locked.date), "nieuw": format_meeting(nxt)},
            subject=_("triage verplaatst"),
        )
        _invite_referrer(new_item)


@transaction.atomic
def cancel_meeting(meeting: TriageMeeting, *, actor: User, reason: str) -> TriageMeeting:
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden waarom de triage vervalt.")})
    locked = lock(meeting, related=["house"])
    if locked.cancelled:
        raise ValidationError(_("Deze triage is al vervallen."))
    # The reason is free text (it may name a person on the agenda): it stays on the
    # meeting; the trail records that one was given.
    save_audited(
        locked,
        actor=actor,
        action="triage.cancelled",
        values={"cancelled": True, "cancel_reason": reason.strip()},
        mode="none",
        extra={"datum": locked.date.isoformat(), "reden_vastgelegd": True},
        clean=False,
    )
    nxt = next_open_meeting(locked)
    _move_waiting_referrals(locked, nxt, actor=actor)
    _move_open_items(locked, nxt, actor=actor, reason=reason)
    return locked
