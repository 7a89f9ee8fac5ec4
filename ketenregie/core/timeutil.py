"""Time helpers: the product thinks in Europe/Amsterdam dates, stores UTC instants."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today's date in the configured time zone (Europe/Amsterdam)."""
    return timezone.localdate()


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 12),
    (12, 18),
    (18, 23),
    (23, 30),
    (30, 45),
    (45, 65),
    (65, None),
)


def age_band(birth: dt.date | None, day: dt.date | None = None) -> str:
    """A coarse age band ("23-29 jaar") for pseudonymised views."""
    if birth is None:
        return "onbekend"
    age = age_on(birth, day or today())
    for low, high in AGE_BANDS:
        if high is None:
            return f"{low}+ jaar"
        if low <= age < high:
            return f"{low}-{high - 1} jaar"
    return "onbekend"
