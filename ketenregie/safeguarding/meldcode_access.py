"""Who may see and record what of a case's meldcode, on top of the one case gate.

Every case here came through `cases.access` (`get_full_case_for`), so who sees the case
at all, and whether in full, is decided there only. The meldcode is read in full only:
an adviser (pseudonymised view) gets 403, as for the plan and the safety plan.

Recording (steps, decision questions): the case's directors (procesregisseur,
casusregisseur: personal roles) and its betrokken partners with full access, personally
or through their organisation: the meldcode is every professional's own duty (seed 002
section 4.1), and the casusregisseur is usually the one who sees the signals.

Reporting to Veilig Thuis and ending the trajectory (duurzaam veilig): the casusregisseur
(seed 4.1: Veilig Thuis needs the report from who observed the signals). While the case
has no active casusregisseur, the procesregisseur acts for them (the role is agreed at a
meeting and may not be filled yet; the report must not wait for it). Veilig Thuis's
follow-up is recorded by either director.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ketenregie.cases.access import (
    case_roles_of,
    case_team,
    get_full_case_for,
    personal_director_roles,
)
from ketenregie.cases.models import CaseRole
from ketenregie.cases.workflow import PGA_STATUSES, STARTED_STATUSES

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.cases.models import Case

# The page exists once the PGA started (a team exists); the meldcode can be followed in
# every phase after that (seed 4.1), but not on a closed or transferred case.
PAGE_STATUSES = STARTED_STATUSES
WRITE_STATUSES = PGA_STATUSES


def meldcode_case(user: User, case_id: Any) -> Case:
    """The case, seen in full through the gate (404 / 403 as `get_full_case_for`)."""
    return get_full_case_for(user, case_id, statuses=PAGE_STATUSES)


def may_record(user: User, case: Case) -> bool:
    """Steps and decision questions: directors and betrokken partners with full access."""
    if not case.full_access or case.status not in WRITE_STATUSES:
        return False
    if personal_director_roles(user, case.pk):
        return True
    return CaseRole.BETROKKEN_PARTNER in case_roles_of(user, case)


def _has_casusregisseur(case: Case) -> bool:
    return case_team(case.pk).filter(role=CaseRole.CASUSREGISSEUR, user__isnull=False).exists()


def acts_as_casusregisseur(user: User, case: Case) -> bool:
    """The casusregisseur, or the procesregisseur while the case has none."""
    if not case.full_access or case.status not in WRITE_STATUSES:
        return False
    roles = personal_director_roles(user, case.pk)
    if CaseRole.CASUSREGISSEUR in roles:
        return True
    return CaseRole.PROCESREGISSEUR in roles and not _has_casusregisseur(case)


def may_follow_up(user: User, case: Case) -> bool:
    """Veilig Thuis's response to a report: either director of the case."""
    if not case.full_access or case.status not in WRITE_STATUSES:
        return False
    return bool(personal_director_roles(user, case.pk))
