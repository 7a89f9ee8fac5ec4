"""Pages of the integrated plan: the plan itself, its texts, scores, statements, goals and
actions, adopting it, the casusregisseur, earlier versions and the PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.audit import services as audit
from ketenregie.cases.access import (
    can_manage_case,
)
from ketenregie.cases.household_queries import current_consents, current_network
from ketenregie.cases.models import Case, CaseMembership, HouseholdMember
from ketenregie.cases.queries import household_of
from ketenregie.cases.safety import safety_plan_required
from ketenregie.core.converters import parse_id
from ketenregie.core.forms import apply_service, check_free_text
from ketenregie.core.http import AuthedRequest
from ketenregie.core.templatetags.dates import short_date
from ketenregie.core.timeutil import today
from ketenregie.core.values import show_value
from ketenregie.plans import services
from ketenregie.plans.access import (
    director_roles,
    may_write_plan,
)
from ketenregie.plans.forms import (
    ActionForm,
    ActionReportForm,
    CasusregisseurForm,
    GoalForm,
    GoalReachedForm,
    PlanTextForm,
    StatementForm,
    TagForm,
    VersionOnlyForm,
)
from ketenregie.plans.models import (
    Action,
    ActionReport,
    CasusregisseurAgreement,
    Goal,
    Meeting,
    Plan,
    PlanVersion,
    SafetyPlan,
)
from ketenregie.plans.plan_details import PlanHead, plan_details_for
from ketenregie.plans.safety import safety_plan_missing
from ketenregie.plans.safety_forms import SignaturesForm
from ketenregie.plans.safety_models import SIGNATURE_FIELDS, SignedHow
from ketenregie.plans.versions import diff, domain_series
from ketenregie.plans.views.common import (
    _directed_case,
    _full_case,
    _not_started,
    _pdf_response,
    _submit,
    _tag_choices,
    _team_people,
)


def _action_form(request: AuthedRequest, case: Case, plan: Plan, data: Any = None) -> ActionForm:
    """The plan's action form knows the meeting it is held in: the one named by the
    meeting page's link (?overleg=), else the meeting the case is in now (begun, minutes
    not sent yet). An action agreed there lands on that meeting's action list."""
    meetings = Meeting.objects.begun_of(case.pk)
    current: Meeting | None = None
    named = parse_id(request.GET.get("overleg", ""))
    if named is not None:
        current = meetings.filter(pk=named).first()
    if current is None:
        current = Meeting.objects.current_of(case.pk)
    return ActionForm(
        data,
        people=_team_people(case),
        goals=plan.goals.all(),
        meetings=meetings,
        initial={"meeting": current.pk if current else None},
        **_tag_choices(case),
    )


def _goal_form(case: Case, data: Any = None) -> GoalForm:
    """A goal is for one member of the case's household or for the whole client system."""
    members = HouseholdMember.objects.filter(household__cases=case).select_related("person")
    return GoalForm(data, members=members, **_tag_choices(case))


def _signatures_form(row: Plan | SafetyPlan) -> SignaturesForm:
    return SignaturesForm(
        initial={"version": row.version, **{f: getattr(row, f) for f in SIGNATURE_FIELDS}}
    )


def _casusregisseur_form(case: Case, data: Any = None) -> CasusregisseurForm:
    """The team agrees; the casusregisseur is one of them, never the procesregisseur."""
    people = _team_people(case)
    return CasusregisseurForm(
        data,
        people=people,
        candidates=people.exclude(pk__in=services.procesregisseur_ids(case.pk)),
    )


def _plan_context(request: AuthedRequest, case: Case, plan: Plan) -> dict[str, Any]:
    versions = list(
        PlanVersion.objects.filter(plan=plan).select_related("adopted_by").order_by("number")
    )
    scores = services.domain_rows(plan)
    current = {
        "domeinen": {s.domain.name: {"score": s.score} for s in scores},
    }
    series = domain_series(
        [(f"v{v.number} {short_date(v.adopted_at)}", v.content) for v in versions],
        ("werkversie", current),
    )
    meetings = list(Meeting.objects.filter(case=case).order_by("-starts_at"))
    household = household_of(case)
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
        "goals": list(plan.goals.select_related("need__domain", "intervention", "member__person")),
        "actions": list(
            Action.objects.filter(case=case).select_related(
                "owner_user",
                "owner_organisation",
                "meeting",
                "need__domain",
                "intervention",
                "goal__need__domain",
            )
        ),
        "agreements": agreements,
        "meetings": meetings,
        "planned": sorted((m for m in meetings if m.is_upcoming), key=lambda m: m.starts_at),
        "team_now": list(
            CaseMembership.objects.filter(case=case)
            .active_on(today())
            .select_related("user", "organisation")
            .order_by("role", "pk")
        ),
        "has_safety_plan": SafetyPlan.objects.filter(case=case).exists(),
        # Slice templates (issue 15): a safety plan required, and whether it is still missing.
        "safety_required": safety_plan_required(case),
        "safety_missing": safety_plan_missing(case),
        "signed_how": dict(SignedHow.choices),
        "today": today(),
        "household": household,
        # Seed 002 7.1: the informal network and the consents, in the plan's head and PDF.
        "network": current_network(case),
        "consents": current_consents(case),
        # Slice planvi: "overige gegevens" answered by apps above plans (the Verwijsindex).
        "plan_details": plan_details_for(
            request.user, PlanHead(case=case, full=case.full_access, household=household)
        ),
    }


