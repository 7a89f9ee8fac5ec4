"""Case pages: the list, the detail with its timeline, person data and the case team."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from ketenregie.accounts.access import can_work_with_cases
from ketenregie.audit import services as audit
from ketenregie.cases import escalation_views, procesregie, services
from ketenregie.cases.access import (
    can_manage_case,
    case_roles_of,
    get_case_for,
    handover_successors,
)
from ketenregie.cases.client_system import is_client_system
from ketenregie.cases.forms import (
    CaseFilterForm,
    EndMembershipForm,
    EscalationForm,
    HandoverForm,
    MembershipForm,
    PersonForm,
    TimelineFilterForm,
)
from ketenregie.cases.household_queries import coordination_consent_warning
from ketenregie.cases.models import (
    DIRECTOR_ROLES,
    Case,
    CaseMembership,
    CaseRole,
    EscalationChange,
)
from ketenregie.cases.phases import case_phase
from ketenregie.cases.queries import filter_cases, household_of, team_history, timeline
from ketenregie.cases.safety import safety_plan_required
from ketenregie.cases.workflow import (
    CLOSING_STATUSES,
    EXECUTION_STATUSES,
    PGA_STATUSES,
    RUNNING_STATUSES,
    START_STATUSES,
    Phase,
    Status,
)
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.paging import BoundedPaginator
from ketenregie.core.timeutil import age_band, today


def _fragment(request: AuthedRequest) -> bool:
    # A history restore wants the whole page, not the fragment.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _require_case_work(request: AuthedRequest) -> None:
    if not can_work_with_cases(request.user):
        raise PermissionDenied


@login_required
@vary_on_headers("HX-Request")
def case_list(request: AuthedRequest) -> HttpResponse:
    _require_case_work(request)
    form = CaseFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    # At most 1,000 rows are counted and paged (40 pages): past that the page asks to
    # narrow the filter, instead of an exact count and a deep OFFSET over everything.
    paginator = BoundedPaginator(filter_cases(request.user, **filters), 25)
    page = paginator.get_page(request.GET.get("page"))
    shown = [c.pk for c in page.object_list]
    audit.record(
        "case.searched" if filters.get("q") else "case.list_viewed",
        actor=request.user,
        purpose="casusoverzicht",
        data={
            "filters": audit.search_filters(filters, personal=("q",)),
            "getoond": shown,
        },
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "querystring": query.urlencode(),
        "today": today(),
    }
    template = "cases/list.html#results" if _fragment(request) else "cases/list.html"
    return TemplateResponse(request, template, context)


def _detail_context(request: AuthedRequest, case: Case) -> dict[str, Any]:
    full = case.full_access
    # An unknown phase shows the form's Dutch error and the whole timeline.
    filters = TimelineFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    include_reads = bool(chosen.get("inzage"))
    phase = Phase(chosen["fase"]) if chosen.get("fase") else None
    team = team_history(case)
    roles = case_roles_of(request.user, case)
    directing = {
        m.role
        for m in team
        if m.user_id == request.user.pk and m.role in DIRECTOR_ROLES and m.active_on(today())
    }
    return {
        "case": case,
        "full_access": full,
        "age_band": age_band(case.person.geboortedatum),
        "team": team,
        "timeline": timeline(
            case, full_access=full, include_reads=include_reads, team=team, phase=phase
        ),
        "timeline_filter": filters,
        "include_reads": include_reads,
        "can_manage": can_manage_case(request.user, case),
        "pga_phase": case.status in START_STATUSES,
        "pga_to_start": case.status == Status.PGA_GESTART,
        "closable": case.status in CLOSING_STATUSES,
        "my_roles": sorted(CaseRole(r).label for r in roles),
        "today": today(),
        "execution": case.status in EXECUTION_STATUSES,
        "running": case.status in RUNNING_STATUSES,
        # Director roles are personal: an organisation-wide membership directs nothing.
        "can_direct": full and bool(directing),
        "is_procesregisseur": CaseRole.PROCESREGISSEUR in directing,
        # The referral is read on its own page (through the gate, audited there); the
        # case page links to it for whoever sees the case in full.
        "has_referral": full and Case.objects.filter(pk=case.pk, referral__isnull=False).exists(),
        "household": household_of(case, full=full),
        # Issue 15 (phases): the household phase of seed 002 and its next step.
        "household_phase": case_phase(case) if is_client_system(case) else None,
        # Later referrals of the same person that a triage chair linked to this case
        # (their codes only: the team is not on those referrals).
        "linked_referrals": list(case.linked_referrals.select_related("case").order_by("pk"))
        if full
        else [],
        # Slice templates (issue 15): why a safety plan is required, and where concerns go.
        "safety_required": safety_plan_required(case),
        "pga_statuses": case.status in PGA_STATUSES,
        # Issue 15 (consent): coordination without the client's consent -> the meldcode.
        "consent_warning": coordination_consent_warning(case) if full else None,
        # Issue 15 (escmap): regisseurs' profiles on the team and shortfalls at this level.
        **escalation_views.case_page_context(case, team),
    }


@login_required
@vary_on_headers("HX-Request")
def case_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    full = case.full_access
    audit.record(
        "case.viewed",
        actor=request.user,
        case_id=case.pk,
        obj=case,
        purpose="casusregie",
        data={"weergave": "volledig" if full else "gepseudonimiseerd"},
    )
    context = _detail_context(request, case)
    template = "cases/detail.html#timeline" if _fragment(request) else "cases/detail.html"
    return TemplateResponse(request, template, context)


def _managed_case(request: AuthedRequest, case_id: int) -> Case:
    case = get_case_for(request.user, case_id)
    if not can_manage_case(request.user, case):
        raise PermissionDenied
    return case


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _managed_case(request, case_id)
    person = case.person
    if request.method == "POST":
        form = PersonForm(request.POST, instance=person)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.update_person(
                    person,
                    actor=request.user,
                    values=values,
                    expected_version=form.cleaned_data["version"],
                    case_id=case.pk,
                )
            except ValidationError as exc:
                person.refresh_from_db(fields=["version"])
                form.add_service_error(exc, current_version=person.version)
            else:
                messages.success(request, _("De persoonsgegevens zijn opgeslagen."))
                return redirect("case_detail", case_id=case.pk)
    else:
        form = PersonForm(instance=person, initial={"version": person.version})
        audit.record(
            "person.viewed",
            actor=request.user,
            case_id=case.pk,
            obj=person,
            purpose="persoonsgegevens wijzigen",
        )
    return TemplateResponse(request, "cases/person_form.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def team_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _managed_case(request, case_id)
    if request.method == "POST":
        form = MembershipForm(request.POST)
        data = form.cleaned_data if form.is_valid() else None
        if data is not None and apply_service(
            form,
            lambda: services.add_membership(
                case,
                actor=request.user,
                role=CaseRole(data["role"]),
                organisation=data["organisation"],
                user=data["user"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                note=data["note"],
                profile_reason=data["profile_reason"],
            ),
        ):
            messages.success(request, _("Het teamlid is toegevoegd."))
            return redirect("case_detail", case_id=case.pk)
    else:
        form = MembershipForm(initial={"valid_from": today()})
    return TemplateResponse(request, "cases/team_form.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def team_end(request: AuthedRequest, case_id: int, membership_id: int) -> HttpResponse:
    case = _managed_case(request, case_id)
    membership = get_object_or_404(
        CaseMembership.objects.select_related("user", "organisation"), pk=membership_id, case=case
    )
    if request.method == "POST":
        form = EndMembershipForm(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: services.end_membership(
                membership,
                actor=request.user,
                valid_to=form.cleaned_data["valid_to"],
                note=form.cleaned_data["note"],
            ),
        ):
            messages.success(request, _("Het teamlidmaatschap is beëindigd."))
            return redirect("case_detail", case_id=case.pk)
    else:
        form = EndMembershipForm(initial={"valid_to": today()})
    return TemplateResponse(
        request,
        "cases/team_end_form.html",
        {"case": case, "form": form, "membership": membership},
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_handover(request: AuthedRequest, case_id: int, membership_id: int) -> HttpResponse:
    """The holder of a role, or the procesregisseur, hands it to a named successor;
    procesregie moves on every open case of the household at once (issue 15, 6a)."""
    case = get_case_for(request.user, case_id)
    membership = get_object_or_404(
        CaseMembership.objects.select_related("user", "organisation"), pk=membership_id, case=case
    )
    is_holder = membership.user_id == request.user.pk and case.full_access
    if not (is_holder or can_manage_case(request.user, case)):
        raise PermissionDenied
    successors = handover_successors(request.user, membership)
    if request.method == "POST":
        form = HandoverForm(request.POST, successors=successors)
        if form.is_valid() and apply_service(
            form,
            lambda: procesregie.hand_over_procesregie(
                membership,
                actor=request.user,
                successor=form.cleaned_data["successor"],
                from_date=form.cleaned_data["from_date"],
                note=form.cleaned_data["note"],
                profile_reason=form.cleaned_data["profile_reason"],
            ),
        ):
            messages.success(request, _("De rol is overgedragen."))
            if is_holder and not can_manage_case(request.user, case):
                return redirect("dashboard")
            return redirect("case_detail", case_id=case.pk)
    else:
        form = HandoverForm(initial={"from_date": today()}, successors=successors)
    return TemplateResponse(
        request,
        "cases/team_handover_form.html",
        {
            "case": case,
            "form": form,
            "membership": membership,
            "across": can_manage_case(request.user, case),
            "has_successors": successors.exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The procesregisseur changes the escalation level, naming the criteria that apply."""
    case = _managed_case(request, case_id)
    # The form starts at the current level: a stray submit must not lower it to 1.
    form = EscalationForm(
        request.POST or None,
        current_level=case.escalation_level,
        initial={"level": case.escalation_level},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form,
            lambda: services.change_escalation_level(
                case,
                level=form.cleaned_data["level"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
                criterion_ids=[c.pk for c in form.cleaned_data["criteria"]],
            ),
        )
    ):
        messages.success(request, _("Het escalatieniveau is gewijzigd."))
        # The map's next step for the new level, and whom it told (issue 15).
        return redirect("case_escalation_map", case_id=case.pk)
    history = list(EscalationChange.objects.filter(case=case).select_related("decided_by"))
    return TemplateResponse(
        request, "cases/escalation.html", {"case": case, "form": form, "history": history}
    )
