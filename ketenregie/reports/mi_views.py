"""The management-information pages and their CSV and PDF exports (issue 14).

Figures only: every page reads aggregates for the houses `management_house_ids` allows,
through `reports.mi`, which has applied the small-number rule. Page views and exports
are audited as read events, with the topic and the filters (never a figure).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone

from ketenregie.accounts.access import (
    can_read_management_info,
    management_house_ids,
    sees_caseload_names,
)
from ketenregie.audit import services as audit
from ketenregie.core.http import AuthedRequest
from ketenregie.reports import mi
from ketenregie.reports.mi_forms import PeriodForm, default_period
from ketenregie.reports.mi_queries import Scope, municipalities
from ketenregie.reports.smallnumbers import threshold


def _prepare(request: AuthedRequest, topic_slug: str) -> tuple[mi.Topic, PeriodForm, Scope | None]:
    if not can_read_management_info(request.user):
        raise PermissionDenied
    topic = mi.TOPIC_BY_SLUG.get(topic_slug)
    if topic is None:
        raise Http404
    houses = mi.house_choices(list(management_house_ids(request.user)))
    start, end = default_period()
    form = PeriodForm(
        request.GET or None,
        houses=houses,
        municipalities=municipalities([pk for pk, _name in houses]),
        initial={"date_from": start, "date_to": end},
    )
    if form.is_bound and not form.is_valid():
        return topic, form, None
    if form.is_bound:
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        chosen = form.cleaned_data.get("house")
        place = form.cleaned_data.get("municipality") or ""
    else:
        chosen, place = None, ""
    ids = tuple(pk for pk, _name in houses if chosen is None or pk == chosen)
    return topic, form, Scope(ids, start, end, place)


def _record(request: AuthedRequest, topic: mi.Topic, scope: Scope, *, action: str) -> None:
    audit.record(
        action,
        actor=request.user,
        purpose="sturing",
        data={
            "onderwerp": topic.slug,
            "huizen": list(scope.house_ids),
            "van": scope.start.isoformat(),
            "tot": scope.end.isoformat(),
            "gemeente": scope.municipality,
        },
    )


def _named(request: AuthedRequest, scope: Scope) -> bool:
    # Names only when the figures are of one house, for that house's manager.
    return len(scope.house_ids) == 1 and sees_caseload_names(request.user, scope.house_ids[0])


def _context(request: AuthedRequest, topic: mi.Topic, scope: Scope) -> dict[str, Any]:
    return {
        "topic": topic,
        "section": topic.build(scope, _named(request, scope)),
        "scope": scope,
        "house_names": [name for _pk, name in mi.house_choices(list(scope.house_ids))],
        "small_number": threshold(),
    }


@login_required
def management_info(request: AuthedRequest, topic: str = "instroom") -> HttpResponse:
    chosen, form, scope = _prepare(request, topic)
    context: dict[str, Any] = {
        "form": form,
        "topics": mi.TOPICS,
        "topic": chosen,
        "querystring": request.GET.urlencode(),
        "small_number": threshold(),
    }
    if scope is not None:
        _record(request, chosen, scope, action="reports.mi_viewed")
        context.update(_context(request, chosen, scope))
    return TemplateResponse(request, "reports/mi.html", context)


@login_required
def management_info_csv(request: AuthedRequest, topic: str) -> HttpResponse:
    chosen, _form, scope = _prepare(request, topic)
    if scope is None:
        return management_info(request, topic)
    section = _context(request, chosen, scope)["section"]
    _record(request, chosen, scope, action="reports.mi_csv_exported")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([str(chosen.title), scope.start.isoformat(), scope.end.isoformat()])
    for table in [*(c.table for c in section.charts), *section.tables]:
        writer.writerow([])
        writer.writerow([table.caption])
        writer.writerow(table.headers)
        writer.writerows(table.rows)
    for note in section.notes:
        writer.writerow([note])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sturing-{chosen.slug}.csv"'
    return response


@login_required
def management_info_pdf(request: AuthedRequest, topic: str) -> HttpResponse:
    chosen, _form, scope = _prepare(request, topic)
    if scope is None:
        return management_info(request, topic)
    context = _context(request, chosen, scope)
    _record(request, chosen, scope, action="reports.mi_pdf_exported")
    import weasyprint

    html = render_to_string("reports/mi_pdf.html", {**context, "now": timezone.localtime()})
    response = HttpResponse(
        bytes(weasyprint.HTML(string=html).write_pdf()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="sturing-{chosen.slug}.pdf"'
    return response
