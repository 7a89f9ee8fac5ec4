"""The privacy officer's pages: the audit trail search and the subject access export."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ketenregie.accounts.access import can_read_audit
from ketenregie.audit import services as audit
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Person
from ketenregie.cases.queries import case_codes
from ketenregie.core.http import AuthedRequest
from ketenregie.core.paging import BoundedPaginator
from ketenregie.privacy import subject_access as subject_access_export
from ketenregie.privacy.forms import AuditSearchForm, SubjectAccessForm
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


@login_required
def subject_access(request: AuthedRequest) -> HttpResponse:
    """Find the person a subject access request is about (POST: the terms are personal
    data, kept out of URLs and logs), then export (POST, recorded)."""
    if not can_read_audit(request.user):
        raise PermissionDenied
    persons: list[Person] = []
    form = SubjectAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and "person" in request.POST:
        return _export(request)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        persons = subject_access_export.find_persons(
            bsn=data["bsn"], name=data["name"], birth_date=data["birth_date"]
        )
    return TemplateResponse(
        request,
        "privacy/subject_access.html",
        {"form": form, "persons": persons, "searched": form.is_bound and form.is_valid()},
    )


def _export(request: AuthedRequest) -> HttpResponse:
    fmt = request.POST.get("format", "")
    raw = request.POST.get("person", "").strip()
    person = Person.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if person is None or fmt not in ("json", "pdf"):
        return HttpResponseBadRequest(_("Onbekende betrokkene of onbekend formaat.").encode())
    export = subject_access_export.build_export(person)
    subject_access_export.record_export(request.user, person, export, fmt)
    name = f"inzage-{person.pk}"
    if fmt == "json":
        body = json.dumps(export, ensure_ascii=False, indent=2).encode()
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    response = HttpResponse(
        subject_access_export.export_pdf(export), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
