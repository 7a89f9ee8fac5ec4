"""Whether a case that needs a safety plan still lacks one that counts.

The requirement itself (escalation level 3 and up, or safety concerns on the case) is
`cases.safety.safety_plan_required`; this adds what counts as "has a safety plan": one
with at least one safety agreement (seed 002 7.2: the agreements are what lifts the
unsafety). Adopting a support-plan version is refused while this returns a message.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ketenregie.cases.models import Case
from ketenregie.cases.safety import safety_plan_required
from ketenregie.plans.models import SafetyAgreement


def has_counting_safety_plan(case: Case) -> bool:
    return SafetyAgreement.objects.filter(safety_plan__case_id=case.pk).exists()


def safety_plan_missing(case: Case) -> str | None:
    """The Dutch refusal when the case needs a safety plan and has none that counts."""
    reason = safety_plan_required(case)
    if reason is None or has_counting_safety_plan(case):
        return None
    return _(
        "Veiligheidsplan verplicht: %(reason)s Leg eerst een veiligheidsplan met ten minste "
        "één veiligheidsafspraak vast; daarna kan het plan worden vastgesteld."
    ) % {"reason": reason}
