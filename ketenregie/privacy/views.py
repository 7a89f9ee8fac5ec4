"""The privacy officer's pages: the audit trail search (more follows with issue 13)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse

from ketenregie.accounts.access import can_read_audit
from ketenregie.audit import services as audit
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.queries import case_codes
from ketenregie.core.http import AuthedRequest
from ketenregie.core.paging import BoundedPaginator
from ketenregie.privacy.forms import AuditSearchForm
from ketenregie.privacy.queries import search

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    case_code: str  # empty: no case, or a case since deleted (a rejected referral)


@login_required
def audit_search(request: AuthedRequest) -> HttpResponse:
    if not can_read_audit(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    page = None
    rows: list[AuditRow] = []
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        # Bounded like the case list: a common surname matches tens of thousands of
        # events; the page counts up to the bound and asks to narrow the search beyond it.
        found = search(**filters)
        paginator = BoundedPaginator(found.events, PAGE_SIZE, counted=found.counted)
        page = paginator.get_page(request.GET.get("page"))
        # Evaluate before recording this search, which may itself match the filters.
        page.object_list = list(page.object_list)
        # The case number people know, not the internal id (one query for the page).
        codes = case_codes(ev.case_id for ev in page.object_list)
        rows = [AuditRow(ev, codes.get(ev.case_id, "") if ev.case_id else "") for ev in page]
        audit.record(
            "audit.searched",
            actor=request.user,
            purpose="toezicht gegevensbescherming",
            data={"filters": audit.search_filters(filters, personal=("person",))},
        )
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "privacy/audit_search.html",
        {"form": form, "page": page, "rows": rows, "querystring": query.urlencode()},
    )
