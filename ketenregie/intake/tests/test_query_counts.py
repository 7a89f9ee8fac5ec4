"""Intake lists cost the same number of queries at 5 and at 40 referrals."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketenregie.intake import services
from ketenregie.intake.models import AgendaItem
from ketenregie.intake.tests.conftest import referral_input

pytestmark = pytest.mark.django_db


def _fill(intake: dict[str, Any], n: int) -> None:
    for i in range(n):
        data = referral_input(intake, bsn=None, achternaam=f"Persoon{i}")
        referral = services.save_referral(
            actor=intake["referrer"], house=intake["house"], data=data, submit=True, confirmed=True
        )
        if i % 2:
            referral = services.approve_for_enrichment(
                referral.case, actor=intake["chair"], expected_version=referral.version
            )
            if i % 4 == 3:
                services.put_on_agenda(
                    referral.case,
                    actor=intake["chair"],
                    expected_version=referral.version,
                    proposed_level=3,
                    reasoning="x",
                )


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("chair", "screening_list"),
        ("chair", "triage_detail"),
        ("referrer", "my_referrals"),
        ("police_user", "enrichment_list"),
    ],
)
def test_flat(client: Client, intake: dict[str, Any], who: str, page: str) -> None:
    counts: list[int] = []
    for n in (5, 40):
        _fill(intake, n if not counts else n - 5)
        client.force_login(intake[who])
        client.get(reverse("dashboard"))
        if page == "triage_detail":
            meeting_id = AgendaItem.objects.order_by("pk").first().meeting_id  # type: ignore[union-attr]
            url = reverse(page, args=[meeting_id])
        else:
            url = reverse(page)
        counts.append(_count(client, url))
    print(f"{page}: {counts[0]} queries at 5 referrals, {counts[1]} at 40")
    assert counts[0] == counts[1], counts