def _plan_page(
    request: AuthedRequest, case: Case, bound: dict[str, Any] | None = None
) -> HttpResponse:
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        return _not_started(request, case, "plan")
    context = _plan_context(request, case, plan)
    roles = director_roles(request.user, case)
    writes = may_write_plan(request.user, case)
    context.update(
        {
            "can_direct": writes,
            "my_director_roles": roles,
            "reached_choices": Goal.Reached.choices,
        }
    )
    if writes:
        context.update(
            {
                "text_form": PlanTextForm(
                    initial={
                        "version": plan.version,
                        **{f: getattr(plan, f) for f in services.PLAN_TEXT_FIELDS},
                    }
                ),
                "statement_form": StatementForm(),
                "goal_form": _goal_form(case),
                "sign_form": _signatures_form(plan),
                "action_form": _action_form(request, case, plan),
                "adopt_form": VersionOnlyForm(initial={"version": plan.version}),
                "goal_reached_form": GoalReachedForm(),
                "report_form": ActionReportForm(),
                "report_kinds": ActionReport.Kind.choices,
                "tag_needs": list(_tag_choices(case)["needs"]),
                "tag_interventions": list(_tag_choices(case)["interventions"]),
            }
        )
        if can_manage_case(request.user, case):
            context["casusregisseur_form"] = _casusregisseur_form(case)
    context.update(bound or {})
    tagged = context.get("posted_tags") or {}
    for row in [*context["goals"], *context["actions"]]:
        # After a failed change of tags that row shows what was chosen, not what is stored.
        kind = "goal" if isinstance(row, Goal) else "action"
        mine = tagged.get("row") == (kind, row.pk)
        row.form_need = tagged["need"] if mine else str(row.need_id or "")
        row.form_intervention = tagged["intervention"] if mine else str(row.intervention_id or "")
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
    case = _full_case(request, case_id)
    if not may_write_plan(request.user, case):
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
        try:
            check_free_text(text)
        except ValidationError as exc:
            errors.append(f"{row.domain.name}: {' '.join(exc.messages)}")
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
        lambda c, p: _goal_form(c, request.POST),
        lambda c, p, d: services.add_goal(p, actor=request.user, **d),
        _("Doel toegevoegd."),
    )


@login_required
@require_POST
def plan_sign(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _plan_post(
        request,
        case_id,
        "sign_form",
        lambda c, p: SignaturesForm(request.POST),
        lambda c, p, d: services.save_signatures(
            p, actor=request.user, values=d, expected_version=d["version"]
        ),
        _("Ondertekening vastgelegd."),
        versioned=True,
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


def _tags_post(request: AuthedRequest, case_id: int, kind: str, pk: int, done: str) -> HttpResponse:
    """Change the need and intervention of one goal or action of the plan (ADR 24)."""

    def run(c: Case, p: Plan, d: Any) -> object:
        if kind == "goal":
            goal = Goal.objects.filter(plan=p, pk=pk).first()
            if goal is None:
                raise Http404
            return services.set_goal_tags(goal, actor=request.user, **d)
        action = Action.objects.filter(case=c, pk=pk).first()
        if action is None:
            raise Http404
        return services.set_action_tags(action, actor=request.user, **d)

    posted = {
        "row": (kind, pk),
        "need": request.POST.get("need", ""),
        "intervention": request.POST.get("intervention", ""),
    }
    case = _directed_case(request, case_id)
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        messages.error(request, _("Start eerst het plan van aanpak."))
        return redirect("plan", case.pk)
    form = TagForm(request.POST, **_tag_choices(case))
    anchor = "goal_form" if kind == "goal" else "action_form"
    return _submit(
        request,
        form,
        lambda data: run(case, plan, data),
        done=done,
        success_url=reverse("plan", args=[case.pk]) + f"#{anchor}",
        rerender=lambda: _plan_page(
            request, case, {"tags_form": form, "tags_anchor": anchor, "posted_tags": posted}
        ),
    )


@login_required
@require_POST
def plan_goal_tags(request: AuthedRequest, case_id: int, goal_id: int) -> HttpResponse:
    return _tags_post(
        request, case_id, "goal", goal_id, _("Behoefte en interventie van het doel opgeslagen.")
    )


@login_required
@require_POST
def plan_action_tags(request: AuthedRequest, case_id: int, action_id: int) -> HttpResponse:
    return _tags_post(
        request, case_id, "action", action_id, _("Behoefte en interventie van de actie opgeslagen.")
    )


@login_required
@require_POST
def plan_action(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _plan_post(
        request,
        case_id,
        "action_form",
        lambda c, p: _action_form(request, c, p, request.POST),
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
        lambda c, p: _casusregisseur_form(c, request.POST),
        lambda c, p, d: services.agree_casusregisseur(
            c,
            actor=request.user,
            casusregisseur=d["casusregisseur"],
            agreed_by=d["agreed_by"],
            meeting=Meeting.objects.first_of(c.pk).first(),
            profile_reason=d["profile_reason"],
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


@login_required
def plan_pdf(request: AuthedRequest, case_id: int) -> HttpResponse:
    from ketenregie.plans.pdf import plan_pdf as make

    case = _full_case(request, case_id)
    if not Plan.objects.filter(case=case).exists():
        raise Http404
    return _pdf_response(request, case, "plan", lambda: make(case, request.user))
