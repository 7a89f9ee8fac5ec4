"""The page "Bewaartermijnen": the house scope of the privacy contact, the cases due in
the next 30 days with their holds, the period form (Dutch errors, typed input kept,
version check) and the hold and lift forms, each audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.privacy import retention, views_retention
from ketenregie.privacy.models import Category, LegalHold, RetentionPeriod
from ketenregie.tests_support.factories import CaseFactory, HouseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _closed(house: Any, *, days_ago: int, code: str, status: str = Status.AFGESLOTEN) -> Any:
    return CaseFactory(
        house=house,
        code=code,
        status=status,
        status_changed_at=timezone.now() - dt.timedelta(days=days_ago),
    )


@pytest.fixture
def world() -> dict[str, Any]:
    mine, other = HouseFactory(name="Huis Parkstad"), HouseFactory(name="Huis Elders")
    contact = UserFactory(roles=[(Role.PRIVACY_CONTACT, mine)])
    # Five years (the default) minus ten days ago: due within the 30-day window.
    soon = _closed(mine, days_ago=5 * 365 - 10, code="PS-2021-00001")
    later = _closed(mine, days_ago=365, code="PS-2025-00001")
    elsewhere = _closed(other, days_ago=6 * 365, code="EL-2020-00001")
    return {
        "mine": mine,
        "other": other,
        "contact": contact,
        "soon": soon,
        "later": later,
        "elsewhere": elsewhere,
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_contact_sees_own_house_due_cases_and_settings(world: dict[str, Any]) -> None:
    page = _client(world["contact"]).get(reverse("retention"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "PS-2021-00001" in html  # due within 30 days
    assert "PS-2025-00001" not in html  # four years to go
    assert "EL-2020-00001" not in html and "Huis Elders" not in html  # another house
    assert "Afgesloten PGA-casus" in html and "(standaard)" in html
    event = AuditEvent.objects.get(action="retention.viewed", actor=world["contact"])
    assert event.data["te_verwijderen"] == 1


def test_fg_sees_every_house(world: dict[str, Any]) -> None:
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    html = _client(fg).get(reverse("retention")).content.decode()
    assert "PS-2021-00001" in html and "EL-2020-00001" in html
    assert "Nog geen casussen verwijderd" in html


def test_counts_of_deleted_cases_per_house(world: dict[str, Any]) -> None:
    retention.apply_retention()  # deletes the case of the other house (six years old)
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    html = _client(fg).get(reverse("retention")).content.decode()
    assert "EL-2020-00001" not in html
    # Closed without a status history of execution: the start of the PGA was reached.
    assert "Huis Elders" in html and "Start PGA" in html and "Casuïstiekbesprekingen" not in html
    contact_html = _client(world["contact"]).get(reverse("retention")).content.decode()
    assert "Nog geen casussen verwijderd" in contact_html  # only their own house


def test_period_form_keeps_input_on_error_and_saves(world: dict[str, Any]) -> None:
    client = _client(world["contact"])
    url = reverse("retention_period", args=[world["mine"].pk, Category.PGA_CLOSED])
    bad = client.post(
        url, {"amount": "abc", "unit": "jaar", "legal_reference": "Art. 9", "version": "0"}
    )
    html = bad.content.decode()
    assert bad.status_code == 200 and "Voer een geheel getal in" in html and "Art. 9" in html
    empty = client.post(
        url, {"amount": "2", "unit": "jaar", "legal_reference": "  ", "version": "0"}
    )
    assert empty.status_code == 200 and "verplicht" in empty.content.decode()
    ok = client.post(
        url, {"amount": "18", "unit": "maanden", "legal_reference": "Convenant", "version": "0"}
    )
    assert ok.status_code == 302
    row = RetentionPeriod.objects.get(house=world["mine"], category=Category.PGA_CLOSED)
    assert (row.months, row.legal_reference) == (18, "Convenant")
    # A form still showing the default is refused with the Dutch message, input kept.
    stale = client.post(
        url, {"amount": "2", "unit": "jaar", "legal_reference": "Ander", "version": "0"}
    )
    assert stale.status_code == 200 and "Iemand anders" in stale.content.decode()
    assert "Ander" in stale.content.decode()
    assert RetentionPeriod.objects.get(pk=row.pk).months == 18


def test_shorter_period_brings_cases_due(world: dict[str, Any]) -> None:
    retention.set_period(
        actor=world["contact"],
        house=world["mine"],
        category=Category.PGA_CLOSED,
        months=12,
        legal_reference="Kort",
        expected_version=0,
    )
    html = _client(world["contact"]).get(reverse("retention")).content.decode()
    assert "PS-2025-00001" in html


def test_other_house_is_not_found(world: dict[str, Any]) -> None:
    client = _client(world["contact"])
    other = world["other"]
    assert client.get(reverse("retention_period", args=[other.pk, "register"])).status_code == 404
    assert client.get(reverse("retention_hold", args=[world["elsewhere"].pk])).status_code == 404
    assert client.get(reverse("retention_period", args=[world["mine"].pk, "x"])).status_code == 404


def test_hold_and_lift_through_the_page(world: dict[str, Any]) -> None:
    client = _client(world["contact"])
    case = world["soon"]
    url = reverse("retention_hold", args=[case.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and "verplicht" in empty.content.decode()
    assert client.post(url, {"reason": "Klacht bij de Autoriteit"}).status_code == 302
    again = client.post(url, {"reason": "Nog eens"})
    assert "al geblokkeerd" in again.content.decode()
    hold = LegalHold.objects.get(case=case, lifted_at__isnull=True)
    html = client.get(reverse("retention")).content.decode()
    assert "Geblokkeerd sinds" in html and "Klacht bij de Autoriteit" in html
    assert retention.retention_date_for_case(case) is None
    lifted = client.post(reverse("retention_lift", args=[hold.pk]), {"reason": "Afgehandeld"})
    assert lifted.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None and hold.lifted_by == world["contact"]
    assert retention.retention_date_for_case(case) == retention.due_date(case)
    assert retention.due_date(case) is not None and retention.due_date(case) <= today() + (
        dt.timedelta(days=30)
    )
    actions = list(
        AuditEvent.objects.filter(case_id=case.pk, action__startswith="retention.")
        .order_by("pk")
        .values_list("action", "data")
    )
    assert actions == [
        ("retention.hold_placed", {"velden": ["reason"]}),
        ("retention.hold_lifted", {"velden": ["lift_reason"]}),
    ]


def test_others_are_refused(world: dict[str, Any]) -> None:
    manager = UserFactory(roles=[(Role.MANAGER, world["mine"])])
    assert _client(manager).get(reverse("retention")).status_code == 403
    assert (
        _client(manager)
        .post(reverse("retention_hold", args=[world["soon"].pk]), {"reason": "x"})
        .status_code
        == 403
    )
    assert not LegalHold.objects.exists()


def test_a_long_due_list_shows_the_soonest_and_the_whole_count(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # At national scale thousands of cases may be due: the page shows the soonest only.
    monkeypatch.setattr(views_retention, "DUE_SHOWN", 1)
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    html = _client(fg).get(reverse("retention")).content.decode()
    assert "2 casussen met een bewaartermijn" in html and "De eerste 1 staan hieronder" in html
    # The soonest (closed in 2020) is listed, the later one (2021) is not.
    assert "EL-2020-00001" in html and "PS-2021-00001" not in html
