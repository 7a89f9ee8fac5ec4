"""Who may do what in intake. Case reads still go through cases.access.visible_cases.

Enrichment requests are their own protected object: `visible_requests(user)` is the one
definition of which requests (and so which identifying data, for that purpose only) a
partner user sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from ketenregie.accounts.access import has_role, houses_where
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.access import chairs_case, is_chair_of
from ketenregie.cases.models import Case, CaseRole
from ketenregie.cases.workflow import (
    ENRICHMENT_STATUSES,
    PHASE_OF,
    SCREENING_STATUSES,
    Phase,
    Status,
)
from ketenregie.intake.models import AgendaItem, EnrichmentRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ketenregie.accounts.models import User


def chair_house_ids(user: User | AnonymousUser) -> set[int]:
    return set(houses_where(user, Role.TRIAGEVOORZITTER))


def can_refer(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.AANMELDER)


def is_referrer_of(user: User, case: Case) -> bool:
    return bool(getattr(case, "referral", None)) and case.referral.referrer_id == user.pk


def can_edit_draft(user: User, case: Case) -> bool:
    return case.status == Status.CONCEPT and is_referrer_of(user, case)


def can_add_to_referral(user: User, case: Case) -> bool:
    """The referrer adds information or attachments to their submitted referral until the
    chair's screening decided (the case leaves "aangemeld")."""
    return case.status == Status.AANGEMELD and is_referrer_of(user, case)


def can_see_enrichment(user: User, case: Case) -> bool:
    """Answers are for the chairs during intake, and for the case team once the PGA runs.

    The referrer does not see them (purpose limitation), nor does an adviser.
    """
    if chairs_case(user, case):
        return True
    if not case.full_access:
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
        referral__case__status__in=ENRICHMENT_STATUSES,
    )


def may_search_duplicates(user: User | AnonymousUser, case: Case) -> bool:
    """The chair of the case's house looks for duplicates while screening it."""
    return case.status in SCREENING_STATUSES and is_chair_of(user, case.house_id)


def duplicate_search_scope() -> QuerySet[Case]:
    """The cases a duplicate search may point at: every registered case in the country
    (a person may be known at another house), never another referrer's draft."""
    return Case.objects.exclude(status=Status.CONCEPT)


def agenda_names(user: User | AnonymousUser, items: Sequence[AgendaItem]) -> dict[int, str]:
    """Per agenda item, the person's name if the viewer may see it: only for cases the
    viewer sees in full through the gate (after the triage a case leaves intake, and the
    chair who is not on its team sees its code only)."""
    from ketenregie.cases.access import visible_cases

    case_ids = [i.referral.case_id for i in items]
    full = set(
        visible_cases(user)
        .filter(Q(full_access=True), pk__in=case_ids)
        .values_list("pk", flat=True)
    )
    return {i.pk: i.referral.case.person.full_name for i in items if i.referral.case_id in full}


# How long after a rejection a chair still hears "zojuist al besloten" instead of 404.
DECIDED_AWAY_WINDOW = dt.timedelta(days=1)


def decided_away(user: User | AnonymousUser, case_id: int) -> bool:
    """Was this referral just rejected (and so deleted) in a house where `user` chairs?

    Two chairs of one house may decide the same referral at once; the loser then finds
    no case. They may hear that it was decided (the trail's rejection, of their own
    house, recently), never anything about referrals of other houses or other cases.
    """
    houses = chair_house_ids(user)
    if not houses:
        return False
    return AuditEvent.objects.filter(
        action="referral.rejected_and_deleted",
        case_id=case_id,
        data__huis__in=sorted(houses),
        occurred_at__gte=timezone.now() - DECIDED_AWAY_WINDOW,
    ).exists()
