"""What other apps read of intake: the anonymous counts of referrals that were not put
on the agenda (the only trace a rejected referral leaves), and the referral of a case as
the subject access export (privacy) needs it, its parts fetched in a fixed number of
queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Sum

from ketenregie.intake.models import Referral, RejectionCount

if TYPE_CHECKING:
    from ketenregie.cases.models import Case

CATEGORIES = Referral.RejectCategory


@dataclass(frozen=True)
class RejectionWeek:
    """One house's week: the count per category (in `CATEGORIES` order) and the total."""

    house: str
    week: dt.date
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def last_weeks(day: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    """The period of the `weeks` weeks up to `day`, this week included (Monday to day)."""
    return monday_of(day) - dt.timedelta(weeks=weeks - 1), day


def rejection_weeks(
    house_ids: Iterable[int], date_from: dt.date, date_to: dt.date
) -> list[RejectionWeek]:
    """Per house and week (newest first) the counts per category, for the weeks that
    overlap the period; weeks without rejections are left out."""
    rows = (
        RejectionCount.objects.filter(
            house_id__in=list(house_ids),
            week__gte=monday_of(date_from),
            week__lte=date_to,
        )
        .values_list("house__name", "week", "category", "count")
        .order_by("-week", "house__name")
    )
    order = {value: i for i, value in enumerate(CATEGORIES.values)}
    grouped: dict[tuple[str, dt.date], list[int]] = {}
    for house, week, category, count in rows:
        grouped.setdefault((house, week), [0] * len(order))[order[category]] += count
    return [RejectionWeek(h, w, tuple(c)) for (h, w), c in grouped.items()]


def rejection_totals(
    house_ids: Iterable[int], date_from: dt.date, date_to: dt.date
) -> list[tuple[str, int]]:
    """The category labels with their total over the period (every category, zero too)."""
    sums = dict(
        RejectionCount.objects.filter(
            house_id__in=list(house_ids), week__gte=monday_of(date_from), week__lte=date_to
        )
        .values_list("category")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return [(str(label), sums.get(value, 0)) for value, label in CATEGORIES.choices]


def referral_for_subject(case: Case) -> Referral | None:
    """The case's referral with who referred, its problems, criteria, additions,
    bekendheidscheck answers (with the answering organisation: the source of the data)
    and its attachments' metadata (never the file)."""
    return (
        Referral.objects.filter(case=case)
        .select_related("referrer", "referrer__organisation")
        .prefetch_related(
            "problems__domain",
            "criteria",
            "additions",
            "enrichment__organisation",
            "enrichment__answered_by",
            "attachments__uploaded_by",
        )
        .first()
    )
