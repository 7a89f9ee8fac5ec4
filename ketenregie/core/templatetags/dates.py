"""The product's date formats, one per kind, used by every template (and the letter).

Running text gets the long Dutch form with a lower-case month ("4 december 2026"),
tables and compact lists the short numeric one ("4-12-2026"), times "13:00". No template
formats a date ad hoc: "4 Dec 2026", "18 Mei" and "17-3-1994" once stood side by side.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()

# Installed as a template builtin (settings.TEMPLATES): no template loads it or formats a
# date itself.

LONG = "j F Y"
SHORT = "j-n-Y"
TIME = "H:i"


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _format(value: dt.date | dt.datetime | None, fmt: str) -> str:
    if value is None or value == "":
        return ""
    text = date_format(_local(value), fmt, use_l10n=True)
    # Dutch month and day names are lower case ("vrijdag 4 december").
    return text.lower() if "F" in fmt or "l" in fmt else text


@register.filter
def long_date(value: dt.date | dt.datetime | None) -> str:
    """ "4 december 2026": a date in running text."""
    return _format(value, LONG)


@register.filter
def weekday_date(value: dt.date | dt.datetime | None) -> str:
    """ "vrijdag 4 december 2026": a meeting day, where the weekday helps planning."""
    return _format(value, "l " + LONG)


@register.filter
def short_date(value: dt.date | dt.datetime | None) -> str:
    """ "4-12-2026": a date in a table, a list or a compact line."""
    return _format(value, SHORT)


@register.filter
def long_datetime(value: dt.datetime | None) -> str:
    """ "4 december 2026 om 13:00": a moment in running text."""
    if value is None or value == "":
        return ""
    return f"{long_date(value)} om {_format(value, TIME)}"


@register.filter
def weekday_datetime(value: dt.datetime | None) -> str:
    """ "vrijdag 4 december 2026 om 13:00": a meeting's start."""
    if value is None or value == "":
        return ""
    return f"{weekday_date(value)} om {_format(value, TIME)}"


@register.filter
def short_datetime(value: dt.datetime | None) -> str:
    """ "4-12-2026 13:00": a moment in a table or a compact line."""
    if value is None or value == "":
        return ""
    return f"{short_date(value)} {_format(value, TIME)}"


@register.filter
def time_of_day(value: dt.datetime | dt.time | None) -> str:
    """ "13:00"."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return _format(value, TIME)


@register.filter
def month(value: dt.date | dt.datetime | None) -> str:
    """ "dec 2026": a month on a chart axis or in a table of months."""
    return _format(value, "M Y").lower()
