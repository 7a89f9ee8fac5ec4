"""Writes of the safety plan: starting it, its texts, agreements and safety scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.audit import services as audit
from ketenregie.audit.writes import create_audited, lock, save_audited
from ketenregie.cases.models import Case
from ketenregie.plans.models import (
    SafetyAgreement,
    SafetyContact,
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
    "evaluation_date",
]
# The columns of a contact row (seed 002 7.2 "Contactgegevens"), at most CONTACTS_MAX.
CONTACT_FIELDS = ("name", "role", "phone", "email", "when_to_call")
CONTACTS_MAX = 30
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


def contact_row_gaps(values: Mapping[str, Any]) -> dict[str, str]:
    """What a filled contact row lacks, by column (one rule for the form's cells and this
    service): a name, and a phone number or e-mail address to reach them."""
    gaps: dict[str, str] = {}
    if not values.get("name"):
        gaps["name"] = str(_("vul de naam in."))
    if not values.get("phone") and not values.get("email"):
        gaps["phone"] = str(_("vul een telefoonnummer of e-mailadres in."))
    return gaps


def _contact_values(row: Mapping[str, Any]) -> dict[str, str]:
    return {name: str(row.get(name) or "").strip() for name in CONTACT_FIELDS}


def _contact_errors(rows: Sequence[tuple[int, Mapping[str, Any]]], existing: set[int]) -> list[str]:
    """The Dutch messages for the contact rows, each naming its row as the form numbers
    it ("Contactpersoon 2: …"): a name, a phone number or e-mail address to reach them,
    the columns' own rules (phone, e-mail, lengths), and only rows of this safety plan."""
    messages: list[str] = []
    if len(rows) > CONTACTS_MAX:
        messages.append(_("Hoogstens %(n)d contactpersonen.") % {"n": CONTACTS_MAX})
    for number, row in rows:
        prefix = _("Contactpersoon %(n)d: ") % {"n": number}
        pk = row.get("id")
        if pk is not None and pk not in existing:
            messages.append(prefix + _("deze rij hoort niet bij dit veiligheidsplan."))
            continue
        values = _contact_values(row)
        messages += [prefix + gap for gap in contact_row_gaps(values).values()]
        try:
            # The name's own rule (its length) once it is there; missing: said above.
            skip = ["safety_plan"] if values["name"] else ["safety_plan", "name"]
            SafetyContact(**values).full_clean(exclude=skip)
        except ValidationError as exc:
            messages += [prefix + str(m)[0].lower() + str(m)[1:] for m in exc.messages]
    return messages


def _save_contacts(
    safety: SafetyPlan,
    actor: User,
    rows: Sequence[Mapping[str, Any]],
    existing: dict[int, SafetyContact],
) -> dict[str, int]:
    """Write the rows in their order (changed, added; missing ones removed), each audited
    with its field names only (people's names and numbers stay out of the trail)."""
    counts = {"toegevoegd": 0, "gewijzigd": 0, "verwijderd": 0}
    kept: set[int] = set()
    for position, row in enumerate(rows):
        values: dict[str, Any] = {**_contact_values(row), "position": position}
        pk = row.get("id")
        if pk is None:
            create_audited(
                SafetyContact,
                actor=actor,
                action="safety.contact_added",
                values={"safety_plan": safety, **values},
                case_id=safety.case_id,
                mode="names",
            )
            counts["toegevoegd"] += 1
            continue
        kept.add(pk)
        if save_audited(
            existing[pk],
            actor=actor,
            action="safety.contact_changed",
            values=values,
            case_id=safety.case_id,
            mode="names",
            shown=("position",),
            labels={"position": "volgorde"},
        ):
            counts["gewijzigd"] += 1
    for pk, contact in existing.items():
        if pk not in kept:
            audit.record("safety.contact_removed", actor=actor, case_id=safety.case_id, obj=contact)
            contact.delete()
            counts["verwijderd"] += 1
    return counts


@transaction.atomic
def save_safety_plan(
    safety: SafetyPlan,
    *,
    actor: User,
    values: Mapping[str, Any],
    expected_version: int,
    contacts: Sequence[Mapping[str, Any]] | None = None,
    clear_earlier_contacts: bool = False,
) -> SafetyPlan:
    """Save the safety plan's texts and, when `contacts` is given, its contact rows: the
    whole list in order, each a mapping of CONTACT_FIELDS with `id` for a stored row
    (a stored row left out or emptied is removed; empty new rows are skipped). One
    version check covers both. `clear_earlier_contacts`: the free text from before the
    rows (ADR 32) has been taken over and goes."""
    _running(safety.case)
    locked = lock(safety, expected_version=expected_version)
    # A field the caller did not send keeps its stored value (and is checked with it).
    new = {
        name: values[name] if name in values else getattr(locked, name) for name in SAFETY_FIELDS
    }
    errors: dict[str, Any] = {}
    existing = {
        c.pk: c for c in SafetyContact.objects.select_for_update().filter(safety_plan=locked)
    }
    # A row with nothing filled in is no contact (a stored row emptied goes).
    numbered = [(n, r) for n, r in enumerate(contacts or (), 1) if any(_contact_values(r).values())]
    rows = [r for _n, r in numbered]
    if contacts is not None:
        contact_errors = _contact_errors(numbered, set(existing))
        if contact_errors:
            errors["contacts"] = contact_errors
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
    counts = _save_contacts(locked, actor, rows, existing) if contacts is not None else {}
    stored = {
        name: (
            bool(value)
            if name in SAFETY_FLAGS
            else (value or None)
            if name in SAFETY_DATES
            else str(value or "").strip()
        )
        for name, value in new.items()
    }
    if clear_earlier_contacts:
        stored["earlier_contacts"] = ""
    contacts_changed = any(counts.values())
    save_audited(
        locked,
        actor=actor,
        action="safety.saved",
        values=stored,
        case_id=locked.case_id,
        # Free text by name; dates and the goal check are no person's words: readable.
        mode="names",
        shown=SAFETY_DATES + SAFETY_FLAGS,
        touch={"updated_at": timezone.now(), "updated_by": actor},
        # Changed contacts are a change of the plan: its version moves on with them.
        always=contacts_changed,
        extra={"contactpersonen": counts} if contacts_changed else None,
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
