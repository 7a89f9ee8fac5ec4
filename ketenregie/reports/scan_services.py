"""The PGA-scan's writes: opening a round, inviting and reminding participants, saving
and submitting answers, closing the round and recording the conversation afterwards.

Each write is audited in its own transaction. Answers never enter the audit trail: the
events say that someone saved or submitted (and how many statements they answered),
filed under the round, never which answers they gave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.access import active_case_workers
from ketenregie.accounts.models import House, HousePartner, Organisation
from ketenregie.audit import services as audit
from ketenregie.audit.writes import create_audited, lock, save_audited
from ketenregie.core.forms import check_free_text, not_in_future, not_in_past
from ketenregie.core.mail import send_link_mail
from ketenregie.core.templatetags.dates import long_date
from ketenregie.reports.models import ScanAnswer, ScanParticipant, ScanResponse, ScanRound
from ketenregie.reports.scan import active_statements, is_open

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

VALID_ANSWERS = frozenset(ScanAnswer.values)


def house_partners(house: House) -> list[Organisation]:
    """The organisations that may take part in a round at the house: its partners."""
    ids = HousePartner.objects.filter(house=house).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids, is_active=True).order_by("name"))


@transaction.atomic
def open_round(
    *,
    actor: User,
    house: House,
    title: str,
    closes_on: dt.date,
    organisations: Iterable[Organisation],
) -> ScanRound:
    """A new round at `house` with the partner organisations taking part and the active
    statements of this moment."""
    orgs = list(organisations)
    errors: dict[str, list[str]] = {}
    partners = {o.pk for o in house_partners(house)}
    if len(orgs) < 2:
        errors["organisations"] = [_("Kies ten minste twee organisaties: de scan vergelijkt.")]
    elif any(o.pk not in partners for o in orgs):
        errors["organisations"] = [_("Kies alleen ketenpartners van dit huis.")]
    try:
        not_in_past(closes_on)
    except ValidationError as exc:
        errors["closes_on"] = exc.messages
    statements = active_statements()
    if not statements:
        errors.setdefault("__all__", []).append(
            _("Er zijn geen actieve stellingen. Vraag de functioneel beheerder ze te activeren.")
        )
    if errors:
        raise ValidationError(errors)
    scan_round = create_audited(
        ScanRound,
        actor=actor,
        action="scan.round_opened",
        values={"house": house, "title": title, "closes_on": closes_on, "opened_by": actor},
        extra={"organisaties": sorted(o.pk for o in orgs), "stellingen": len(statements)},
    )
    scan_round.organisations.set(orgs)
    scan_round.statements.set(statements)
    return scan_round


def invitable_users(scan_round: ScanRound) -> list[User]:
    """The professionals (active case workers, accounts.access) of the round's
    organisations who are not invited yet."""
    invited = ScanParticipant.objects.filter(round=scan_round).values("user_id")
    return list(
        active_case_workers()
        .filter(organisation__in=scan_round.organisations.all())
        .exclude(pk__in=invited)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


def _mail(users: Iterable[User], scan_round: ScanRound, subject: str, text: str) -> None:
    send_link_mail(
        [u.email for u in users],
        subject=subject,
        text=text,
        path=reverse("scan_fill", args=[scan_round.pk]),
        link_intro=_("Vul de scan in Ketenregie in (inloggen vereist):"),
    )


@transaction.atomic
def invite(*, actor: User, scan_round: ScanRound, users: Iterable[User]) -> int:
    """Invite professionals of the round's organisations (link-only mail); how many."""
    locked = lock(scan_round)
    if not is_open(locked):
        raise ValidationError(_("Deze ronde is gesloten; er kan niemand meer bij."))
    # invitable_users gives only users of the round's organisations: never without one.
    allowed = {u.pk: u.organisation for u in invitable_users(locked) if u.organisation}
    chosen = list(users)
    if not chosen:
        raise ValidationError({"users": [_("Kies ten minste één deelnemer.")]})
    if any(u.pk not in allowed for u in chosen):
        raise ValidationError(
            {"users": [_("Kies alleen medewerkers van de deelnemende organisaties.")]}
        )
    now = timezone.now()
    ScanParticipant.objects.bulk_create(
        ScanParticipant(round=locked, user=u, organisation=allowed[u.pk], invited_at=now)
        for u in chosen
    )
    audit.record("scan.participants_invited", actor=actor, obj=locked, data={"aantal": len(chosen)})
    _mail(
        chosen,
        locked,
        _("uitnodiging PGA-scan"),
        _(
            "U bent uitgenodigd om de PGA-scan over de integrale samenwerking in te vullen. "
            "U vult hem individueel in; de uitkomsten tonen organisaties, nooit personen. "
            "De ronde sluit op %(date)s."
        )
        % {"date": long_date(locked.closes_on)},
    )
    return len(chosen)


