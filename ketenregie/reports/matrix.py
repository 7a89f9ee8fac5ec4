"""The needs-vs-interventions matrix of one area (issue 14, ADR 24).

Rows are needs, columns the interventions on the region's social map. Per cell: how many
running cases with that need got that intervention; per need: how many running cases
need it, how many got any intervention for it, the supply (places), the waiting times,
and the gap: no supply, or too little (more cases than places, or only long waits).

Only aggregates, read through `plans.queries`: no name, BSN, case code or free text.
Small numbers are shown as "< 5", and a second figure is hidden where the first could
be worked out by subtraction (a need's total minus its parts).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ketenregie.plans.models import Intervention, Need
from ketenregie.plans.queries import NeedCounts, need_counts, social_map
from ketenregie.reports.matrix_access import Area
from ketenregie.reports.smallnumbers import count_text, is_small, threshold

# Waiting longer than this for every place that meets a need counts as too little supply.
LONG_WAIT_WEEKS = 8

HIDDEN = "x"


@dataclass
class Figure:
    """One count: its value (never shown when hidden) and how it is shown."""

    value: int
    small: bool = False
    hidden: bool = False  # hidden so a small figure elsewhere cannot be worked out

    def __post_init__(self) -> None:
        self.small = is_small(self.value)

    @property
    def secret(self) -> bool:
        return self.small or self.hidden

    @property
    def shown(self) -> str:
        if self.hidden:
            return HIDDEN
        return count_text(self.value)

    @property
    def heat(self) -> str:
        """Heat class 0-4 ("x" hidden); a secret figure gets a fixed class, so the colour
        tells no more than the text."""
        if self.hidden:
            return "x"
        if self.value == 0:
            return "0"
        if self.small:
            return "1"
        return "2" if self.value < 10 else "3" if self.value < 20 else "4"


def _protect(total: Figure, parts: list[Figure]) -> bool:
    """Hide one more figure where exactly one of a total and its parts is secret: the
    total minus the visible parts (or the parts added up) would give it away. The
    smallest visible part goes; the total when no part is left. True when it hid one."""
    if sum(f.secret for f in [total, *parts]) != 1:
        return False
    candidates = [f for f in parts if not f.secret and f.value > 0]
    if candidates:
        min(candidates, key=lambda f: f.value).hidden = True
        return True
    if total.secret:
        return False
    total.hidden = True
    return True


@dataclass
class Column:
    intervention: Intervention
    meets: frozenset[int]

    @property
    def label(self) -> str:
        return self.intervention.name


@dataclass
class Cell:
    figure: Figure
    meets: bool  # the intervention is meant for this need


@dataclass
class Row:
    need: Need
    total: Figure
    with_any: Figure
    without: Figure
    cells: list[Cell]
    capacity: int
    wait_min: int | None
    wait_max: int | None
    supply_count: int
    gap: str = ""  # "" | "geen" | "te_weinig"
    gap_reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.need)

    @property
    def gap_label(self) -> str:
        if self.gap == "geen":
            return _("Geen aanbod")
        if self.gap == "te_weinig":
            return _("Te weinig aanbod")
        return ""

    @property
    def waiting(self) -> str:
        if self.wait_min is None or self.wait_max is None:
            return "-"
        if self.wait_min == self.wait_max:
            return str(self.wait_min)
        return f"{self.wait_min}-{self.wait_max}"


@dataclass
class Matrix:
    area: Area
    columns: list[Column]
    rows: list[Row]
    running: Figure

    @property
    def gaps(self) -> list[Row]:
        return [r for r in self.rows if r.gap]


def _gap(row: Row) -> None:
    """No supply for a need that running cases have, or too little: more cases than
    places, or every place that meets it has a long wait. Decided on the exact count,
    which is never shown, except that a small count is not set against the places."""
    if row.total.value == 0:
        return
    if row.supply_count == 0:
        row.gap = "geen"
        row.gap_reasons.append(_("geen actief aanbod in de regio"))
        return
    # A small (hidden) count is not compared with the places: "more cases than 2 places"
    # next to "< 5" would say 3 or 4.
    if not row.total.secret and row.total.value > row.capacity:
        row.gap = "te_weinig"
        row.gap_reasons.append(_("meer casussen dan plaatsen"))
    if row.wait_min is not None and row.wait_min > LONG_WAIT_WEEKS:
        row.gap = "te_weinig"
        row.gap_reasons.append(
            _("wachttijd overal langer dan %(n)s weken") % {"n": LONG_WAIT_WEEKS}
        )


def build(
    area: Area, counts: NeedCounts, needs: list[Need], interventions: list[Intervention]
) -> Matrix:
    """Put the counts against the social map (pure: no queries beyond the given data)."""
    used = {i for (_n, i) in counts.cells}
    shown_interventions = [i for i in interventions if i.is_active or i.pk in used]
    meets = {i.pk: frozenset(n.pk for n in i.needs.all()) for i in shown_interventions}
    # Columns in the order of the needs they meet, so the heat map runs along a diagonal.
    order = {n.pk: k for k, n in enumerate(needs)}
    shown_interventions.sort(
        key=lambda i: (min((order.get(n, 10**6) for n in meets[i.pk]), default=10**6), i.name)
    )
    columns = [Column(i, meets[i.pk]) for i in shown_interventions]
    supplied = {n for m in meets.values() for n in m}
    rows: list[Row] = []
    for need in needs:
        total, with_any = counts.per_need.get(need.pk, (0, 0))
        if total == 0 and (need.pk not in supplied or not need.is_active):
            continue
        supply = [
            c.intervention for c in columns if need.pk in c.meets and c.intervention.is_active
        ]
        waits = [i.waiting_weeks for i in supply]
        row = Row(
            need=need,
            total=Figure(total),
            with_any=Figure(with_any),
            without=Figure(total - with_any),
            cells=[
                Cell(Figure(counts.cells.get((need.pk, c.intervention.pk), 0)), need.pk in c.meets)
                for c in columns
            ],
            capacity=sum(i.capacity for i in supply),
            wait_min=min(waits) if waits else None,
            wait_max=max(waits) if waits else None,
            supply_count=len(supply),
        )
        # total = with + without; with = the cells (a case with two interventions for one
        # need makes the cells add up to more, but never hide less than if they added up).
        cells = [c.figure for c in row.cells]
        while _protect(row.total, [row.with_any, row.without]) | _protect(row.with_any, cells):
            pass
        _gap(row)
        rows.append(row)
    return Matrix(area, columns, rows, Figure(counts.running))


def matrix_for(area: Area) -> Matrix:
    """The matrix of an area: the grouped count and the region's social map."""
    needs, interventions = social_map(area.region_id)
    counts = need_counts(region_id=area.region_id, house_id=area.house_id)
    return build(area, counts, needs, interventions)


def csv_text(matrix: Matrix) -> str:
    """The matrix as CSV (semicolons and a BOM, as Dutch spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    out.write("\ufeff")
    for line in csv_rows(matrix):
        writer.writerow(line)
    return out.getvalue()


def csv_rows(matrix: Matrix) -> Iterator[list[str]]:
    yield [_("Matrix behoeften en interventies"), matrix.area.label]
    yield [_("Lopende casussen in dit gebied"), matrix.running.shown]
    yield [
        _("Behoefte"),
        _("Casussen met deze behoefte"),
        _("Met interventie"),
        _("Zonder interventie"),
        _("Plaatsen"),
        _("Wachttijd (weken)"),
        _("Tekort"),
        *[f"{c.intervention.name} ({c.intervention.provider})" for c in matrix.columns],
    ]
    for row in matrix.rows:
        yield [
            row.label,
            row.total.shown,
            row.with_any.shown,
            row.without.shown,
            str(row.capacity),
            row.waiting,
            row.gap_label,
            *[c.figure.shown for c in row.cells],
        ]
    yield []
    yield [
        _("< %(n)s: minder dan %(n)s casussen.") % {"n": threshold()},
        _("x: verborgen, anders is een klein aantal terug te rekenen."),
    ]
