"""The screening list: acute referrals first, a page at a time, duplicates per page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.audit.models import AuditEvent
from ketenregie.intake import services
from ketenregie.intake.tests.conftest import referral_input
from ketenregie.intake.views.screening import SCREENING_PAGE_SIZE

pytestmark = pytest.mark.django_db


def _submit(intake: dict[str, Any], name: str, urgency: str = "normaal", **person: Any) -> Any:
    data = referral_input(intake, achternaam=name, **person)
    data.values["urgency"] = urgency
    return services.save_referral(
        actor=intake["referrer"], house=intake["house"], data=data, submit=True, confirmed=True
    )


def test_acute_first_and_paginated(client: Client, intake: dict[str, Any]) -> None:
    oldest = _submit(intake, "Eerste", bsn=None)
    for i in range(SCREENING_PAGE_SIZE - 1):
        _submit(intake, f"Persoon{i}", bsn=None)
    last = _submit(intake, "Laatste", bsn=None)
    acute = _submit(intake, "Spoed", urgency="acuut", bsn=None)
    high = _submit(intake, "Hoog", urgency="hoog", bsn=None)
    client.force_login(intake["chair"])
    first = client.get(reverse("screening_list")).content.decode()
    assert (
        first.index(acute.case.code) < first.index(high.case.code) < first.index(oldest.case.code)
    )
    assert last.case.code not in first and "Pagina 1 van 2" in first
    assert "28 aanmeldingen" in first
    second = client.get(reverse("screening_list"), {"page": 2}).content.decode()
    assert last.case.code in second and oldest.case.code not in second
    shown = AuditEvent.objects.filter(action="case.list_viewed").order_by("id")
    assert [len(e.data["getoond"]) for e in shown] == [SCREENING_PAGE_SIZE, 3]


def test_duplicates_are_counted_on_the_page(client: Client, intake: dict[str, Any]) -> None:
    _submit(intake, "Vandenberg", voornamen="Jan", bsn=None)
    _submit(intake, "Berg", voornamen="Jan", tussenvoegsel="van den", bsn=None)
    _submit(intake, "Anders", voornamen="Kees", bsn=None)
    client.force_login(intake["chair"])
    html = client.get(reverse("screening_list")).content.decode()
    assert html.count("1 mogelijk bekend") == 2
