"""Writes of the PGA start: informing the person, the start conversation, execution."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.audit import services as audit
from ketenregie.audit.writes import create_audited, lock, save_audited
from ketenregie.cases import services as case_services
from ketenregie.cases.grounds import Necessity
from ketenregie.cases.models import Case, ExchangeKind
from ketenregie.cases.sharing import Grounds, record_exchange
from ketenregie.cases.workflow import (
    CLOSABLE_STATUSES,
    CLOSED_STATUSES,
    CLOSING_CONVERSATION_STATUSES,
    PGA_STATUSES,
    PROVISIONALLY_CLOSABLE_STATUSES,
    START_STATUSES,
    Status,
)
from ketenregie.pga import aftercare
from ketenregie.pga.models import Informing, LetterTemplate, Signal, StartConversation

if TYPE_CHECKING:
    from ketenregie.accounts.models import House, User
    from ketenregie.intake.models import Referral

DEFAULT_LETTER = (
    "Geachte {naam},\n\n"
    "Met deze brief informeren wij u dat uw situatie is aangemeld bij {huis}. Verschillende "
    "organisaties werken daar samen om u en uw omgeving te helpen en om de veiligheid te "
    "verbeteren. Dat heet een persoonsgerichte aanpak.\n\n"
    "Voor deze aanpak wisselen de betrokken organisaties gegevens over u uit, alleen voor "
    "dit doel en niet meer dan nodig. Dit gebeurt op grond van de Wet gegevensverwerking "
    "door samenwerkingsverbanden (WGS).\n\n"
    "Wij nodigen u uit voor een startgesprek, zodat u ook uw eigen kijk op de situatie en op "
    "oplossingen kunt geven. Wanneer en waar dat gesprek is, en wie uw contactpersoon is, "
    "leest u hieronder.\n\n"
    "U heeft het recht te vragen welke gegevens over u zijn vastgelegd en wie ze heeft "
    "ingezien, en onjuiste gegevens te laten verbeteren. Noem daarbij het kenmerk "
    "{casusnummer}."
)


def _default_letter(house: House) -> dict[str, Any]:
    """The default text; who signs, for which municipality, the privacy contact and the
    complaint route are the house's own and stay empty until the beheerder fills them in
    (the letter is not printed without them)."""
    return {
        "house": house,
        "municipality": "",
        "letterhead": house.name,
        "body": DEFAULT_LETTER,
        "signatory_name": "",
        "signatory_title": "",
        "privacy_contact": "",
        "complaint_route": "",
    }


def letter_template_for(house: House) -> LetterTemplate:
    """The house's information letter; the default text (unsaved) until one is stored.

    Reading writes nothing: printing a letter must not create rows.
    """
    stored = LetterTemplate.objects.filter(house=house).first()
    return stored if stored is not None else LetterTemplate(**_default_letter(house))


@transaction.atomic
def ensure_letter_template(
    house: House, *, actor: User | None = None, values: dict[str, str] | None = None
) -> LetterTemplate:
    """Store the default letter for a house that has none (so beheer can edit it), audited.
    `values` fill in the house's own fields (the demo's fictitious municipality)."""
    stored = LetterTemplate.objects.filter(house=house).first()
    if stored is not None:
        return stored
    return create_audited(
        LetterTemplate,
        actor=actor,
        action="lettertemplate.created",
        values={**_default_letter(house), **(values or {})},
        mode="names",
    )


def _require_status(case: Case, *allowed: Status) -> Case:
    locked = lock(case)
    if locked.status not in allowed:
        raise ValidationError(
            _("Dit kan niet bij een casus met status ‘%(status)s’.")
            % {"status": Status(locked.status).label}
        )
    return locked


@transaction.atomic
def record_informing(
    case: Case,
    *,
    actor: User,
    kind: str,
    on_date: dt.date | None = None,
    by_whom: str = "",
    method: str = "",
    postponed_reason: str = "",
    review_date: dt.date | None = None,
    note: str = "",
) -> Informing:
    locked = _require_status(case, *START_STATUSES)
    errors: dict[str, str] = {}
    if kind == Informing.Kind.INFORMED:
        if on_date is None:
            errors["on_date"] = _("Vul de datum in waarop de betrokkene is geïnformeerd.")
        elif on_date > timezone.localdate():
            errors["on_date"] = _("Deze datum ligt in de toekomst.")
        if not by_whom.strip():
            errors["by_whom"] = _("Vul in wie de betrokkene heeft geïnformeerd.")
        if not method:
            errors["method"] = _("Kies hoe de betrokkene is geïnformeerd.")
    elif kind == Informing.Kind.POSTPONED:
        if not postponed_reason.strip():
            errors["postponed_reason"] = _("Geef de reden waarom informeren wordt uitgesteld.")
        if review_date is None:
            errors["review_date"] = _("Kies de datum waarop het uitstel wordt herbeoordeeld.")
        elif review_date <= timezone.localdate():
            errors["review_date"] = _("De herbeoordeling moet in de toekomst liggen.")
    else:
        errors["kind"] = _("Kies geïnformeerd of uitgesteld.")
    if errors:
        raise ValidationError(errors)
    record = Informing.objects.create(
        case=locked,
        kind=kind,
        on_date=on_date if kind == Informing.Kind.INFORMED else None,
        by_whom=by_whom.strip(),
        method=method if kind == Informing.Kind.INFORMED else "",
        postponed_reason=postponed_reason.strip(),
        review_date=review_date if kind == Informing.Kind.POSTPONED else None,
        note=note.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit.record(
        "pga.informing_recorded",
        actor=actor,
        case_id=locked.pk,
        obj=record,
        purpose="informeren betrokkene (WGS)",
        data={
            "soort": kind,
            "methode": record.method,
            "herbeoordelen": record.review_date.isoformat() if record.review_date else None,
        },
    )
    return record


@transaction.atomic
def record_start_conversation(
    case: Case, *, actor: User, values: dict[str, Any]
) -> StartConversation:
    locked = _require_status(case, *START_STATUSES)
    outcome = values.get("outcome")
    errors: dict[str, str] = {}
    on_date = values.get("on_date")
    if on_date is None:
        errors["on_date"] = _("Vul de datum in.")
    elif on_date > timezone.localdate():
        errors["on_date"] = _("Deze datum ligt in de toekomst.")
    if outcome == StartConversation.Outcome.NO_RESPONSE:
        written = Informing.objects.filter(
            case=locked,
            kind=Informing.Kind.INFORMED,
            method__in=[Informing.Method.LETTER_IN_PERSON, Informing.Method.LETTER_POST],
        ).exists()
        if not written:
            errors["outcome"] = _(
                "Zonder reactie verder gaan mag alleen als de betrokkene schriftelijk is "
                "geïnformeerd. Leg dat eerst vast."
            )
        if (values.get("attempts") or 0) < 2:
            errors["attempts"] = _("Verder gaan zonder reactie vraagt herhaalde uitnodigingen.")
    elif outcome == StartConversation.Outcome.HELD:
        if not (values.get("own_view") or "").strip():
            errors["own_view"] = _(
                "Noteer de eigen kijk van de betrokkene op oorzaken en oplossingen."
            )
    else:
        errors["outcome"] = _("Kies of het gesprek is gevoerd of dat er geen reactie kwam.")
    if errors or outcome is None or on_date is None:
        raise ValidationError(errors)
    record = StartConversation.objects.create(
        case=locked,
        outcome=outcome,
        on_date=on_date,
        explained_why=bool(values.get("explained_why")),
        explained_approach=bool(values.get("explained_approach")),
        explained_data=bool(values.get("explained_data")),
        explained_rights=bool(values.get("explained_rights")),
        own_view=(values.get("own_view") or "").strip(),
        attempts=values.get("attempts") or 1,
        enforcement_focus=outcome == StartConversation.Outcome.NO_RESPONSE,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit.record(
        "pga.start_conversation_recorded",
        actor=actor,
        case_id=locked.pk,
        obj=record,
        data={"uitkomst": outcome, "handhaving": record.enforcement_focus},
    )
    return record


@transaction.atomic
def start_execution(case: Case, *, actor: User) -> Case:
    """From the start phase to case meetings: the person is informed (or informing is
    postponed with a reason) and the start conversation or non-response is recorded."""
    locked = _require_status(case, Status.PGA_GESTART)
    errors = []
    if not Informing.objects.filter(case=locked).exists():
        errors.append(_("Leg eerst vast hoe de betrokkene is geïnformeerd, of waarom dat wacht."))
    if not StartConversation.objects.filter(case=locked).exists():
        errors.append(_("Leg eerst het startgesprek vast, of dat er geen reactie kwam."))
    if errors:
        raise ValidationError(errors)
    return case_services.change_status(locked, to=Status.IN_UITVOERING, actor=actor)


def _notify_directors(case: Case, *, subject: str, text: str) -> None:
    """Link-only mail to the case's casusregisseur and procesregisseur."""
    from django.urls import reverse

    from ketenregie.cases.access import director_emails
    from ketenregie.core.mail import send_link_mail

    send_link_mail(
        director_emails(case.pk),
        subject=subject,
        text=text,
        path=reverse("pga_closing", args=[case.pk]),
    )


