"""The Verwijsindex's date rules, in one place: who may be signalled (under 23), when a
signal expires (two years, or the 23rd birthday, whichever comes first) and when the
consultation after a match is due (five working days, `intake.schedule`)."""

from __future__ import annotations

import datetime as dt

from ketenregie.core.timeutil import age_on
from ketenregie.intake.schedule import add_working_days

AGE_LIMIT = 23  # Jeugdwet art. 1.1: "jeugdige" for the Verwijsindex, up to 23
MAX_YEARS = 2
CONSULTATION_WORKING_DAYS = 5


def add_years(day: dt.date, years: int) -> dt.date:
    """The same date `years` later; 29 February becomes 28 February (never later: a
    signal is removed a day early rather than a day late)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def is_young(birth: dt.date | None, on: dt.date) -> bool:
    return birth is not None and age_on(birth, on) < AGE_LIMIT


def expiry_date(signalled_on: dt.date, birth: dt.date) -> dt.date:
    """The day the signal stops counting (it is active before it): two years after the
    signal, or the 23rd birthday, whichever comes first."""
    return min(add_years(signalled_on, MAX_YEARS), add_years(birth, AGE_LIMIT))


def consultation_due(matched_on: dt.date) -> dt.date:
    """The last day for the consultation of a match: five working days after it."""
    return add_working_days(matched_on, CONSULTATION_WORKING_DAYS)
