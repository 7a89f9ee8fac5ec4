"""Need-to-know access to cases: the one definition of who sees which case, and how.

`visible_cases(user)` is the only road to a case anywhere in the product. Each case it
returns carries `full_access`: False means the viewer may see it only pseudonymised
(an adviseur). `get_case_for` answers "not found" and "not allowed" with the same 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.http import Http404

from ketenregie.accounts.access import can_work_with_cases, holds_role_at, houses_where
from ketenregie.accounts.roles import Role
from ketenregie.cases.models import DIRECTOR_ROLES, Case, CaseMembership, CaseRole
from ketenregie.cases.workflow import INTAKE_STATUSES
from ketenregie.core.timeutil import today

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ketenregie.accounts.models import User


def active_memberships(user: User) -> QuerySet[CaseMembership]:
    """Memberships that give `user` access today: personal, or through their organisation."""
    who = Q(user_id=user.pk)
    if user.organisation_id is not None:
        who |= Q(user__isnull=True, organisation_id=user.organisation_id)
    return CaseMembership.objects.active_on(today()).filter(who)


def case_team(case_id: int, day: dt.date | None = None) -> QuerySet[CaseMembership]:
    """The memberships of one case that are active on `day` (default today)."""
    return CaseMembership.objects.active_on(day or today()).filter(case_id=case_id)


def team_users(case_id: int, *, include_advisers: bool = True) -> QuerySet[User]:
    """Active users on the case's team today: named members, and the users of
    organisations that are on the team as a whole (the team's mail group)."""
    from ketenregie.accounts.models import User

    team = case_team(case_id)
    if not include_advisers:
        team = team.exclude(role=CaseRole.ADVISEUR)
    return User.objects.filter(is_active=True).filter(
        Q(pk__in=team.filter(user__isnull=False).values("user_id"))
        | Q(organisation_id__in=team.filter(user__isnull=True).values("organisation_id"))
    )


def director_emails(case_id: int, roles: tuple[str, ...] | None = None) -> list[str]:
    """E-mail addresses of the case's active procesregisseur and casusregisseur."""
    wanted = roles or DIRECTOR_ROLES
    return list(
        case_team(case_id)
        .filter(role__in=wanted, user__isnull=False)
        .values_list("user__email", flat=True)
    )


def _chair_condition(user: User) -> Q:
    # Triage chairs screen referrals of their own houses before anyone is on a team.
    return Q(house_id__in=houses_where(user, Role.TRIAGEVOORZITTER), status__in=INTAKE_STATUSES)


def is_chair_of(user: User | AnonymousUser, house_id: int | None) -> bool:
    """The chair rule: a triage chair of this house (screens its referrals in intake)."""
    return holds_role_at(user, Role.TRIAGEVOORZITTER, house_id)


def chairs_case(user: User | AnonymousUser, case: Case) -> bool:
    """The chair sees this case because it is in intake at a house they chair."""
    return case.status in INTAKE_STATUSES and is_chair_of(user, case.house_id)


def _full_access(condition: Any) -> dict[str, ExpressionWrapper[Any]]:
    # `Case.full_access` is declared on the model (typed for every reader); the gate fills
    # it in through this one annotation.
    return {"full_access": ExpressionWrapper(condition, output_field=BooleanField())}


def visible_cases(user: User | AnonymousUser) -> QuerySet[Case]:
    """Cases the user may open; `full_access` False means pseudonymised (adviseur).

    Only case-work roles see cases at all: a manager, policy maker, privacy officer or
    administrator whose organisation is on a team still sees no case pages. A personal
    adviseur role wins over an organisation-wide membership: the adviser is named as
    such, so the organisation's access does not lift the pseudonymisation for them.
    """
    nothing = Case.objects.none().annotate(**_full_access(Value(False)))
    if not user.is_authenticated or not user.is_active:
        return nothing
    if not can_work_with_cases(user):
        return nothing
    memberships = active_memberships(user)
    on_case = memberships.filter(case_id=OuterRef("pk"))
    member = Exists(on_case)
    personal_full = Exists(on_case.filter(user_id=user.pk).exclude(role=CaseRole.ADVISEUR))
    personal_adviser = Exists(on_case.filter(user_id=user.pk, role=CaseRole.ADVISEUR))
    org_full = Exists(on_case.filter(user__isnull=True).exclude(role=CaseRole.ADVISEUR))
    chair = _chair_condition(user)
    full = personal_full | (org_full & ~personal_adviser) | chair
    return Case.objects.filter(member | chair).annotate(**_full_access(full))


def get_case_for(user: User | AnonymousUser, case_id: Any) -> Case:
    try:
        return (
            visible_cases(user)
            .select_related("person", "house", "house__region")
            .get(pk=int(case_id))
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Casus niet gevonden") from exc


def get_full_case_for(
    user: User | AnonymousUser, case_id: Any, *, statuses: Collection[str] | None = None
) -> Case:
    """A case the user sees in full: 404 when not visible (or, with `statuses`, when the
    page does not exist in the case's status), 403 for the pseudonymised view (an adviser
    knows the case exists, so a 403 tells nothing new)."""
    case = get_case_for(user, case_id)
    if statuses is not None and case.status not in statuses:
        raise Http404("Casus niet gevonden")
    if not case.full_access:
        raise PermissionDenied
    return case


def full_case_ids(user: User) -> QuerySet[Case, Any]:
    """Ids of the cases the user sees in full, as a subquery (`case_id__in=`)."""
    return visible_cases(user).filter(Q(full_access=True)).values("pk")


def directed_case_ids(
    user: User, roles: Collection[str] = (CaseRole.PROCESREGISSEUR,)
) -> QuerySet[CaseMembership, Any]:
    """Ids of the cases the user directs in one of `roles` (personally: an organisation
    on the team directs nothing), among the cases they see in full; a subquery."""
    return (
        active_memberships(user)
        .filter(user_id=user.pk, role__in=list(roles), case_id__in=full_case_ids(user))
        .values("case_id")
    )


def personal_director_roles(user: User, case_id: int) -> set[str]:
    """The user's active personal director roles on a case (procesregisseur, casusregisseur)."""
    return set(
        active_memberships(user)
        .filter(case_id=case_id, user_id=user.pk, role__in=DIRECTOR_ROLES)
        .values_list("role", flat=True)
    )


def case_roles_of(user: User, case: Case) -> set[str]:
    """The viewer's active roles on this case (personal and organisation-wide)."""
    return set(active_memberships(user).filter(case_id=case.pk).values_list("role", flat=True))


def can_manage_case(user: User, case: Case) -> bool:
    """Team and person data are managed by the case's active procesregisseur."""
    if not case.full_access:
        return False
    return (
        active_memberships(user)
        .filter(case_id=case.pk, role=CaseRole.PROCESREGISSEUR, user_id=user.pk)
        .exists()
    )
