"""The answer period of a person's request under the AVG: one rule, used by every page.

AVG art. 12(3): the controller answers "without undue delay and in any event within one
month of receipt"; the period "may be extended by two further months where necessary",
and the person is told of the extension, with the reasons, within the first month.

How a period in months is counted is Regulation (EEC, Euratom) No 1182/71 (the EDPB's
guidelines 01/2022 on the right of access, par. 157-159, apply it to art. 12(3)): the
period ends on the day of the last month with the same number as the day of receipt; if
that month has no such day (31 January + 1 month), on its last day; and if that day is a
Saturday or Sunday, on the next working day. Public holidays also move the end by the
regulation; they are not in this product's calendar, so a deadline on a holiday stays
there (one day early: the house answers sooner, never late).
"""

from __future__ import annotations

import calendar
import datetime as dt

ANSWER_MONTHS = 1
MAX_EXTENSION_MONTHS = 2
SATURDAY = 5


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number `months` later, or the last day of that month if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _working_day(day: dt.date) -> dt.date:
    while day.weekday() >= SATURDAY:
        day += dt.timedelta(days=1)
    return day


def request_deadline(received_on: dt.date, extension_months: int = 0) -> dt.date:
    """The last day to answer a request received on `received_on`, extended by
    `extension_months` (0, 1 or 2)."""
    if not 0 <= extension_months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"extension of {extension_months} months is not allowed")
    return _working_day(add_months(received_on, ANSWER_MONTHS + extension_months))


def first_month_end(received_on: dt.date) -> dt.date:
    """The last day on which the person can be told that the period is extended."""
    return request_deadline(received_on)
