"""Writes of the PGA start: informing the person, the start conversation, execution."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.audit import services as audit
from ketenregie.cases import services as case_services
from ketenregie.cases.models import Case
from ketenregie.cases.workflow import Status
from ketenregie.pga.models import Informing, LetterTemplate, StartConversation

if TYPE_CHECKING:
    from ketenregie.accounts.models import House, User

DEFAULT_LETTER = (
    "Geachte {naam},\n\n"
    "Met deze brief informeren wij u dat uw situatie is aangemeld bij {huis}. Verschillende "
    "organisaties werken daar samen om u en uw omgeving te helpen en om de veiligheid te "
    "verbeteren. Dat heet een persoonsgerichte aanpak.\n\n"
    "Voor deze aanpak wisselen de betrokken organisaties gegevens over u uit, alleen voor "
    "dit doel en niet meer dan nodig. Dit gebeurt op grond van de Wet gegevensverwerking "
    "door samenwerkingsverbanden (WGS).\n\n"
    "Wij nodigen u uit voor een gesprek, zodat u ook uw eigen kijk op de situatie en op "
    "oplossingen kunt geven.\n\n"
    "U heeft het recht te vragen welke gegevens over u zijn vastgelegd en wie ze heeft "
    "ingezien, en onjuiste gegevens te laten verbeteren. Noem daarbij het kenmerk "
    "{casusnummer}.\n\n"
    "Met vriendelijke groet,"
)


def letter_template_for(house: House) -> LetterTemplate:
    template = LetterTemplate.objects.filter(house=house).first()
    if template is None:
        template = LetterTemplate.objects.create(
            house=house,
            letterhead=house.name,
            body=DEFAULT_LETTER,
            signatory_name="De burgemeester",
            signatory_title="Burgemeester",
        )
    return template


def _require_status(case: Case, *allowed: Status) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
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
    locked = _require_status(case, Status.PGA_GESTART, Status.IN_UITVOERING)
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
    locked = _require_status(case, Status.PGA_GESTART, Status.IN_UITVOERING)
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
