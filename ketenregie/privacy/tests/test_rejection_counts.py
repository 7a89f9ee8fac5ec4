"""The anonymous counts of referrals not put on the agenda: per house, week and category,
for the FG (every house), a privacy contact and a manager (their houses), with a period
filter; everyone else is refused (issue 13)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.intake.models import RejectionCount
from ketenregie.intake.queries import rejection_totals, rejection_weeks
from ketenregie.tests_support.factories import HouseFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC)
THIS_WEEK = dt.date(2026, 3, 16)


@pytest.fixture
def world() -> dict[str, Any]:
    parkstad, westelijk = HouseFactory(name="ZVH Parkstad"), HouseFactory(name="ZVH Westelijk")
    for house, week, category, n in (
        (parkstad, THIS_WEEK, "criteria", 3),
        (parkstad, THIS_WEEK, "andere_regio", 1),
        (parkstad, THIS_WEEK - dt.timedelta(weeks=2), "criteria", 2),
        (parkstad, THIS_WEEK - dt.timedelta(weeks=30), "overig", 7),
        (westelijk, THIS_WEEK, "bestaand_overleg", 5),
    ):
        RejectionCount.objects.create(house=house, week=week, category=category, count=n)
    return {"parkstad": parkstad, "westelijk": westelijk}


def test_weeks_and_totals_per_category(world: dict[str, Any]) -> None:
    ids = [world["parkstad"].pk]
    start = THIS_WEEK - dt.timedelta(weeks=4)
    weeks = rejection_weeks(ids, start, THIS_WEEK + dt.timedelta(days=2))
    assert [(w.week, w.counts, w.total) for w in weeks] == [
        (THIS_WEEK, (1, 3, 0, 0), 4),
        (THIS_WEEK - dt.timedelta(weeks=2), (0, 2, 0, 0), 2),
    ]
    totals = dict(rejection_totals(ids, start, THIS_WEEK))
    assert totals == {
        "Hoort in een andere regio": 1,
        "Voldoet niet aan de criteria": 5,
        "Wordt al in een ander overleg besproken": 0,
        "Overig": 0,
    }
    # A period starting mid-week takes in that whole week (counts are per week).
    assert (
        rejection_totals(ids, THIS_WEEK + dt.timedelta(days=2), THIS_WEEK + dt.timedelta(days=3))[
            1
        ][1]
        == 3
    )


def _get(user: Any, query: str = "") -> Any:
    client = Client()
    client.force_login(user)
    return client.get(reverse("rejection_counts") + query)


@time_machine.travel(NOW, tick=False)
def test_each_role_sees_its_houses_and_the_period_filter(world: dict[str, Any]) -> None:
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    html = _get(fg).content.decode()
    assert "ZVH Parkstad" in html and "ZVH Westelijk" in html
    contact = UserFactory(roles=[(Role.PRIVACY_CONTACT, world["parkstad"])])
    html = _get(contact).content.decode()
    assert '<td class="utrecht-table__cell">ZVH Parkstad' in html
    assert "ZVH Westelijk" not in html
    manager = UserFactory(roles=[(Role.MANAGER, world["westelijk"])])
    html = _get(manager).content.decode()
    assert "ZVH Westelijk" in html and "ZVH Parkstad" not in html
    # The default period is the last quarter: the count of 30 weeks ago is not in it.
    assert ">7<" not in _get(fg).content.decode()
    old = _get(fg, "?date_from=2025-08-01&date_to=2025-09-30").content.decode()
    assert ">7<" in old and ">3<" not in old
    # Bad input: a Dutch message, the typed values kept, no 500.
    bad = _get(fg, "?date_from=2026-03-10&date_to=2026-03-01")
    assert bad.status_code == 200
    assert "De einddatum ligt voor de begindatum." in bad.content.decode()
    assert (
        "Verbeter de periode" in bad.content.decode() and "Totaal van" not in bad.content.decode()
    )
    assert _get(fg, "?date_from=gisteren").status_code == 200
    # Another house's id in the filter is refused by the form.
    assert (
        "Selecteer een geldige keuze"
        in _get(contact, f"?house={world['westelijk'].pk}").content.decode()
    )
    for role in (Role.PROCESREGISSEUR, Role.BELEID, Role.BEHEERDER, Role.PGA_EXPERT):
        assert _get(UserFactory(roles=[(role, world["parkstad"])])).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_the_manager_dashboard_shows_the_last_four_weeks(world: dict[str, Any]) -> None:
    manager = UserFactory(roles=[(Role.MANAGER, world["parkstad"])])
    client = Client()
    client.force_login(manager)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Niet-geagendeerde aanmeldingen" in html
    assert "Voldoet niet aan de criteria: 5" in html
    assert reverse("rejection_counts") in html
