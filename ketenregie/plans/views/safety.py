"""Pages of the safety plan: the plan, its texts, agreements, safety scores and the PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.audit import services as audit
from ketenregie.cases.models import Case
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today
from ketenregie.plans import services
from ketenregie.plans.access import (
    may_write_plan,
)
from ketenregie.plans.forms import (
    SafetyAgreementForm,
    SafetyPlanForm,
    SafetyScoreForm,
)
from ketenregie.plans.models import (
    SafetyPlan,
    SafetyScore,
)
from ketenregie.plans.views.common import (
    _directed_case,
    _full_case,
    _not_started,
    _pdf_response,
    _submit,
)


@login_required
def safety_pdf(request: AuthedRequest, case_id: int) -> HttpResponse:
    from ketenregie.plans.pdf import safety_pdf as make

    case = _full_case(request, case_id)
    if not SafetyPlan.objects.filter(case=case).exists():
        raise Http404
    return _pdf_response(request, case, "safety", lambda: make(case))


def _safety_page(
    request: AuthedRequest, case: Case, bound: dict[str, Any] | None = None
) -> HttpResponse:
    safety = SafetyPlan.objects.filter(case=case).first()
    if safety is None:
        return _not_started(request, case, "safety")
    direct = may_write_plan(request.user, case)
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
    case = _full_case(request, case_id)
    if not may_write_plan(request.user, case):
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
