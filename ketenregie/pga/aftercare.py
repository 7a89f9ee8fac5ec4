"""Writes and rules of phase 6 of household coordination (seed 002, ADR 26).

6b, closing: aftercare agreements (who, what, from when, how often, until when) and the
evaluation of the whole trajectory with the client and the professionals. A household
case does not close for good without an evaluation since it (re)entered execution
(`closing_errors`, asked by `pga.services.close_case`); a provisional close does not need
one. 6a: a professional leaves or procesregie moves (`record_professional_change`), on
the team's own handover; procesregie moves on all the household's open cases at once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.audit import services as audit
from ketenregie.audit.writes import create_audited, lock, save_audited
from ketenregie.cases import procesregie
from ketenregie.cases import services as case_services
from ketenregie.cases.client_system import is_client_system
from ketenregie.cases.models import Case, CaseMembership, CaseRole, StatusChange
from ketenregie.cases.workflow import CLOSING_CONVERSATION_STATUSES, RUNNING_STATUSES, Status
from ketenregie.core.forms import END_BEFORE_START
from ketenregie.pga.aftercare_models import (
    AftercareAgreement,
    ProfessionalChange,
    TrajectoryEvaluation,
)

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

# Aftercare is agreed while closing and kept up after the case closed for good.
AFTERCARE_STATUSES = CLOSING_CONVERSATION_STATUSES
# The trajectory is evaluated at the last meeting, before the case closes for good.
EVALUATION_STATUSES = RUNNING_STATUSES
AFTERCARE_FIELDS = (
    "organisation",
    "who",
    "what",
    "starts_on",
    "frequency",
    "ends_on",
    "follow_up_on",
)
EVALUATION_FIELDS = (
    "held_on",
    "with_client",
    "with_professionals",
    "went_well",
    "went_less_well",
    "goals_reached",
    "client_satisfaction",
    "client_view",
    "lessons",
)
# Free text never enters the trail; dates, ticks and the score do.
_EVALUATION_SHOWN = (
    "held_on",
    "with_client",
    "with_professionals",
    "goals_reached",
    "client_satisfaction",
)
_AFTERCARE_SHOWN = ("organisation", "starts_on", "ends_on", "follow_up_on")


def _locked_in(case: Case, allowed: frozenset[Status]) -> Case:
    locked = lock(case)
    if locked.status not in allowed:
        raise ValidationError(
            _("Dit kan niet bij een casus met status ‘%(status)s’.")
            % {"status": Status(locked.status).label}
        )
    return locked


# ------------------------------------------------------------------ aftercare (6b step 4)


def _aftercare_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.get("organisation") is None and not (values.get("who") or "").strip():
        errors["who"] = _("Vul in wie de nazorg geeft: een organisatie, een persoon of beide.")
    if not (values.get("what") or "").strip():
        errors["what"] = _("Beschrijf welke ondersteuning wordt gegeven.")
    if values.get("starts_on") is None:
        errors["starts_on"] = _("Vul in vanaf wanneer.")
    if not (values.get("frequency") or "").strip():
        errors["frequency"] = _("Vul in hoe vaak, bijvoorbeeld ‘wekelijks’ of ‘eenmalig’.")
    start, end = values.get("starts_on"), values.get("ends_on")
    if start and end and end < start:
        errors["ends_on"] = str(END_BEFORE_START)
    follow = values.get("follow_up_on")
    if start and follow and follow < start:
        errors["follow_up_on"] = _("Opvolgen kan niet vóór het begin van de nazorg.")
    return errors


def _clean_aftercare(values: dict[str, Any]) -> dict[str, Any]:
    clean = {k: values.get(k) for k in AFTERCARE_FIELDS}
    for key in ("who", "what", "frequency"):
        clean[key] = (clean[key] or "").strip()
    return clean


@transaction.atomic
def save_aftercare(
    case: Case,
    *,
    actor: User,
    values: dict[str, Any],
    agreement: AftercareAgreement | None = None,
    expected_version: int | None = None,
) -> AftercareAgreement:
    """Add an aftercare agreement, or change one (version-checked: two may edit it)."""
    locked = _locked_in(case, AFTERCARE_STATUSES)
    errors = _aftercare_errors(values)
    if errors:
        raise ValidationError(errors)
    clean = _clean_aftercare(values)
    if agreement is None:
        return create_audited(
            AftercareAgreement,
            actor=actor,
            action="pga.aftercare_added",
            values={
                **clean,
                "case": locked,
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
            case_id=locked.pk,
            mode="names",
        )
    row = lock(agreement, expected_version=expected_version)
    save_audited(
        row,
        actor=actor,
        action="pga.aftercare_changed",
        values=clean,
        case_id=locked.pk,
        mode="names",
        shown=_AFTERCARE_SHOWN,
    )
    return row


@transaction.atomic
def remove_aftercare(agreement: AftercareAgreement, *, actor: User) -> None:
    locked = _locked_in(agreement.case, AFTERCARE_STATUSES)
    row = lock(agreement)
    audit.record(
        "pga.aftercare_removed", actor=actor, case_id=locked.pk, obj=row, data={"id": row.pk}
    )
    row.delete()


# ------------------------------------------------------------------ evaluation (6b step 7)


def _execution_started_at(case: Case) -> dt.datetime | None:
    """When the case last entered execution (a reopening starts a new trajectory)."""
    return (
        StatusChange.objects.filter(case=case, to_status=Status.IN_UITVOERING)
        .order_by("-changed_at", "-pk")
        .values_list("changed_at", flat=True)
        .first()
    )


def current_evaluation(case: Case) -> TrajectoryEvaluation | None:
    """The evaluation of the current trajectory: recorded since execution last began."""
    rows = TrajectoryEvaluation.objects.filter(case=case)
    since = _execution_started_at(case)
    if since is not None:
        rows = rows.filter(recorded_at__gte=since)
    return rows.order_by("-recorded_at", "-pk").first()


def _evaluation_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    held_on = values.get("held_on")
    if held_on is None or held_on > timezone.localdate():
        errors["held_on"] = _("Vul de datum van de evaluatie in; die ligt niet in de toekomst.")
    if not values.get("with_client") or not values.get("with_professionals"):
        errors["with_professionals"] = _(
            "Evalueer het traject met de klant én met de professionals, en vink beide aan."
        )
    for key, message in (
        ("went_well", _("Schrijf op wat goed ging.")),
        ("went_less_well", _("Schrijf op wat minder goed ging.")),
        ("lessons", _("Schrijf de lessen voor een volgende keer op.")),
    ):
        if not (values.get(key) or "").strip():
            errors[key] = message
    if values.get("goals_reached") not in TrajectoryEvaluation.GoalsReached.values:
        errors["goals_reached"] = _("Geef aan of de doelen zijn bereikt.")
    score = values.get("client_satisfaction")
    if not isinstance(score, int) or not 1 <= score <= 10:
        errors["client_satisfaction"] = _(
            "Geef de tevredenheid van de klant als cijfer van 1 tot en met 10."
        )
    return errors


@transaction.atomic
def record_evaluation(
    case: Case, *, actor: User, values: dict[str, Any], expected_version: int | None = None
) -> TrajectoryEvaluation:
    """Record the evaluation of the trajectory, or change the current one (version-checked)."""
    locked = _locked_in(case, EVALUATION_STATUSES)
    errors = _evaluation_errors(values)
    if errors:
        raise ValidationError(errors)
    clean = {k: values.get(k) for k in EVALUATION_FIELDS}
    for key in ("went_well", "went_less_well", "client_view", "lessons"):
        clean[key] = (clean[key] or "").strip()
    current = current_evaluation(locked)
    if current is None:
        return create_audited(
            TrajectoryEvaluation,
            actor=actor,
            action="pga.evaluation_recorded",
            values={**clean, "case": locked, "recorded_by": actor, "recorded_at": timezone.now()},
            case_id=locked.pk,
            mode="names",
            extra={k: clean[k] for k in ("goals_reached", "client_satisfaction")},
        )
    row = lock(current, expected_version=expected_version)
    save_audited(
        row,
        actor=actor,
        action="pga.evaluation_changed",
        values=clean,
        case_id=locked.pk,
        mode="names",
        shown=_EVALUATION_SHOWN,
    )
    return row


def closing_errors(case: Case, *, provisional: bool) -> dict[str, str]:
    """What blocks closing a household case for good: no evaluation of the trajectory.

    Only a client system's case (`cases.client_system`) needs it; other cases close as
    before.
    """
    if provisional or not is_client_system(case) or current_evaluation(case) is not None:
        return {}
    return {
        NON_FIELD_ERRORS: _(
            "Definitief afsluiten kan pas na de evaluatie van het hele traject met de klant en "
            "de professionals. Leg die vast onder ‘Nazorg en evaluatie’; voorlopig afsluiten "
            "kan wel."
        )
    }


def closing_summary(case: Case) -> dict[str, Any]:
    """What the closing page shows of phase 6b: the agreements and the evaluation."""
    return {
        "household_case": is_client_system(case),
        "aftercare_agreements": list(
            AftercareAgreement.objects.filter(case=case).select_related("organisation")
        ),
        "trajectory_evaluation": current_evaluation(case),
    }


# ------------------------------------------------------------------ 6a


@transaction.atomic
def record_professional_change(
    case: Case,
    *,
    actor: User,
    membership: CaseMembership,
    successor: User | None,
    on_date: dt.date,
    handover_note: str,
) -> list[ProfessionalChange]:
    """A professional leaves (`successor` None) or hands the role to a successor; for
    procesregie on every open case of the household. One 6a row per case it touched."""
    errors: dict[str, str] = {}
    if membership.case_id != case.pk or membership.user_id is None:
        errors["membership"] = _("Kies een persoon uit het casusteam van deze casus.")
    elif not membership.active_on(on_date):
        errors["membership"] = _("Deze persoon heeft die rol niet meer op die datum.")
    if membership.role == CaseRole.PROCESREGISSEUR and successor is None:
        errors["successor"] = _(
            "De procesregie stopt niet: kies samen met de klant wie haar overneemt."
        )
    if not handover_note.strip():
        errors["handover_note"] = _(
            "Schrijf de warme overdracht op: wat de opvolger en de klant moeten weten."
        )
    if errors:
        raise ValidationError(errors)
    assert membership.user is not None
    if successor is None:
        case_services.end_membership(
            membership, actor=actor, valid_to=on_date, note=_("Betrokkenheid afgesloten (6a)")
        )
        moved: list[CaseMembership] = [membership]
    else:
        moved = procesregie.hand_over_procesregie(
            membership,
            actor=actor,
            successor=successor,
            from_date=on_date,
            note=_("Overdracht (6a)"),
        )
    household_wide = len(moved) > 1
    rows = []
    for m in moved:
        row = create_audited(
            ProfessionalChange,
            actor=actor,
            action="pga.professional_change_recorded",
            values={
                "case_id": m.case_id,
                "role": membership.role,
                "from_user": membership.user,
                "to_user": successor,
                "on_date": on_date,
                "handover_note": handover_note.strip(),
                "household_wide": household_wide,
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
            case_id=m.case_id,
            mode="names",
            extra={
                "rol": membership.role,
                "per": on_date.isoformat(),
                "huishouden": household_wide,
            },
        )
        rows.append(row)
    return rows
