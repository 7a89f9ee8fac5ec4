"""The Verwijsindex pages of a case: the list (signals, the user's matches with their
consultation), a new signal, and the signaller's own changes (informed, withdraw)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.audit import services as audit
from ketenregie.cases.models import Case
from ketenregie.cases.workflow import PGA_STATUSES
from ketenregie.core.forms import apply_service, error_summary
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today
from ketenregie.safeguarding import vi_services as services
from ketenregie.safeguarding.vi_access import vi_case_for, vi_match_for, vi_own_signal
from ketenregie.safeguarding.vi_forms import (
    ConsultationForm,
    InformedForm,
    SignalForm,
    WithdrawForm,
)
from ketenregie.safeguarding.vi_models import VerwijsindexSignal
from ketenregie.safeguarding.vi_queries import (
    MatchView,
    case_signals,
    matches_on_case,
    signal_candidates,
)


@dataclass
class SignalRow:
    """One signal on the page, with the viewer's own matches and forms."""

    signal: VerwijsindexSignal
    own: bool
    active: bool
    informed_form: InformedForm
    withdraw_form: WithdrawForm
    matches: list[tuple[MatchView, ConsultationForm]] = field(default_factory=list)


def _list_page(
    request: AuthedRequest, case: Case, bound: dict[str, Any] | None = None
) -> HttpResponse:
    bound = bound or {}
    day = today()
    matches = matches_on_case(request.user, case)
    rows = []
    for signal in case_signals(case):
        row = SignalRow(
            signal=signal,
            own=signal.signaller_id == request.user.pk,
            active=signal.expires_on > day,
            informed_form=bound.get(f"informed-{signal.pk}")
            or InformedForm(auto_id=f"inf{signal.pk}_%s", initial={"informed_on": day}),
            withdraw_form=bound.get(f"withdraw-{signal.pk}")
            or WithdrawForm(auto_id=f"wd{signal.pk}_%s"),
        )
        for m in matches:
            if m.own.pk == signal.pk:
                form = bound.get(f"consult-{m.match.pk}") or ConsultationForm(
                    auto_id=f"co{m.match.pk}_%s", initial={"held_on": day}
                )
                row.matches.append((m, form))
        rows.append(row)
    context = {
        "case": case,
        "rows": rows,
        "can_signal": case.status in PGA_STATUSES,
        "error_summary": error_summary((f, "") for f in bound.values()),
    }
    audit.record("vi.viewed", actor=request.user, case_id=case.pk, purpose="casusregie")
    return TemplateResponse(request, "safeguarding/vi_list.html", context)


@login_required
def vi_list(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _list_page(request, vi_case_for(request.user, case_id))


@login_required
def vi_new(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = vi_case_for(request.user, case_id)
    people = signal_candidates(case)
    if request.method == "POST":
        form = SignalForm(request.POST, people=people)
        if form.is_valid() and apply_service(
            form, lambda: services.record_signal(case, actor=request.user, **_signal(form))
        ):
            messages.success(
                request,
                _(
                    "Signaal afgegeven. Bij een match ziet u hier de contactgegevens van de "
                    "andere signaleerder."
                ),
            )
            return redirect("vi_list", case_id=case.pk)
    else:
        form = SignalForm(people=people)
        # The form names the household's people with their ages: a read of person data.
        audit.record("vi.viewed", actor=request.user, case_id=case.pk, purpose="casusregie")
    context = {
        "case": case,
        "form": form,
        "can_signal": case.status in PGA_STATUSES,
        "error_summary": error_summary([(form, "")]),
    }
    return TemplateResponse(request, "safeguarding/vi_new.html", context)


def _signal(form: SignalForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "person_id": data["person"],
        "category": data["category"],
        "informed_on": data["informed_on"],
        "not_informed_reason": data["not_informed_reason"],
    }


@login_required
@require_POST
def vi_informed(request: AuthedRequest, case_id: int, signal_id: int) -> HttpResponse:
    case = vi_case_for(request.user, case_id)
    signal = vi_own_signal(request.user, case, signal_id)
    form = InformedForm(request.POST, auto_id=f"inf{signal.pk}_%s")
    if form.is_valid() and apply_service(
        form,
        lambda: services.record_informed(
            signal, actor=request.user, informed_on=form.cleaned_data["informed_on"]
        ),
    ):
        messages.success(request, _("Vastgelegd dat de jongere of de ouders zijn geïnformeerd."))
        return redirect("vi_list", case_id=case.pk)
    return _list_page(request, case, {f"informed-{signal.pk}": form})


@login_required
@require_POST
def vi_withdraw(request: AuthedRequest, case_id: int, signal_id: int) -> HttpResponse:
    case = vi_case_for(request.user, case_id)
    signal = vi_own_signal(request.user, case, signal_id)
    form = WithdrawForm(request.POST, auto_id=f"wd{signal.pk}_%s")
    if form.is_valid() and apply_service(
        form,
        lambda: services.withdraw_signal(
            signal, actor=request.user, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, _("Signaal ingetrokken; het telt niet meer mee voor matches."))
        return redirect("vi_list", case_id=case.pk)
    return _list_page(request, case, {f"withdraw-{signal.pk}": form})


@login_required
@require_POST
def vi_consultation(request: AuthedRequest, case_id: int, match_id: int) -> HttpResponse:
    case = vi_case_for(request.user, case_id)
    match = vi_match_for(request.user, case, match_id)
    form = ConsultationForm(request.POST, auto_id=f"co{match.pk}_%s")
    if form.is_valid() and apply_service(
        form,
        lambda: services.record_consultation(
            match,
            actor=request.user,
            held_on=form.cleaned_data["held_on"],
            outcome=form.cleaned_data["outcome"],
        ),
    ):
        messages.success(request, _("Afstemming vastgelegd."))
        return redirect("vi_list", case_id=case.pk)
    return _list_page(request, case, {f"consult-{match.pk}": form})
