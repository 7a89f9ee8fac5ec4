"""Query counts of the case list and case detail do not grow with the data.

The dashboard's own count is in ketenregie/dashboard/tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import CaseRole
from ketenregie.core.timeutil import today
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _build(n: int) -> dict[str, Any]:
    house = HouseFactory()
    user = UserFactory(roles=[(Role.PROCESREGISSEUR, house)])
    others = [UserFactory() for _ in range(3)]
    cases = []
    for i in range(n):
        case = CaseFactory(house=house)
        MembershipFactory(case=case, user=user, role=CaseRole.PROCESREGISSEUR)
        # Team size grows with n on the first case: detail cost must not follow it.
        MembershipFactory(case=case, user=others[i % 3], role=CaseRole.BETROKKEN_PARTNER)
        cases.append(case)
    for _ in range(n):
        MembershipFactory(
            case=cases[0],
            user=UserFactory(),
            role=CaseRole.BETROKKEN_PARTNER,
            valid_from=today() - dt.timedelta(days=40),
            valid_to=today() - dt.timedelta(days=1),
        )
    return {"user": user, "case": cases[0]}


def _count(client: Client, url: str, headers: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url, headers=headers or {})
    assert resp.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page",
    ["case_list", "case_list_search", "case_detail", "case_detail_htmx"],
)
def test_query_count_is_flat(client: Client, page: str) -> None:
    counts = []
    for n in (10, 200):
        world = _build(n)
        client.force_login(world["user"])
        client.get(reverse("dashboard"))  # settle the session's MFA check
        url = {
            "case_list": reverse("case_list"),
            "case_list_search": reverse("case_list") + "?q=Testpersoon&phase=casuistiek",
            "case_detail": reverse("case_detail", args=[world["case"].pk]),
            "case_detail_htmx": reverse("case_detail", args=[world["case"].pk]) + "?inzage=1",
        }[page]
        headers = {"HX-Request": "true"} if page.endswith("htmx") else None
        counts.append(_count(client, url, headers))
        client.logout()
    print(f"{page}: {counts[0]} queries at 10 cases, {counts[1]} at 200")
    assert counts[0] == counts[1], counts
