"""Need-to-know access to cases: the one definition of who sees which case, and how.

`visible_cases(user)` is the only road to a case anywhere in the product. Each case it
returns carries `full_access`: False means the viewer may see it only pseudonymised
(an adviseur). `get_case_for` answers "not found" and "not allowed" with the same 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, TypeGuard

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

from ketenregie.accounts.access import (
    active_case_workers,
    can_work_with_cases,
    holds_role_at,
    house_case_workers,
    houses_where,
    roles_of,
)
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


def made_on_case_q(case: Case, user_field: str) -> Q:
    """Records (on `user_field`) made by someone who was ever on this case's team, by
    whoever made the case, or by the system: what a case may show of a person it shares
    with other cases. A change another case's team made to that person stays with that
    case: showing it (and its author) would tell this team that the other case exists."""
    team = CaseMembership.objects.filter(case_id=case.pk)
    return (
        Q(**{f"{user_field}__isnull": True})
        | Q(**{user_field: case.created_by_id})
        | Q(**{f"{user_field}__in": team.filter(user__isnull=False).values("user_id")})
        | Q(
            **{
                f"{user_field}__organisation_id__in": team.filter(user__isnull=True).values(
                    "organisation_id"
                )
            }
        )
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


def _personal(user: User) -> QuerySet[CaseMembership]:
    return CaseMembership.objects.active_on(today()).filter(user_id=user.pk)


def _organisation_wide(user: User) -> QuerySet[CaseMembership]:
    if user.organisation_id is None:
        return CaseMembership.objects.none()
    return CaseMembership.objects.active_on(today()).filter(
        user__isnull=True, organisation_id=user.organisation_id
    )


def _chair_cases(user: User) -> QuerySet[Case, Any]:
    # Triage chairs screen referrals of their own houses before anyone is on a team.
    return Case.objects.filter(_chair_condition(user)).values("pk")


def _ids(memberships: QuerySet[CaseMembership]) -> QuerySet[CaseMembership, Any]:
    return memberships.order_by().values("case_id")


def _chair_road(user: User) -> Q:
    # Only a triage chair has this road; leaving it out for everyone else keeps the gate a
    # single semi-join that PostgreSQL can estimate (the role set is cached per request).
    return _chair_condition(user) if Role.TRIAGEVOORZITTER in roles_of(user) else Q()


def _visible_ids(user: User) -> Q:
    """The visible cases as a semi-join, `pk IN (case ids of the user's active memberships)`,
    or a chair's intake cases.

    One uncorrelated subquery over the membership indexes (by user; organisation-wide by
    organisation), which PostgreSQL hashes once, instead of an EXISTS probed per case.
    """
    return Q(pk__in=_ids(active_memberships(user))) | _chair_road(user)


def _full_ids(user: User) -> Q:
    """The cases the user sees in full, as a semi-join: a personal non-adviser role, an
    organisation-wide non-adviser role unless the user is personally named adviser on
    that case, or the chair's intake cases."""
    adviser = _ids(_personal(user).filter(role=CaseRole.ADVISEUR))
    full = (
        active_memberships(user)
        .exclude(role=CaseRole.ADVISEUR)
        .exclude(user__isnull=True, case_id__in=adviser)
    )
    return Q(pk__in=_ids(full)) | _chair_road(user)


def _full_access_of_row(user: User, ref: str) -> Q:
    """The same rule as `_full_ids`, per row: correlated on the case (`ref` names the
    case id of the outer row), so a page pays for it only on the rows it reads."""
    personal = _personal(user).filter(case_id=OuterRef(ref))
    personal_full = Exists(personal.exclude(role=CaseRole.ADVISEUR))
    personal_adviser = Exists(personal.filter(role=CaseRole.ADVISEUR))
    organisation = _organisation_wide(user).filter(case_id=OuterRef(ref))
    org_full = Exists(organisation.exclude(role=CaseRole.ADVISEUR))
    chair = _chair_road(user)
    if ref != "pk" and chair:
        chair = Q(**{f"{ref}__in": _chair_cases(user)})
    return Q(personal_full) | (Q(org_full) & ~Q(personal_adviser)) | chair


def seen_in_full(user: User, case_field: str = "case_id") -> Q:
    """A filter for rows of another model (actions, meetings) whose case the user sees
    in full, checked per row: cheap when the rows are few or read in index order."""
    if not _may_see_cases(user):
        return Q(pk__in=[])
    return _full_access_of_row(user, case_field)


def _may_see_cases(user: User | AnonymousUser) -> TypeGuard[User]:
    return user.is_authenticated and user.is_active and can_work_with_cases(user)


def visible_cases(user: User | AnonymousUser) -> QuerySet[Case]:
    """Cases the user may open; `full_access` False means pseudonymised (adviseur).

    Only case-work roles see cases at all: a manager, policy maker, privacy officer or
    administrator whose organisation is on a team still sees no case pages. A personal
    adviseur role wins over an organisation-wide membership: the adviser is named as
    such, so the organisation's access does not lift the pseudonymisation for them.
    """
    if not _may_see_cases(user):
        return Case.objects.none().annotate(**_full_access(Value(False)))
    return Case.objects.filter(_visible_ids(user)).annotate(
        **_full_access(_full_access_of_row(user, "pk"))
    )


def member_cases(user: User | AnonymousUser) -> QuerySet[Case]:
    """The user's own cases: the gate without the chair's road (on the team personally or
    through their organisation), with the same `full_access`."""
    if not _may_see_cases(user):
        return Case.objects.none().annotate(**_full_access(Value(False)))
    return Case.objects.filter(pk__in=_ids(active_memberships(user))).annotate(
        **_full_access(_full_access_of_row(user, "pk"))
    )


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
    if not _may_see_cases(user):
        return Case.objects.none().values("pk")
    return Case.objects.filter(_full_ids(user)).values("pk")


def directed_case_ids(
    user: User, roles: Collection[str] = (CaseRole.PROCESREGISSEUR,)
) -> QuerySet[CaseMembership, Any]:
    """Ids of the cases the user directs in one of `roles` (personally: an organisation
    on the team directs nothing), among the cases they see in full; a subquery.

    A personal director role is a personal non-adviser membership, which is full access
    by the gate's own rule (`_full_ids`); so only the case-work check is needed, and the
    subquery stays one index range instead of nesting the whole gate.
    """
    if not _may_see_cases(user) or CaseRole.ADVISEUR in roles:
        return CaseMembership.objects.none().values("case_id")
    return _ids(_personal(user).filter(role__in=list(roles)))


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


def handover_successors(user: User, membership: CaseMembership) -> QuerySet[User]:
    """Who may take over `membership`'s role when `user` hands it over.

    The holder hands over to a colleague of the role's own organisation. Across
    organisations only the case's procesregisseur hands over (the approval such a handover
    needs), and only to people who work with the case's house or are on the case's team:
    never another region's staff. Never the current holder.
    """
    own = active_case_workers().filter(organisation_id=membership.organisation_id)
    directs = (
        active_memberships(user)
        .filter(case_id=membership.case_id, user_id=user.pk, role=CaseRole.PROCESREGISSEUR)
        .exists()
    )
    colleagues = own
    if directs:
        # Or someone already on the case's team (the casusregisseur agreed at a meeting).
        team = team_users(membership.case_id).filter(organisation__isnull=False)
        colleagues = own | house_case_workers(membership.case.house_id) | team
    if membership.user_id is not None:
        colleagues = colleagues.exclude(pk=membership.user_id)
    return (
        colleagues.distinct()
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )
