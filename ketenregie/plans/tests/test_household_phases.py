"""The household phase on the case page (issue 15): the meetings give the facts that
split a running case into the seed's phases 3a to 5b."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.cases.models import Household
from ketenregie.plans.models import Meeting
from ketenregie.tests_support.factories import in_household_variant

pytestmark = pytest.mark.django_db


def _meeting(case: Any, kind: str, days: int, user: Any, **kw: Any) -> Meeting:
    start = timezone.now() + dt.timedelta(days=days)
    return Meeting.objects.create(
        house=case.house,
        case=case,
        kind=kind,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        location="Zorg- en Veiligheidshuis",
        organiser=user,
        **kw,
    )


def _phase_block(client: Client, case: Any) -> str:
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    if 'id="household-phase"' not in html:
        return ""
    return html.split('id="household-phase"', 1)[1].split("</div>", 1)[0]


def test_case_page_shows_the_household_phase_and_next_step(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    case, regisseur = case_with_team["case"], case_with_team["regisseur"]
    client.force_login(regisseur)
    # Without a household the case page has no household phase.
    assert _phase_block(client, case) == ""
    in_household_variant(case.house)
    case.household = Household.objects.create(name="Gezin")
    case.save(update_fields=["household"])
    assert "Fase 3a: Startoverleg voorbereiden" in _phase_block(client, case)
    first = _meeting(case, Meeting.Kind.FIRST, -1, regisseur, state=Meeting.State.HELD)
    block = _phase_block(client, case)
    assert "Fase 3b: Startoverleg uitvoeren" in block and "Volgende stap" in block
    first.minutes_sent_at = timezone.now()
    first.save(update_fields=["minutes_sent_at"])
    assert "Fase 4: Voortgang" in _phase_block(client, case)
    progress = _meeting(case, Meeting.Kind.INCIDENTAL, 5, regisseur)
    assert "Fase 5a: Voortgangsoverleg voorbereiden" in _phase_block(client, case)
    progress.starts_at = timezone.now() - dt.timedelta(hours=2)
    progress.save(update_fields=["starts_at"])
    assert "Fase 5b: Voortgangsoverleg uitvoeren" in _phase_block(client, case)
    # A cancelled meeting is no progress meeting.
    progress.state = Meeting.State.CANCELLED
    progress.save(update_fields=["state"])
    assert "Fase 4: Voortgang" in _phase_block(client, case)


def test_adviser_sees_the_phase_but_not_the_6a_and_aftercare_links(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    case = case_with_team["case"]
    in_household_variant(case.house)
    case.household = Household.objects.create(name="Gezin")
    case.save(update_fields=["household"])
    client.force_login(case_with_team["adviser"])
    block = _phase_block(client, case)
    assert "Fase 3a" in block and reverse("pga_aftercare", args=[case.pk]) not in block