@transaction.atomic
def raise_signal(case: Case, *, actor: User, kind: str, text: str) -> Signal:
    locked = _require_status(case, *PGA_STATUSES)
    errors = {}
    if kind not in Signal.Kind.values:
        errors["kind"] = _("Kies de soort signaal.")
    if not text.strip():
        errors["text"] = _("Beschrijf het signaal.")
    if errors:
        raise ValidationError(errors)
    signal = Signal.objects.create(
        case=locked, kind=kind, text=text.strip(), raised_by=actor, raised_at=timezone.now()
    )
    audit.record(
        "pga.signal_raised", actor=actor, case_id=locked.pk, obj=signal, data={"soort": kind}
    )
    _notify_directors(
        locked,
        subject=_("nieuw signaal bij een casus"),
        text=_("Er is een signaal afgegeven bij casus %(code)s.") % {"code": locked.code},
    )
    return signal


@transaction.atomic
def resolve_signal(signal: Signal, *, actor: User, resolution: str) -> Signal:
    locked = lock(signal)
    if locked.resolved_at is not None:
        raise ValidationError(_("Dit signaal is al afgehandeld."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Beschrijf hoe het signaal is afgehandeld.")})
    save_audited(
        locked,
        actor=actor,
        action="pga.signal_resolved",
        values={
            "resolution": resolution.strip(),
            "resolved_by": actor,
            "resolved_at": timezone.now(),
        },
        case_id=locked.case_id,
        mode="none",
    )
    return locked


@transaction.atomic
def close_case(
    case: Case,
    *,
    actor: User,
    provisional: bool,
    decided_with: str,
    handover_organisation: Any,
    handover_note: str,
) -> Case:
    """Close (or provisionally close) with a warm handover; blocked by acute unsafety."""
    from ketenregie.pga.models import Closing

    allowed = PROVISIONALLY_CLOSABLE_STATUSES if provisional else CLOSABLE_STATUSES
    locked = _require_status(case, *allowed)
    errors: dict[str, str] = {}
    if Signal.objects.filter(
        case=locked, kind=Signal.Kind.ACUTE_UNSAFETY, resolved_at__isnull=True
    ).exists():
        # Not about any one field: shown above the form.
        errors[NON_FIELD_ERRORS] = _(
            "Afsluiten kan niet: er staat een signaal van acute onveiligheid open. Handel dat "
            "eerst af."
        )
    # Issue 15 (phases): a household case closes for good only after its evaluation.
    errors.update(aftercare.closing_errors(locked, provisional=provisional))
    if not decided_with.strip():
        errors["decided_with"] = _(
            "Leg vast met wie (casusregisseur en partners) tot afsluiten is besloten."
        )
    if handover_organisation is None:
        errors["handover_organisation"] = _("Kies aan wie warm wordt overgedragen.")
    if not handover_note.strip():
        errors["handover_note"] = _("Schrijf de overdrachtsnotitie voor de reguliere zorg.")
    if errors:
        raise ValidationError(errors)
    Closing.objects.create(
        case=locked,
        provisional=provisional,
        decided_with=decided_with.strip(),
        handover_organisation=handover_organisation,
        handover_note=handover_note.strip(),
        closed_by=actor,
        closed_at=timezone.now(),
    )
    from ketenregie.intake.services import tell_referrer_closed

    target = Status.VOORLOPIG_AFGESLOTEN if provisional else Status.AFGESLOTEN
    updated = case_services.change_status(locked, to=target, actor=actor)
    informed = tell_referrer_closed(locked.pk, provisional=provisional)
    audit.record(
        "pga.closed",
        actor=actor,
        case_id=locked.pk,
        obj=locked,
        data={
            "voorlopig": provisional,
            "overdracht_aan": handover_organisation.pk,
            "aanmelder_geinformeerd": informed,
        },
    )
    return updated


@transaction.atomic
def record_closing_conversation(
    case: Case, *, actor: User, on_date: Any, reason_explained: bool, feedback: str
) -> Any:
    from ketenregie.pga.models import ClosingConversation

    locked = _require_status(case, *CLOSING_CONVERSATION_STATUSES)
    errors = {}
    if on_date is None or on_date > timezone.localdate():
        errors["on_date"] = _("Vul een datum in die niet in de toekomst ligt.")
    if not reason_explained:
        errors["reason_explained"] = _(
            "In het eindgesprek wordt de reden van afsluiten uitgelegd; vink aan als dat "
            "is gebeurd."
        )
    if errors:
        raise ValidationError(errors)
    record = ClosingConversation.objects.create(
        case=locked,
        on_date=on_date,
        reason_explained=True,
        feedback=feedback.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit.record("pga.closing_conversation_recorded", actor=actor, case_id=locked.pk, obj=record)
    return record


@transaction.atomic
def reopen_case(case: Case, *, actor: User, reason: str) -> Case:
    locked = _require_status(case, *CLOSED_STATUSES)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden om de casus te heropenen.")})
    return case_services.change_status(locked, to=Status.IN_UITVOERING, actor=actor, reason=reason)


def _escalation_errors(
    locked: Case,
    *,
    actor: User,
    to_house: House,
    summary: str,
    purpose: str,
    legal_basis: str,
    special_category: str,
    secrecy_ground: str,
    necessity: Necessity,
) -> dict[str, str]:
    """Only a local PGA case goes up, to a ZVH, with a summary, a purpose, the grounds for
    sharing and the necessity checks, checked by the same rules as a bekendheidscheck
    answer (cases.grounds): the sharing organisation is the escalating user's."""
    from ketenregie.accounts.models import House as HouseModel
    from ketenregie.intake.grounds import sharing_errors

    errors: dict[str, str] = {}
    if locked.house.kind != HouseModel.Kind.LOCAL_PGA:
        errors["to_house"] = _("Alleen een casus van een lokale PGA wordt opgeschaald.")
    if to_house.kind != HouseModel.Kind.ZVH:
        errors["to_house"] = _("Kies een Zorg- en Veiligheidshuis.")
    if not summary.strip():
        errors["summary"] = _("Vat de casus samen voor het ontvangende huis.")
    if not purpose.strip():
        errors["purpose"] = _("Geef het doel van de overdracht (doelbinding).")
    errors.update(
        sharing_errors(
            domain=actor.organisation.domain if actor.organisation else "",
            shares=True,
            legal_basis=legal_basis,
            special_category=special_category,
            secrecy_ground=secrecy_ground,
        )
    )
    errors.update(necessity.errors())
    return errors


def _carry_content(locked: Case, referral: Referral, criteria: dict[int, str]) -> None:
    """The escalated referral gets the local case's life-domain problems and the ticked
    criteria of the receiving house (by number), and meets the criteria only by the
    receiving house's own rule."""
    from ketenregie.intake.criteria import ensure_default_criteria, is_met
    from ketenregie.intake.models import ReferralCriterion, ReferralProblem

    local = getattr(locked, "referral", None)
    if local is not None:
        ReferralProblem.objects.bulk_create(
            ReferralProblem(referral=referral, domain_id=p.domain_id, description=p.description)
            for p in local.problems.all()
        )
    cset = ensure_default_criteria(referral.case.house)
    known = {c.number: c for c in cset.criteria.all()}
    ticked = {n: text for n, text in criteria.items() if n in known}
    ReferralCriterion.objects.bulk_create(
        ReferralCriterion(referral=referral, criterion=known[n], explanation=text)
        for n, text in ticked.items()
    )
    referral.meets_criteria = is_met(cset, list(known.values()), ticked)
    referral.save(update_fields=["meets_criteria"])


def _open_zvh_case(
    locked: Case,
    *,
    actor: User,
    to_house: House,
    summary: str,
    purpose: str,
    criteria: dict[int, str],
    now: dt.datetime,
) -> Case:
    """Open the receiving house's case with a submitted referral; the actor is its aanmelder."""
    from ketenregie.cases.models import CaseRole
    from ketenregie.intake.models import Referral
    from ketenregie.intake.services import meeting_for_submission

    new_case = case_services.create_case(
        actor=actor,
        house=to_house,
        person=locked.person,
        status=Status.AANGEMELD,
        escalation_level=locked.escalation_level,
    )
    meeting = meeting_for_submission(to_house, now)
    referral = Referral.objects.create(
        case=new_case,
        referrer=actor,
        reason=summary.strip(),
        meeting_goal=purpose.strip(),
        informed="ja",
        informed_how=_("Betrokkene is geïnformeerd binnen de lokale PGA."),
        submitted_at=now,
        accountability_confirmed_at=now,
        accountability_confirmed_by=actor,
        triage_meeting=meeting,
    )
    _carry_content(locked, referral, criteria)
    assert actor.organisation is not None
    case_services.add_membership(
        new_case,
        actor=actor,
        role=CaseRole.AANMELDER,
        organisation=actor.organisation,
        user=actor,
        valid_from=timezone.localdate(),
    )
    return new_case


@transaction.atomic
def escalate_to_zvh(
    case: Case,
    *,
    actor: User,
    to_house: House,
    summary: str,
    purpose: str,
    legal_basis: str,
    special_category: str = "",
    secrecy_ground: str = "",
    criteria: dict[int, str] | None = None,
    necessity: Necessity | None = None,
) -> Case:
    """A local PGA case that gets stuck goes to a Zorg- en Veiligheidshuis as a referral,
    with its life-domain problems and the receiving house's criteria (`criteria` maps a
    criterion number to its explanation). `necessity`: the checklist's checks, required
    (the form asks them next to the grounds)."""
    from ketenregie.pga.models import Transfer

    necessity = necessity or Necessity()
    locked = _require_status(case, Status.IN_UITVOERING)
    errors = _escalation_errors(
        locked,
        actor=actor,
        to_house=to_house,
        summary=summary,
        purpose=purpose,
        legal_basis=legal_basis,
        special_category=special_category,
        secrecy_ground=secrecy_ground,
        necessity=necessity,
    )
    if errors:
        raise ValidationError(errors)
    grounds = Grounds(
        purpose=purpose,
        legal_basis=legal_basis,
        special_category=special_category,
        secrecy_ground=secrecy_ground,
        necessity=necessity,
    )
    now = timezone.now()
    new_case = _open_zvh_case(
        locked,
        actor=actor,
        to_house=to_house,
        summary=summary,
        purpose=purpose,
        criteria=criteria or {},
        now=now,
    )
    Transfer.objects.create(
        from_case=locked,
        to_case_id=new_case.pk,
        to_house=to_house,
        **grounds.values(),
        transferred_by=actor,
        transferred_at=now,
    )
    audit.record(
        "pga.escalated_to_zvh",
        actor=actor,
        case_id=locked.pk,
        obj=locked,
        purpose=purpose.strip()[:120],
        data={
            "naar_huis": to_house.pk,
            "nieuwe_casus": new_case.pk,
            "grondslag": legal_basis,
            "art9": special_category,
            "beroepsgeheim": secrecy_ground,
            "criteria": sorted(criteria or {}),
        },
    )
    # The local case's data leaves the local PGA for the receiving house.
    record_exchange(
        ExchangeKind.ESCALATION,
        actor=actor,
        case=locked,
        to_label=to_house.name,
        grounds=grounds,
    )
    case_services.change_status(locked, to=Status.OPGESCHAALD, actor=actor, reason=purpose)
    return new_case
