"""The personal dashboard page: the user's roles and the panels those roles call for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.response import TemplateResponse

from ketenregie.accounts.access import roles_of
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today
from ketenregie.dashboard.panels import panels_for


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    context: dict[str, object] = {
        "roles": sorted(Role(r).label for r in roles),
        "today": today(),
        **panels_for(user, roles),
    }
    recent = context.get("my_cases")
    if isinstance(recent, list) and recent:
        # Showing case codes is a read of case data: the list is audited like the case list.
        audit.record(
            "case.list_viewed",
            actor=user,
            purpose="dashboard",
            data={"getoond": [c.pk for c in recent]},
        )
    return TemplateResponse(request, "dashboard/dashboard.html", context)
