"""Writing the person's requests: log, extend, close. Each write locks the row, checks
the version the form was loaded with, and is audited in the same transaction (free text
and the requester's name enter the trail by field name only)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketenregie.accounts.models import House
from ketenregie.audit.writes import create_audited, lock, save_audited
from ketenregie.cases.models import Person
from ketenregie.core.forms import not_in_future
from ketenregie.core.templatetags.dates import long_date
from ketenregie.privacy.deadlines import MAX_EXTENSION_MONTHS, first_month_end, request_deadline
from ketenregie.privacy.models import PrivacyRequest

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

PURPOSE = "rechten van betrokkene"


@transaction.atomic
def log_request(
    *,
    actor: User,
    house: House,
    kind: str,
    received_on: dt.date,
    channel: str,
    summary: str,
    person: Person | None = None,
    requester_name: str = "",
    requester_birth_date: dt.date | None = None,
) -> PrivacyRequest:
    """Log a request as received; its deadline is one month from receipt."""
    errors: dict[str, str] = {}
    if person is None and not requester_name.strip():
        errors["requester_name"] = _(
            "Vul de naam van de verzoeker in, of kies de betrokkene in Ketenregie."
        )
    if not summary.strip():
        errors["summary"] = _("Beschrijf kort wat de verzoeker vraagt.")
    try:
        not_in_future(received_on, _("De ontvangstdatum ligt in de toekomst."))
    except ValidationError as exc:
        errors["received_on"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return create_audited(
        PrivacyRequest,
        actor=actor,
        action="privacy.request_logged",
        mode="names",
        purpose=PURPOSE,
        values={
            "house": house,
            "person": person,
            "requester_name": requester_name.strip(),
            "requester_birth_date": requester_birth_date,
            "kind": kind,
            "received_on": received_on,
            "channel": channel,
            "summary": summary.strip(),
            "deadline": request_deadline(received_on),
            "created_by": actor,
        },
        extra=lambda r: {
            "huis": r.house_id,
            "betrokkene": r.person_id,
            "soort": r.kind,
            "ontvangen": r.received_on.isoformat(),
            "via": r.channel,
            "termijn": r.deadline.isoformat(),
        },
    )


@transaction.atomic
def extend_request(
    request: PrivacyRequest,
    *,
    actor: User,
    months: int,
    reason: str,
    told_on: dt.date,
    expected_version: int | None,
) -> PrivacyRequest:
    """Extend the period once, by one or two months (AVG art. 12(3)), with the reason and
    the day the person was told, which must lie within the first month."""
    locked = lock(request, expected_version=expected_version)
    if locked.status != PrivacyRequest.Status.OPEN:
        raise ValidationError(
            _("Dit verzoek is al verlengd of afgehandeld; een termijn wordt één keer verlengd.")
        )
    errors: dict[str, str] = {}
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        errors["months"] = _("Verleng met één of twee maanden.")
    if not reason.strip():
        errors["reason"] = _("Geef de reden van de verlenging; die krijgt de verzoeker ook.")
    last = first_month_end(locked.received_on)
    if told_on < locked.received_on:
        errors["told_on"] = _("Deze datum ligt voor de ontvangst van het verzoek.")
    elif told_on > last:
        errors["told_on"] = _(
            "De verzoeker moet binnen de eerste maand over de verlenging worden "
            "geïnformeerd (uiterlijk %(last)s). Verlengen kan niet meer."
        ) % {"last": long_date(last)}
    else:
        try:
            not_in_future(told_on)
        except ValidationError as exc:
            errors["told_on"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    save_audited(
        locked,
        actor=actor,
        action="privacy.request_extended",
        purpose=PURPOSE,
        mode="names",
        shown=("extension_months", "extension_told_on", "deadline", "status"),
        values={
            "extension_months": months,
            "extension_reason": reason.strip(),
            "extension_told_on": told_on,
            "deadline": request_deadline(locked.received_on, months),
            "status": PrivacyRequest.Status.EXTENDED,
        },
        always=True,
    )
    return locked


@transaction.atomic
def close_request(
    request: PrivacyRequest,
    *,
    actor: User,
    outcome: str,
    reasoning: str,
    handled_on: dt.date,
    expected_version: int | None,
) -> PrivacyRequest:
    """Record the answer: the outcome, its reasoning (the person gets it, with the right
    to complain to the Autoriteit Persoonsgegevens), and when it was sent."""
    locked = lock(request, expected_version=expected_version)
    if not locked.is_open:
        raise ValidationError(_("Dit verzoek is al afgehandeld."))
    errors: dict[str, str] = {}
    if outcome not in PrivacyRequest.Outcome.values:
        errors["outcome"] = _("Kies de uitkomst.")
    if outcome != PrivacyRequest.Outcome.GRANTED and not reasoning.strip():
        errors["reasoning"] = _(
            "Motiveer waarom het verzoek (gedeeltelijk) is afgewezen; de verzoeker heeft "
            "recht op de reden."
        )
    if handled_on < locked.received_on:
        errors["handled_on"] = _("Deze datum ligt voor de ontvangst van het verzoek.")
    else:
        try:
            not_in_future(handled_on)
        except ValidationError as exc:
            errors["handled_on"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    save_audited(
        locked,
        actor=actor,
        action="privacy.request_closed",
        purpose=PURPOSE,
        mode="names",
        shown=("outcome", "handled_on", "status"),
        values={
            "outcome": outcome,
            "reasoning": reasoning.strip(),
            "handled_on": handled_on,
            "handled_by": actor,
            "status": PrivacyRequest.Status.CLOSED,
        },
        extra=lambda r: {"te_laat": handled_on > r.deadline},
        always=True,
    )
    return locked


@transaction.atomic
def link_person(
    request: PrivacyRequest, *, actor: User, person: Person, expected_version: int | None
) -> PrivacyRequest:
    """Link the request to the person it is about, once found in Ketenregie."""
    locked = lock(request, expected_version=expected_version)
    save_audited(
        locked,
        actor=actor,
        action="privacy.request_linked",
        purpose=PURPOSE,
        values={"person": person},
    )
    return locked
