"""What the execution phase e-mails carries no personal data of the person: a full flow,
every message read part by part (subject, body, .ics) as the recipient's client would."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from ketenregie.plans.tests.flow import SECRET, run_full_flow
from ketenregie.plans.tests.mailutil import full_text, ics_of

pytestmark = pytest.mark.django_db


def _forbidden(person: Any) -> list[str]:
    dob = person.geboortedatum
    names = [*person.voornamen.split(), person.achternaam, person.full_name]
    dates = [
        dob.isoformat(),  # 1984-02-29
        dob.strftime("%d-%m-%Y"),  # 29-02-1984
        f"{dob.day}-{dob.month}-{dob.year}",  # 29-2-1984
        dob.strftime("%d/%m/%Y"),
        f"{dob.day}/{dob.month}/{dob.year}",
        dob.strftime("%d.%m.%Y"),
        dob.strftime("%Y%m%d"),
        dob.strftime("%d%m%Y"),
        f"{dob.day} februari {dob.year}",
        f"{dob.day} feb {dob.year}",
        dob.strftime("%d-%m-%y"),  # 29-02-84
        str(dob.year),
    ]
    postcode = person.postcode  # "6411 XK"
    return [
        *names,
        person.bsn,
        f"{person.bsn[:4]} {person.bsn[4:6]} {person.bsn[6:]}",
        f"{person.bsn[:3]}.{person.bsn[3:5]}.{person.bsn[5:]}",
        person.straat,
        person.straat.split()[0],  # the street name without the number
        postcode,
        postcode.replace(" ", ""),
        *dates,
    ]


def test_no_outgoing_mail_carries_the_persons_data(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run_full_flow(team)
    subjects = [m.subject for m in mail.outbox]
    # The flow did send the mail we mean to check: invitations with .ics, a reply-less
    # late invitation, minutes, a new action, a signal, a reminder, two escalations and
    # a cancellation.
    for expected in (
        "Ketenregie: uitnodiging casusoverleg",
        "Ketenregie: verslag casusoverleg",
        "Ketenregie: nieuwe actie voor u",
        "Ketenregie: nieuw signaal bij een casus",
        "Ketenregie: herinnering: actie over de datum",
        f"Ketenregie: opschaling casus {team['case'].code}",
        "Ketenregie: casusoverleg vervallen",
    ):
        assert expected in subjects, (expected, subjects)
    assert subjects.count(f"Ketenregie: opschaling casus {team['case'].code}") == 2
    invitations = [m for m in mail.outbox if m.attachments]
    assert len(invitations) >= 3  # first meeting, the late participant, incidental, monitoring

    forbidden = _forbidden(team["person"])
    for message in mail.outbox:
        text = full_text(message)
        lowered = text.lower()
        for value in forbidden:
            assert value.lower() not in lowered, (value, message.subject)
        assert SECRET not in text, message.subject  # no typed content either
        # Every mail is a link into the product.
        assert re.search(r"http://\S+/", message.body), message.subject
    for message in invitations:
        mimetype, cal = ics_of(message)
        assert mimetype.startswith("text/calendar")
        for event in cal.walk("VEVENT"):
            for prop in ("SUMMARY", "DESCRIPTION", "LOCATION"):
                value = str(event.get(prop, ""))
                for needle in forbidden:
                    assert needle.lower() not in value.lower(), (prop, needle)
            summary = str(event["SUMMARY"])
            assert team["case"].code in summary or team["house"].name in summary
