"""Pages of the escalation map (issue 15): the house's map for one case with its level
highlighted, the next step and whom the last change told; marking a notice as seen;
and what the case page shows of it (profiles on the team, shortfalls)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketenregie.accounts.models import CompetenceProfile
from ketenregie.cases import escalation_map
from ketenregie.cases.access import can_manage_case, get_case_for
from ketenregie.cases.competence import applies, director_shortfalls
from ketenregie.cases.escalation_models import EscalationNotice
from ketenregie.cases.models import DIRECTOR_ROLES, Case, CaseMembership, EscalationChange
from ketenregie.core.http import AuthedRequest


def case_page_context(case: Case, team: list[CaseMembership]) -> dict[str, Any]:
    """The case page's part: each regisseur's profile next to their name (set on the
    team rows as `competence`) and the regisseurs below the level's requirement."""
    ids = {m.user_id for m in team if m.user_id is not None and m.role in DIRECTOR_ROLES}
    profiles = dict(
        CompetenceProfile.objects.filter(user_id__in=ids).values_list("user_id", "profile")
    )
    for m in team:
        held = profiles.get(m.user_id, "") if m.user_id is not None else ""
        m.competence = held if m.role in DIRECTOR_ROLES else ""  # type: ignore[attr-defined]
    return {"escmap_shortfalls": director_shortfalls(case)}


@login_required
@require_http_methods(["GET"])
def case_escalation_map(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The house's map with the case's level highlighted: who directs and who is
    responsible at each level, the next step, and whom the last level change told.
    Holds no personal data of the client, so every member of the team may read it."""
    case = get_case_for(request.user, case_id)
    rows = escalation_map.map_of(case.house_id)
    current = next((r for r in rows if r.level == case.escalation_level), None)
    last = EscalationChange.objects.filter(case=case).select_related("decided_by").last()
    told = (
        list(
            EscalationNotice.objects.filter(change=last)
            .select_related("user", "user__organisation")
            .order_by("responsibility", "user__last_name")
        )
        if last is not None
        else []
    )
    return TemplateResponse(
        request,
        "cases/escalation_map.html",
        {
            "case": case,
            "rows": rows,
            "current": current,
            "last": last,
            "told": told,
            "shortfalls": director_shortfalls(case),
            "checked": applies(case),
            "can_manage": can_manage_case(request.user, case),
        },
    )


@login_required
@require_POST
def escalation_notice_seen(request: AuthedRequest, case_id: int, notice_id: int) -> HttpResponse:
    """The recipient marks their own notice as seen (someone else's is not found)."""
    notice = get_object_or_404(
        EscalationNotice, pk=notice_id, case_id=case_id, user_id=request.user.pk
    )
    escalation_map.mark_notice_seen(notice, actor=request.user)
    messages.success(request, _("De melding is als gezien gemarkeerd."))
    return redirect("dashboard")
