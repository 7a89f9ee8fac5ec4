"""The person's requests (AVG art. 15-21): the one deadline rule (end of month, weekend),
extension once within the first month, the one overdue rule on the list and the
dashboard, scoping by house, audited writes with a version check, and the pages' Dutch
errors (issue 13)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.privacy import services
from ketenregie.privacy.access import visible_requests
from ketenregie.privacy.deadlines import add_months, request_deadline
from ketenregie.privacy.models import PrivacyRequest
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    PersonFactory,
    UserFactory,
)

TODAY = dt.date(2026, 3, 18)  # a Wednesday


# --- the deadline rule (no database) ----------------------------------------------------


@pytest.mark.parametrize(
    ("received", "months", "deadline"),
    [
        # 31 January + 1 month: February has no 31st, so its last day.
        (dt.date(2025, 1, 31), 0, dt.date(2025, 2, 28)),  # a Friday
        (dt.date(2024, 1, 31), 0, dt.date(2024, 2, 29)),  # leap year, a Thursday
        # The same day number a month later.
        (dt.date(2026, 3, 4), 0, dt.date(2026, 4, 6)),  # 4 April is a Saturday: Monday
        (dt.date(2026, 3, 10), 0, dt.date(2026, 4, 10)),  # a Friday
        # Across the year end.
        (dt.date(2025, 12, 15), 0, dt.date(2026, 1, 15)),
        # Extended by two months: three months from receipt (31 May 2025 is a Saturday).
        (dt.date(2025, 1, 31), 2, dt.date(2025, 4, 30)),
        (dt.date(2025, 2, 28), 2, dt.date(2025, 5, 28)),
        (dt.date(2025, 3, 31), 1, dt.date(2025, 6, 2)),  # 31 May is a Saturday
    ],
)
def test_deadline_is_one_month_from_receipt(
    received: dt.date, months: int, deadline: dt.date
) -> None:
    assert request_deadline(received, months) == deadline


def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 8, 31), 1) == dt.date(2025, 9, 30)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)


def test_an_extension_beyond_two_months_is_no_deadline() -> None:
    with pytest.raises(ValueError):
        request_deadline(dt.date(2025, 1, 1), 3)


# --- services -----------------------------------------------------------------------------


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    parkstad, westelijk = HouseFactory(name="ZVH Parkstad"), HouseFactory(name="ZVH Westelijk")
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    contact = UserFactory(roles=[(Role.PRIVACY_CONTACT, parkstad)])
    return {"parkstad": parkstad, "westelijk": westelijk, "fg": fg, "contact": contact}


def _log(world: dict[str, Any], house: Any = None, **kw: Any) -> PrivacyRequest:
    values: dict[str, Any] = {
        "actor": world["fg"],
        "house": house or world["parkstad"],
        "kind": PrivacyRequest.Kind.CORRECTION,
        "received_on": TODAY,
        "channel": PrivacyRequest.Channel.LETTER,
        "summary": "Mijn adres klopt niet (VERZOEKTEKST).",
        "requester_name": "Jan Verzoeker",
    }
    values.update(kw)
    return services.log_request(**values)


@time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False)
def test_logging_sets_the_deadline_and_audits_names_only(world: dict[str, Any]) -> None:
    req = _log(world, received_on=dt.date(2026, 1, 31))
    assert req.deadline == dt.date(2026, 3, 2)  # 28 February 2026 is a Saturday
    assert req.status == PrivacyRequest.Status.OPEN
    event = AuditEvent.objects.get(action="privacy.request_logged")
    assert event.object_id == str(req.pk)
    assert event.data["termijn"] == "2026-03-02"
    assert "summary" in event.data["velden"]
    # Free text and the requester's name never enter the permanent trail.
    assert "VERZOEKTEKST" not in str(event.data) and "Verzoeker" not in str(event.data)


@time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False)
def test_logging_refuses_a_request_without_name_summary_or_with_a_future_date(
    world: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError) as exc:
        _log(world, requester_name=" ", summary="", received_on=TODAY + dt.timedelta(days=1))
    assert set(exc.value.message_dict) == {"requester_name", "summary", "received_on"}
    assert not PrivacyRequest.objects.exists()
    # A linked person needs no name.
    person = PersonFactory()
    assert _log(world, requester_name="", person=person).who == person.full_name


@time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False)
def test_extension_once_by_up_to_two_months_told_within_the_first_month(
    world: dict[str, Any],
) -> None:
    req = _log(world, received_on=dt.date(2026, 2, 20))  # deadline Friday 20 March
    assert req.deadline == dt.date(2026, 3, 20)
    with pytest.raises(ValidationError) as exc:
        services.extend_request(
            req, actor=world["fg"], months=3, reason="", told_on=TODAY, expected_version=1
        )
    assert set(exc.value.message_dict) == {"months", "reason"}
    extended = services.extend_request(
        req,
        actor=world["fg"],
        months=2,
        reason="Veel dossiers bij drie partners.",
        told_on=TODAY,
        expected_version=1,
    )
    assert extended.deadline == dt.date(2026, 5, 20)
    assert extended.status == PrivacyRequest.Status.EXTENDED
    event = AuditEvent.objects.get(action="privacy.request_extended")
    assert event.data["wijzigingen"]["deadline"] == {"voor": "2026-03-20", "na": "2026-05-20"}
    assert "Veel dossiers" not in str(event.data)
    # Only once.
    with pytest.raises(ValidationError, match="één keer"):
        services.extend_request(
            extended, actor=world["fg"], months=1, reason="x", told_on=TODAY, expected_version=2
        )


@time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False)
def test_extension_refused_when_the_person_was_told_after_the_first_month(
    world: dict[str, Any],
) -> None:
    req = _log(world, received_on=dt.date(2026, 1, 31))  # first month ends Monday 2 March
    with pytest.raises(ValidationError) as exc:
        services.extend_request(
            req, actor=world["fg"], months=1, reason="Complex", told_on=TODAY, expected_version=1
        )
    assert "binnen de eerste maand" in exc.value.message_dict["told_on"][0]
    req.refresh_from_db()
    assert req.status == PrivacyRequest.Status.OPEN and req.extension_months == 0
    ok = services.extend_request(
        req,
        actor=world["fg"],
        months=1,
        reason="Complex",
        told_on=dt.date(2026, 3, 2),
        expected_version=1,
    )
    assert ok.deadline == dt.date(2026, 3, 31)


@time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False)
def test_closing_needs_reasoning_for_a_refusal_and_checks_the_version(
    world: dict[str, Any],
) -> None:
    req = _log(world)
    with pytest.raises(ValidationError) as exc:
        services.close_request(
            req,
            actor=world["contact"],
            outcome=PrivacyRequest.Outcome.REFUSED,
            reasoning=" ",
            handled_on=TODAY,
            expected_version=1,
        )
    assert set(exc.value.message_dict) == {"reasoning"}
    with pytest.raises(ConcurrentEditError):
        services.close_request(
            req,
            actor=world["contact"],
            outcome=PrivacyRequest.Outcome.GRANTED,
            reasoning="",
            handled_on=TODAY,
            expected_version=0,
        )
    closed = services.close_request(
        req,
        actor=world["contact"],
        outcome=PrivacyRequest.Outcome.PARTIAL,
        reasoning="Adres aangepast, naam niet.",
        handled_on=TODAY,
        expected_version=1,
    )
    assert closed.status == PrivacyRequest.Status.CLOSED and closed.handled_by == world["contact"]
    event = AuditEvent.objects.get(action="privacy.request_closed")
    assert event.data["wijzigingen"]["outcome"]["na"] == "gedeeltelijk"
    assert event.data["te_laat"] is False
    with pytest.raises(ValidationError, match="al afgehandeld"):
        services.close_request(
            closed,
            actor=world["fg"],
            outcome=PrivacyRequest.Outcome.GRANTED,
            reasoning="",
            handled_on=TODAY,
            expected_version=2,
        )


# --- overdue and scoping ------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False)
def test_overdue_is_one_rule_for_filter_and_annotation(world: dict[str, Any]) -> None:
    late = _log(world, received_on=dt.date(2026, 2, 10))  # deadline 10 March
    due_today = _log(world, received_on=dt.date(2026, 2, 18))  # deadline 18 March
    soon = _log(world, received_on=dt.date(2026, 2, 23))  # deadline Monday 23 March
    answered_late = _log(world, received_on=dt.date(2026, 1, 5))
    services.close_request(
        answered_late,
        actor=world["fg"],
        outcome=PrivacyRequest.Outcome.GRANTED,
        reasoning="",
        handled_on=TODAY,
        expected_version=1,
    )
    qs = PrivacyRequest.objects.all()
    assert set(qs.overdue(TODAY)) == {late}
    flagged = {r.pk for r in qs.with_overdue(TODAY) if r.overdue}
    assert flagged == {late.pk}
    assert set(qs.due_within(TODAY, 7)) == {due_today, soon}


def test_a_privacy_contact_sees_only_their_house(world: dict[str, Any]) -> None:
    here = _log(world)
    there = _log(world, house=world["westelijk"])
    assert set(visible_requests(world["fg"])) == {here, there}
    assert set(visible_requests(world["contact"])) == {here}
    manager = UserFactory(roles=[(Role.MANAGER, world["parkstad"])])
    assert not visible_requests(manager).exists()


# --- pages ----------------------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False)
def test_list_puts_open_first_by_due_date_and_marks_overdue(world: dict[str, Any]) -> None:
    soon = _log(world, received_on=dt.date(2026, 3, 1), requester_name="Bea Later")
    late = _log(world, received_on=dt.date(2026, 2, 10), requester_name="Ali Telaat")
    done = _log(world, received_on=dt.date(2026, 2, 1), requester_name="Cor Klaar")
    services.close_request(
        done,
        actor=world["fg"],
        outcome=PrivacyRequest.Outcome.GRANTED,
        reasoning="",
        handled_on=TODAY,
        expected_version=1,
    )
    _log(world, house=world["westelijk"], requester_name="Dirk Elders")
    page = _client(world["contact"]).get(reverse("privacy_requests"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Ali Telaat") < html.index("Bea Later") < html.index("Cor Klaar")
    assert "Dirk Elders" not in html  # another house
    assert html.count("kr-row--overdue") == 1 and "te laat" in html
    listed = AuditEvent.objects.get(action="privacy.requests_listed")
    assert set(listed.data["getoond"]) == {soon.pk, late.pk, done.pk}
    # Filters: status and kind; an unknown value is a Dutch error, not a 500.
    closed = _client(world["contact"]).get(reverse("privacy_requests") + "?status=afgehandeld")
    assert "Cor Klaar" in closed.content.decode() and "Bea Later" not in closed.content.decode()
    bad = _client(world["contact"]).get(reverse("privacy_requests") + "?kind=onzin")
    assert bad.status_code == 200 and "Selecteer een geldige keuze" in bad.content.decode()


@time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False)
def test_new_request_page_logs_and_keeps_input_on_errors(world: dict[str, Any]) -> None:
    client = _client(world["contact"])
    url = reverse("privacy_request_new")
    form = client.get(url).content.decode()
    assert "ZVH Parkstad" in form and "ZVH Westelijk" not in form
    data = {
        "house": world["parkstad"].pk,
        "kind": "bezwaar",
        "received_on": "2026-03-20",
        "channel": "balie",
        "bsn": "",
        "requester_name": "Eva Bezwaar",
        "requester_birth_date": "1980-05-01",
        "summary": "",
    }
    refused = client.post(url, data)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "De ontvangstdatum ligt in de toekomst." in html
    assert "Beschrijf kort wat de verzoeker vraagt." in html
    assert 'value="Eva Bezwaar"' in html
    # Another house's id is refused by the form.
    other = client.post(url, {**data, "house": world["westelijk"].pk})
    assert "Selecteer een geldige keuze" in other.content.decode()
    # A BSN that is nobody in the house's cases is said so (another house's person too).
    nobody = client.post(url, {**data, "bsn": "999990019"})
    assert "Er staat niemand met dit BSN" in nobody.content.decode()
    elsewhere = CaseFactory(house=world["westelijk"], person__bsn="999990019").person
    assert (
        "Er staat niemand met dit BSN"
        in client.post(url, {**data, "bsn": "999990019"}).content.decode()
    )
    assert "geen geldig BSN" in client.post(url, {**data, "bsn": "123456789"}).content.decode()
    CaseFactory(house=world["parkstad"], person=elsewhere)
    person = elsewhere
    done = client.post(
        url, {**data, "bsn": "999990019", "received_on": "2026-03-18", "summary": "Bezwaar."}
    )
    req = PrivacyRequest.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "privacy_request_detail", args=[req.pk]
    )
    assert req.person == person and req.deadline == dt.date(2026, 4, 20)  # 18 April: Saturday


@time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False)
def test_detail_extend_close_with_history_and_scope(world: dict[str, Any]) -> None:
    req = _log(world, kind=PrivacyRequest.Kind.ACCESS, received_on=dt.date(2026, 3, 2))
    client = _client(world["contact"])
    url = reverse("privacy_request_detail", args=[req.pk])
    html = client.get(url).content.decode()
    assert "Verzoek van betrokkene vastgelegd" in html  # the history from the audit trail
    assert reverse("subject_access") in html  # an access request links to the export
    assert AuditEvent.objects.filter(action="privacy.request_viewed").count() == 1
    # Extension told after the first month: the Dutch message, the typed reason kept.
    refused = client.post(
        reverse("privacy_request_extend", args=[req.pk]),
        {"months": "1", "reason": "Veel partners", "told_on": "2026-04-03", "version": "1"},
    )
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "binnen de eerste maand" in text and "Veel partners" in text
    ok = client.post(
        reverse("privacy_request_extend", args=[req.pk]),
        {"months": "2", "reason": "Veel partners", "told_on": "2026-03-18", "version": "1"},
    )
    assert ok.status_code == 302
    req.refresh_from_db()
    assert req.deadline == dt.date(2026, 6, 2) and req.version == 2
    # A stale form (version 1) is refused with the concurrent-edit message.
    stale = client.post(
        reverse("privacy_request_close", args=[req.pk]),
        {"outcome": "toegewezen", "reasoning": "", "handled_on": "2026-03-18", "version": "1"},
    )
    assert "Iemand anders heeft dit gegeven opgeslagen" in stale.content.decode()
    closed = client.post(
        reverse("privacy_request_close", args=[req.pk]),
        {"outcome": "toegewezen", "reasoning": "", "handled_on": "2026-03-18", "version": "2"},
    )
    assert closed.status_code == 302
    html = client.get(url).content.decode()
    assert "Termijn van verzoek van betrokkene verlengd" in html
    assert "Verzoek van betrokkene afgehandeld" in html
    assert "Toegewezen" in html
    # Another house's privacy contact: not found, like a request that does not exist.
    outsider = UserFactory(roles=[(Role.PRIVACY_CONTACT, world["westelijk"])])
    assert _client(outsider).get(url).status_code == 404
    assert (
        _client(outsider).post(reverse("privacy_request_close", args=[req.pk]), {}).status_code
        == 404
    )


@time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False)
def test_privacy_dashboard_shows_overdue_due_soon_and_counts(world: dict[str, Any]) -> None:
    late = _log(world, received_on=dt.date(2026, 2, 10))
    soon = _log(world, received_on=dt.date(2026, 2, 23), kind=PrivacyRequest.Kind.ERASURE)
    later = _log(world, received_on=dt.date(2026, 3, 10))
    other = _log(world, house=world["westelijk"], received_on=dt.date(2026, 2, 11))
    page = _client(world["contact"]).get(reverse("privacy_dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    link = reverse("privacy_request_detail", args=[late.pk])
    assert link in html and "Over de termijn" in html
    assert reverse("privacy_request_detail", args=[soon.pk]) in html
    assert reverse("privacy_request_detail", args=[later.pk]) not in html
    assert reverse("privacy_request_detail", args=[other.pk]) not in html
    assert reverse("sharing_register") in html and reverse("subject_access") in html
    assert reverse("audit_search") not in html  # the audit search is the FG's only
    assert reverse("rejection_counts") in html
    fg_html = _client(world["fg"]).get(reverse("privacy_dashboard")).content.decode()
    assert reverse("audit_search") in fg_html
    assert reverse("privacy_request_detail", args=[other.pk]) in fg_html
    # The personal dashboard sends the privacy roles here.
    home = _client(world["contact"]).get(reverse("dashboard")).content.decode()
    assert reverse("privacy_dashboard") in home


@time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False)
def test_linking_the_person_finds_only_the_houses_persons(world: dict[str, Any]) -> None:
    ours = CaseFactory(
        house=world["parkstad"],
        person__voornamen="Mira",
        person__tussenvoegsel="",
        person__achternaam="Zoekstra",
        person__geboortedatum=dt.date(1985, 2, 3),
    ).person
    CaseFactory(
        house=world["westelijk"],
        person__voornamen="Mira",
        person__tussenvoegsel="",
        person__achternaam="Zoekstra",
        person__geboortedatum=dt.date(1985, 2, 3),
    )
    req = _log(world, requester_name="Mira Zoekstra")
    client = _client(world["contact"])
    url = reverse("privacy_request_link", args=[req.pk])
    found = client.post(url, {"name": "Mira Zoekstra", "birth_date": "1985-02-03"})
    html = found.content.decode()
    assert found.status_code == 200
    assert html.count('name="person"') == 1 and f'value="{ours.pk}"' in html
    # Name without a date of birth: the form's Dutch message, nobody searched.
    vague = client.post(url, {"name": "Mira Zoekstra"}).content.decode()
    assert "samen met de geboortedatum" in vague
    # Linking another house's person is refused; the right one is linked and audited.
    other = PersonFactory()
    client.post(url, {"person": other.pk, "version": 1})
    req.refresh_from_db()
    assert req.person is None
    done = client.post(url, {"person": ours.pk, "version": 1})
    assert done.status_code == 302
    req.refresh_from_db()
    assert req.person == ours and req.version == 2
    event = AuditEvent.objects.get(action="privacy.request_linked")
    assert event.data["wijzigingen"]["person"] == {"voor": None, "na": ours.pk}
    detail = client.get(reverse("privacy_request_detail", args=[req.pk])).content.decode()
    assert "betrokkene: gekoppeld" in detail and "Koppelen aan betrokkene" not in detail
    # A stale version: nothing changes, the concurrent-edit message is shown.
    page = client.post(url, {"person": ours.pk, "version": 1}, follow=True).content.decode()
    assert "Iemand anders heeft dit gegeven opgeslagen" in page
