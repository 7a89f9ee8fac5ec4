""" "Mijn acties": the user's own and organisation's actions across cases, and reporting on one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.audit import services as audit
from ketenregie.cases.access import (
    get_case_for,
)
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.paging import BoundedPaginator, bounded_count
from ketenregie.core.timeutil import today
from ketenregie.plans import queries, services
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

PAGE_SIZE = 50


def _is_plan_page(target: str) -> bool:
    try:
        return resolve(target).url_name == "plan"
    except Resolver404:
        return False


@login_required
def my_actions(request: AuthedRequest, bound: dict[str, Any] | None = None) -> HttpResponse:
    user = request.user
    show_closed = request.GET.get("afgerond") == "1"
    qs = queries.my_actions(user).select_related("case__person")
    if not show_closed:
        qs = qs.open()
    # Open actions by due date (the most urgent first), a bounded page at a time.
    page = BoundedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    actions = list(page.object_list)
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
        "page": page,
        "querystring": "afgerond=1" if show_closed else "",
        "today": day,
        # All of the user's overdue actions, not only this page's: the count the dashboard shows.
        "overdue": bounded_count(queries.my_open_actions(user).overdue(day)),
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
    action = queries.my_actions(request.user).filter(pk=action_id).first()
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
        # Back to the plan page the report was made on; any other target (another site,
        # a line break that cannot be a header) goes to the list.
        target = request.POST.get("next", "")
        if _is_plan_page(target):
            return redirect(target)
        return redirect("my_actions")
    return my_actions(request, {"report_form_error": form, "error_action": action.pk})
