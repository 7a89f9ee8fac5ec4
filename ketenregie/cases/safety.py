"""Safety concerns on a case and the one rule saying when a case needs a safety plan.

Seed 002 section 7.1 ("Zijn er zorgen over basiszorg en/of veiligheid? Indien er zorgen
zijn ... wordt het Veiligheidsplan ingevuld") and the escalation map (level 3 and up) make
a safety plan required, not only suggested (issue 15). The rule reads only the case, so
the case page (this app) and the plan pages (plans, above it) ask the same function;
`plans.safety.safety_plan_missing` adds whether the case has a safety plan that counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketenregie.audit.writes import lock, save_audited
from ketenregie.cases.client_system import is_client_system
from ketenregie.cases.models import Case
from ketenregie.cases.workflow import PGA_STATUSES

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

# From this escalation level a safety plan is required (seed 002, escalation map).
SAFETY_PLAN_LEVEL = 3
NOTE_MAX = 500


def in_household_scope(case: Case) -> bool:
    """Whether the rule applies: a client system's case (`cases.client_system`).

    The ZVH and local PGA cases keep their own practice (a safety plan suggested).
    """
    return is_client_system(case)


def safety_plan_required(case: Case) -> str | None:
    """Why this case needs a safety plan, or None when it does not."""
    if not in_household_scope(case):
        return None
    reasons = []
    if case.escalation_level >= SAFETY_PLAN_LEVEL:
        reasons.append(
            _("het escalatieniveau is %(level)s (vanaf %(min)s is een veiligheidsplan verplicht)")
            % {"level": case.escalation_level, "min": SAFETY_PLAN_LEVEL}
        )
    if case.safety_concerns:
        reasons.append(_("er zijn zorgen over basiszorg of veiligheid vastgelegd"))
    if not reasons:
        return None
    text = _(" en ").join(reasons)
    return text[0].upper() + text[1:] + "."


@transaction.atomic
def set_safety_concerns(
    case: Case, *, actor: User, concerns: bool, note: str, expected_version: int
) -> Case:
    """Record (or clear) safety concerns on the case, audited in the same transaction."""
    locked = lock(case, expected_version=expected_version)
    if locked.status not in PGA_STATUSES:
        raise ValidationError(_("Deze casus loopt niet meer; zorgen vastleggen kan niet."))
    note = (note or "").strip()
    errors = {}
    if len(note) > NOTE_MAX:
        errors["note"] = _("De toelichting is te lang (ten hoogste %(n)s tekens).") % {
            "n": NOTE_MAX
        }
    if concerns and not note:
        errors["note"] = _("Licht kort toe welke zorgen er zijn.")
    if errors:
        raise ValidationError(errors)
    save_audited(
        locked,
        actor=actor,
        action="case.safety_concerns_set",
        values={"safety_concerns": bool(concerns), "safety_concerns_note": note},
        case_id=locked.pk,
        # The note is free text about the person: by name only; the flag is readable.
        mode="names",
        shown=("safety_concerns",),
    )
    return locked
