"""Pagination and counts that stay cheap on large sets: count at most a bound, never all.

An exact `COUNT(*)` of everything a user sees costs as much as reading it all. Pages count
up to `LIMIT` rows and say "meer dan 1.000" beyond; paging stops at what is counted, and
the page asks the user to narrow the filter instead of offering page 500.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

LIMIT = 1000


def bounded_count(qs: QuerySet[Any], limit: int | None = None) -> int:
    """How many rows `qs` has, counting at most `limit + 1` (more than `limit` shows as such)."""
    limit = LIMIT if limit is None else limit
    return qs.order_by().values("pk")[: limit + 1].count()


def count_label(n: int, limit: int | None = None) -> str:
    """A bounded count for the page: the number, or "meer dan 1.000"."""
    limit = LIMIT if limit is None else limit
    if n > limit:
        return _("meer dan %(n)s") % {"n": number_format(limit, force_grouping=True)}
    return number_format(n, force_grouping=True)


class BoundedPaginator(Paginator[Any]):
    """A paginator over at most `limit` rows: `count` stops there, `more` says whether
    there are more. Pages past the bound are not offered (`get_page` shows the last)."""

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        limit: int | None = None,
        *,
        counted: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.limit = LIMIT if limit is None else limit
        # A bounded count the caller already has (e.g. from the lookup that chose the
        # query) saves counting again.
        self.known_count = counted

    @cached_property
    def _counted(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return bounded_count(self.queryset, self.limit)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.limit)

    @property
    def more(self) -> bool:
        return self._counted > self.limit

    @property
    def count_label(self) -> str:
        return count_label(self._counted, self.limit)
