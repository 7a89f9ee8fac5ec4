"""Pages of enrichment ("bekendheidscheck"): the partner's list of requests and answering one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketenregie.accounts.access import has_role
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.paging import BoundedPaginator
from ketenregie.intake import services
from ketenregie.intake.access import (
    visible_requests,
)
from ketenregie.intake.forms import (
    EnrichmentAnswerForm,
    necessity_initial,
)
from ketenregie.intake.models import (
    EnrichmentRequest,
)

PAGE_SIZE = 50


@login_required
def enrichment_list(request: AuthedRequest) -> HttpResponse:
    if not has_role(request.user, Role.PROFESSIONAL):
        raise PermissionDenied
    # Open requests first, the nearest deadline on top; bounded pages, not every request
    # the organisation ever had.
    requests = (
        visible_requests(request.user)
        .select_related("referral__case__person", "referral__case__house", "organisation")
        .order_by(F("answered_at").asc(nulls_first=True), "deadline", "pk")
    )
    page = BoundedPaginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(
        "enrichment.list_viewed",
        actor=request.user,
        purpose="bekendheidscheck",
        data={"verzoeken": [r.pk for r in page.object_list]},
    )
    return TemplateResponse(
        request,
        "intake/enrichment_list.html",
        {"requests": page.object_list, "page": page, "now": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrichment_answer(request: AuthedRequest, request_id: int) -> HttpResponse:
    try:
        req = (
            visible_requests(request.user)
            .select_related("referral__case__person", "referral__case__house", "organisation")
            .get(pk=request_id)
        )
    except EnrichmentRequest.DoesNotExist as exc:
        raise Http404 from exc
    form = _answer(request, req)
    if isinstance(form, HttpResponse):
        return form
    audit.record(
        "enrichment.request_viewed",
        actor=request.user,
        case_id=req.referral.case_id,
        obj=req,
        purpose="bekendheidscheck",
    )
    return TemplateResponse(request, "intake/enrichment_answer.html", {"req": req, "form": form})


def _answer(request: AuthedRequest, req: EnrichmentRequest) -> Any:
    if request.method != "POST":
        return EnrichmentAnswerForm(
            initial={
                "version": req.version,
                "answer": req.answer,
                "summary": req.summary,
                "legal_basis": req.legal_basis,
                "special_category": req.special_category,
                "secrecy_ground": req.secrecy_ground,
                **necessity_initial(req),
            }
        )
    form = EnrichmentAnswerForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if apply_service(
            form,
            lambda: services.answer_enrichment(
                req,
                actor=request.user,
                expected_version=d["version"],
                answer=d["answer"],
                summary=d["summary"],
                legal_basis=d["legal_basis"],
                special_category=d["special_category"],
                secrecy_ground=d["secrecy_ground"],
                necessity=form.necessity(),
            ),
            lambda: EnrichmentRequest.objects.get(pk=req.pk).version,
        ):
            messages.success(request, _("Uw antwoord is opgeslagen."))
            return redirect("enrichment_list")
    return form
