"""Who may change a case's client system (household members, network, consent).

Reading goes through the one gate (`cases.access.get_case_for`): whoever sees the case in
full sees its household; an adviser sees it pseudonymised. Changing it is for the case's
directors (procesregisseur, casusregisseur) and, while the referral is being processed,
the chair of its house (seed 002 section 3.4: whoever processes a referral).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ketenregie.cases.access import chairs_case, personal_director_roles
from ketenregie.cases.models import Case

if TYPE_CHECKING:
    from ketenregie.accounts.models import User


def can_edit_household(user: User, case: Case) -> bool:
    if not case.full_access:
        return False
    if personal_director_roles(user, case.pk):
        return True
    return chairs_case(user, case)
