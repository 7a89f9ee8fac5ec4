"""Server-rendered, accessible SVG charts with a table alternative (steering, issue 14).

No JavaScript and no charting library: each function returns a `Chart`, whose `svg` is an
`<svg role="img">` with a `<title>` and `<desc>` named by `aria-labelledby`, and whose
`table` holds the same figures for the table beside the chart (`reports/_chart.html`
renders both). Values are given already protected by the small-number rule: a value of
`None` is a suppressed cell; it draws no mark and its label is the text given for it
(`smallnumbers.Shown.text`, "< 5").

Kinds: bar, line, stacked bar, box plot (quartiles and 10th/90th percentiles: never a
minimum or maximum, which would be one person's value) and heat map.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

# Colour-blind safe (Okabe-Ito), all with at least 3:1 contrast against white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#666666")
TEXT = "#1a1a1a"
# The part of a stacked bar made of hidden small numbers.
HIDDEN_COLOUR = "#9e9e9e"
HIDDEN_LABEL = "Verborgen (kleine aantallen)"
GRID = "#c8c8c8"
WIDTH = 800
# Room for the longest Dutch row label at 12px ("Niet geagendeerd: wordt al in een ...").
LABEL_WIDTH = 370
_ids = itertools.count(1)


class Cell(NamedTuple):
    """One figure: the number to draw (None: not drawn) and the text to show for it."""

    value: float | None
    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString
    table: Table
    notes: Sequence[str] = field(default_factory=tuple)


def _tag(fmt: str, *args: object, **kwargs: object) -> str:
    """Like Django's `format_html`, but numbers keep their format codes (`{:.1f}`):
    only text is escaped."""

    def safe(v: object) -> object:
        return v if isinstance(v, int | float) else conditional_escape(str(v))

    return fmt.format(*map(safe, args), **{k: safe(v) for k, v in kwargs.items()})


def _open(title: str, desc: str, height: int) -> tuple[str, str]:
    n = next(_ids)
    head = _tag(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {w} {h}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" class="mi-chart" '
        'aria-labelledby="mi-t{n} mi-d{n}" font-family="inherit" font-size="12">'
        '<title id="mi-t{n}">{title}</title><desc id="mi-d{n}">{desc}</desc>',
        w=WIDTH,
        h=height,
        n=n,
        title=title,
        desc=desc,
    )
    return head, "</svg>"


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12) -> str:
    return _tag(
        '<text x="{:.1f}" y="{:.1f}" text-anchor="{}" font-size="{}" fill="{}">{}</text>',
        x,
        y,
        anchor,
        size,
        TEXT,
        text,
    )


def _nice_max(value: float) -> float:
    """A round upper bound for an axis (1, 2, 2.5, 5 x 10^n)."""
    if value <= 0:
        return 1.0
    exp = 1.0
    while exp * 10 <= value:
        exp *= 10
    while exp > value:
        exp /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _legend(names: Sequence[str], y: float, colours: Sequence[str | None] = ()) -> list[str]:
    parts: list[str] = []
    x = 10.0
    for i, name in enumerate(names):
        colour = (colours[i] if i < len(colours) else None) or PALETTE[i % len(PALETTE)]
        parts.append(
            _tag('<rect x="{:.1f}" y="{:.1f}" width="12" height="12" fill="{}"/>', x, y, colour)
        )
        parts.append(_text(x + 16, y + 10, name))
        x += 24 + 7 * len(name)
    return parts


def bar_chart(
    title: str,
    desc: str,
    labels: Sequence[str],
    cells: Sequence[Cell],
    unit: str = "",
    value_header: str = "Aantal",
) -> Chart:
    """Horizontal bars, one per label (readable with long Dutch labels)."""
    left, row_h = LABEL_WIDTH, 26
    height = 20 + row_h * len(labels) + 10
    top = max((c.value or 0.0) for c in cells) if cells else 0.0
    scale = (WIDTH - left - 80) / _nice_max(top)
    head, tail = _open(title, desc, height)
    parts = [head]
    for i, (label, cell) in enumerate(zip(labels, cells, strict=True)):
        y = 20 + i * row_h
        parts.append(_text(left - 8, y + 15, label, "end"))
        width = (cell.value or 0.0) * scale
        if cell.value is not None:
            parts.append(
                _tag(
                    '<rect x="{}" y="{}" width="{:.1f}" height="18" fill="{}"/>',
                    left,
                    y + 2,
                    width,
                    PALETTE[0],
                )
            )
        parts.append(_text(left + width + 6, y + 15, f"{cell.text}{unit}"))
    parts.append(tail)
    table = Table(
        title,
        ("", value_header),
        [(label, c.text + unit) for label, c in zip(labels, cells, strict=True)],
    )
    return Chart(title, mark_safe("".join(parts)), table)  # noqa: S308 (escaped above)


def _series_frame(
    title: str, desc: str, x_labels: Sequence[str], series: Mapping[str, Sequence[Cell]], top: float
) -> tuple[list[str], str, float, float, float, int]:
    left, bottom, height = 50, 60, 260
    legend_y = height - 18
    head, tail = _open(title, desc, height)
    parts = [head]
    plot_h = height - bottom - 10
    axis_max = _nice_max(top)
    for k in range(5):
        value = axis_max * k / 4
        y = 10 + plot_h - plot_h * k / 4
        parts.append(
            _tag(
                '<line x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="{}"/>',
                left,
                WIDTH - 10,
                y,
                y,
                GRID,
            )
        )
        parts.append(_text(left - 6, y + 4, _fmt(value), "end", 11))
    step = (WIDTH - left - 20) / max(len(x_labels), 1)
    every = max(1, len(x_labels) // 12)
    for i, label in enumerate(x_labels):
        if i % every == 0:
            parts.append(_text(left + step * (i + 0.5), 10 + plot_h + 16, label, "middle", 11))
    colours = [HIDDEN_COLOUR if name == HIDDEN_LABEL else None for name in series]
    parts.extend(_legend(list(series), legend_y, colours))
    return parts, tail, plot_h / axis_max, step, left, plot_h


def line_chart(
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[Cell]],
    unit: str = "",
) -> Chart:
    """One line per series over the periods; a suppressed point breaks the line."""
    top = max((c.value or 0.0) for cells in series.values() for c in cells) if series else 0.0
    parts, tail, scale, step, left, plot_h = _series_frame(title, desc, x_labels, series, top)
    for s, cells in enumerate(series.values()):
        colour = PALETTE[s % len(PALETTE)]
        run: list[str] = []
        for i, cell in enumerate([*cells, Cell(None, "")]):
            if cell.value is not None:
                x = left + step * (i + 0.5)
                y = 10 + plot_h - cell.value * scale
                run.append(f"{x:.1f},{y:.1f}")
                parts.append(
                    _tag('<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"/>', x, y, colour)
                )
            elif run:
                parts.append(
                    _tag(
                        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                        " ".join(run),
                        colour,
                    )
                )
                run = []
    parts.append(tail)
    rows = [
        (label, *(cells[i].text + unit for cells in series.values()))
        for i, label in enumerate(x_labels)
    ]
    table = Table(title, ("", *series), rows)
    return Chart(title, mark_safe("".join(parts)), table)  # noqa: S308 (escaped above)


def stacked_bar(
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[Cell]],
    totals: Sequence[Cell] | None = None,
) -> Chart:
    """Vertical bars per period, stacked by series (e.g. phases). Hidden parts draw
    nothing; when the bar's total may be shown (`totals`), what the hidden parts add up
    to is drawn as one grey block ("verborgen"), so the bar keeps its true height."""
    heights = [
        totals[i].value
        if totals is not None and totals[i].value is not None
        else sum((cells[i].value or 0.0) for cells in series.values())
        for i in range(len(x_labels))
    ]
    legend = {**series, **({HIDDEN_LABEL: ()} if totals is not None else {})}
    parts, tail, scale, step, left, plot_h = _series_frame(
        title, desc, x_labels, legend, max((h or 0.0 for h in heights), default=0.0)
    )
    bar_w = min(step * 0.7, 48)
    for i in range(len(x_labels)):
        base = 10.0 + plot_h
        x = left + step * (i + 0.5) - bar_w / 2
        shown = sum((cells[i].value or 0.0) for cells in series.values())
        blocks = [
            (cells[i].value, PALETTE[s % len(PALETTE)]) for s, cells in enumerate(series.values())
        ]
        blocks.append(((heights[i] or 0.0) - shown, HIDDEN_COLOUR))
        for value, colour in blocks:
            if not value or value <= 0:
                continue
            h = value * scale
            base -= h
            parts.append(
                _tag(
                    '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>',
                    x,
                    base,
                    bar_w,
                    h,
                    colour,
                )
            )
    parts.append(tail)
    rows = [
        (
            label,
            *(cells[i].text for cells in series.values()),
            *((totals[i].text,) if totals is not None else ()),
        )
        for i, label in enumerate(x_labels)
    ]
    table = Table(title, ("", *series, *(("Totaal",) if totals is not None else ())), rows)
    return Chart(title, mark_safe("".join(parts)), table)  # noqa: S308 (escaped above)


class Spread(NamedTuple):
    """A distribution summarised without individual values: None when too few."""

    label: str
    n_text: str
    p10: float | None = None
    p25: float | None = None
    median: float | None = None
    p75: float | None = None
    p90: float | None = None


def box_plot(title: str, desc: str, rows: Sequence[Spread], unit: str) -> Chart:
    """Horizontal box plots: whiskers 10th-90th percentile, box the quartiles, a line at
    the median. A row with too few values shows only its (protected) count."""
    left, row_h = LABEL_WIDTH, 30
    height = 20 + row_h * len(rows) + 30
    top = max((r.p90 or 0.0) for r in rows) if rows else 0.0
    axis_max = _nice_max(top)
    plot_w = WIDTH - left - 20
    scale = plot_w / axis_max
    head, tail = _open(title, desc, height)
    parts = [head]
    axis_y = 20 + row_h * len(rows) + 4
    for k in range(5):
        x = left + plot_w * k / 4
        parts.append(
            _tag(
                '<line x1="{:.1f}" x2="{:.1f}" y1="14" y2="{}" stroke="{}"/>',
                x,
                x,
                axis_y,
                GRID,
            )
        )
        anchor = "end" if k == 4 else "middle"
        parts.append(_text(x, axis_y + 14, f"{_fmt(axis_max * k / 4)} {unit}", anchor, 11))
    for i, r in enumerate(rows):
        y = 20 + i * row_h
        mid = y + 11
        parts.append(_text(left - 8, mid + 4, r.label, "end"))
        if None in (r.p10, r.p25, r.median, r.p75, r.p90):
            parts.append(_text(left + 4, mid + 4, f"te weinig casussen ({r.n_text})"))
            continue
        assert r.p10 is not None and r.p25 is not None and r.median is not None
        assert r.p75 is not None and r.p90 is not None
        parts.append(
            _tag(
                '<line x1="{:.1f}" x2="{:.1f}" y1="{}" y2="{}" stroke="{}" stroke-width="2"/>',
                left + r.p10 * scale,
                left + r.p90 * scale,
                mid,
                mid,
                TEXT,
            )
        )
        parts.append(
            _tag(
                '<rect x="{:.1f}" y="{}" width="{:.1f}" height="22" fill="{}" stroke="{}"/>',
                left + r.p25 * scale,
                y,
                max((r.p75 - r.p25) * scale, 1.0),
                PALETTE[5],
                TEXT,
            )
        )
        parts.append(
            _tag(
                '<line x1="{:.1f}" x2="{:.1f}" y1="{}" y2="{}" stroke="{}" stroke-width="3"/>',
                left + r.median * scale,
                left + r.median * scale,
                y,
                y + 22,
                TEXT,
            )
        )
    parts.append(tail)

    def show(v: float | None) -> str:
        return "–" if v is None else _fmt(v)

    table = Table(
        title,
        ("", "Aantal", "10%", "25%", "Mediaan", "75%", "90%"),
        [
            (r.label, r.n_text, show(r.p10), show(r.p25), show(r.median), show(r.p75), show(r.p90))
            for r in rows
        ],
    )
    return Chart(title, mark_safe("".join(parts)), table)  # noqa: S308 (escaped above)


def heat_map(
    title: str,
    desc: str,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    cells: Sequence[Sequence[Cell]],
) -> Chart:
    """A grid of cells shaded by value (darker is more), each with its figure written in."""
    left, top, cell_h = LABEL_WIDTH, 40, 26
    cell_w = (WIDTH - left - 10) / max(len(col_labels), 1)
    height = top + cell_h * len(row_labels) + 10
    peak = max((c.value or 0.0) for row in cells for c in row) if cells else 0.0
    head, tail = _open(title, desc, height)
    parts = [head]
    for j, label in enumerate(col_labels):
        parts.append(_text(left + cell_w * (j + 0.5), top - 10, label, "middle"))
    for i, label in enumerate(row_labels):
        y = top + i * cell_h
        parts.append(_text(left - 8, y + 17, label, "end"))
        for j, cell in enumerate(cells[i]):
            x = left + j * cell_w
            share = (cell.value or 0.0) / peak if peak else 0.0
            # Light to dark blue; text flips to white on the dark half for contrast.
            fill = _blend(share) if cell.value is not None else "#f2f2f2"
            colour = "#ffffff" if share > 0.5 else TEXT
            parts.append(
                _tag(
                    '<rect x="{:.1f}" y="{}" width="{:.1f}" height="{}" fill="{}" '
                    'stroke="#ffffff"/>',
                    x,
                    y,
                    cell_w,
                    cell_h,
                    fill,
                )
            )
            parts.append(
                _tag(
                    '<text x="{:.1f}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                    x + cell_w / 2,
                    y + 17,
                    colour,
                    cell.text,
                )
            )
    parts.append(tail)
    table = Table(
        title,
        ("", *col_labels),
        [(label, *(c.text for c in row)) for label, row in zip(row_labels, cells, strict=True)],
    )
    return Chart(title, mark_safe("".join(parts)), table)  # noqa: S308 (escaped above)


def _blend(share: float) -> str:
    low, high = (0xE8, 0xF1, 0xFA), (0x08, 0x30, 0x6B)
    rgb = (round(a + (b - a) * share) for a, b in zip(low, high, strict=True))
    return "#" + "".join(f"{v:02x}" for v in rgb)
