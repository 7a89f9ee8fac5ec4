"""Pages of the execution phase: case meetings, the plan, the safety plan, "Mijn acties",
escalation between directors. Every case is read through cases.access.get_case_for."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.accounts.access import houses_where, roles_of
from ketenregie.accounts.models import RoleAssignment, User
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.cases.access import (
    active_memberships,
    can_manage_case,
    case_team,
    get_case_for,
    team_users,
    visible_cases,
)
from ketenregie.cases.models import Case, CaseMembership, CaseRole
from ketenregie.cases.workflow import EXECUTION_STATUSES, RUNNING_STATUSES
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today
from ketenregie.core.values import show_value
from ketenregie.plans import services
from ketenregie.plans.access import (
    can_direct,
    can_handle_escalation,
    director_roles,
    escalation_steps,
    get_meeting_for,
    owns_action,
)
from ketenregie.plans.forms import (
    ActionForm,
    ActionReportForm,
    AddParticipantForm,
    AttendanceForm,
    CasusregisseurForm,
    EscalateForm,
    GoalForm,
    GoalReachedForm,
    HandleEscalationForm,
    MeetingForm,
    MinutesForm,
    PlanTextForm,
    ReplyForm,
    SafetyAgreementForm,
    SafetyPlanForm,
    SafetyScoreForm,
    StatementForm,
    VersionOnlyForm,
    case_workers,
)
from ketenregie.plans.models import (
    Action,
    ActionReport,
    CasusregisseurAgreement,
    DirectorEscalation,
    Goal,
    Meeting,
    Participant,
    Plan,
    PlanVersion,
    SafetyPlan,
    SafetyScore,
)
from ketenregie.plans.versions import diff, domain_series

log = logging.getLogger(__name__)


def _full_case(request: AuthedRequest, case_id: int) -> Case:
    """A case in (or past) execution that the user sees in full; an adviser gets 403."""
    case = get_case_for(request.user, case_id)
    if case.status not in EXECUTION_STATUSES:
        # Before execution there is no plan: the page does not exist for this case.
        raise Http404
    if not case.full_access:
        raise PermissionDenied
    return case


def _directed_case(request: AuthedRequest, case_id: int) -> Case:
    case = _full_case(request, case_id)
    if not can_direct(request.user, case):
        raise PermissionDenied
    return case


def _team_people(case: Case) -> QuerySet[User]:
    """Who can own an action or be chosen casusregisseur: the active team, personally or
    through their organisation, without advisers (they see the case pseudonymised)."""
    return case_workers().filter(pk__in=team_users(case.pk, include_advisers=False).values("pk"))


def _invitable(house_id: int) -> QuerySet[User]:
    """Who can be invited to a house's meetings: case workers of the house's partner
    organisations and of the house itself (roles held at the house), and whoever works
    on one of the house's cases. The gate still decides what each of them sees."""
    from ketenregie.accounts.models import HousePartner

    partner_orgs = HousePartner.objects.filter(house_id=house_id).values("organisation_id")
    house_staff = RoleAssignment.objects.filter(house_id=house_id).values("user_id")
    on_teams = CaseMembership.objects.filter(case__house_id=house_id)
    return (
        case_workers()
        .filter(
            role_assignments__role__in=[
                Role.PROFESSIONAL,
                Role.PROCESREGISSEUR,
                Role.TRIAGEVOORZITTER,
                Role.AANMELDER,
            ]
        )
        .filter(
            Q(organisation_id__in=partner_orgs)
            | Q(pk__in=house_staff)
            | Q(pk__in=on_teams.filter(user__isnull=False).values("user_id"))
            | Q(organisation_id__in=on_teams.filter(user__isnull=True).values("organisation_id"))
        )
        .distinct()
    )


def _submit(
    request: AuthedRequest,
    form: Any,
    run: Callable[[Any], object],
    *,
    done: str,
    success_url: str,
    rerender: Callable[[], HttpResponse],
    current: Callable[[], int | None] | None = None,
) -> HttpResponse:
    """Valid form -> service -> message and redirect; otherwise the page again, with the
    Dutch errors on the form and everything that was typed."""
    if form.is_valid() and apply_service(form, lambda: run(form.cleaned_data), current):
        messages.success(request, done)
        return redirect(success_url)
    return rerender()


# ------------------------------------------------------------------ the plan


