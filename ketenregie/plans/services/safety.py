"""Writes of the safety plan: starting it, its texts, agreements and safety scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.audit import services as audit
from ketenregie.audit.writes import lock, save_audited
from ketenregie.cases.models import Case
from ketenregie.plans.models import (
    SafetyAgreement,
    SafetyPlan,
    SafetyScore,
)
from ketenregie.plans.services.common import _running

if TYPE_CHECKING:
    from ketenregie.accounts.models import User


SAFETY_FIELDS = [
    "check_goal_in_plan",
    "check_end_unsafety",
    "check_treat_causes",
    "check_recovery",
    "conditions",
    "strengths",
    "concerns",
    "first_incident_on",
    "first_incident",
    "worst_incident_on",
    "worst_incident",
    "last_incident_on",
    "last_incident",
    "frequency",
    "harm",
    "worst_case",
    "complicating_factors",
    "contacts",
    "evaluation_date",
]
SAFETY_FLAGS = ("check_goal_in_plan", "check_end_unsafety", "check_treat_causes", "check_recovery")
SAFETY_DATES = ("first_incident_on", "worst_incident_on", "last_incident_on", "evaluation_date")
INCIDENTS = ("first_incident", "worst_incident", "last_incident")
# Added with seed 002's template (issue 15): a version keeps them only when set, so the
# versions adopted before compare unchanged.
NEW_SAFETY_FIELDS = frozenset(SAFETY_FIELDS) - {
    "strengths",
    "concerns",
    "worst_case",
    "complicating_factors",
    "contacts",
    "evaluation_date",
}


@transaction.atomic
def safety_plan_for(case: Case, actor: User | None = None) -> SafetyPlan:
    """Start the case's safety plan ("Veiligheidsplan starten"), audited as the starter.

    A POST, never a page view; starting twice returns the safety plan that is there.
    """
    _running(case)
    safety, created = SafetyPlan.objects.get_or_create(case=case)
    if created:
        audit.record("safety.created", actor=actor, case_id=case.pk, obj=safety)
    return safety


@transaction.atomic
def save_safety_plan(
    safety: SafetyPlan, *, actor: User, values: Mapping[str, Any], expected_version: int
) -> SafetyPlan:
    _running(safety.case)
    locked = lock(safety, expected_version=expected_version)
    # A field the caller did not send keeps its stored value (and is checked with it).
    new = {
        name: values[name] if name in values else getattr(locked, name) for name in SAFETY_FIELDS
    }
    errors = {}
    signed_on, evaluation = locked.client_signed_on, new["evaluation_date"]
    if evaluation and signed_on and evaluation <= signed_on:
        errors["evaluation_date"] = _("De evaluatie ligt na de ondertekening.")
    for incident in INCIDENTS:
        on = new[f"{incident}_on"]
        if on and on > timezone.localdate():
            errors[f"{incident}_on"] = _("Een incident ligt niet in de toekomst.")
        if on and not str(new[incident] or "").strip():
            errors[incident] = _("Beschrijf wat er bij dit incident is gebeurd.")
    if errors:
        raise ValidationError(errors)
    save_audited(
        locked,
        actor=actor,
        action="safety.saved",
        values={
            name: (
                bool(value)
                if name in SAFETY_FLAGS
                else (value or None)
                if name in SAFETY_DATES
                else str(value or "").strip()
            )
            for name, value in new.items()
        },
        case_id=locked.case_id,
        # Free text by name; dates and the goal check are no person's words: readable.
        mode="names",
        shown=SAFETY_DATES + SAFETY_FLAGS,
        touch={"updated_at": timezone.now(), "updated_by": actor},
    )
    return locked


@transaction.atomic
def add_safety_agreement(
    safety: SafetyPlan,
    *,
    actor: User,
    what: str,
    who_checks: str,
    if_not_kept: str,
    who: str = "",
    when: str = "",
    needed: str = "",
) -> SafetyAgreement:
    _running(safety.case)
    errors = {}
    if not what.strip():
        errors["what"] = _("Beschrijf wat er moet gebeuren.")
    if not who_checks.strip():
        errors["who_checks"] = _("Vermeld wie controleert of de afspraak wordt nagekomen.")
    if not if_not_kept.strip():
        errors["if_not_kept"] = _("Beschrijf wat er gebeurt als de afspraak niet wordt nagekomen.")
    if errors:
        raise ValidationError(errors)
    agreement = SafetyAgreement.objects.create(
        safety_plan=safety,
        what=what.strip(),
        who_checks=who_checks.strip(),
        if_not_kept=if_not_kept.strip(),
        who=who.strip(),
        when=when.strip(),
        needed=needed.strip(),
    )
    audit.record("safety.agreement_added", actor=actor, case_id=safety.case_id, obj=agreement)
    return agreement


@transaction.atomic
def add_safety_score(
    case: Case,
    *,
    actor: User,
    who: str,
    score: int | None,
    on_date: dt.date | None,
    note: str = "",
) -> SafetyScore:
    locked = _running(case)
    errors = {}
    if not who.strip():
        errors["who"] = _("Vermeld wie de score geeft.")
    if score is None or not 0 <= score <= 10:
        errors["score"] = _("De schaalvraag heeft een score van 0 tot en met 10.")
    if on_date is None or on_date > timezone.localdate():
        errors["on_date"] = _("Vul een datum in die niet in de toekomst ligt.")
    if errors:
        raise ValidationError(errors)
    assert score is not None and on_date is not None
    record = SafetyScore.objects.create(
        case=locked,
        who=who.strip(),
        score=score,
        on_date=on_date,
        note=note.strip(),
        recorded_by=actor,
    )
    audit.record(
        "safety.score_added",
        actor=actor,
        case_id=locked.pk,
        obj=record,
        data={"score": score, "datum": on_date.isoformat()},
    )
    return record