@transaction.atomic
def remind(*, actor: User, scan_round: ScanRound) -> int:
    """Remind every participant who has not submitted yet; how many."""
    locked = lock(scan_round)
    if not is_open(locked):
        raise ValidationError(_("Deze ronde is gesloten; herinneren is niet meer nodig."))
    waiting = list(
        ScanParticipant.objects.filter(round=locked, submitted_at__isnull=True).select_related(
            "user"
        )
    )
    if not waiting:
        raise ValidationError(_("Iedereen die is uitgenodigd, heeft de scan al ingevuld."))
    ScanParticipant.objects.filter(pk__in=[p.pk for p in waiting]).update(
        reminded_at=timezone.now()
    )
    audit.record("scan.reminders_sent", actor=actor, obj=locked, data={"aantal": len(waiting)})
    _mail(
        [p.user for p in waiting],
        locked,
        _("herinnering PGA-scan"),
        _("Een herinnering: de PGA-scan staat nog voor u klaar. De ronde sluit op %(date)s.")
        % {"date": long_date(locked.closes_on)},
    )
    return len(waiting)


@transaction.atomic
def close_round(*, actor: User, scan_round: ScanRound, expected_version: int | None) -> ScanRound:
    """Close the round before its closing date (no more answers; the results open)."""
    locked = lock(scan_round, expected_version=expected_version)
    if not is_open(locked):
        raise ValidationError(_("Deze ronde is al gesloten."))
    save_audited(
        locked, actor=actor, action="scan.round_closed", values={"closed_at": timezone.now()}
    )
    return locked


def _clean_answers(scan_round: ScanRound, answers: Mapping[int, int]) -> dict[str, int]:
    ids = set(scan_round.statements.values_list("pk", flat=True))
    if any(pk not in ids or value not in VALID_ANSWERS for pk, value in answers.items()):
        raise ValidationError(_("Kies bij elke stelling een van de vijf antwoorden."))
    return {str(pk): int(value) for pk, value in answers.items()}


@transaction.atomic
def save_answers(
    *, participant: ScanParticipant, answers: Mapping[int, int], submit: bool
) -> ScanResponse:
    """Save the participant's answers (a draft they can come back to) or submit them.

    Submitting needs every statement answered; it files the answers under the
    participant's organisation and cuts their link to the participant.
    """
    locked = lock(participant, related=("round",), of=("self",))
    scan_round = locked.round
    if locked.submitted_at is not None:
        raise ValidationError(_("U heeft de scan al verstuurd; uw antwoorden staan vast."))
    if not is_open(scan_round):
        raise ValidationError(_("Deze ronde is gesloten; u kunt niet meer invullen."))
    cleaned = _clean_answers(scan_round, answers)
    response = ScanResponse.objects.select_for_update().filter(
        participant=locked
    ).first() or ScanResponse(
        round=scan_round, organisation_id=locked.organisation_id, participant=locked
    )
    response.answers = cleaned
    if submit:
        missing = scan_round.statements.count() - len(cleaned)
        if missing:
            raise ValidationError(
                _(
                    "Nog %(n)s stelling(en) zonder antwoord. Beantwoord alle stellingen om te "
                    "versturen, of sla op en kom later terug."
                )
                % {"n": missing}
            )
        response.participant = None
        response.submitted = True
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["submitted_at"])
    response.save()
    audit.record(
        "scan.submitted" if submit else "scan.answers_saved",
        actor=locked.user,
        obj=scan_round,
        data={"beantwoord": len(cleaned)},
    )
    return response


def draft_answers(participant: ScanParticipant) -> dict[int, int]:
    """The participant's saved, not yet submitted answers."""
    response = ScanResponse.objects.filter(participant=participant).first()
    return {int(k): v for k, v in response.answers.items()} if response else {}


@transaction.atomic
def record_conversation(
    *,
    actor: User,
    scan_round: ScanRound,
    conversation_on: dt.date,
    follow_up: str,
    expected_version: int | None,
) -> ScanRound:
    """The conversation about the results: its date and the agreed follow-up actions."""
    locked = lock(scan_round, expected_version=expected_version)
    errors: dict[str, list[str]] = {}
    if is_open(locked):
        errors["__all__"] = [_("Het gesprek volgt op de uitkomsten: sluit eerst de ronde.")]
    try:
        not_in_future(conversation_on, _("Leg het gesprek vast nadat het gevoerd is."))
    except ValidationError as exc:
        errors["conversation_on"] = exc.messages
    try:
        check_free_text(follow_up)
    except ValidationError as exc:
        errors["follow_up"] = exc.messages
    if not follow_up.strip():
        errors["follow_up"] = [_("Noteer de afgesproken vervolgacties.")]
    if errors:
        raise ValidationError(errors)
    save_audited(
        locked,
        actor=actor,
        action="scan.conversation_recorded",
        values={"conversation_on": conversation_on, "follow_up": follow_up.strip()},
        mode="names",
        shown=["conversation_on"],
    )
    return locked
