"""Issue 15 (phases): the procesregisseur's dashboard shows aftercare to follow up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.core.timeutil import today
from ketenregie.pga.models import AftercareAgreement

pytestmark = pytest.mark.django_db


def test_follow_up_due_shows_on_the_directors_dashboard(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    case, regisseur = case_with_team["case"], case_with_team["regisseur"]
    for what, days in (("Soon", 3), ("Later", 40)):
        AftercareAgreement.objects.create(
            case=case,
            organisation=case_with_team["org"],
            what=what,
            starts_on=today(),
            frequency=f"{what} maandelijks",
            follow_up_on=today() + dt.timedelta(days=days),
            recorded_by=regisseur,
            recorded_at=timezone.now(),
        )
    client.force_login(regisseur)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Nazorg opvolgen" in html and "Soon maandelijks" in html
    assert "Later maandelijks" not in html
    # Someone who does not direct the case does not see it.
    client.force_login(case_with_team["casus"])
    assert "Nazorg opvolgen" not in client.get(reverse("dashboard")).content.decode()
