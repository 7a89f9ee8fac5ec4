"""Escalation between directors: raising a case and handling an escalation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.cases.models import CaseRole
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.plans import services
from ketenregie.plans.access import (
    can_handle_escalation,
    director_roles,
    escalation_steps,
)
from ketenregie.plans.forms import (
    EscalateForm,
    HandleEscalationForm,
)
from ketenregie.plans.models import (
    DirectorEscalation,
)
from ketenregie.plans.views.common import _full_case


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
