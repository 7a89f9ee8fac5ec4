"""The chart helpers: accessible SVG (role, title, desc) and the same figures as a table."""

from __future__ import annotations

import re

from ketenregie.reports.charts import (
    Cell,
    Spread,
    bar_chart,
    box_plot,
    heat_map,
    line_chart,
    stacked_bar,
)


def _accessible(svg: str) -> None:
    assert svg.startswith("<svg") and 'role="img"' in svg
    labelled = re.search(r'aria-labelledby="(\S+) (\S+)"', svg)
    assert labelled is not None
    assert f'<title id="{labelled[1]}">' in svg and f'<desc id="{labelled[2]}">' in svg


def test_every_kind_is_accessible_and_has_a_table() -> None:
    cells = [Cell(10, "10"), Cell(None, "< 5"), Cell(7, "7")]
    charts = [
        bar_chart("Verwijzingen", "Aantal per uitkomst", ["a", "b", "c"], cells),
        line_chart("Trend", "Per maand", ["jan", "feb", "mrt"], {"Aandeel": cells}),
        stacked_bar("Fasen", "Per maand", ["jan", "feb", "mrt"], {"A": cells, "B": cells}),
        box_plot(
            "Doorlooptijd",
            "Dagen",
            [Spread("Triage", "12", 1, 2, 3, 4, 9), Spread("Start", "< 5")],
            "dagen",
        ),
        heat_map("Leefgebieden", "Verandering", ["Wonen"], ["beter", "gelijk"], [cells[:2]]),
    ]
    for chart in charts:
        _accessible(str(chart.svg))
        assert chart.table.rows
    # A hidden cell draws nothing but keeps its text, in the chart and in the table.
    assert "&lt; 5" in str(charts[0].svg)
    assert ("b", "< 5") in [tuple(r) for r in charts[0].table.rows]
    assert "te weinig casussen" in str(charts[3].svg)


def test_labels_are_escaped() -> None:
    chart = bar_chart("<b>", "<i>", ["<script>"], [Cell(1, "1")])
    assert "<script>" not in str(chart.svg) and "&lt;script&gt;" in str(chart.svg)
