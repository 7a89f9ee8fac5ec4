"""Writes of the Verwijsindex: record a signal (and match it), record that the young
person or parents were informed, withdraw, record the consultation after a match, and
remove expired signals (the privacy app's retention job). Each in one transaction with
its audit event; free text enters the trail by field name only."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.audit import services as audit
from ketenregie.audit.writes import create_audited, lock, save_audited
from ketenregie.cases.models import Person
from ketenregie.cases.workflow import PGA_STATUSES
from ketenregie.core.forms import check_free_text, not_in_future
from ketenregie.core.mail import send_link_mail
from ketenregie.core.timeutil import today
from ketenregie.safeguarding.vi_models import (
    ConsultationOutcome,
    RiskCategory,
    VerwijsindexMatch,
    VerwijsindexSignal,
    WithdrawalReason,
)
from ketenregie.safeguarding.vi_queries import signal_candidates
from ketenregie.safeguarding.vi_rules import AGE_LIMIT, expiry_date, is_young
from ketenregie.safeguarding.vi_transport import current_index

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.cases.models import Case


def _signaller_errors(actor: User) -> dict[str, str]:
    # A match gives the other professional these details: without them there is nobody
    # to call.
    if actor.organisation_id is None:
        return {
            "__all__": _(
                "U kunt geen signaal afgeven: uw account hoort niet bij een organisatie. Vraag "
                "de functioneel beheerder dit aan te vullen."
            )
        }
    if not (actor.email or actor.phone):
        return {
            "__all__": _(
                "U kunt geen signaal afgeven: bij een match krijgt de andere signaleerder uw "
                "contactgegevens, en uw account heeft geen e-mailadres of telefoonnummer."
            )
        }
    return {}


@transaction.atomic
def record_signal(
    case: Case,
    *,
    actor: User,
    person_id: int | None,
    category: str,
    informed_on: dt.date | None,
    not_informed_reason: str,
) -> VerwijsindexSignal:
    """Record a signal on a young person of this case and hand it to the index, which
    matches it; both signallers of a new match get a link mail."""
    day = today()
    errors = _signaller_errors(actor)
    if case.status not in PGA_STATUSES:
        errors["__all__"] = _(
            "Een signaal in de Verwijsindex geeft u af zodra de PGA is gestart en zolang de "
            "casus loopt."
        )
    person = next((p for p in signal_candidates(case) if p.pk == person_id), None)
    if person is None:
        errors["person"] = _("Kies de jongere uit het huishouden van deze casus.")
    elif person.geboortedatum is None:
        errors["person"] = _(
            "Van deze persoon is geen geboortedatum bekend; een signaal kan alleen voor een "
            "jongere onder de %(age)s jaar. Vul eerst de geboortedatum aan."
        ) % {"age": AGE_LIMIT}
    elif not is_young(person.geboortedatum, day):
        errors["person"] = _(
            "Deze persoon is %(age)s jaar of ouder; de Verwijsindex is alleen voor jongeren "
            "onder de %(age)s jaar."
        ) % {"age": AGE_LIMIT}
    if category not in RiskCategory.values:
        errors["category"] = _("Kies het risico waarop het signaal berust.")
    reason = (not_informed_reason or "").strip()
    check_free_text(reason)
    if informed_on is not None:
        try:
            not_in_future(informed_on)
        except ValidationError as error:
            errors["informed_on"] = error.messages[0]
        reason = ""  # informed: no reason to keep
    elif not reason:
        errors["informed_on"] = _(
            "Vul in wanneer de jongere of de ouders zijn geïnformeerd, of geef hieronder aan "
            "waarom dat nog niet is gebeurd."
        )
    if person is not None and "person" not in errors:
        # Two signals on one young person at the same moment must see each other (or the
        # match is lost): the person's row is the lock they queue on.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if VerwijsindexSignal.objects.filter(
            person=person, signaller=actor, expires_on__gt=day
        ).exists():
            errors["person"] = _("U heeft voor deze jongere al een actief signaal afgegeven.")
    if errors:
        raise ValidationError(errors)
    assert person is not None and person.geboortedatum is not None
    signal = create_audited(
        VerwijsindexSignal,
        actor=actor,
        action="vi.signal_recorded",
        case_id=case.pk,
        mode="none",
        values={
            "case": case,
            "person": person,
            "signaller": actor,
            "organisation_id": actor.organisation_id,
            "category": category,
            "signalled_on": day,
            "informed_on": informed_on,
            "not_informed_reason": reason,
            "expires_on": expiry_date(day, person.geboortedatum),
            "created_at": timezone.now(),
        },
        extra=lambda s: {
            "betrokkene": s.person_id,
            "risico": s.category,
            "geinformeerd_op": s.informed_on.isoformat() if s.informed_on else None,
            "vervalt_op": s.expires_on.isoformat(),
        },
    )
    for match in current_index().submit(signal, actor=actor):
        _mail_match(match)
    return signal


def _mail_match(match: VerwijsindexMatch) -> None:
    """A link mail to each signaller, pointing at their own case's Verwijsindex page."""
    for signal in (match.first, match.second):
        send_link_mail(
            [signal.signaller.email],
            subject=_("Nieuwe match in de Verwijsindex"),
            text=_(
                "Een jongere die u in de Verwijsindex heeft gesignaleerd, is ook door een "
                "andere professional gesignaleerd. Neem binnen vijf werkdagen contact met "
                "elkaar op voor afstemming."
            ),
            path=reverse("vi_list", args=[signal.case_id]),
        )


