"""Pages of the needs-vs-interventions matrix: the heat map with its table, CSV and PDF.

Aggregates only (ADR 24); every view and export is audited as a read.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.access import can_see_needs_matrix
from ketenregie.audit import services as audit
from ketenregie.core.http import AuthedRequest
from ketenregie.reports.matrix import LONG_WAIT_WEEKS, Matrix, csv_text, matrix_for
from ketenregie.reports.matrix_access import Area, chosen_area, matrix_areas
from ketenregie.reports.smallnumbers import threshold

log = logging.getLogger(__name__)


def _area(request: AuthedRequest) -> Area:
    if not can_see_needs_matrix(request.user):
        raise PermissionDenied
    area = chosen_area(request.user, request.GET.get("gebied", ""))
    if area is None:
        # The role without a house or region to read: nothing to show, and nothing leaks.
        raise PermissionDenied
    return area


def _context(matrix: Matrix) -> dict[str, object]:
    return {"matrix": matrix, "small": threshold(), "long_wait": LONG_WAIT_WEEKS}


@login_required
def needs_matrix(request: AuthedRequest) -> HttpResponse:
    area = _area(request)
    matrix = matrix_for(area)
    audit.record("matrix.viewed", actor=request.user, data={"gebied": area.key})
    return TemplateResponse(
        request,
        "reports/matrix.html",
        {**_context(matrix), "areas": matrix_areas(request.user), "area": area},
    )


@login_required
def needs_matrix_csv(request: AuthedRequest) -> HttpResponse:
    area = _area(request)
    body = csv_text(matrix_for(area))
    audit.record("matrix.exported", actor=request.user, data={"gebied": area.key, "soort": "csv"})
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="behoeften-aanbod-{area.key}.csv"'
    return response


@login_required
def needs_matrix_pdf(request: AuthedRequest) -> HttpResponse:
    import weasyprint

    area = _area(request)
    html = render_to_string(
        "reports/matrix_pdf.html", {**_context(matrix_for(area)), "now": timezone.localtime()}
    )
    try:
        pdf = bytes(weasyprint.HTML(string=html).write_pdf())
    except Exception:  # noqa: BLE001 - a PDF failure must not become a blank 500
        log.exception("PDF van de matrix niet gemaakt voor %s", area.key)
        messages.error(
            request,
            _("De PDF kon niet worden gemaakt. Probeer het opnieuw of meld het bij de beheerder."),
        )
        return redirect(reverse("needs_matrix") + f"?gebied={area.key}")
    audit.record("matrix.exported", actor=request.user, data={"gebied": area.key, "soort": "pdf"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="behoeften-aanbod-{area.key}.pdf"'
    return response
