"""Bounded counts and pages: never more than the bound is counted or offered."""

from __future__ import annotations

import pytest
from django.utils import translation

from ketenregie.cases.models import Case
from ketenregie.core.paging import BoundedPaginator, bounded_count, count_label
from ketenregie.tests_support.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_bounded_count_stops_one_past_the_bound() -> None:
    CaseFactory.create_batch(5)
    assert bounded_count(Case.objects.all(), limit=3) == 4
    assert bounded_count(Case.objects.all(), limit=10) == 5


def test_count_label_says_more_than_the_bound_in_dutch() -> None:
    with translation.override("nl"):
        assert count_label(1001, limit=1000) == "meer dan 1.000"
        assert count_label(1000, limit=1000) == "1.000"
        assert count_label(7) == "7"


def test_paginator_offers_only_the_pages_it_counted() -> None:
    CaseFactory.create_batch(7)
    paginator = BoundedPaginator(Case.objects.order_by("pk"), 2, limit=4)
    assert paginator.count == 4
    assert paginator.more is True
    assert paginator.num_pages == 2
    last = paginator.get_page(500)  # a deep page shows the last counted page
    assert last.number == 2
    assert not last.has_next()
    assert [c.pk for c in last.object_list] == list(
        Case.objects.order_by("pk").values_list("pk", flat=True)[2:4]
    )


def test_paginator_under_the_bound_is_exact() -> None:
    CaseFactory.create_batch(3)
    paginator = BoundedPaginator(Case.objects.order_by("pk"), 2, limit=4)
    assert (paginator.count, paginator.more, paginator.num_pages) == (3, False, 2)
