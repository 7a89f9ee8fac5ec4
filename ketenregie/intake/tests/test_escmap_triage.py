"""Issue 15 (escmap): the procesregisseur chosen at the triage passes the competence
check at the level the triage sets; the outcome form then asks for a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.cases.escalation_map import ensure_escalation_map
from ketenregie.cases.models import Household, ProfileOverride
from ketenregie.intake import services
from ketenregie.intake.models import AgendaItem, Referral
from ketenregie.tests_support.clock import during
from ketenregie.tests_support.factories import in_household_variant

pytestmark = pytest.mark.django_db


def test_triage_start_with_a_procesregisseur_without_profile_asks_why(
    client: Client, intake: dict[str, Any], submitted: Referral
) -> None:
    ensure_escalation_map(in_household_variant(intake["house"]))
    case = submitted.case
    if case.household_id is None:
        case.household = Household.objects.create(name="Huishouden")
        case.save(update_fields=["household"])
    referral = services.approve_for_enrichment(
        case, actor=intake["chair"], expected_version=submitted.version
    )
    item = services.put_on_agenda(
        referral.case,
        actor=intake["chair"],
        expected_version=referral.version,
        proposed_level=4,
        reasoning="Weging.",
    )
    data = {
        "outcome": "start_pga",
        "procesregisseur": intake["regisseur"].pk,
        "fixed_invitees": [intake["police"].pk],
    }
    with during(item.meeting):
        client.force_login(intake["chair"])
        client.post(reverse("triage_attendance", args=[item.pk]), {"present": "1"})
        refused = client.post(reverse("triage_outcome", args=[item.pk]), data)
        html = refused.content.decode()
        assert refused.status_code == 200
        assert "Op niveau 4 is een procesregisseur met profiel B+ nodig" in html
        assert '<textarea name="profile_reason"' in html
        assert AgendaItem.objects.get(pk=item.pk).outcome == ""
        done = client.post(
            reverse("triage_outcome", args=[item.pk]),
            {**data, "profile_reason": "Enige procesregisseur met ervaring in dit gezin"},
        )
        assert done.status_code == 302
    override = ProfileOverride.objects.get()
    assert override.level == 4 and override.held == ""
