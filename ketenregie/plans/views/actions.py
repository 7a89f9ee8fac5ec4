""" "Mijn acties": the user's own and organisation's actions across cases, and reporting on one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.accounts.models import User
from ketenregie.audit import services as audit
from ketenregie.cases.access import (
    get_case_for,
    visible_cases,
)
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today
from ketenregie.plans import services
from ketenregie.plans.access import (
    can_direct,
    owns_action,
)
from ketenregie.plans.forms import (
    ActionReportForm,
)
from ketenregie.plans.models import (
    Action,
    ActionReport,
)


def _my_actions_qs(user: User) -> QuerySet[Action]:
    # Through the gate: only cases the user sees with full access.
    cases = visible_cases(user).filter(Q(full_access=True)).values("pk")
    return (
        Action.objects.filter(services.my_actions_filter(user), case_id__in=cases)
        .select_related("case", "case__person", "owner_user", "owner_organisation")
        .order_by("due_date", "pk")
    )


@login_required
def my_actions(request: AuthedRequest, bound: dict[str, Any] | None = None) -> HttpResponse:
    user = request.user
    show_closed = request.GET.get("afgerond") == "1"
    qs = _my_actions_qs(user)
    if not show_closed:
        qs = qs.filter(state=Action.State.OPEN)
    actions = list(qs[:200])
    day = today()
    if actions:
        audit.record(
            "action.list_viewed",
            actor=user,
            purpose="mijn acties",
            data={"getoond": [a.pk for a in actions]},
        )
    context = {
        "actions": actions,
        "today": day,
        "overdue": sum(1 for a in actions if a.overdue_on(day)),
        "show_closed": show_closed,
        "report_form": ActionReportForm(),
        "report_kinds": ActionReport.Kind.choices,
        "error_action": None,
    }
    context.update(bound or {})
    return TemplateResponse(request, "plans/my_actions.html", context)


@login_required
@require_POST
def action_report(request: AuthedRequest, action_id: int) -> HttpResponse:
    action = _my_actions_qs(request.user).filter(pk=action_id).first()
    if action is None:
        # Not the user's own action: the directors of the case may report too.
        action = Action.objects.filter(pk=action_id).select_related("case").first()
        if action is None:
            raise Http404
        case = get_case_for(request.user, action.case_id)
        if not can_direct(request.user, case):
            raise PermissionDenied
    elif not owns_action(request.user, action):
        raise PermissionDenied
    form = ActionReportForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: services.report_on_action(
            action,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        ),
    ):
        messages.success(request, _("Uw melding is vastgelegd."))
        target = request.POST.get("next", "")
        if target.startswith("/casussen/") and target.endswith("/plan/"):
            return redirect(target)
        return redirect("my_actions")
    return my_actions(request, {"report_form_error": form, "error_action": action.pk})
