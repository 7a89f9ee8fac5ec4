"""Which cases belong to a client system (issue 15, seed 002 "1Gezin1Plan1Regisseur").

The household variant's rules (one procesregisseur per household, the competence check
against the escalation map, a safety plan required, the evaluation at closing, the six
phases on the case page) apply to a client system's case only: a case with a household,
in a house that works in the household variant (`House.household_variant`). A ZVH or
local PGA case that names a household on its referral stays person-centred. This module
is that scope rule, once; the rules import it.
"""

from __future__ import annotations

from ketenregie.cases.models import Case


def is_client_system(case: Case) -> bool:
    """A client system's case: with a household, in a house in the household variant."""
    return case.household_id is not None and case.house.household_variant


def household_has_client_system(household_id: int) -> bool:
    """Whether a case of the household (this one or another) is a client system's case.

    The one-procesregisseur rule spans the household's cases in any house (a member's
    ZVH case elsewhere too), as soon as one of them is coordinated as a client system.
    """
    return Case.objects.filter(household_id=household_id, house__household_variant=True).exists()
