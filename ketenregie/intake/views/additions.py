"""The referrer's aanvulling: adding information or attachments to a submitted referral
until the chair's screening decided. A page of its own, apart from the referral form
(which is for drafts only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketenregie.cases.access import get_case_for
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.intake import services
from ketenregie.intake.access import can_add_to_referral, is_referrer_of
from ketenregie.intake.forms import ReferralAdditionForm


@login_required
@require_http_methods(["GET", "POST"])
def referral_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    if not is_referrer_of(request.user, case):
        raise PermissionDenied
    if not can_add_to_referral(request.user, case):
        # The referrer's own referral, screened since: the page says so (and writes
        # nothing), instead of a bare refusal.
        return TemplateResponse(request, "intake/referral_add.html", {"case": case, "closed": True})
    form = ReferralAdditionForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form,
            lambda: services.add_to_referral(
                case,
                actor=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data.get("attachments") or [],
            ),
        )
    ):
        messages.success(request, _("Uw aanvulling is toegevoegd aan de aanmelding."))
        return redirect("referral_detail", case_id=case.pk)
    return TemplateResponse(request, "intake/referral_add.html", {"case": case, "form": form})
