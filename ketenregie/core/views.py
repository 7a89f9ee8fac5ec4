"""Health check and the personal dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from ketenregie.accounts.access import can_work_with_cases, roles_of
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.cases.access import active_memberships, visible_cases
from ketenregie.cases.workflow import INTAKE_STATUSES, PHASE_OF, Phase
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    context: dict[str, object] = {
        "roles": sorted(Role(r).label for r in roles),
        "today": today(),
    }
    # Work waiting for this user, per role: feedback, enrichment requests.
    if Role.AANMELDER in roles:
        from ketenregie.intake.models import Feedback

        context["unread_feedback"] = Feedback.objects.filter(recipient=user, read_at=None).count()
    if Role.PROCESREGISSEUR in roles:
        from ketenregie.pga.queries import due_informing_reviews

        context["due_reviews"] = due_informing_reviews(user)
    from ketenregie.plans import queries as plan_queries

    if Role.PROCESREGISSEUR in roles:
        context["late_minutes"] = list(plan_queries.late_minutes_for_director(user)[:20])
        context["director_overdue"] = list(plan_queries.directed_overdue_actions(user)[:10])
        context["director_escalations"] = list(
            plan_queries.open_escalations_for_director(user)[:20]
        )
    if Role.MANAGER in roles:
        context["manager_late_minutes"] = list(plan_queries.late_minutes_for_manager(user)[:50])
        context["manager_escalations"] = list(plan_queries.open_escalations_for_manager(user)[:50])
        context["manager_overdue"] = plan_queries.overdue_actions_per_house(user)
    if Role.PROFESSIONAL in roles:
        from ketenregie.intake.access import visible_requests

        context["open_requests"] = visible_requests(user).filter(answer="").count()
    if can_work_with_cases(user):
        mine = (
            visible_cases(user)
            .filter(Exists(active_memberships(user).filter(case_id=OuterRef("pk"))))
            .select_related("person", "house")
            .order_by("-status_changed_at")
        )
        context["open_signals"] = list(plan_queries.open_signals_for_director(user)[:20])
        open_actions = plan_queries.my_open_actions(user)
        context["my_actions"] = list(open_actions[:5])
        context["my_actions_open"] = open_actions.count()
        context["my_actions_overdue"] = open_actions.filter(due_date__lt=today()).count()
        per_status = dict(mine.order_by().values_list("status").annotate(n=Count("pk")))
        per_phase = {p: 0 for p in Phase}
        for status, n in per_status.items():
            per_phase[PHASE_OF[status]] += n
        recent = list(mine[:10])
        context.update(
            {
                "my_cases": recent,
                "phase_counts": [(p.label, p.value, per_phase[p]) for p in Phase],
                "to_screen": visible_cases(user).filter(status__in=INTAKE_STATUSES).count()
                if Role.TRIAGEVOORZITTER in roles_of(user)
                else None,
            }
        )
        if recent:
            audit.record(
                "case.list_viewed",
                actor=user,
                purpose="dashboard",
                data={"getoond": [c.pk for c in recent]},
            )
    return TemplateResponse(request, "core/dashboard.html", context)
