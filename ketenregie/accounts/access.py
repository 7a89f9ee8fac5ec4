"""Who may use which product-wide function, by role. Case access lives in cases.access."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ketenregie.accounts.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ketenregie.accounts.models import User


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


def can_work_with_cases(user: User | AnonymousUser) -> bool:
    """Case list and dashboard: roles whose work is case content."""
    from ketenregie.accounts.roles import CASE_WORK_ROLES

    return bool(roles_of(user) & CASE_WORK_ROLES)