def _plan_context(request: AuthedRequest, case: Case, plan: Plan) -> dict[str, Any]:
    versions = list(
        PlanVersion.objects.filter(plan=plan).select_related("adopted_by").order_by("number")
    )
    scores = services.domain_rows(plan)
    current = {
        "domeinen": {s.domain.name: {"score": s.score} for s in scores},
    }
    series = domain_series(
        [(f"v{v.number} {v.adopted_at:%d-%m-%Y}", v.content) for v in versions],
        ("werkversie", current),
    )
    agreements = list(
        CasusregisseurAgreement.objects.filter(case=case)
        .select_related("casusregisseur", "recorded_by", "meeting")
        .prefetch_related("agreed_by")
    )
    return {
        "case": case,
        "plan": plan,
        "versions": versions,
        "scores": scores,
        "series": series,
        "statements": list(plan.statements.all()),
        "goals": list(plan.goals.all()),
        "actions": list(
            Action.objects.filter(case=case).select_related(
                "owner_user", "owner_organisation", "meeting"
            )
        ),
        "agreements": agreements,
        "meetings": list(Meeting.objects.filter(case=case).order_by("-starts_at")),
        "has_safety_plan": SafetyPlan.objects.filter(case=case).exists(),
        "today": today(),
    }


def _not_started(request: AuthedRequest, case: Case, kind: str) -> HttpResponse:
    """The page of a plan nobody started yet: it says so, and offers who may write the
    plan the button that starts it (a POST; viewing never creates anything)."""
    audit.record(f"{kind}.viewed", actor=request.user, case_id=case.pk, purpose="casusregie")
    return TemplateResponse(
        request,
        "plans/not_started.html",
        {
            "case": case,
            "kind": kind,
            "can_start": can_direct(request.user, case) and case.status in RUNNING_STATUSES,
        },
    )


def _plan_page(
    request: AuthedRequest, case: Case, bound: dict[str, Any] | None = None
) -> HttpResponse:
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        return _not_started(request, case, "plan")
    context = _plan_context(request, case, plan)
    roles = director_roles(request.user, case)
    direct = bool(roles)
    running = case.status in RUNNING_STATUSES
    context.update(
        {
            "can_direct": direct and running,
            "my_director_roles": roles,
            "reached_choices": Goal.Reached.choices,
        }
    )
    if direct and running:
        people = _team_people(case)
        context.update(
            {
                "text_form": PlanTextForm(
                    initial={
                        "version": plan.version,
                        **{f: getattr(plan, f) for f in services.PLAN_TEXT_FIELDS},
                    }
                ),
                "statement_form": StatementForm(),
                "goal_form": GoalForm(),
                "action_form": ActionForm(people=people, goals=plan.goals.all()),
                "adopt_form": VersionOnlyForm(initial={"version": plan.version}),
                "goal_reached_form": GoalReachedForm(),
                "report_form": ActionReportForm(),
                "report_kinds": ActionReport.Kind.choices,
            }
        )
        if can_manage_case(request.user, case):
            context["casusregisseur_form"] = CasusregisseurForm(people=people)
    context.update(bound or {})
    posted = context.get("posted_scores")
    for row in context["scores"]:
        # After a failed save the rows show what was typed, not what is stored.
        row.form_score = posted.get(f"score-{row.domain_id}", "") if posted else row.score
        row.form_problem = posted.get(f"problem-{row.domain_id}", "") if posted else row.problem
    audit.record("plan.viewed", actor=request.user, case_id=case.pk, purpose="casusregie")
    return TemplateResponse(request, "plans/plan.html", context)


