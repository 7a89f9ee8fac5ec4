"""One date format per kind (core.templatetags.dates) and no double punctuation."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from ketenregie.core.templatetags.dates import (
    long_date,
    long_datetime,
    short_date,
    short_datetime,
    time_of_day,
    weekday_date,
    weekday_datetime,
)
from ketenregie.core.templatetags.text import clause

MOMENT = dt.datetime(2026, 12, 4, 12, 5, tzinfo=dt.UTC)  # 13:05 in Amsterdam


@pytest.fixture(autouse=True)
def _dutch() -> object:
    with translation.override("nl"):
        yield


def test_long_dates_have_lower_case_dutch_months() -> None:
    assert long_date(dt.date(2026, 12, 4)) == "4 december 2026"
    assert long_date(dt.date(2026, 5, 18)) == "18 mei 2026"
    assert weekday_date(dt.date(2026, 12, 4)) == "vrijdag 4 december 2026"
    assert long_datetime(MOMENT) == "4 december 2026 om 13:05"
    assert weekday_datetime(MOMENT) == "vrijdag 4 december 2026 om 13:05"


def test_short_dates_are_numeric_and_local() -> None:
    assert short_date(dt.date(1994, 3, 17)) == "17-3-1994"
    assert short_datetime(MOMENT) == "4-12-2026 13:05"
    assert time_of_day(MOMENT) == "13:05" and time_of_day(dt.time(9, 0)) == "09:00"
    # Late in the evening UTC is the next day in the Netherlands.
    assert short_date(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)) == "1-1-2027"


def test_empty_values_stay_empty_so_default_still_works() -> None:
    rendered = Template('{{ none|long_date|default:"onbekend" }}').render(Context({"none": None}))
    assert rendered == "onbekend"


def test_the_filters_are_builtins() -> None:
    rendered = Template("{{ d|long_date }} / {{ d|short_date }}").render(
        Context({"d": timezone.localdate().replace(month=12, day=4)})
    )
    assert re.fullmatch(r"4 december \d{4} / 4-12-\d{4}", rendered)


def test_no_template_formats_a_date_itself() -> None:
    """Every human date goes through the filters; only machine formats ('c', the birth
    year) stay."""
    roots = [Path(settings.BASE_DIR) / "ketenregie", Path(settings.BASE_DIR) / "templates"]
    allowed = {"|date:'c'", '|date:"Y"', '|date:"j-n-Y H:i:s"'}
    found = set()
    for root in roots:
        for path in root.rglob("*.html"):
            for hit in re.findall(r"\|(?:date|time):(?:\"[^\"]*\"|'[^']*')", path.read_text()):
                if hit not in allowed:
                    found.add(f"{path.name}: {hit}")
    assert not found, sorted(found)


def test_a_clause_drops_its_closing_punctuation() -> None:
    assert clause("Gebiedsverbod voorbereiden.") == "Gebiedsverbod voorbereiden"
    assert clause("Wat nu?! ") == "Wat nu"
    assert clause("") == "" and clause(None) == ""
    rendered = Template("{{ what|clause }}, uiterlijk {{ due|long_date }}").render(
        Context({"what": "Brief voorbereiden.", "due": dt.date(2026, 12, 4)})
    )
    assert rendered == "Brief voorbereiden, uiterlijk 4 december 2026"