@transaction.atomic
def record_informed(
    signal: VerwijsindexSignal, *, actor: User, informed_on: dt.date | None
) -> VerwijsindexSignal:
    """The signaller records the day the young person or parents were informed."""
    locked = lock(signal)
    if locked.is_withdrawn or locked.expires_on <= today():
        raise ValidationError(_("Dit signaal is niet meer actief."))
    if informed_on is None:
        raise ValidationError(
            {"informed_on": _("Vul in wanneer de jongere of de ouders zijn geïnformeerd.")}
        )
    not_in_future(informed_on)
    if informed_on < locked.signalled_on - dt.timedelta(days=365):
        raise ValidationError({"informed_on": _("Deze datum ligt ver voor het signaal.")})
    save_audited(
        locked,
        actor=actor,
        action="vi.signal_informed",
        case_id=locked.case_id,
        values={"informed_on": informed_on, "not_informed_reason": ""},
        mode="names",
        shown=["informed_on"],
    )
    return locked


@transaction.atomic
def withdraw_signal(signal: VerwijsindexSignal, *, actor: User, reason: str) -> VerwijsindexSignal:
    """The signaller withdraws: the signal ends today (no longer matches; removed by the
    next retention run, its matches with it)."""
    locked = lock(signal)
    if locked.is_withdrawn:
        raise ValidationError(_("Dit signaal is al ingetrokken."))
    if reason not in WithdrawalReason.values:
        raise ValidationError({"reason": _("Kies waarom u het signaal intrekt.")})
    day = today()
    save_audited(
        locked,
        actor=actor,
        action="vi.signal_withdrawn",
        case_id=locked.case_id,
        values={
            "withdrawn_at": timezone.now(),
            "withdrawn_by": actor,
            "withdrawal_reason": reason,
            "expires_on": min(locked.expires_on, day),
        },
        shown=["withdrawal_reason", "expires_on"],
    )
    current_index().withdraw(locked, actor=actor)
    return locked


@transaction.atomic
def record_consultation(
    match: VerwijsindexMatch, *, actor: User, held_on: dt.date | None, outcome: str
) -> VerwijsindexMatch:
    """Either signaller records that the consultation was held (once for both)."""
    locked = lock(match, related=("consultation_by",), of=("self",))
    if locked.consultation_held_on is not None:
        who = locked.consultation_by.get_full_name() if locked.consultation_by else ""
        raise ValidationError(
            _("De afstemming is al vastgelegd door %(who)s.") % {"who": who or _("de ander")}
        )
    errors = {}
    if held_on is None:
        errors["held_on"] = _("Vul in wanneer de afstemming plaatsvond.")
    else:
        try:
            not_in_future(held_on)
        except ValidationError as error:
            errors["held_on"] = error.messages[0]
        if held_on < timezone.localdate(locked.matched_at):
            errors["held_on"] = _("De afstemming kan niet voor de match liggen.")
    if outcome not in ConsultationOutcome.values:
        errors["outcome"] = _("Kies de uitkomst van de afstemming.")
    if errors:
        raise ValidationError(errors)
    save_audited(
        locked,
        actor=actor,
        action="vi.consultation_recorded",
        values={
            "consultation_held_on": held_on,
            "consultation_outcome": outcome,
            "consultation_by": actor,
        },
        extra={"te_laat": bool(held_on and held_on > locked.consultation_due)},
    )
    return locked


def delete_expired_signals(on: dt.date, *, dry_run: bool = False) -> int:
    """Remove every signal whose end has come (two years, age 23, withdrawn), with its
    matches; one audit event per signal. Idempotent: a second run finds nothing."""
    expired = VerwijsindexSignal.objects.filter(expires_on__lte=on)
    if dry_run:
        return expired.count()
    count = 0
    for pk in list(expired.values_list("pk", flat=True).order_by("pk")):
        with transaction.atomic():
            signal = VerwijsindexSignal.objects.select_for_update().filter(pk=pk).first()
            if signal is None or signal.expires_on > on:
                continue
            audit.record(
                "vi.signal_expired",
                actor=None,
                case_id=signal.case_id,
                data={
                    "signaal": signal.pk,
                    "vervallen_op": signal.expires_on.isoformat(),
                    "ingetrokken": signal.is_withdrawn,
                },
            )
            VerwijsindexMatch.objects.filter(first=signal).delete()
            VerwijsindexMatch.objects.filter(second=signal).delete()
            signal.delete()
            count += 1
    return count
