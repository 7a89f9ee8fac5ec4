"""Pages of the safety plan: the plan, its texts, agreements, safety scores, signatures
and the PDF; and the page where a director records safety concerns on the case."""

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
from ketenregie.cases.access import get_full_case_for
from ketenregie.cases.models import Case
from ketenregie.cases.safety import safety_plan_required, set_safety_concerns
from ketenregie.cases.workflow import PGA_STATUSES
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today
from ketenregie.plans import services
from ketenregie.plans.access import (
    can_direct,
    may_write_plan,
)
from ketenregie.plans.models import (
    SafetyPlan,
    SafetyScore,
    SignedHow,
)
from ketenregie.plans.safety import safety_plan_missing
from ketenregie.plans.safety_forms import (
    CONTACT_PREFIX,
    ContactFormSet,
    SafetyAgreementForm,
    SafetyConcernsForm,
    SafetyPlanForm,
    SafetyScoreForm,
    SignaturesForm,
)
from ketenregie.plans.safety_models import SIGNATURE_FIELDS
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
    contacts = list(safety.contacts.all())
    context: dict[str, Any] = {
        "case": case,
        "safety": safety,
        "contacts": contacts,
        "agreements": list(safety.agreements.all()),
        "scores": scores,
        "scores_by_who": by_who,
        "can_direct": direct,
        "evaluation_due": safety.evaluation_date is not None and safety.evaluation_date <= today(),
        "safety_required": safety_plan_required(case),
        "safety_missing": safety_plan_missing(case),
        "signed_how": dict(SignedHow.choices),
    }
    if direct:
        context.update(
            {
                "safety_form": SafetyPlanForm(
                    initial={
                        "version": safety.version,
                        **{f: getattr(safety, f) for f in services.SAFETY_FIELDS},
                    },
                    earlier_contacts=safety.earlier_contacts,
                ),
                # Slice planvi: the contacts as rows, saved with the form above.
                "contact_formset": ContactFormSet(
                    prefix=CONTACT_PREFIX,
                    initial=[
                        {"id": c.pk, **{f: getattr(c, f) for f in services.CONTACT_FIELDS}}
                        for c in contacts
                    ],
                ),
                "agreement_form": SafetyAgreementForm(),
                "score_form": SafetyScoreForm(initial={"on_date": today()}),
                "sign_form": SignaturesForm(
                    initial={
                        "version": safety.version,
                        **{f: getattr(safety, f) for f in SIGNATURE_FIELDS},
                    }
                ),
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


def _start_first(request: AuthedRequest, case: Case) -> HttpResponse:
    messages.error(request, _("Start eerst het veiligheidsplan."))
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
        return _start_first(request, case)

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
    """The safety plan's texts and its contact rows: one form, one version check, one
    transaction (slice planvi); bad rows keep everything typed, in Dutch."""
    case = _directed_case(request, case_id)
    safety = SafetyPlan.objects.filter(case=case).first()
    if safety is None:
        return _start_first(request, case)
    form = SafetyPlanForm(request.POST, earlier_contacts=safety.earlier_contacts)
    rows = ContactFormSet(request.POST, prefix=CONTACT_PREFIX)
    bound = {"safety_form": form, "contact_formset": rows}
    if not rows.is_valid():
        form.is_valid()  # the form's own errors show too
        return _safety_page(request, case, bound)
    return _submit(
        request,
        form,
        lambda d: services.save_safety_plan(
            safety,
            actor=request.user,
            values=d,
            expected_version=d["version"],
            contacts=rows.rows(),
            clear_earlier_contacts=bool(d.get("clear_earlier_contacts")),
        ),
        done=_("Veiligheidsplan bijgewerkt."),
        success_url=reverse("safety_plan", args=[case.pk]) + "#safety_form",
        rerender=lambda: _safety_page(request, case, bound),
        current=lambda: SafetyPlan.objects.get(pk=safety.pk).version,
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


@login_required
@require_POST
def safety_sign(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _safety_post(
        request,
        case_id,
        "sign_form",
        SignaturesForm(request.POST),
        lambda c, s, d: services.save_signatures(
            s, actor=request.user, values=d, expected_version=d["version"]
        ),
        versioned=True,
    )


@login_required
def case_safety_concerns(request: AuthedRequest, case_id: int) -> HttpResponse:
    """A director of the case records (or clears) safety concerns; they make a safety plan
    required (`cases.safety`). Any phase from the PGA start until closing."""
    case = get_full_case_for(request.user, case_id, statuses=PGA_STATUSES)
    if not can_direct(request.user, case):
        raise PermissionDenied
    initial = {
        "version": case.version,
        "concerns": case.safety_concerns,
        "note": case.safety_concerns_note,
    }
    form = SafetyConcernsForm(request.POST if request.method == "POST" else None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form,
            lambda: set_safety_concerns(
                case,
                actor=request.user,
                concerns=form.cleaned_data["concerns"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            ),
            lambda: Case.objects.get(pk=case.pk).version,
        )
    ):
        messages.success(request, _("Zorgen over basiszorg of veiligheid vastgelegd."))
        return redirect("case_detail", case_id=case.pk)
    return TemplateResponse(
        request,
        "plans/safety_concerns.html",
        {"case": case, "form": form, "safety_required": safety_plan_required(case)},
    )