@login_required
def plan_page(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _plan_page(request, _full_case(request, case_id))


@login_required
@require_POST
def plan_start(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _directed_case(request, case_id)
    if case.status not in RUNNING_STATUSES:
        raise PermissionDenied
    services.plan_for(case, actor=request.user)
    messages.success(request, _("Plan van aanpak gestart."))
    return redirect("plan", case.pk)


def _plan_post(
    request: AuthedRequest,
    case_id: int,
    form_key: str,
    build: Callable[[Case, Plan], Any],
    run: Callable[[Case, Plan, Any], object],
    done: str,
    *,
    versioned: bool = False,
    manage_only: bool = False,
) -> HttpResponse:
    case = _directed_case(request, case_id)
    if manage_only and not can_manage_case(request.user, case):
        raise PermissionDenied
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        messages.error(request, _("Start eerst het plan van aanpak."))
        return redirect("plan", case.pk)
    form = build(case, plan)

    def current() -> int | None:
        return Plan.objects.get(pk=plan.pk).version if versioned else None

    return _submit(
        request,
        form,
        lambda data: run(case, plan, data),
        done=done,
        success_url=reverse("plan", args=[case.pk]) + f"#{form_key}",
        rerender=lambda: _plan_page(request, case, {form_key: form}),
        current=current,
    )


@login_required
@require_POST
def plan_text(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _plan_post(
        request,
        case_id,
        "text_form",
        lambda c, p: PlanTextForm(request.POST),
        lambda c, p, d: services.save_plan_text(
            p, actor=request.user, values=d, expected_version=d["version"]
        ),
        _("Plan opgeslagen."),
        versioned=True,
    )


@login_required
@require_POST
def plan_scores(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _directed_case(request, case_id)
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        messages.error(request, _("Start eerst het plan van aanpak."))
        return redirect("plan", case.pk)
    form = VersionOnlyForm(request.POST)
    scores: dict[int, tuple[int | None, str]] = {}
    errors = []
    for row in services.domain_rows(plan):
        raw = request.POST.get(f"score-{row.domain_id}", "").strip()
        text = request.POST.get(f"problem-{row.domain_id}", "")
        value: int | None = None
        if raw:
            try:
                value = int(raw)
            except ValueError:
                errors.append(
                    _("De score bij %(domein)s is geen getal.") % {"domein": row.domain.name}
                )
        scores[row.domain_id] = (value, text)
    if form.is_valid() and not errors:
        if apply_service(
            form,
            lambda: services.save_domain_scores(
                plan,
                actor=request.user,
                scores=scores,
                expected_version=form.cleaned_data["version"],
            ),
            lambda: Plan.objects.get(pk=plan.pk).version,
        ):
            messages.success(request, _("Scores per leefgebied opgeslagen."))
            return redirect(reverse("plan", args=[case.pk]) + "#scores")
    for e in errors:
        form.add_error(None, e)
    # Keep what was typed: the page shows the posted scores, not the stored ones.
    return _plan_page(request, case, {"scores_form": form, "posted_scores": request.POST})


@login_required
@require_POST
def plan_statement(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _plan_post(
        request,
        case_id,
        "statement_form",
        lambda c, p: StatementForm(request.POST),
        lambda c, p, d: services.add_statement(p, actor=request.user, **d),
        _("Toegevoegd."),
    )


@login_required
@require_POST
def plan_goal(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _plan_post(
        request,
        case_id,
        "goal_form",
        lambda c, p: GoalForm(request.POST),
        lambda c, p, d: services.add_goal(p, actor=request.user, **d),
        _("Doel toegevoegd."),
    )


@login_required
@require_POST
def plan_goal_reached(request: AuthedRequest, case_id: int, goal_id: int) -> HttpResponse:
    def run(c: Case, p: Plan, d: Any) -> object:
        goal = Goal.objects.filter(plan=p, pk=goal_id).first()
        if goal is None:
            raise Http404
        return services.set_goal_reached(goal, actor=request.user, reached=d["reached"])

    return _plan_post(
        request,
        case_id,
        "goal_reached_form",
        lambda c, p: GoalReachedForm(request.POST),
        run,
        _("Doel bijgewerkt."),
    )


@login_required
@require_POST
def plan_action(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _plan_post(
        request,
        case_id,
        "action_form",
        lambda c, p: ActionForm(request.POST, people=_team_people(c), goals=p.goals.all()),
        lambda c, p, d: services.add_action(c, actor=request.user, **d),
        _("Actie toegevoegd."),
    )


@login_required
@require_POST
def plan_adopt(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _plan_post(
        request,
        case_id,
        "adopt_form",
        lambda c, p: VersionOnlyForm(request.POST),
        lambda c, p, d: services.adopt_plan(p, actor=request.user, expected_version=d["version"]),
        _("Plan vastgesteld als nieuwe versie."),
        versioned=True,
    )


@login_required
@require_POST
def plan_casusregisseur(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _plan_post(
        request,
        case_id,
        "casusregisseur_form",
        lambda c, p: CasusregisseurForm(request.POST, people=_team_people(c)),
        lambda c, p, d: services.agree_casusregisseur(
            c,
            actor=request.user,
            casusregisseur=d["casusregisseur"],
            agreed_by=d["agreed_by"],
            meeting=Meeting.objects.first_of(c.pk).first(),
        ),
        _("Casusregisseur vastgelegd, met wie instemden."),
        manage_only=True,
    )


@login_required
def plan_version(request: AuthedRequest, case_id: int, number: int) -> HttpResponse:
    case = _full_case(request, case_id)
    versions = {
        v.number: v
        for v in PlanVersion.objects.filter(
            plan__case=case, number__in=[number - 1, number]
        ).select_related("adopted_by", "meeting")
    }
    version = versions.get(number)
    if version is None:
        raise Http404
    previous = versions.get(number - 1)
    audit.record(
        "plan.version_viewed",
        actor=request.user,
        case_id=case.pk,
        obj=version,
        purpose="casusregie",
    )
    return TemplateResponse(
        request,
        "plans/version.html",
        {
            "case": case,
            "version": version,
            "previous": previous,
            "changes": diff(previous.content if previous else None, version.content),
            "content": version.content,
            "goals": [
                {**g, "bereikt": dict(Goal.Reached.choices).get(g.get("bereikt"), "")}
                for g in version.content.get("doelen", [])
            ],
            "actions": [
                {
                    **a,
                    "stand": dict(Action.State.choices).get(a.get("stand"), ""),
                    "uiterlijk": show_value(a.get("uiterlijk")),
                }
                for a in version.content.get("acties", [])
            ],
        },
    )


def _pdf_response(
    request: AuthedRequest, case: Case, kind: str, make: Callable[[], bytes]
) -> HttpResponse:
    fallback = reverse("plan" if kind == "plan" else "safety_plan", args=[case.pk])
    try:
        pdf = make()
    except Exception:  # noqa: BLE001 - a PDF failure must not become a blank 500
        log.exception("PDF %s niet gemaakt voor casus %s", kind, case.pk)
        messages.error(
            request,
            _("De PDF kon niet worden gemaakt. Probeer het opnieuw of meld het bij de beheerder."),
        )
        return redirect(fallback)
    audit.record(
        f"{kind}.pdf_downloaded", actor=request.user, case_id=case.pk, purpose="casusregie"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = "plan-van-aanpak" if kind == "plan" else "veiligheidsplan"
    response["Content-Disposition"] = f'attachment; filename="{name}-{case.code}.pdf"'
    return response


@login_required
def plan_pdf(request: AuthedRequest, case_id: int) -> HttpResponse:
    from ketenregie.plans.pdf import plan_pdf as make

    case = _full_case(request, case_id)
    if not Plan.objects.filter(case=case).exists():
        raise Http404
    return _pdf_response(request, case, "plan", lambda: make(case))


@login_required
def safety_pdf(request: AuthedRequest, case_id: int) -> HttpResponse:
    from ketenregie.plans.pdf import safety_pdf as make

    case = _full_case(request, case_id)
    if not SafetyPlan.objects.filter(case=case).exists():
        raise Http404
    return _pdf_response(request, case, "safety", lambda: make(case))


# ------------------------------------------------------------------ the safety plan


def _safety_page(
    request: AuthedRequest, case: Case, bound: dict[str, Any] | None = None
) -> HttpResponse:
    safety = SafetyPlan.objects.filter(case=case).first()
    if safety is None:
        return _not_started(request, case, "safety")
    direct = can_direct(request.user, case) and case.status in RUNNING_STATUSES
    scores = list(SafetyScore.objects.filter(case=case).select_related("recorded_by"))
    by_who: dict[str, list[SafetyScore]] = {}
    for s in scores:
        by_who.setdefault(s.who, []).append(s)
    context: dict[str, Any] = {
        "case": case,
        "safety": safety,
        "agreements": list(safety.agreements.all()),
        "scores": scores,
        "scores_by_who": by_who,
        "can_direct": direct,
        "evaluation_due": safety.evaluation_date is not None and safety.evaluation_date <= today(),
    }
    if direct:
        context.update(
            {
                "safety_form": SafetyPlanForm(
                    initial={
                        "version": safety.version,
                        **{f: getattr(safety, f) for f in services.SAFETY_FIELDS},
                    }
                ),
                "agreement_form": SafetyAgreementForm(),
                "score_form": SafetyScoreForm(initial={"on_date": today()}),
            }
        )
    context.update(bound or {})
    audit.record("safety.viewed", actor=request.user, case_id=case.pk, purpose="casusregie")
    return TemplateResponse(request, "plans/safety.html", context)


@login_required
def safety_page(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _safety_page(request, _full_case(request, case_id))


@login_required
@require_POST
def safety_start(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _directed_case(request, case_id)
    if case.status not in RUNNING_STATUSES:
        raise PermissionDenied
    services.safety_plan_for(case, actor=request.user)
    messages.success(request, _("Veiligheidsplan gestart."))
    return redirect("safety_plan", case.pk)


def _safety_post(
    request: AuthedRequest,
    case_id: int,
    form_key: str,
    form: Any,
    run: Callable[[Case, SafetyPlan, Any], object],
    versioned: bool = False,
) -> HttpResponse:
    case = _directed_case(request, case_id)
    safety = SafetyPlan.objects.filter(case=case).first()
    if safety is None:
        messages.error(request, _("Start eerst het veiligheidsplan."))
        return redirect("safety_plan", case.pk)

    def current() -> int | None:
        return SafetyPlan.objects.get(pk=safety.pk).version if versioned else None

    return _submit(
        request,
        form,
        lambda data: run(case, safety, data),
        done=_("Veiligheidsplan bijgewerkt."),
        success_url=reverse("safety_plan", args=[case.pk]) + f"#{form_key}",
        rerender=lambda: _safety_page(request, case, {form_key: form}),
        current=current,
    )


@login_required
@require_POST
def safety_save(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _safety_post(
        request,
        case_id,
        "safety_form",
        SafetyPlanForm(request.POST),
        lambda c, s, d: services.save_safety_plan(
            s, actor=request.user, values=d, expected_version=d["version"]
        ),
        versioned=True,
    )


@login_required
@require_POST
def safety_agreement(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _safety_post(
        request,
        case_id,
        "agreement_form",
        SafetyAgreementForm(request.POST),
        lambda c, s, d: services.add_safety_agreement(s, actor=request.user, **d),
    )


@login_required
@require_POST
def safety_score(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _safety_post(
        request,
        case_id,
        "score_form",
        SafetyScoreForm(request.POST),
        lambda c, s, d: services.add_safety_score(c, actor=request.user, **d),
    )


# ------------------------------------------------------------------ case meetings


def _meeting_new_page(
    request: AuthedRequest, case: Case, form: MeetingForm | None = None
) -> HttpResponse:
    has_first = Meeting.objects.first_of(case.pk).exists()
    kinds = (
        [Meeting.Kind.INCIDENTAL] if has_first else [Meeting.Kind.FIRST, Meeting.Kind.INCIDENTAL]
    )
    form = form or MeetingForm(
        kinds=kinds,
        people=_invitable(case.house_id),
        initial={
            "kind": kinds[0],
            "day": today(),
            "start": "10:00",
            "end": "11:00",
            "participants": list(_team_people(case).values_list("pk", flat=True)),
            "person_invited": True,
        },
    )
    return TemplateResponse(
        request, "plans/meeting_new.html", {"case": case, "form": form, "monitoring": False}
    )


@login_required
def meeting_new(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _full_case(request, case_id)
    if not can_manage_case(request.user, case):
        raise PermissionDenied
    if request.method != "POST":
        return _meeting_new_page(request, case)
    has_first = Meeting.objects.first_of(case.pk).exists()
    kinds = (
        [Meeting.Kind.INCIDENTAL] if has_first else [Meeting.Kind.FIRST, Meeting.Kind.INCIDENTAL]
    )
    form = MeetingForm(request.POST, kinds=kinds, people=_invitable(case.house_id))
    created: list[Meeting] = []

    def run() -> None:
        start, end = form.moments()
        created.append(
            services.schedule_meeting(
                actor=request.user,
                house=case.house,
                case=case,
                kind=form.cleaned_data["kind"],
                starts_at=start,
                ends_at=end,
                location=form.cleaned_data["location"],
                participants=form.cleaned_data["participants"],
                person_invited=form.cleaned_data.get("person_invited", False),
                person_not_invited_reason=form.cleaned_data.get("person_not_invited_reason", ""),
            )
        )

    if form.is_valid() and apply_service(form, run):
        messages.success(request, _("Overleg gepland; de uitnodigingen zijn verstuurd."))
        return redirect("meeting_detail", meeting_id=created[0].pk)
    return _meeting_new_page(request, case, form)


def _monitoring_houses(user: User) -> QuerySet[Any]:
    return houses_where(user, Role.PROCESREGISSEUR)


@login_required
def monitoring_new(request: AuthedRequest) -> HttpResponse:
    from ketenregie.accounts.models import House

    houses = House.objects.filter(pk__in=_monitoring_houses(request.user)).order_by("name")
    house = houses.first()
    if house is None:
        raise PermissionDenied
    if request.GET.get("huis") or request.POST.get("huis"):
        house = houses.filter(pk=str(request.GET.get("huis") or request.POST.get("huis"))).first()
        if house is None:
            raise Http404
    people = _invitable(house.pk)
    kinds = [Meeting.Kind.MONITORING]
    if request.method == "POST":
        form = MeetingForm(request.POST, kinds=kinds, people=people)
        created: list[Meeting] = []

        def run() -> None:
            start, end = form.moments()
            assert house is not None
            created.append(
                services.schedule_meeting(
                    actor=request.user,
                    house=house,
                    kind=Meeting.Kind.MONITORING,
                    starts_at=start,
                    ends_at=end,
                    location=form.cleaned_data["location"],
                    participants=form.cleaned_data["participants"],
                )
            )

        if form.is_valid() and apply_service(form, run):
            messages.success(
                request, _("Monitoringsoverleg gepland; de uitnodigingen zijn verstuurd.")
            )
            return redirect("meeting_detail", meeting_id=created[0].pk)
    else:
        form = MeetingForm(
            kinds=kinds,
            people=people,
            initial={
                "kind": Meeting.Kind.MONITORING,
                "day": today(),
                "start": "13:00",
                "end": "15:00",
            },
        )
    return TemplateResponse(
        request,
        "plans/meeting_new.html",
        {"form": form, "monitoring": True, "house": house, "houses": houses},
    )


def _meeting_for(request: AuthedRequest, meeting_id: int) -> tuple[Meeting, Case | None, bool]:
    view = get_meeting_for(request.user, meeting_id)
    return view.meeting, view.case, view.may_manage


def _meeting_page(
    request: AuthedRequest, meeting_id: int, bound: dict[str, Any] | None = None
) -> HttpResponse:
    view = get_meeting_for(request.user, meeting_id)
    meeting, case, manage, full = view.meeting, view.case, view.may_manage, view.full
    participants = list(meeting.participants.select_related("user", "user__organisation"))
    mine = next((p for p in participants if p.user_id == request.user.pk), None)
    items: list[dict[str, Any]] = []
    if meeting.kind == Meeting.Kind.MONITORING:
        raw = list(meeting.items.select_related("case", "case__person"))
        items = [{"item": item, "full": item.case_id in view.item_full} for item in raw]
    on_team: set[int] = set()
    if manage and meeting.case_id is not None:
        on_team = set(
            case_team(meeting.case_id)
            .filter(user__isnull=False)
            .exclude(role=CaseRole.ADVISEUR)
            .values_list("user_id", flat=True)
        )
    # Declared 'betrokken' but not on the team: waits for the procesregisseur to admit.
    awaiting = {
        p.pk
        for p in participants
        if manage
        and meeting.case_id is not None
        and p.capacity == Participant.Capacity.INVOLVED
        and p.user_id not in on_team
    }
    context: dict[str, Any] = {
        "meeting": meeting,
        "case": case,
        "awaiting": awaiting,
        "full_access": full,
        "participants": participants,
        "mine": mine,
        "items": items,
        "can_manage": manage,
        "late": meeting.minutes_late,
        # Attendance is recorded once the meeting has begun: only then is it unfolded.
        "started": meeting.starts_at <= timezone.now(),
        "actions": list(meeting.actions.select_related("owner_user", "owner_organisation"))
        if view.show_actions
        else [],
        "show_minutes": view.show_minutes,
    }
    if mine is not None and meeting.state != Meeting.State.CANCELLED:
        context["reply_form"] = ReplyForm(
            initial={"answer": mine.reply or "ja", "capacity": mine.capacity}
        )
    if manage and meeting.state != Meeting.State.CANCELLED:
        context["attendance_form"] = AttendanceForm(
            participants=participants,
            initial={
                "version": meeting.version,
                "present": [
                    str(p.user_id)
                    for p in participants
                    if p.attended or (p.attended is None and p.reply == "ja")
                ],
            },
        )
        context["minutes_form"] = MinutesForm(
            initial={
                "version": meeting.version,
                "minutes": meeting.minutes,
                "decisions": meeting.decisions,
            }
        )
        context["cancel_form"] = VersionOnlyForm(initial={"version": meeting.version})
        context["participant_form"] = AddParticipantForm(
            people=_invitable(meeting.house_id).exclude(pk__in=[p.user_id for p in participants])
        )
        if case is not None and full and meeting.state == Meeting.State.HELD:
            context["action_form"] = ActionForm(
                people=_team_people(case), goals=Goal.objects.filter(plan__case=case)
            )
    context.update(bound or {})
    audit.record(
        "meeting.viewed",
        actor=request.user,
        case_id=meeting.case_id,
        obj=meeting,
        purpose="casusoverleg",
    )
    return TemplateResponse(request, "plans/meeting.html", context)


@login_required
def meeting_detail(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, meeting_id)


def _meeting_post(
    request: AuthedRequest,
    meeting_id: int,
    form_key: str,
    make_form: Callable[[Meeting, Case | None], Any],
    run: Callable[[Meeting, Case | None, Any], object],
    done: str,
    *,
    manage: bool = True,
) -> HttpResponse:
    meeting, case, may_manage = _meeting_for(request, meeting_id)
    if manage and not may_manage:
        raise PermissionDenied
    form = make_form(meeting, case)

    def current() -> int | None:
        return Meeting.objects.get(pk=meeting.pk).version

    return _submit(
        request,
        form,
        lambda data: run(meeting, case, data),
        done=done,
        success_url=reverse("meeting_detail", args=[meeting.pk]) + f"#{form_key}",
        rerender=lambda: _meeting_page(request, meeting_id, {form_key: form}),
        current=current,
    )


@login_required
@require_POST
def meeting_reply(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    def run(m: Meeting, c: Case | None, d: Any) -> object:
        participant = Participant.objects.filter(meeting=m, user=request.user).first()
        if participant is None:
            raise PermissionDenied
        return services.reply(
            participant, actor=request.user, answer=d["answer"], capacity=d["capacity"]
        )

    meeting, _c, _m = _meeting_for(request, meeting_id)
    if not Participant.objects.filter(meeting=meeting, user=request.user).exists():
        raise PermissionDenied
    return _meeting_post(
        request,
        meeting_id,
        "reply_form",
        lambda m, c: ReplyForm(request.POST),
        run,
        _("Uw antwoord is vastgelegd."),
        manage=False,
    )


@login_required
@require_POST
def meeting_admit(request: AuthedRequest, meeting_id: int, participant_id: int) -> HttpResponse:
    meeting, _case, may_manage = _meeting_for(request, meeting_id)
    if not may_manage:
        raise PermissionDenied
    participant = Participant.objects.filter(meeting=meeting, pk=participant_id).first()
    if participant is None:
        raise Http404
    try:
        services.admit_participant(participant, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Opgenomen in het casusteam als betrokken partner."))
    return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#attendance_form")


@login_required
@require_POST
def meeting_attendance(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_post(
        request,
        meeting_id,
        "attendance_form",
        lambda m, c: AttendanceForm(
            request.POST,
            participants=list(m.participants.select_related("user", "user__organisation")),
        ),
        lambda m, c, d: services.record_attendance(
            m,
            actor=request.user,
            present=[int(x) for x in d["present"]],
            expected_version=d["version"],
        ),
        _("Aanwezigheid vastgelegd."),
    )


@login_required
@require_POST
def meeting_minutes(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    notes = {
        int(key.removeprefix("note-")): str(value)
        for key, value in request.POST.items()
        if key.startswith("note-") and key.removeprefix("note-").isdigit()
    }
    return _meeting_post(
        request,
        meeting_id,
        "minutes_form",
        lambda m, c: MinutesForm(request.POST),
        lambda m, c, d: services.save_minutes(
            m,
            actor=request.user,
            minutes=d["minutes"],
            decisions=d["decisions"],
            expected_version=d["version"],
            notes=notes,
        ),
        _("Verslag opgeslagen. Verstuur het binnen een week na het overleg."),
    )


@login_required
@require_POST
def meeting_send(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_post(
        request,
        meeting_id,
        "send_form",
        lambda m, c: VersionOnlyForm({"version": m.version}),
        lambda m, c, d: services.send_minutes(m, actor=request.user),
        _("Verslag en actielijst verstuurd naar het casusteam (per link)."),
    )


@login_required
@require_POST
def meeting_cancel(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_post(
        request,
        meeting_id,
        "cancel_form",
        lambda m, c: VersionOnlyForm(request.POST),
        lambda m, c, d: services.cancel_meeting(
            m, actor=request.user, expected_version=d["version"]
        ),
        _("Overleg vervallen; de deelnemers zijn bericht."),
    )


@login_required
@require_POST
def meeting_participant(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_post(
        request,
        meeting_id,
        "participant_form",
        lambda m, c: AddParticipantForm(request.POST, people=_invitable(m.house_id)),
        lambda m, c, d: services.add_participant(m, actor=request.user, user=d["user"]),
        _("Deelnemer uitgenodigd."),
    )


@login_required
@require_POST
def meeting_action(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    def make(m: Meeting, c: Case | None) -> Any:
        if c is None or not c.full_access:
            raise PermissionDenied
        return ActionForm(
            request.POST,
            people=_team_people(c),
            goals=Goal.objects.filter(plan__case=c),
        )

    def run(m: Meeting, c: Case | None, d: Any) -> object:
        assert c is not None
        return services.add_action(c, actor=request.user, meeting=m, **d)

    return _meeting_post(
        request, meeting_id, "action_form", make, run, _("Actie toegevoegd aan de actielijst.")
    )


@login_required
def meetings(request: AuthedRequest) -> HttpResponse:
    """The user's case meetings: invited to, organised, or of their cases; late minutes."""
    user = request.user
    roles = roles_of(user)
    day = today()
    mine = Q(participants__user_id=user.pk) | Q(organiser_id=user.pk)
    if Role.PROCESREGISSEUR in roles:
        mine |= Q(house_id__in=_monitoring_houses(user), case__isnull=True)
        directed = (
            active_memberships(user)
            .filter(user_id=user.pk, role=CaseRole.PROCESREGISSEUR)
            .values("case_id")
        )
        mine |= Q(case_id__in=directed)
    qs = Meeting.objects.filter(mine).distinct().select_related("case", "house")
    upcoming = list(qs.filter(state=Meeting.State.PLANNED).order_by("starts_at")[:50])
    late = list(qs.minutes_late(day).order_by("starts_at")[:50])
    recent = list(qs.exclude(state=Meeting.State.PLANNED).order_by("-starts_at")[:30])
    return TemplateResponse(
        request,
        "plans/meetings.html",
        {
            "upcoming": upcoming,
            "late": late,
            "recent": recent,
            "can_monitor": Role.PROCESREGISSEUR in roles,
            "today": day,
        },
    )


# ------------------------------------------------------------------ "Mijn acties"


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


# ------------------------------------------------------------------ escalation


@login_required
def escalate(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _full_case(request, case_id)
    roles = director_roles(request.user, case)
    if not roles:
        raise PermissionDenied
    default = (
        DirectorEscalation.To.MANAGER
        if CaseRole.PROCESREGISSEUR in roles
        else DirectorEscalation.To.PROCESREGISSEUR
    )
    form = EscalateForm(request.POST or None, initial={"to": default})
    # Offer only the step this director may take (both, when they hold both roles).
    steps = escalation_steps(roles)
    form.fields["to"].choices = [  # type: ignore[attr-defined]
        c for c in DirectorEscalation.To.choices if c[0] in steps
    ]
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form, lambda: services.escalate(case, actor=request.user, **form.cleaned_data)
        )
    ):
        messages.success(request, _("Opgeschaald; de reden staat op de tijdlijn."))
        return redirect("case_detail", case_id=case.pk)
    history = list(DirectorEscalation.objects.filter(case=case).select_related("by", "handled_by"))
    return TemplateResponse(
        request, "plans/escalate.html", {"case": case, "form": form, "history": history}
    )


@login_required
@require_POST
def escalation_handle(request: AuthedRequest, escalation_id: int) -> HttpResponse:
    record = DirectorEscalation.objects.filter(pk=escalation_id).first()
    if record is None:
        raise Http404
    if not can_handle_escalation(request.user, record):
        raise Http404
    form = HandleEscalationForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: services.handle_escalation(
            record, actor=request.user, note=form.cleaned_data["note"]
        ),
    ):
        messages.success(request, _("Opschaling afgehandeld."))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
    return redirect("dashboard")
