"""Who may use which product-wide function, by role. Case access lives in cases.access."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ketenregie.accounts.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ketenregie.accounts.models import House, RoleAssignment, User


def roles_of(user: User | AnonymousUser) -> frozenset[str]:
    """The user's roles (any house), fetched once per request object."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_ketenregie_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", flat=True))
        # Cached on the request's user object: the nav and the views ask several times.
        setattr(user, "_ketenregie_roles", cached)  # noqa: B010
    return cached


def has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role in roles_of(user)


def can_manage_accounts(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.BEHEERDER)


def can_read_audit(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.PRIVACY_OFFICER)


PRIVACY_ROLES = (Role.PRIVACY_OFFICER, Role.PRIVACY_CONTACT)


def can_do_privacy_work(user: User | AnonymousUser) -> bool:
    """The privacy officer (FG) and a house's privacy contact: the sharing register, the
    person's requests (subject access, correction, objection), retention (issue 13)."""
    return bool(roles_of(user) & set(PRIVACY_ROLES))


def privacy_house_ids(user: User | AnonymousUser) -> QuerySet[RoleAssignment, int] | None:
    """The houses whose privacy work `user` does: None for a privacy officer without a
    house (the FG of the whole installation: every house), else the houses of their
    privacy-officer and privacy-contact assignments (empty for everyone else)."""
    from ketenregie.accounts.models import RoleAssignment

    if (
        user.is_authenticated
        and RoleAssignment.objects.filter(
            user_id=user.pk, role=Role.PRIVACY_OFFICER, house__isnull=True
        ).exists()
    ):
        return None
    if not user.is_authenticated:
        return RoleAssignment.objects.none().values_list("house_id", flat=True)
    return RoleAssignment.objects.filter(
        user_id=user.pk, role__in=list(PRIVACY_ROLES), house__isnull=False
    ).values_list("house_id", flat=True)


# Who reads the needs-vs-interventions matrix (issue 14, ADR 24): aggregates only, for the
# manager (own house's region), policy (their region) and the PGA expert (own house).
NEEDS_MATRIX_ROLES = (Role.MANAGER, Role.BELEID, Role.PGA_EXPERT)


def can_see_needs_matrix(user: User | AnonymousUser) -> bool:
    return bool(roles_of(user) & set(NEEDS_MATRIX_ROLES))


def works_with_cases(roles: frozenset[str]) -> bool:
    """Roles whose work is case content (case list, dashboard panels, meetings)."""
    from ketenregie.accounts.roles import CASE_WORK_ROLES

    return bool(roles & CASE_WORK_ROLES)


def can_work_with_cases(user: User | AnonymousUser) -> bool:
    return works_with_cases(roles_of(user))


def houses_where(user: User | AnonymousUser, role: Role) -> QuerySet[RoleAssignment, int]:
    """Ids of the houses where `user` holds `role` (a subquery: use in `house_id__in`).

    The one definition of "this user's houses for this role": chairs screen their houses'
    referrals, procesregisseurs run their houses' monitoring, managers see their houses'
    figures.
    """
    from ketenregie.accounts.models import RoleAssignment

    if not user.is_authenticated:
        return RoleAssignment.objects.none().values_list("house_id", flat=True)
    return RoleAssignment.objects.filter(
        user_id=user.pk, role=role, house__isnull=False
    ).values_list("house_id", flat=True)


def holds_role_at(user: User | AnonymousUser, role: Role, house_id: int | None) -> bool:
    return house_id is not None and houses_where(user, role).filter(house_id=house_id).exists()


def users_with_role_at(role: Role, house_id: int) -> QuerySet[User]:
    """Active users holding `role` at the house (e.g. its managers, to escalate to)."""
    from ketenregie.accounts.models import RoleAssignment, User

    return User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.filter(role=role, house_id=house_id).values("user_id"),
    )


def active_case_workers() -> QuerySet[User]:
    """Active users of an organisation whose role is case work: who can hold a role on
    a case's team, be invited to its meetings or take a role over."""
    from ketenregie.accounts.models import RoleAssignment, User
    from ketenregie.accounts.roles import CASE_WORK_ROLES

    case_work = RoleAssignment.objects.filter(role__in=list(CASE_WORK_ROLES)).values("user_id")
    return User.objects.filter(is_active=True, organisation__isnull=False, pk__in=case_work)


def house_case_workers(house_id: int) -> QuerySet[User]:
    """Active case workers who work with a house: people of its partner organisations
    and those holding a role at the house. Never another region's staff: who may be
    invited to the house's meetings or take over a role on one of its cases."""
    from django.db.models import Q

    from ketenregie.accounts.models import HousePartner, RoleAssignment

    partners = HousePartner.objects.filter(house_id=house_id).values("organisation_id")
    staff = RoleAssignment.objects.filter(house_id=house_id).values("user_id")
    return active_case_workers().filter(Q(organisation_id__in=partners) | Q(pk__in=staff))


def can_decide_grant(user: User | AnonymousUser, requested_by_id: int, target_id: int) -> bool:
    """Four eyes on role grants (ADR 11): a beheerder other than the one who asked, and
    never for a grant to himself."""
    return can_manage_accounts(user) and user.pk not in (requested_by_id, target_id)


def can_reset_mfa(user: User | AnonymousUser, target_id: int) -> bool:
    """A beheerder resets another user's authenticator, never his own: his own reset
    would let whoever holds his password in without the second factor."""
    return can_manage_accounts(user) and user.pk != target_id


# Management information (issue 14, ADR 22): aggregates only, never a case.
MANAGEMENT_INFO_ROLES = (Role.MANAGER, Role.PGA_EXPERT, Role.BELEID)


def can_read_management_info(user: User | AnonymousUser) -> bool:
    return bool(roles_of(user) & set(MANAGEMENT_INFO_ROLES))


def management_house_ids(user: User | AnonymousUser) -> QuerySet[House, int]:
    """The houses whose figures `user` may read (a subquery: use in `pk__in`).

    The manager and the PGA expert: the houses of their assignments. Policy and
    administration (beleid) holds no house: it reads the houses of its organisation's
    region (a municipality's policy adviser: the region the municipality works in); a
    beleid account without a regional organisation reads nothing.
    """
    from django.db.models import Q

    from ketenregie.accounts.models import House, RoleAssignment

    if not user.is_authenticated:
        return House.objects.none().values_list("pk", flat=True)
    roles = roles_of(user)
    scoped = RoleAssignment.objects.filter(
        user_id=user.pk, role__in=[Role.MANAGER, Role.PGA_EXPERT], house__isnull=False
    ).values("house_id")
    condition = Q(pk__in=scoped)
    if Role.BELEID in roles and user.organisation_id is not None:
        condition |= Q(region__organisations__pk=user.organisation_id)
    return House.objects.filter(condition).values_list("pk", flat=True).distinct()


def sees_caseload_names(user: User | AnonymousUser, house_id: int | None) -> bool:
    """Only the manager of the house sees the caseload of its directors by name (for
    follow-up); everyone else sees the distribution."""
    return holds_role_at(user, Role.MANAGER, house_id)
