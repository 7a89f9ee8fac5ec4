"""Start of the PGA: informing (WGS), postponement as a task, start conversation, letter."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdf
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Case, CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.pga import services
from ketenregie.pga.models import Informing, LetterTemplate
from ketenregie.pga.queries import due_informing_reviews
from ketenregie.tests_support.factories import CaseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(house: Any) -> dict[str, Any]:
    case = CaseFactory(house=house, status=Status.PGA_GESTART)
    regisseur = UserFactory(roles=[(Role.PROCESREGISSEUR, house)])
    partner = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    MembershipFactory(case=case, user=regisseur, role=CaseRole.PROCESREGISSEUR)
    MembershipFactory(case=case, user=partner, role=CaseRole.BETROKKEN_PARTNER)
    return {"case": case, "regisseur": regisseur, "partner": partner}


def test_informing_needs_date_who_and_how(started: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        services.record_informing(started["case"], actor=started["regisseur"], kind="geinformeerd")
    assert {"on_date", "by_whom", "method"} <= set(err.value.message_dict)
    rec = services.record_informing(
        started["case"],
        actor=started["regisseur"],
        kind="geinformeerd",
        on_date=today(),
        by_whom="Wijkagent namens de burgemeester",
        method="brief_persoonlijk",
    )
    assert rec.kind == "geinformeerd"
    assert AuditEvent.objects.filter(action="pga.informing_recorded").exists()


def test_postponed_informing_becomes_a_task_when_due(started: dict[str, Any]) -> None:
    review = today() + dt.timedelta(days=14)
    services.record_informing(
        started["case"],
        actor=started["regisseur"],
        kind="uitgesteld",
        postponed_reason="Lopend strafrechtelijk onderzoek",
        review_date=review,
    )
    assert due_informing_reviews(started["regisseur"]) == []
    with time_machine.travel(dt.datetime.combine(review, dt.time(9))):
        due = due_informing_reviews(started["regisseur"])
        assert [r.case_id for r in due] == [started["case"].pk]
        assert due_informing_reviews(started["partner"]) == []
        services.record_informing(
            started["case"],
            actor=started["regisseur"],
            kind="geinformeerd",
            on_date=review,
            by_whom="Procesregisseur",
            method="mondeling",
        )
        assert due_informing_reviews(started["regisseur"]) == []


def test_non_response_only_after_written_informing(started: dict[str, Any]) -> None:
    values = {"outcome": "geen_reactie", "on_date": today(), "attempts": 3}
    with pytest.raises(ValidationError) as err:
        services.record_start_conversation(
            started["case"], actor=started["regisseur"], values=values
        )
    assert "schriftelijk" in str(err.value.message_dict["outcome"])
    services.record_informing(
        started["case"],
        actor=started["regisseur"],
        kind="geinformeerd",
        on_date=today(),
        by_whom="Wijkagent",
        method="brief_post",
    )
    rec = services.record_start_conversation(
        started["case"], actor=started["regisseur"], values=values
    )
    assert rec.enforcement_focus is True


def test_execution_needs_informing_and_start_conversation(started: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        services.start_execution(started["case"], actor=started["regisseur"])
    services.record_informing(
        started["case"],
        actor=started["regisseur"],
        kind="geinformeerd",
        on_date=today(),
        by_whom="Wijkagent",
        method="brief_persoonlijk",
    )
    services.record_start_conversation(
        started["case"],
        actor=started["regisseur"],
        values={
            "outcome": "gevoerd",
            "on_date": today(),
            "own_view": "Wil hulp bij schulden.",
            "explained_rights": True,
            "attempts": 1,
        },
    )
    case = services.start_execution(started["case"], actor=started["regisseur"])
    assert case.status == Status.IN_UITVOERING


def test_letter_pdf_contains_the_case_data(client: Client, started: dict[str, Any]) -> None:
    case = started["case"]
    client.force_login(started["regisseur"])
    resp = client.post(reverse("pga_letter", args=[case.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    raw = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(resp.content)).pages)
    text = " ".join(raw.split())
    assert case.person.full_name in text and case.code in text and case.house.name in text
    assert "Wet gegevensverwerking" in text
    assert AuditEvent.objects.filter(action="pga.letter_downloaded", case_id=case.pk).exists()
    # Printing uses the default letter without storing it.
    assert not LetterTemplate.objects.filter(house=case.house).exists()
    client.force_login(started["partner"])
    assert client.post(reverse("pga_letter", args=[case.pk])).status_code == 403
    # Opening the letter's address records nothing: the step is the explicit POST.
    client.force_login(started["regisseur"])
    assert client.get(reverse("pga_letter", args=[case.pk])).status_code == 405


def test_the_default_letter_is_stored_once_and_audited(started: dict[str, Any]) -> None:
    house = started["case"].house
    stored = services.ensure_letter_template(house, actor=started["regisseur"])
    assert stored.pk is not None and stored.body == services.DEFAULT_LETTER
    assert services.ensure_letter_template(house).pk == stored.pk
    assert services.letter_template_for(house).pk == stored.pk
    (event,) = AuditEvent.objects.filter(action="lettertemplate.created")
    assert event.actor_id == started["regisseur"].pk and "Geachte" not in str(event.data)


def test_pdf_failure_keeps_the_page(
    client: Client, started: dict[str, Any], monkeypatch: Any
) -> None:
    import ketenregie.pga.letter as letter

    def broken(case: Case) -> bytes:
        raise OSError("geen fonts")

    monkeypatch.setattr(letter, "letter_pdf", broken)
    client.force_login(started["regisseur"])
    resp = client.post(reverse("pga_letter", args=[started["case"].pk]), follow=True)
    assert "De brief kon niet worden gemaakt" in resp.content.decode()


def test_informing_page_keeps_typed_input(client: Client, started: dict[str, Any]) -> None:
    client.force_login(started["regisseur"])
    url = reverse("pga_informing_record", args=[started["case"].pk])
    resp = client.post(url, {"kind": "uitgesteld", "postponed_reason": "Getypte reden"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "Getypte reden" in html and "herbeoordeeld" in html
    assert not Informing.objects.exists()
