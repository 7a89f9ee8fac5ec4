"""Who may do what in the execution phase, on top of the one case gate (cases.access).

Every function takes a case that already came through `get_case_for`, so the need-to-know
rules (who sees the case, pseudonymised or not) are decided there and only there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ketenregie.cases.access import active_memberships
from ketenregie.cases.models import CaseRole

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.cases.models import Case
    from ketenregie.plans.models import Action

DIRECTOR_ROLES = (CaseRole.PROCESREGISSEUR, CaseRole.CASUSREGISSEUR)


def director_roles(user: User, case: Case) -> set[str]:
    """The viewer's personal director roles on the case (procesregisseur, casusregisseur)."""
    if not getattr(case, "full_access", False):
        return set()
    return set(
        active_memberships(user)
        .filter(case_id=case.pk, user_id=user.pk, role__in=DIRECTOR_ROLES)
        .values_list("role", flat=True)
    )


def can_direct(user: User, case: Case) -> bool:
    """Plan, safety plan and action list are kept by the procesregisseur and casusregisseur."""
    return bool(director_roles(user, case))


def owns_action(user: User, action: Action) -> bool:
    """An action is the user's own, or their organisation's (then any colleague reports)."""
    return action.owner_user_id == user.pk or action.owner_organisation_id == user.organisation_id
