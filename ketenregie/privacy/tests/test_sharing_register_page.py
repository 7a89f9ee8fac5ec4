"""The FG's data-sharing register page and CSV export: filters, totals per basis, house
scope, a Dutch error for bad filters, and refusal for everyone else (issue 13)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.access import PRIVACY_ROLES
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import ExchangeKind
from ketenregie.cases.sharing import Grounds, record_exchange
from ketenregie.tests_support.factories import (
    NECESSARY,
    CaseFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    police = OrganisationFactory(police=True, name="Politie Eenheid")
    officer = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=police)
    first, second = CaseFactory(), CaseFactory()
    record_exchange(
        ExchangeKind.ENRICHMENT_ANSWER,
        actor=officer,
        case=first,
        to_label=first.house.name,
        grounds=Grounds(
            purpose='=HYPERLINK("x")',
            legal_basis="publieke_taak",
            special_category="strafrechtelijk_wet",
            necessity=NECESSARY,
        ),
    )
    record_exchange(
        ExchangeKind.PLAN_PDF, actor=officer, case=second, to_label="x", from_house=True
    )
    record_exchange(
        ExchangeKind.ATTACHMENT, actor=officer, case=second, to_label="x", from_house=True
    )
    return {"police": police, "officer": officer, "first": first, "second": second}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_fg_sees_every_house_with_totals_per_basis(world: dict[str, Any]) -> None:
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    page = _client(fg).get(reverse("sharing_register"))
    html = page.content.decode()
    assert page.status_code == 200
    assert world["first"].code in html and world["second"].code in html
    assert "Taak van algemeen belang / openbaar gezag (art. 6 lid 1e): 3" in html
    assert "(standaard)" in html and "nog niet vastgesteld" in html
    assert AuditEvent.objects.filter(action="register.viewed", actor=fg).count() == 1


def test_filters_narrow_the_rows_and_the_totals(world: dict[str, Any]) -> None:
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    client = _client(fg)
    html = client.get(reverse("sharing_register") + "?category=strafrechtelijk").content.decode()
    assert world["first"].code in html and world["second"].code not in html
    assert "(art. 6 lid 1e): 1" in html
    html = client.get(
        reverse("sharing_register") + f"?house={world['second'].house.pk}&kind=bijlage"
    ).content.decode()
    assert world["second"].code in html and world["first"].code not in html
    assert "(art. 6 lid 1e): 1" in html
    other = OrganisationFactory()
    html = client.get(reverse("sharing_register") + f"?organisation={other.pk}").content.decode()
    assert "Geen uitwisselingen gevonden" in html


def test_bad_filters_get_a_dutch_message_not_an_error(world: dict[str, Any]) -> None:
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    client = _client(fg)
    page = client.get(
        reverse("sharing_register") + "?date_from=2026-05-02&date_to=2026-05-01&legal_basis=zomaar"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "De einddatum ligt voor de begindatum." in html
    assert "Selecteer een geldige keuze" in html
    assert world["first"].code not in html
    csv_page = client.get(reverse("sharing_register_csv") + "?date_from=gisteren")
    assert csv_page.status_code == 200 and csv_page["Content-Type"].startswith("text/html")


def test_a_house_privacy_officer_sees_only_their_house(world: dict[str, Any]) -> None:
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, world["first"].house)])
    client = _client(fg)
    html = client.get(reverse("sharing_register")).content.decode()
    assert world["first"].code in html and world["second"].code not in html
    # Another house cannot be asked for: it is not among the choices.
    page = client.get(reverse("sharing_register") + f"?house={world['second'].house.pk}")
    assert world["second"].code not in page.content.decode()
    body = b"".join(client.get(reverse("sharing_register_csv")).streaming_content)  # type: ignore[attr-defined]
    assert world["first"].code.encode() in body and world["second"].code.encode() not in body


def test_the_csv_export_has_every_column_and_runs_no_formula(world: dict[str, Any]) -> None:
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    resp = _client(fg).get(reverse("sharing_register_csv") + "?kind=bekendheidscheck")
    assert resp.status_code == 200 and resp["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(resp.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["moment", "soort", "casus"] and len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["casus"] == world["first"].code and row["van"] == "Politie Eenheid"
    assert row["doel"] == '\'=HYPERLINK("x")'
    assert row["categorieen"] == "identificerend, strafrechtelijk (art. 10)"
    assert row["herkomst grondslag"] == "Gekozen bij het delen"
    event = AuditEvent.objects.get(action="register.exported", actor=fg)
    assert event.data == {"filters": {"kind": "bekendheidscheck"}}


@pytest.mark.parametrize("role", [r for r in Role if r not in PRIVACY_ROLES])
def test_everyone_else_is_refused(world: dict[str, Any], role: Role) -> None:
    client = _client(UserFactory(roles=[(role, world["first"].house)]))
    assert client.get(reverse("sharing_register")).status_code == 403
    assert client.get(reverse("sharing_register_csv")).status_code == 403


def test_the_house_privacy_contact_sees_only_the_house(world: dict[str, Any]) -> None:
    contact = UserFactory(roles=[(Role.PRIVACY_CONTACT, world["first"].house)])
    resp = _client(contact).get(reverse("sharing_register"))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert world["first"].code in body and world["second"].code not in body
