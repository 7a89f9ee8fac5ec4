"""Acute referrals (issue 12): what the referrer does now, the chairs told at once, acute
first in the screening list, and an extra (ad-hoc) triage at a moment the chair picks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.models import DEFAULT_ACUTE_INSTRUCTIONS, House
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Case
from ketenregie.cases.workflow import Status
from ketenregie.core.tests.mailutil import addressees
from ketenregie.intake import services
from ketenregie.intake.models import AgendaItem, Referral, TriageMeeting
from ketenregie.intake.tests.conftest import referral_input
from ketenregie.tests_support.clock import during
from ketenregie.tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db


def _refer(intake: dict[str, Any], urgency: str, **person: Any) -> Referral:
    data = referral_input(intake, **person)
    data.values["urgency"] = urgency
    return services.save_referral(
        actor=intake["referrer"], house=intake["house"], data=data, submit=True, confirmed=True
    )


def _enriched(referral: Referral, chair: Any) -> Referral:
    return services.approve_for_enrichment(
        referral.case, actor=chair, expected_version=referral.version
    )


def _in(hours: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)


# --- What the referrer is told ----------------------------------------------------------


def test_referral_form_tells_what_to_do_now_with_the_house_text(
    client: Client, intake: dict[str, Any]
) -> None:
    house: House = intake["house"]
    client.force_login(intake["referrer"])
    html = client.get(reverse("referral_create", args=[house.pk])).content.decode()
    assert "Is het acuut? Wacht niet op de triage." in html
    assert "bel 112" in html and "Veilig Thuis" in html
    house.acute_instructions = "Bel 112. Crisisdienst Noord: 0800-1234."
    house.save(update_fields=["acute_instructions"])
    html = client.get(reverse("referral_create", args=[house.pk])).content.decode()
    assert "Crisisdienst Noord: 0800-1234." in html and "Veilig Thuis" not in html
    # Emptied: the product's default again.
    house.acute_instructions = ""
    house.save(update_fields=["acute_instructions"])
    assert house.acute_text == DEFAULT_ACUTE_INSTRUCTIONS


def test_beheerder_edits_the_acute_text_on_the_house_form(intake: dict[str, Any]) -> None:
    house: House = intake["house"]
    admin = Client()
    admin.force_login(UserFactory(roles=[(Role.BEHEERDER, None)]))
    form = admin.get(reverse("manage_edit", args=["huizen", house.pk])).content.decode()
    assert "wat de aanmelder bij acute urgentie direct doet" in form.lower()
    assert "bel 112" in form  # the default, ready to adapt
    resp = admin.post(
        reverse("manage_edit", args=["huizen", house.pk]),
        {
            "version": house.version,
            "name": house.name,
            "code": house.code,
            "kind": house.kind,
            "region": house.region_id,
            "triage_weekday": house.triage_weekday,
            "triage_start": "13:00",
            "triage_end": "14:30",
            "cutoff_weekday": house.cutoff_weekday,
            "cutoff_time": "16:00",
            "acute_instructions": "Bel 112 of de crisisdienst Zuid: 088-1112222.",
            "fixed_partners": [intake["police"].pk, intake["care"].pk],
        },
    )
    assert resp.status_code == 302, resp.content.decode()[-2000:]
    house.refresh_from_db()
    assert house.acute_text == "Bel 112 of de crisisdienst Zuid: 088-1112222."
    assert AuditEvent.objects.filter(action="house.updated").exists()


# --- The chairs are told at once ---------------------------------------------------------


def test_acute_referral_alerts_the_chairs_at_once_by_link_only(
    intake: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    second_chair = UserFactory(
        roles=[(Role.TRIAGEVOORZITTER, intake["house"])], email="chair2@example.invalid"
    )
    with django_capture_on_commit_callbacks(execute=True):
        referral = _refer(intake, Referral.Urgency.ACUUT)
    alerts = [m for m in mail.outbox if m.subject == "Ketenregie: acute aanmelding"]
    # One mail per chair: no chair learns from the To: line who else was told.
    assert addressees(alerts) == sorted([intake["chair"].email, second_chair.email])
    person = referral.case.person
    for alert in alerts:
        assert reverse("referral_detail", args=[referral.case_id]) in alert.body
        for secret in (person.achternaam, person.voornamen, "Overlast", referral.case.code):
            assert secret not in alert.body
    event = AuditEvent.objects.get(action="referral.acute_alerted")
    assert event.case_id == referral.case_id
    assert event.data["voorzitters"] == sorted([intake["chair"].pk, second_chair.pk])
    # The referrer hears that the chairs know.
    assert "direct gewaarschuwd" in referral.referrer.feedback.first().message


def test_a_normal_referral_alerts_nobody(
    intake: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _refer(intake, Referral.Urgency.NORMAAL)
    assert not [m for m in mail.outbox if "acute" in m.subject]
    assert not AuditEvent.objects.filter(action="referral.acute_alerted").exists()


# --- The screening list ------------------------------------------------------------------


def test_screening_list_marks_and_sorts_acute_first_with_an_urgency_column(
    client: Client, intake: dict[str, Any]
) -> None:
    normal = _refer(intake, Referral.Urgency.NORMAAL, bsn=None, achternaam="Eerstnormaal")
    high = _refer(intake, Referral.Urgency.HOOG, bsn=None, achternaam="Danhoog")
    acute = _refer(intake, Referral.Urgency.ACUUT, bsn=None, achternaam="Laatstacuut")
    client.force_login(intake["chair"])
    html = client.get(reverse("screening_list")).content.decode()
    assert '<th class="utrecht-table__header-cell" scope="col">Urgentie</th>' in html
    codes = [acute.case.code, high.case.code, normal.case.code]
    positions = [html.index(code) for code in codes]
    assert positions == sorted(positions), "acute first, then high, then normal"
    acute_row = html[html.rindex("<tr", 0, positions[0]) : positions[0]]
    assert "kr-row--acute" in acute_row and ">Acuut</span>" in acute_row


# --- The extra (ad-hoc) triage -----------------------------------------------------------


def test_acute_referral_goes_to_an_extra_triage_at_the_chosen_moment(
    intake: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    referral = _enriched(_refer(intake, Referral.Urgency.ACUUT), intake["chair"])
    weekly = referral.triage_meeting
    moment = _in(3)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.put_on_agenda(
            referral.case,
            actor=intake["chair"],
            expected_version=referral.version,
            proposed_level=4,
            reasoning="Acuut, direct bespreken.",
            extra_at=moment,
        )
    meeting = item.meeting
    assert meeting.ad_hoc and meeting.starts_at == moment and meeting != weekly
    assert item.position == 1 and services.slot_of(item)[0] == moment
    assert Case.objects.get(pk=referral.case_id).status == Status.GEAGENDEERD
    assert Referral.objects.get(pk=referral.pk).triage_meeting == meeting
    planned = AuditEvent.objects.get(action="triage.ad_hoc_planned")
    assert planned.case_id == referral.case_id
    assert AuditEvent.objects.get(action="referral.put_on_agenda").data["extra_triage"] is True
    # The referrer is invited for the extra triage's slot.
    invitation = [m for m in mail.outbox if m.attachments]
    assert invitation and moment.strftime("%Y%m%dT%H%M") in str(invitation[-1].attachments[0][1])
    # A weekly triage on the same day can still exist next to it.
    assert services.meeting_on(intake["house"], meeting.date).ad_hoc is False


def test_extra_triage_is_refused_in_the_past_and_for_a_normal_referral(
    intake: dict[str, Any],
) -> None:
    acute = _enriched(_refer(intake, Referral.Urgency.ACUUT), intake["chair"])
    with pytest.raises(ValidationError) as err:
        services.put_on_agenda(
            acute.case,
            actor=intake["chair"],
            expected_version=acute.version,
            proposed_level=4,
            reasoning="Acuut.",
            extra_at=_in(-2),
        )
    assert "in het verleden" in " ".join(err.value.message_dict["extra_day"])
    normal = _enriched(
        _refer(intake, Referral.Urgency.NORMAAL, bsn=None, achternaam="Gewoon"), intake["chair"]
    )
    with pytest.raises(ValidationError, match="alleen voor acute"):
        services.put_on_agenda(
            normal.case,
            actor=intake["chair"],
            expected_version=normal.version,
            proposed_level=3,
            reasoning="Weging.",
            extra_at=_in(3),
        )
    assert not TriageMeeting.objects.filter(ad_hoc=True).exists()


def test_absent_at_an_extra_triage_moves_to_the_next_weekly_one(intake: dict[str, Any]) -> None:
    referral = _enriched(_refer(intake, Referral.Urgency.ACUUT), intake["chair"])
    item = services.put_on_agenda(
        referral.case,
        actor=intake["chair"],
        expected_version=referral.version,
        proposed_level=4,
        reasoning="Acuut.",
        extra_at=_in(2),
    )
    with during(item.meeting):
        services.record_attendance(item, actor=intake["chair"], present=False)
        moved = AgendaItem.objects.get(referral=referral, outcome="")
        assert moved.meeting.ad_hoc is False
        assert moved.meeting.date.weekday() == intake["house"].triage_weekday
        assert moved.meeting.starts_at > timezone.now()


def test_chair_picks_the_extra_triage_on_the_referral_page(
    client: Client, intake: dict[str, Any]
) -> None:
    referral = _enriched(_refer(intake, Referral.Urgency.ACUUT), intake["chair"])
    client.force_login(intake["chair"])
    page = client.get(reverse("referral_detail", args=[referral.case_id])).content.decode()
    assert "Een extra triage (acuut) op het moment dat u kiest" in page
    assert "Datum extra triage" in page
    moment = timezone.localtime(_in(4))
    data = {
        "version": referral.version,
        "proposed_level": "4",
        "reasoning": "Acuut: dreigend geweld.",
        "triage": "extra",
        "extra_day": "",
        "extra_time": "",
    }
    resp = client.post(reverse("referral_agenda", args=[referral.case_id]), data)
    assert resp.status_code == 200
    assert "Kies de datum van de extra triage." in resp.content.decode()
    past = timezone.localtime(_in(-30))
    data |= {"extra_day": past.date().isoformat(), "extra_time": f"{past:%H:%M}"}
    resp = client.post(reverse("referral_agenda", args=[referral.case_id]), data)
    assert resp.status_code == 200 and "in het verleden" in resp.content.decode()
    data |= {"extra_day": moment.date().isoformat(), "extra_time": f"{moment:%H:%M}"}
    resp = client.post(reverse("referral_agenda", args=[referral.case_id]), data, follow=True)
    html = resp.content.decode()
    assert "Op een extra triage gezet" in html and "Extra integrale triage" in html
    meeting = TriageMeeting.objects.get(ad_hoc=True)
    assert timezone.localtime(meeting.starts_at) == moment
    listing = client.get(reverse("triage_list")).content.decode()
    assert "extra triage (acuut)" in listing and f"{moment:%H:%M} uur" in listing


def test_normal_referral_offers_no_extra_triage(client: Client, intake: dict[str, Any]) -> None:
    referral = _enriched(_refer(intake, Referral.Urgency.NORMAAL), intake["chair"])
    client.force_login(intake["chair"])
    page = client.get(reverse("referral_detail", args=[referral.case_id])).content.decode()
    assert "Weging en agenderen" in page and "extra triage" not in page.lower()
