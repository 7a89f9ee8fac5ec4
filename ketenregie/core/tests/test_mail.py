"""Outgoing mail: one mail per recipient, links on the served address, .ics organiser."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from icalendar import Calendar

from ketenregie.core.ics import meeting_ics
from ketenregie.core.mail import (
    DEFAULT_BASE_URL,
    RequestBaseUrlMiddleware,
    absolute_url,
    send_link_mail,
)
from ketenregie.core.tests.mailutil import addressees

START = dt.datetime(2026, 12, 7, 13, 0, tzinfo=dt.UTC)


def _send(**extra: Any) -> None:
    send_link_mail(
        ["b@example.invalid", "a@example.invalid", "b@example.invalid", ""],
        subject="test",
        text="Er staat iets klaar.",
        path="/casussen/",
        **extra,
    )


@pytest.mark.django_db
def test_every_recipient_gets_a_mail_of_their_own(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _send()
    assert addressees(mail.outbox) == ["a@example.invalid", "b@example.invalid"]
    # The first mail's headers and body do not name the other recipient.
    assert "b@example.invalid" not in mail.outbox[0].message().as_string()


@pytest.mark.django_db
def test_each_invitation_names_the_organiser_and_only_its_own_attendee(
    django_capture_on_commit_callbacks: Any,
) -> None:
    def ics(address: str) -> bytes:
        return meeting_ics(
            uid="u@ketenregie",
            start=START,
            end=START + dt.timedelta(hours=1),
            summary="Eerste casusoverleg casus X",
            location="Huis",
            url="http://x/",
            organizer_name="Zorg- en Veiligheidshuis Test",
            attendee=address,
        )

    with django_capture_on_commit_callbacks(execute=True):
        _send(ics=ics)
    for message in mail.outbox:
        (_name, content, _type) = message.attachments[0]
        event = next(iter(Calendar.from_ical(content).walk("VEVENT")))
        organizer = event["ORGANIZER"]
        assert str(organizer) == "mailto:noreply@ketenregie.invalid"
        assert organizer.params["CN"] == "Zorg- en Veiligheidshuis Test"
        attendee = event["ATTENDEE"]
        assert str(attendee) == f"mailto:{message.to[0]}"


def _through_middleware(request: HttpRequest) -> str:
    seen: list[str] = []

    def view(_request: HttpRequest) -> HttpResponse:
        seen.append(absolute_url("/overleg/1/"))
        return HttpResponse()

    RequestBaseUrlMiddleware(view)(request)
    return seen[0]


@override_settings(KETENREGIE_BASE_URL="", ALLOWED_HOSTS=["127.0.0.1"])
def test_links_follow_the_served_address_when_no_base_url_is_configured() -> None:
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8080")
    assert _through_middleware(request) == "http://127.0.0.1:8080/overleg/1/"
    # Outside a request (a command, cron) the development address.
    assert absolute_url("/x/") == f"{DEFAULT_BASE_URL}/x/"


@override_settings(KETENREGIE_BASE_URL="https://ketenregie.example.nl/", ALLOWED_HOSTS=["*"])
def test_a_configured_base_url_wins_over_the_request() -> None:
    request = RequestFactory().get("/", HTTP_HOST="intern:8080")
    assert _through_middleware(request) == "https://ketenregie.example.nl/overleg/1/"
    assert absolute_url("/x/") == "https://ketenregie.example.nl/x/"


def test_the_served_address_is_remembered_for_every_request() -> None:
    from django.conf import settings

    assert "ketenregie.core.mail.RequestBaseUrlMiddleware" in settings.MIDDLEWARE
