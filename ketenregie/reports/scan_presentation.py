"""The comparison of a round as the page and the PDF show it: the figures of
reports.scan_results with a chart beside each table."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ketenregie.reports.models import ScanRound
from ketenregie.reports.scan_charts import bar_chart, stacked_bar
from ketenregie.reports.scan_results import (
    MIN_GROUP,
    NEGATIVE,
    POSITIVE,
    SCALE,
    TOTAL,
    Results,
    StatementResult,
    compute,
)


def _statement_label(s: StatementResult) -> str:
    return f"{s.statement.get_part_display()} {s.number}"


def _distribution_rows(s: StatementResult) -> list[dict[str, Any]]:
    return [
        {"label": label, "n": d.n, "counts": d.counts, "percents": d.percents, "mean": d.mean}
        for label, d in [*s.groups, (TOTAL, s.total)]
    ]


def present(scan_round: ScanRound) -> dict[str, Any]:
    results: Results = compute(scan_round)
    context: dict[str, Any] = {
        "results": results,
        "min_group": MIN_GROUP,
        "positive": POSITIVE,
        "negative": NEGATIVE,
        "scale": SCALE,
    }
    if not results.enough:
        return context
    context["statements"] = [
        {
            "result": s,
            "label": _statement_label(s),
            "rows": _distribution_rows(s),
            "chart": stacked_bar(
                [(label, d.counts) for label, d in [*s.groups, (TOTAL, s.total)]],
                SCALE,
                title=_("Verdeling van de antwoorden op %(s)s per organisatie")
                % {"s": _statement_label(s)},
            ),
        }
        for s in results.statements
    ]
    context["differences"] = [
        {
            "result": s,
            "label": _statement_label(s),
            "rows": _distribution_rows(s),
            "highest": s.highest,
            "lowest": s.lowest,
            "chart": bar_chart(
                [(label, [d.mean]) for label, d in s.groups],
                [_("Gemiddelde (1 = helemaal oneens, 5 = helemaal eens)")],
                minimum=0,
                maximum=5,
                title=_("Gemiddelde per organisatie op %(s)s") % {"s": _statement_label(s)},
            ),
        }
        for s in results.differences
    ]
    group_labels = [label for label, _n in results.groups]
    context["parts_chart"] = bar_chart(
        [(p.heading, [p.total.disagree]) for p in results.parts],
        [_("Aandeel (helemaal) oneens")],
        maximum=100,
        unit="%",
        title=_("Aandeel antwoorden (helemaal) oneens per onderdeel, alle respondenten"),
    )
    # Organisations as rows, the three parts as columns: the table stays narrow.
    context["part_labels"] = [p.heading for p in results.parts]
    context["parts_table"] = [
        (label, [dict(p.groups)[label].disagree for p in results.parts]) for label in group_labels
    ] + [(TOTAL, [p.total.disagree for p in results.parts])]
    context["per_group_most"] = results.most_disagreed_part_per_group()
    comparison = results.comparison
    if comparison is not None:
        context["comparison_chart"] = bar_chart(
            [(c.label, [c.now, c.before]) for c in comparison.parts],
            [_("Deze ronde"), _("Vorige ronde")],
            maximum=100,
            unit="%",
            title=_("Aandeel (helemaal) oneens per onderdeel: deze en de vorige ronde"),
        )
    return context
