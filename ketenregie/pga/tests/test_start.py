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


HOUSE_LETTER = {
    "municipality": "Gemeente Noordstad",
    "letterhead": "Zorg- en Veiligheidshuis Noordstad",
    "signatory_name": "drs. K.L. Voorbeeld",
    "signatory_title": "Burgemeester van Noordstad",
    "privacy_contact": "Functionaris gegevensbescherming, privacy@noordstad.example.invalid",
    "complaint_route": "Schriftelijk bij het college van Noordstad; daarna de Nationale ombudsman.",
}


def _letter_post(**overrides: str) -> dict[str, str]:
    return {
        "contact_name": "Femke de Contactpersoon",
        "contact_details": "045 000 11 22",
        "conversation_date": (today() + dt.timedelta(days=7)).isoformat(),
        "conversation_time": "10:30",
        "conversation_place": "Het Zorg- en Veiligheidshuis, Stationsplein 1",
        **overrides,
    }


def _pdf_text(content: bytes) -> str:
    raw = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    return " ".join(raw.split())


def test_letter_pdf_is_a_real_letter(client: Client, started: dict[str, Any]) -> None:
    """Municipality, signatory and function, contact person, date and place of the start
    conversation, privacy contact and complaint route (issue 12)."""
    case = started["case"]
    services.ensure_letter_template(case.house, values=HOUSE_LETTER)
    client.force_login(started["regisseur"])
    resp = client.post(reverse("pga_letter", args=[case.pk]), _letter_post())
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    text = _pdf_text(resp.content)
    assert case.person.full_name in text and case.code in text and case.house.name in text
    assert "Wet gegevensverwerking" in text
    when = today() + dt.timedelta(days=7)
    for expected in (
        "Gemeente Noordstad",
        "drs. K.L. Voorbeeld",
        "Burgemeester van Noordstad",
        "Femke de Contactpersoon",
        "045 000 11 22",
        f"{when.day} ",
        "om 10:30 uur, Het Zorg- en Veiligheidshuis, Stationsplein 1",
        "privacy@noordstad.example.invalid",
        "Nationale ombudsman",
    ):
        assert expected in text, expected
    assert "De burgemeester Burgemeester" not in text
    assert AuditEvent.objects.filter(action="pga.letter_downloaded", case_id=case.pk).exists()
    client.force_login(started["partner"])
    assert client.post(reverse("pga_letter", args=[case.pk]), _letter_post()).status_code == 403
    # Opening the letter's address records nothing: the step is the explicit POST.
    client.force_login(started["regisseur"])
    assert client.get(reverse("pga_letter", args=[case.pk])).status_code == 405


def test_a_letter_from_an_incomplete_template_is_refused_on_the_page(
    client: Client, started: dict[str, Any]
) -> None:
    case = started["case"]
    client.force_login(started["regisseur"])
    resp = client.post(reverse("pga_letter", args=[case.pk]), _letter_post())
    html = resp.content.decode()
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/html")
    assert "nog niet compleet" in html and "gemeente" in html and "klachtroute" in html
    # The typed values are kept; printing stored nothing and recorded no download.
    assert "Femke de Contactpersoon" in html
    assert not LetterTemplate.objects.filter(house=case.house).exists()
    assert not AuditEvent.objects.filter(action="pga.letter_downloaded").exists()


def test_the_letter_needs_the_start_conversation_and_a_contact(
    client: Client, started: dict[str, Any]
) -> None:
    case = started["case"]
    services.ensure_letter_template(case.house, values=HOUSE_LETTER)
    client.force_login(started["regisseur"])
    resp = client.post(
        reverse("pga_letter", args=[case.pk]),
        _letter_post(
            contact_name="",
            conversation_place="",
            conversation_date=(today() - dt.timedelta(days=1)).isoformat(),
        ),
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "text/html" in resp["Content-Type"]
    assert "Het startgesprek kan niet in het verleden liggen" in html
    assert html.count("Dit veld is verplicht.") >= 2
    # The page offers the procesregisseur as contact person by default.
    page = client.get(reverse("pga_informing", args=[case.pk])).content.decode()
    assert started["regisseur"].get_full_name() in page


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

    def broken(case: Case, details: Any) -> bytes:
        raise OSError("geen fonts")

    monkeypatch.setattr(letter, "letter_pdf", broken)
    client.force_login(started["regisseur"])
    resp = client.post(
        reverse("pga_letter", args=[started["case"].pk]), _letter_post(), follow=True
    )
    assert "De brief kon niet worden gemaakt" in resp.content.decode()


def test_informing_page_keeps_typed_input(client: Client, started: dict[str, Any]) -> None:
    client.force_login(started["regisseur"])
    url = reverse("pga_informing_record", args=[started["case"].pk])
    resp = client.post(url, {"kind": "uitgesteld", "postponed_reason": "Getypte reden"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "Getypte reden" in html and "herbeoordeeld" in html
    assert not Informing.objects.exists()
