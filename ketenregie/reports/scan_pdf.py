"""The comparison of a PGA-scan round as PDF (WeasyPrint, as plans.pdf) for the
conversation the PGA expert leads. Figures per organisation only, never a person."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from ketenregie.reports.models import ScanRound
from ketenregie.reports.scan import ATTRIBUTION, IN_DEVELOPMENT
from ketenregie.reports.scan_presentation import present


def results_pdf(scan_round: ScanRound) -> bytes:
    import weasyprint

    html = render_to_string(
        "reports/scan_pdf.html",
        {
            "round": scan_round,
            "now": timezone.localtime(),
            "attribution": ATTRIBUTION,
            "in_development": IN_DEVELOPMENT,
            **present(scan_round),
        },
    )
    return bytes(weasyprint.HTML(string=html).write_pdf())
