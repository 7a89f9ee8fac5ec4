"""Who may do what in intake. Case reads still go through cases.access.visible_cases.

Enrichment requests are their own protected object: `visible_requests(user)` is the one
definition of which requests (and so which identifying data, for that purpose only) a
partner user sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ketenregie.accounts.access import has_role
from ketenregie.accounts.models import RoleAssignment
from ketenregie.accounts.roles import Role
from ketenregie.cases.models import Case, CaseRole
from ketenregie.cases.workflow import INTAKE_STATUSES, PHASE_OF, Phase, Status
from ketenregie.intake.models import EnrichmentRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ketenregie.accounts.models import House, User


def chair_house_ids(user: User | AnonymousUser) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        RoleAssignment.objects.filter(
            user_id=user.pk, role=Role.TRIAGEVOORZITTER, house__isnull=False
        ).values_list("house_id", flat=True)
    )


def is_chair_of(user: User | AnonymousUser, house: House) -> bool:
    return house.pk in chair_house_ids(user)


def can_refer(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.AANMELDER)


def is_referrer_of(user: User, case: Case) -> bool:
    return bool(getattr(case, "referral", None)) and case.referral.referrer_id == user.pk


def can_edit_draft(user: User, case: Case) -> bool:
    return case.status == Status.CONCEPT and is_referrer_of(user, case)


def can_see_enrichment(user: User, case: Case) -> bool:
    """Answers are for the chairs during intake, and for the case team once the PGA runs.

    The referrer does not see them (purpose limitation), nor does an adviser.
    """
    if case.status in INTAKE_STATUSES and is_chair_of(user, case.house):
        return True
    if not getattr(case, "full_access", False):
        return False
    if PHASE_OF[Status(case.status)] not in (Phase.VOORTRAJECT, Phase.CASUISTIEK):
        return False
    from ketenregie.cases.access import active_memberships

    mine = active_memberships(user).filter(case_id=case.pk)
    # Named as adviser or as referrer: no answers, whatever the organisation's role.
    if mine.filter(user_id=user.pk, role__in=[CaseRole.ADVISEUR, CaseRole.AANMELDER]).exists():
        return False
    return mine.exclude(role__in=[CaseRole.ADVISEUR, CaseRole.AANMELDER]).exists()


def visible_requests(user: User | AnonymousUser) -> QuerySet[EnrichmentRequest]:
    """Enrichment requests a partner user may read and answer: their organisation's,
    while the referral is being enriched or waits for triage."""
    org_id = getattr(user, "organisation_id", None)
    if not user.is_authenticated or org_id is None or not has_role(user, Role.PROFESSIONAL):
        return EnrichmentRequest.objects.none()
    return EnrichmentRequest.objects.filter(
        organisation_id=org_id,
        referral__case__status__in=[Status.VERRIJKING, Status.GEAGENDEERD],
    )
