"""The deadline rule and triage dates, computed in Europe/Amsterdam and stored in UTC.

Rule (seed 003, per house configuration): a referral submitted before the cut-off
(default Thursday 16:00) is discussed at the first triage after that cut-off (default
the following Thursday 13:00). A cancelled triage moves its referrals to the next one.
Dutch public holidays (Algemene termijnenwet) are flagged, not skipped: the house
decides whether to move or cancel.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ketenregie.accounts.models import House

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _local(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(AMSTERDAM)


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    # Wall-clock time in Amsterdam on that day; zoneinfo resolves the UTC offset (DST).
    return dt.datetime.combine(day, time, tzinfo=AMSTERDAM)


def cutoff_after(house: House, submitted_at: dt.datetime) -> dt.datetime:
    """The first cut-off moment strictly after the submission."""
    local = _local(submitted_at)
    days_ahead = (house.cutoff_weekday - local.weekday()) % 7
    candidate = _aware(local.date() + dt.timedelta(days=days_ahead), house.cutoff_time)
    if candidate <= local:
        candidate = _aware(candidate.date() + dt.timedelta(days=7), house.cutoff_time)
    return candidate


def first_triage_date(house: House, submitted_at: dt.datetime) -> dt.date:
    """The triage date for a submission at `submitted_at`, ignoring cancellations."""
    cutoff = cutoff_after(house, submitted_at).date()
    days_ahead = (house.triage_weekday - cutoff.weekday()) % 7 or 7
    return cutoff + dt.timedelta(days=days_ahead)


def triage_window(house: House, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return _aware(day, house.triage_start), _aware(day, house.triage_end)


def next_triage_date(
    house: House, submitted_at: dt.datetime, cancelled: set[dt.date] | frozenset[dt.date]
) -> dt.date:
    """The first triage date for the submission that the house has not cancelled."""
    day = first_triage_date(house, submitted_at)
    while day in cancelled:
        day += dt.timedelta(days=7)
    return day


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (anonymous algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def dutch_holidays(year: int) -> dict[dt.date, str]:
    """Holidays of the Algemene termijnenwet art. 3, with Goede Vrijdag treated as equal."""
    easter = easter_sunday(year)
    kings_day = dt.date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = dt.date(year, 4, 26)
    days = {
        dt.date(year, 1, 1): "Nieuwjaarsdag",
        easter - dt.timedelta(days=2): "Goede Vrijdag",
        easter + dt.timedelta(days=1): "Tweede Paasdag",
        kings_day: "Koningsdag",
        dt.date(year, 5, 5): "Bevrijdingsdag",
        easter + dt.timedelta(days=39): "Hemelvaartsdag",
        easter + dt.timedelta(days=50): "Tweede Pinksterdag",
        dt.date(year, 12, 25): "Eerste Kerstdag",
        dt.date(year, 12, 26): "Tweede Kerstdag",
    }
    return days


def holiday_name(day: dt.date) -> str:
    return dutch_holidays(day.year).get(day, "")


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a holiday of the Algemene termijnenwet (`dutch_holidays`)."""
    return day.weekday() < 5 and day not in dutch_holidays(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `day` ("within five working days" of a Friday
    ends on the next Friday; a holiday in between moves it one more day)."""
    if count < 0:
        raise ValueError("count must not be negative")
    while count:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
