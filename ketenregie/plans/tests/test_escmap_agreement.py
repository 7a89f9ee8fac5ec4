"""Issue 15 (escmap): the casusregisseur agreed at a meeting passes the competence check
too, and the plan page's form asks for the reason (the one call line in add_membership)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.models import CompetenceProfile
from ketenregie.cases.escalation_map import ensure_escalation_map
from ketenregie.cases.models import CaseRole, Household, ProfileOverride
from ketenregie.plans import services
from ketenregie.tests_support.factories import in_household_variant

pytestmark = pytest.mark.django_db


def _client_system_at_level_4(team: dict[str, Any]) -> Any:
    case = team["case"]
    ensure_escalation_map(in_household_variant(case.house))
    case.household = Household.objects.create(name="Huishouden")
    case.escalation_level = 4
    case.save(update_fields=["household", "escalation_level"])
    CompetenceProfile.objects.create(user=team["partner"], profile="B", since=dt.date(2025, 1, 1))
    return case


def test_agreed_casusregisseur_below_b_plus_needs_a_reason(team: dict[str, Any]) -> None:
    case = _client_system_at_level_4(team)
    with pytest.raises(ValidationError) as err:
        services.agree_casusregisseur(
            case,
            actor=team["regisseur"],
            casusregisseur=team["partner"],
            agreed_by=[team["regisseur"]],
        )
    assert "profiel B+ nodig; huidige: B" in " ".join(err.value.message_dict["profile_reason"])
    services.agree_casusregisseur(
        case,
        actor=team["regisseur"],
        casusregisseur=team["partner"],
        agreed_by=[team["regisseur"]],
        profile_reason="Enige partner met een band met de kinderen",
    )
    override = ProfileOverride.objects.get()
    assert override.role == CaseRole.CASUSREGISSEUR and override.required == "B+"


def test_plan_page_form_shows_the_reason_field_after_the_refusal(team: dict[str, Any]) -> None:
    case = _client_system_at_level_4(team)
    services.plan_for(case, actor=team["regisseur"])
    client = Client()
    client.force_login(team["regisseur"])
    resp = client.post(
        reverse("plan_casusregisseur", args=[case.pk]),
        {"casusregisseur": team["partner"].pk, "agreed_by": [team["regisseur"].pk]},
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "huidige: B" in html
    assert 'name="profile_reason"' in html and "<textarea" in html
