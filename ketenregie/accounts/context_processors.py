"""Navigation flags for the base template."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ketenregie.accounts.access import (
    can_do_privacy_work,
    can_manage_accounts,
    can_read_audit,
    can_read_management_info,
    can_see_needs_matrix,
    can_work_with_cases,
    roles_of,
)
from ketenregie.accounts.roles import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"perms_nav": {}}
    roles = roles_of(user)
    return {
        "perms_nav": {
            "can_cases": can_work_with_cases(user),
            "can_audit": can_read_audit(user),
            "can_privacy": can_do_privacy_work(user),
            "can_manage": can_manage_accounts(user),
            "can_refer": Role.AANMELDER in roles,
            "is_chair": Role.TRIAGEVOORZITTER in roles,
            "can_enrich": Role.PROFESSIONAL in roles,
            # The PGA-scan: its leaders (PGA expert, manager) and the professionals who
            # fill it in (reports.scan_access decides per round).
            "can_scan": bool(roles & {Role.PGA_EXPERT, Role.MANAGER, Role.PROFESSIONAL}),
            "can_needs_matrix": can_see_needs_matrix(user),
            "can_steer": can_read_management_info(user),
        }
    }
