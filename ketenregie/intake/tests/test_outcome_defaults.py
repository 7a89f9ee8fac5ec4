"""The triage outcome form proposes nobody: need to know means the chair ticks the
partners a case needs, instead of unticking those it does not."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.intake import services
from ketenregie.intake.models import Referral
from ketenregie.tests_support.clock import during

pytestmark = pytest.mark.django_db


def test_the_outcome_form_ticks_no_fixed_partner(
    client: Client, intake: dict[str, Any], submitted: Referral
) -> None:
    referral = services.approve_for_enrichment(
        submitted.case, actor=intake["chair"], expected_version=submitted.version
    )
    item = services.put_on_agenda(
        referral.case,
        actor=intake["chair"],
        expected_version=referral.version,
        proposed_level=3,
        reasoning="Weging.",
    )
    with during(item.meeting):  # attendance is recorded once the triage has begun
        services.record_attendance(item, actor=intake["chair"], present=True)
        client.force_login(intake["chair"])
        html = client.get(reverse("triage_outcome", args=[item.pk])).content.decode()
    boxes = re.findall(r"<input[^>]*name=\"fixed_invitees\"[^>]*>", html)
    # Both fixed partners are offered, neither is ticked.
    assert len(boxes) == 2
    assert not [b for b in boxes if "checked" in b]
    assert "Politie test" in html and "GGZ test" in html
