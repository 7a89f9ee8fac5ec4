"""Writes of the signatures a support plan and a safety plan carry: the client(s) and the
professional(s) each sign separately, and what is kept is who, when and how (a fact, not
an image of a signature)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.audit.writes import lock, save_audited
from ketenregie.plans.models import Plan, SafetyPlan
from ketenregie.plans.safety_models import SIGNATURE_FIELDS, SignedHow
from ketenregie.plans.services.common import _running

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

DATES = ("client_signed_on", "professional_signed_on")
CHOICES = ("client_signed_how", "professional_signed_how")


def signature_errors(new: Mapping[str, Any]) -> dict[str, str]:
    """Per party: a name, a date and a way go together; a date never lies ahead."""
    errors: dict[str, str] = {}
    for party in ("client", "professional"):
        by = str(new.get(f"{party}_signed_by") or "").strip()
        on = new.get(f"{party}_signed_on")
        how = new.get(f"{party}_signed_how") or ""
        if how and how not in SignedHow.values:
            errors[f"{party}_signed_how"] = _("Kies hoe er is ondertekend.")
        if on and on > timezone.localdate():
            errors[f"{party}_signed_on"] = _("Deze datum ligt in de toekomst.")
        if (on or how) and not by:
            errors[f"{party}_signed_by"] = _("Vermeld wie hebben ondertekend.")
        if by and not on:
            errors.setdefault(f"{party}_signed_on", _("Vul de datum van ondertekening in."))
        if by and not how:
            errors.setdefault(f"{party}_signed_how", _("Kies hoe er is ondertekend."))
    return errors


@transaction.atomic
def save_signatures(
    row: Plan | SafetyPlan, *, actor: User, values: Mapping[str, Any], expected_version: int
) -> Plan | SafetyPlan:
    """Record the signatures on the support plan or the safety plan."""
    _running(row.case)
    locked = lock(row, expected_version=expected_version)
    new = {f: values[f] if f in values else getattr(locked, f) for f in SIGNATURE_FIELDS}
    errors = signature_errors(new)
    if isinstance(locked, SafetyPlan):
        evaluation, signed = locked.evaluation_date, new["client_signed_on"]
        if evaluation and signed and evaluation <= signed:
            errors.setdefault(
                "client_signed_on", _("De ondertekening ligt vóór de evaluatiedatum.")
            )
    if errors:
        raise ValidationError(errors)
    save_audited(
        locked,
        actor=actor,
        action="plan.signed" if isinstance(locked, Plan) else "safety.signed",
        values={
            name: (value or None) if name in DATES else str(value or "").strip()
            for name, value in new.items()
        },
        case_id=locked.case_id,
        # Names are personal data (by name only); dates and the way of signing are readable.
        mode="names",
        shown=DATES + CHOICES,
        touch={"updated_at": timezone.now(), "updated_by": actor},
    )
    return locked


def signatures_content(row: Plan | SafetyPlan) -> dict[str, str]:
    """The signatures as a version keeps them (only those given, so versions from before
    signatures existed compare unchanged)."""
    out = {}
    for name in SIGNATURE_FIELDS:
        value = getattr(row, name)
        if value:
            out[name] = value.isoformat() if name in DATES else value
    return out
