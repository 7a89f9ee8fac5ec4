"""Pages of phase 6 (issue 15): aftercare and the trajectory's evaluation, and 6a.

Read through the gate in full (an adviser sees neither: they name organisations, people
and what the household gets); written by whoever manages the case (the procesregisseur).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketenregie.accounts.access import house_case_workers
from ketenregie.audit import services as audit
from ketenregie.cases.access import can_manage_case, case_team, get_full_case_for, team_users
from ketenregie.cases.models import Case
from ketenregie.cases.procesregie import sibling_cases
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today
from ketenregie.pga import aftercare
from ketenregie.pga.aftercare_forms import AftercareForm, EvaluationForm, ProfessionalChangeForm
from ketenregie.pga.aftercare_models import (
    AftercareAgreement,
    ProfessionalChange,
    TrajectoryEvaluation,
)

EVALUATION_VALUES = aftercare.EVALUATION_FIELDS


def _managed(request: AuthedRequest, case_id: int) -> Case:
    case = get_full_case_for(request.user, case_id)
    if not can_manage_case(request.user, case):
        raise PermissionDenied
    return case


def _aftercare_page(
    request: AuthedRequest, case: Case, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    manage = can_manage_case(request.user, case)
    current = aftercare.current_evaluation(case)
    context: dict[str, Any] = {
        "case": case,
        "can_manage": manage,
        "agreements": list(
            AftercareAgreement.objects.filter(case=case).select_related("organisation")
        ),
        "evaluation": current,
        "earlier_evaluations": [
            e
            for e in TrajectoryEvaluation.objects.filter(case=case).order_by("-recorded_at")
            if current is None or e.pk != current.pk
        ],
        "household_case": case.household_id is not None,
    }
    if manage and case.status in aftercare.AFTERCARE_STATUSES:
        context["aftercare_form"] = AftercareForm(initial={"starts_on": today()})
    if manage and case.status in aftercare.EVALUATION_STATUSES:
        initial: dict[str, Any] = {"held_on": today()}
        if current is not None:
            initial = {k: getattr(current, k) for k in EVALUATION_VALUES}
            initial["version"] = current.version
        context["evaluation_form"] = EvaluationForm(initial=initial)
    context.update(bound or {})
    audit.record("pga.aftercare_viewed", actor=request.user, case_id=case.pk, purpose="casusregie")
    return TemplateResponse(request, "pga/aftercare.html", context, status=status)


@login_required
def aftercare_page(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _aftercare_page(request, get_full_case_for(request.user, case_id))


@login_required
@require_POST
def aftercare_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _managed(request, case_id)
    form = AftercareForm(request.POST)
    if form.is_valid() and apply_service(
        form, lambda: aftercare.save_aftercare(case, actor=request.user, values=form.cleaned_data)
    ):
        messages.success(request, _("Nazorgafspraak vastgelegd."))
        return redirect("pga_aftercare", case_id=case.pk)
    return _aftercare_page(request, case, {"aftercare_form": form})


@login_required
@require_http_methods(["GET", "POST"])
def aftercare_edit(request: AuthedRequest, case_id: int, agreement_id: int) -> HttpResponse:
    case = _managed(request, case_id)
    agreement = get_object_or_404(AftercareAgreement, pk=agreement_id, case=case)
    if request.method == "POST":
        form = AftercareForm(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: aftercare.save_aftercare(
                case,
                actor=request.user,
                values=form.cleaned_data,
                agreement=agreement,
                expected_version=form.cleaned_data.get("version"),
            ),
            lambda: (
                AftercareAgreement.objects.filter(pk=agreement.pk)
                .values_list("version", flat=True)
                .first()
            ),
        ):
            messages.success(request, _("Nazorgafspraak gewijzigd."))
            return redirect("pga_aftercare", case_id=case.pk)
    else:
        initial = {k: getattr(agreement, k) for k in aftercare.AFTERCARE_FIELDS}
        form = AftercareForm(initial={**initial, "version": agreement.version})
    return _aftercare_page(request, case, {"aftercare_form": form, "editing": agreement})


@login_required
@require_POST
def aftercare_remove(request: AuthedRequest, case_id: int, agreement_id: int) -> HttpResponse:
    case = _managed(request, case_id)
    agreement = get_object_or_404(AftercareAgreement, pk=agreement_id, case=case)
    form = AftercareForm()
    if apply_service(form, lambda: aftercare.remove_aftercare(agreement, actor=request.user)):
        messages.success(request, _("Nazorgafspraak verwijderd."))
        return redirect("pga_aftercare", case_id=case.pk)
    return _aftercare_page(request, case, {"remove_errors": form.non_field_errors()})


@login_required
@require_POST
def evaluation(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _managed(request, case_id)
    form = EvaluationForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: aftercare.record_evaluation(
            case,
            actor=request.user,
            values=form.cleaned_data,
            expected_version=form.cleaned_data.get("version"),
        ),
        lambda: getattr(aftercare.current_evaluation(case), "version", None),
    ):
        messages.success(request, _("De evaluatie van het traject is vastgelegd."))
        return redirect("pga_aftercare", case_id=case.pk)
    return _aftercare_page(request, case, {"evaluation_form": form})


# ------------------------------------------------------------------ 6a


@login_required
@require_http_methods(["GET", "POST"])
def professional_change(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Phase 6a: a professional leaves or procesregie moves (the procesregisseur records
    it; everyone who sees the case in full reads the history)."""
    case = get_full_case_for(request.user, case_id)
    manage = can_manage_case(request.user, case)
    form = None
    if manage:
        members = (
            case_team(case.pk, today())
            .filter(user__isnull=False)
            .select_related("user", "organisation")
            .order_by("role", "pk")
        )
        successors = (
            (house_case_workers(case.house_id) | team_users(case.pk))
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        form = ProfessionalChangeForm(
            request.POST or None,
            members=members,
            successors=successors,
            initial={"on_date": today()},
        )
        if (
            request.method == "POST"
            and form.is_valid()
            and apply_service(
                form,
                lambda: aftercare.record_professional_change(
                    case, actor=request.user, **form.cleaned_data
                ),
            )
        ):
            messages.success(request, _("De wisseling is vastgelegd."))
            return redirect("pga_professional_change", case_id=case.pk)
    elif request.method == "POST":
        raise PermissionDenied
    audit.record(
        "pga.professional_change_viewed", actor=request.user, case_id=case.pk, purpose="casusregie"
    )
    return TemplateResponse(
        request,
        "pga/aftercare_change.html",
        {
            "case": case,
            "form": form,
            "changes": list(
                ProfessionalChange.objects.filter(case=case).select_related(
                    "from_user", "to_user", "recorded_by"
                )
            ),
            "siblings": len(sibling_cases(case)),
        },
    )
