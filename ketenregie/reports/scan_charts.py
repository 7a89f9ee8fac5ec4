"""Small server-rendered SVG charts for the PGA-scan, each meant to stand beside a table
with the same figures (the table is the text alternative; the SVG carries a title and a
short description for screen readers as well).

Two shapes only: a 100% stacked bar per row (a distribution over the five answers) and
a horizontal bar chart with one or more series (means, shares, now against before). The
interface is kept small so these can later fold into the reports app's shared charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# A diverging palette readable with the common colour-vision deficiencies (ColorBrewer
# RdBu): from "helemaal oneens" (red) through neutral (grey) to "helemaal eens" (blue).
DIVERGING = ("#b2182b", "#ef8a62", "#bababa", "#67a9cf", "#2166ac")
SERIES = ("#2166ac", "#bababa", "#b2182b")

_ids = count(1)

LABEL_W = 170
BAR_W = 300
ROW_H = 22
GAP = 6
FONT = 'font-family="inherit" font-size="12"'


def _shorten(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _frame(title: str, description: str, width: int, height: int, body: list[str]) -> SafeString:
    n = next(_ids)
    head = format_html(
        '<svg class="kr-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-labelledby="krc{}t krc{}d" focusable="false">'
        '<title id="krc{}t">{}</title><desc id="krc{}d">{}</desc>',
        width,
        height,
        n,
        n,
        n,
        title,
        n,
        description,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - parts escaped above


def _legend(
    labels: Sequence[str], colours: Sequence[str], y: int, width: int
) -> tuple[list[str], int]:
    """The legend under the bars, wrapping to a next line within `width`; its parts and
    the y below it."""
    parts: list[str] = []
    x = 0
    for label, colour in zip(labels, colours, strict=False):
        step = 14 + 7 * len(label) + 14
        if x and x + step > width:
            x, y = 0, y + 18
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="{}" {}>{}</text>',
                x,
                y,
                colour,
                x + 14,
                y + 9,
                mark_safe(FONT),  # noqa: S308 - a constant
                label,
            )
        )
        x += step
    return parts, y + 18


def stacked_bar(
    rows: Sequence[tuple[str, Sequence[int]]],
    categories: Sequence[str],
    *,
    title: str,
) -> SafeString:
    """One 100% bar per row, split over `categories` (counts per category, in order)."""
    colours = DIVERGING if len(categories) == len(DIVERGING) else SERIES
    body: list[str] = []
    y = 0
    for label, counts in rows:
        total = sum(counts)
        body.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>',
                LABEL_W - 8,
                y + 15,
                mark_safe(FONT),  # noqa: S308 - a constant
                _shorten(label),
            )
        )
        x = float(LABEL_W)
        for category, value, colour in zip(categories, counts, colours, strict=False):
            if not total or not value:
                continue
            w = BAR_W * value / total
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {} ({}%)</title></rect>",
                    f"{x:.1f}",
                    y,
                    f"{w:.1f}",
                    ROW_H,
                    colour,
                    category,
                    value,
                    round(100 * value / total),
                )
            )
            x += w
        y += ROW_H + GAP
    width = LABEL_W + BAR_W + 10
    legend, bottom = _legend(categories, colours, y + 4, width)
    body += legend
    description = "; ".join(
        f"{label}: " + ", ".join(f"{c} {v}" for c, v in zip(categories, counts, strict=False))
        for label, counts in rows
    )
    return _frame(title, description, width, bottom, body)


def bar_chart(
    rows: Sequence[tuple[str, Sequence[float | None]]],
    series: Sequence[str],
    *,
    maximum: float,
    title: str,
    unit: str = "",
    minimum: float = 0.0,
) -> SafeString:
    """Horizontal bars from `minimum` to `maximum`, one bar per series in each row."""
    body: list[str] = []
    y = 0
    span = (maximum - minimum) or 1.0
    for label, values in rows:
        body.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>',
                LABEL_W - 8,
                y + 13,
                mark_safe(FONT),  # noqa: S308 - a constant
                _shorten(label),
            )
        )
        for name, value, colour in zip(series, values, SERIES, strict=False):
            if value is not None:
                w = BAR_W * max(0.0, value - minimum) / span
                shown = f"{value:.1f}{unit}".replace(".", ",")
                body.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="14" fill="{}">'
                        "<title>{}: {}</title></rect>"
                        '<text x="{}" y="{}" {}>{}</text>',
                        LABEL_W,
                        y + 2,
                        f"{w:.1f}",
                        colour,
                        name,
                        shown,
                        f"{LABEL_W + w + 4:.1f}",
                        y + 13,
                        mark_safe(FONT),  # noqa: S308 - a constant
                        shown,
                    )
                )
            y += 16
        y += GAP + 2
    if len(series) > 1:
        legend, y = _legend(series, SERIES, y + 4, LABEL_W + BAR_W + 60)
        body += legend
    description = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{s} {'-' if v is None else f'{v:.1f}{unit}'}"
            for s, v in zip(series, values, strict=False)
        )
        for label, values in rows
    )
    return _frame(title, description, LABEL_W + BAR_W + 60, y + 4, body)
