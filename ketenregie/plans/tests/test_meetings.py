"""Case meetings: planning (first, incidental, monitoring), invitations with .ics, replies
with a declared capacity, attendance, minutes and concurrent editing of the minutes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.access import visible_cases
from ketenregie.cases.models import CaseMembership, CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.mail import absolute_url
from ketenregie.core.tests.mailutil import addressees
from ketenregie.plans import services
from ketenregie.plans.models import Meeting, MonitoringItem, Participant
from ketenregie.plans.tests.conftest import held, other_case, schedule
from ketenregie.plans.tests.mailutil import full_text, ics_of
from ketenregie.tests_support.factories import (
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _professional(**kw: Any) -> Any:
    return UserFactory(roles=[(Role.PROFESSIONAL, None)], **kw)


# --- Planning ---------------------------------------------------------------------------


def test_first_meeting_is_in_person_at_the_house_and_invites_everyone_once(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(team)
    assert meeting.kind == Meeting.Kind.FIRST and meeting.state == Meeting.State.PLANNED
    assert meeting.case_id == team["case"].pk and meeting.organiser == team["regisseur"]
    assert meeting.location == f"{team['house'].name} (fysiek)"
    invited = set(Participant.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    assert invited == {team["regisseur"].pk, team["casus"].pk, team["partner"].pk}
    # One mail per participant: nobody sees who else is invited.
    assert addressees(mail.outbox) == [
        "cr@example.invalid",
        "partner@example.invalid",
        "pr@example.invalid",
    ]
    message = next(m for m in mail.outbox if m.to == ["partner@example.invalid"])
    assert message.subject == "Ketenregie: uitnodiging casusoverleg"
    assert absolute_url(reverse("meeting_detail", args=[meeting.pk])) in message.body
    mimetype, cal = ics_of(message)
    assert mimetype.startswith("text/calendar")
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    summary = str(event["SUMMARY"])
    assert team["case"].code in summary
    person = team["person"]
    for secret in (person.achternaam, "Bartholomeus", person.bsn):
        assert secret not in summary and secret not in full_text(message)
    assert event["ORGANIZER"].params["CN"] == team["house"].name
    assert str(event["ATTENDEE"]) == "mailto:partner@example.invalid"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTEND") == meeting.ends_at
    event_data = AuditEvent.objects.get(action="meeting.scheduled", object_id=str(meeting.pk))
    assert event_data.case_id == team["case"].pk
    assert sorted(event_data.data["deelnemers"]) == sorted(
        u.pk for u in (team["regisseur"], team["casus"], team["partner"])
    )


def test_a_duplicate_participant_is_invited_once(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(team, participants=[team["casus"], team["casus"], team["partner"]])
    assert meeting.participants.count() == 2
    assert addressees(mail.outbox) == ["cr@example.invalid", "partner@example.invalid"]


def test_a_second_first_meeting_is_refused_until_the_first_is_cancelled(
    team: dict[str, Any],
) -> None:
    first = schedule(team)
    with pytest.raises(ValidationError) as err:
        schedule(team)
    assert "al een eerste casusoverleg" in str(err.value.message_dict["kind"])
    assert Meeting.objects.filter(case=team["case"]).count() == 1
    services.cancel_meeting(first, actor=team["regisseur"], expected_version=first.version)
    again = schedule(team)
    assert again.kind == Meeting.Kind.FIRST


def test_incidental_meeting_invites_the_person_unless_weighty_reasons_are_recorded(
    team: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError) as err:
        schedule(team, kind=Meeting.Kind.INCIDENTAL, person_invited=False)
    message = str(err.value.message_dict["person_not_invited_reason"])
    assert "zwaarwegende redenen" in message and "uitgenodigd" in message
    with pytest.raises(ValidationError):
        schedule(
            team, kind=Meeting.Kind.INCIDENTAL, person_invited=False, person_not_invited_reason="  "
        )
    assert not Meeting.objects.exists()

    with_reasons = schedule(
        team,
        kind=Meeting.Kind.INCIDENTAL,
        person_invited=False,
        person_not_invited_reason="  Dreiging richting hulpverleners.  ",
    )
    assert with_reasons.person_not_invited_reason == "Dreiging richting hulpverleners."
    assert with_reasons.person_invited is False
    invited = schedule(team, kind=Meeting.Kind.INCIDENTAL, person_invited=True)
    assert invited.person_invited is True and invited.person_not_invited_reason == ""
    # The audit trail knows that reasons were recorded, not what they are.
    event = AuditEvent.objects.get(action="meeting.scheduled", object_id=str(with_reasons.pk))
    assert event.data["zwaarwegende_redenen_vastgelegd"] is True
    assert "Dreiging" not in str(event.data)


def test_monitoring_meeting_lists_every_running_case_of_the_house(team: dict[str, Any]) -> None:
    house = team["house"]
    low = other_case(house, status=Status.IN_UITVOERING, escalation_level=3, code="A-LAAG")
    high = other_case(house, status=Status.IN_UITVOERING, escalation_level=4, code="A-HOOG")
    other_case(house, status=Status.VOORLOPIG_AFGESLOTEN)
    other_case(house, status=Status.AFGESLOTEN)
    other_case(house, status=Status.PGA_GESTART)
    other_case(HouseFactory(), status=Status.IN_UITVOERING)
    meeting = schedule(team, kind=Meeting.Kind.MONITORING)
    assert meeting.case is None and meeting.person_invited is False
    items = list(MonitoringItem.objects.filter(meeting=meeting).order_by("position"))
    assert [i.position for i in items] == [1, 2, 3]
    # Ordered by escalation level, then code: the level-4 case comes last.
    assert {i.case_id for i in items} == {team["case"].pk, low.pk, high.pk}
    assert items[-1].case_id == high.pk


def test_monitoring_meeting_is_for_the_house_not_one_case(team: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        services.schedule_meeting(
            actor=team["regisseur"],
            house=team["house"],
            kind=Meeting.Kind.MONITORING,
            starts_at=timezone.now(),
            ends_at=timezone.now() + dt.timedelta(hours=1),
            location="",
            participants=[team["regisseur"]],
            case=team["case"],
        )
    assert "kind" in err.value.message_dict


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "before"}, "ends_at"),
        ({"starts_at": None}, "starts_at"),
        ({"participants": []}, "participants"),
        ({"kind": "onbekend"}, "kind"),
    ],
)
def test_meeting_values_are_checked(
    team: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    start = timezone.now() + dt.timedelta(days=1)
    values: dict[str, Any] = {
        "actor": team["regisseur"],
        "house": team["house"],
        "kind": Meeting.Kind.FIRST,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=1),
        "location": "",
        "participants": [team["casus"]],
        "case": team["case"],
    }
    values.update(change)
    if change.get("ends_at") == "before":
        values["ends_at"] = start - dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as err:
        services.schedule_meeting(**values)
    assert field in err.value.message_dict
    assert (
        not Meeting.objects.exists()
        and not AuditEvent.objects.filter(action="meeting.scheduled").exists()
    )


def test_a_meeting_needs_a_running_case_of_the_same_house(team: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        schedule(team, case=other_case(HouseFactory(), status=Status.IN_UITVOERING))
    assert "ander huis" in str(err.value.message_dict["kind"])
    with pytest.raises(ValidationError, match="in uitvoering"):
        schedule(team, case=other_case(team["house"], status=Status.AFGESLOTEN))
    assert not Meeting.objects.exists()


def test_add_participant_invites_only_the_newcomer_and_refuses_duplicates(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = schedule(team)
    newcomer = _professional(email="nieuw@example.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        services.add_participant(meeting, actor=team["regisseur"], user=newcomer)
    assert [m.to for m in mail.outbox] == [["nieuw@example.invalid"]]
    assert ics_of(mail.outbox[0])[0].startswith("text/calendar")
    with pytest.raises(ValidationError, match="al uitgenodigd"):
        services.add_participant(meeting, actor=team["regisseur"], user=newcomer)
    assert AuditEvent.objects.filter(action="meeting.participant_invited").count() == 1


# --- Replies and the declared capacity --------------------------------------------------


def test_an_adviser_reply_gives_pseudonymised_access(team: dict[str, Any]) -> None:
    adviser = _professional()
    meeting = schedule(team, participants=[team["regisseur"], adviser])
    assert not visible_cases(adviser).filter(pk=team["case"].pk).exists()
    participant = Participant.objects.get(meeting=meeting, user=adviser)
    services.reply(participant, actor=adviser, answer="ja", capacity="adviseur")
    participant.refresh_from_db()
    assert participant.reply == "ja" and participant.capacity == "adviseur"
    assert participant.replied_at is not None
    membership = CaseMembership.objects.get(case=team["case"], user=adviser)
    assert membership.role == CaseRole.ADVISEUR and membership.organisation == adviser.organisation
    seen = visible_cases(adviser).get(pk=team["case"].pk)
    assert seen.full_access is False
    event = AuditEvent.objects.get(action="meeting.replied")
    assert event.data["na"] == {"reply": "ja", "capacity": "adviseur"}


def test_an_involved_reply_waits_for_the_procesregisseur_to_admit(team: dict[str, Any]) -> None:
    partner = _professional()
    meeting = schedule(team, participants=[team["regisseur"], partner])
    participant = Participant.objects.get(meeting=meeting, user=partner)
    services.reply(participant, actor=partner, answer="ja", capacity="betrokken")
    # Declaring oneself involved opens no names: the director decides need to know.
    assert not CaseMembership.objects.filter(case=team["case"], user=partner).exists()
    assert not visible_cases(partner).filter(pk=team["case"].pk).exists()
    participant.refresh_from_db()
    services.admit_participant(participant, actor=team["regisseur"])
    membership = CaseMembership.objects.get(case=team["case"], user=partner)
    assert membership.role == CaseRole.BETROKKEN_PARTNER
    assert visible_cases(partner).get(pk=team["case"].pk).full_access is True
    with pytest.raises(ValidationError, match="al lid"):
        services.admit_participant(participant, actor=team["regisseur"])
    # Replying again does not add a second membership.
    services.reply(participant, actor=partner, answer="nee", capacity="betrokken")
    assert CaseMembership.objects.filter(case=team["case"], user=partner).count() == 1


def test_only_a_declared_involved_participant_is_admitted(team: dict[str, Any]) -> None:
    guest = _professional()
    meeting = schedule(team, participants=[team["regisseur"], guest])
    participant = Participant.objects.get(meeting=meeting, user=guest)
    with pytest.raises(ValidationError, match="betrokken"):
        services.admit_participant(participant, actor=team["regisseur"])
    assert not CaseMembership.objects.filter(user=guest).exists()


def test_a_reply_of_an_existing_member_adds_no_membership(team: dict[str, Any]) -> None:
    meeting = schedule(team)
    participant = Participant.objects.get(meeting=meeting, user=team["casus"])
    before = CaseMembership.objects.filter(case=team["case"]).count()
    services.reply(participant, actor=team["casus"], answer="ja", capacity="betrokken")
    assert CaseMembership.objects.filter(case=team["case"]).count() == before


@pytest.mark.parametrize(
    ("answer", "capacity", "field"),
    [("", "adviseur", "answer"), ("misschien", "adviseur", "answer"), ("ja", "", "capacity")],
)
def test_a_reply_needs_an_answer_and_a_capacity(
    team: dict[str, Any], answer: str, capacity: str, field: str
) -> None:
    meeting = schedule(team)
    participant = Participant.objects.get(meeting=meeting, user=team["partner"])
    with pytest.raises(ValidationError) as err:
        services.reply(participant, actor=team["partner"], answer=answer, capacity=capacity)
    assert field in err.value.message_dict
    participant.refresh_from_db()
    assert participant.reply == "" and participant.replied_at is None


def test_no_reply_to_a_cancelled_meeting(team: dict[str, Any]) -> None:
    outsider = _professional()
    meeting = schedule(team, participants=[team["regisseur"], outsider])
    services.cancel_meeting(meeting, actor=team["regisseur"], expected_version=meeting.version)
    participant = Participant.objects.get(meeting=meeting, user=outsider)
    with pytest.raises(ValidationError, match="vervallen"):
        services.reply(participant, actor=outsider, answer="ja", capacity="betrokken")
    assert not CaseMembership.objects.filter(user=outsider).exists()


def test_monitoring_replies_adviser_house_wide_but_involved_for_no_case(
    team: dict[str, Any],
) -> None:
    second = other_case(team["house"], status=Status.IN_UITVOERING)
    adviser, involved = _professional(), _professional()
    meeting = schedule(
        team, kind=Meeting.Kind.MONITORING, participants=[team["regisseur"], adviser, involved]
    )
    services.reply(
        Participant.objects.get(meeting=meeting, user=adviser),
        actor=adviser,
        answer="ja",
        capacity="adviseur",
    )
    services.reply(
        Participant.objects.get(meeting=meeting, user=involved),
        actor=involved,
        answer="ja",
        capacity="betrokken",
    )
    roles = dict(CaseMembership.objects.filter(user=adviser).values_list("case_id", "role"))
    assert roles == {team["case"].pk: CaseRole.ADVISEUR, second.pk: CaseRole.ADVISEUR}
    assert all(c.full_access is False for c in visible_cases(adviser))
    assert not CaseMembership.objects.filter(user=involved).exists()


# --- Attendance, minutes ----------------------------------------------------------------


def test_attendance_is_recorded_only_once_the_meeting_has_started(team: dict[str, Any]) -> None:
    start = timezone.now() + dt.timedelta(days=2)
    meeting = schedule(team, starts_at=start)
    with pytest.raises(ValidationError, match="begonnen"):
        services.record_attendance(
            meeting, actor=team["regisseur"], present=[], expected_version=meeting.version
        )
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PLANNED and meeting.version == 1
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        done = services.record_attendance(
            meeting,
            actor=team["regisseur"],
            present=[team["casus"].pk],
            expected_version=meeting.version,
        )
    assert done.state == Meeting.State.HELD and done.version == 2
    attended = dict(Participant.objects.filter(meeting=meeting).values_list("user_id", "attended"))
    assert attended == {
        team["regisseur"].pk: False,
        team["casus"].pk: True,
        team["partner"].pk: False,
    }
    assert AuditEvent.objects.get(action="meeting.attendance_recorded").data == {
        "aanwezig": [team["casus"].pk]
    }


def test_attendance_of_a_cancelled_meeting_is_refused(team: dict[str, Any]) -> None:
    meeting = schedule(team, starts_at=timezone.now() - dt.timedelta(hours=2))
    meeting = services.cancel_meeting(
        meeting, actor=team["regisseur"], expected_version=meeting.version
    )
    with pytest.raises(ValidationError, match="vervallen"):
        services.record_attendance(
            meeting, actor=team["regisseur"], present=[], expected_version=meeting.version
        )


def test_minutes_need_a_held_meeting_and_decisions(team: dict[str, Any]) -> None:
    planned = schedule(team, kind=Meeting.Kind.INCIDENTAL, person_invited=True)
    # Minutes follow the meeting (issue 15: of a begun meeting they make it held).
    with pytest.raises(ValidationError, match="nog niet begonnen"):
        services.save_minutes(
            planned, actor=team["regisseur"], minutes="x", decisions="y", expected_version=1
        )
    meeting = held(team)
    with pytest.raises(ValidationError) as err:
        services.save_minutes(
            meeting,
            actor=team["regisseur"],
            minutes=" ",
            decisions="",
            expected_version=meeting.version,
        )
    assert {"minutes", "decisions"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError, match="verslag"):
        services.send_minutes(meeting, actor=team["regisseur"])


def test_minutes_are_saved_and_sent_by_link_to_the_active_team(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = held(team)
    saved = services.save_minutes(
        meeting,
        actor=team["regisseur"],
        minutes="  Geheim verslag over de schulden.  ",
        decisions="Budgetbeheer aanvragen.",
        expected_version=meeting.version,
    )
    assert saved.minutes == "Geheim verslag over de schulden." and saved.version == 3
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_minutes(saved, actor=team["regisseur"])
    assert sent.minutes_sent_at is not None and sent.minutes_sent_by == team["regisseur"]
    # The active team (advisers included: the mail is a link), not the former member;
    # one mail each.
    assert addressees(mail.outbox) == [
        "adviseur@example.invalid",
        "cr@example.invalid",
        "partner@example.invalid",
        "pr@example.invalid",
    ]
    message = mail.outbox[0]
    assert message.subject == "Ketenregie: verslag casusoverleg"
    assert "Geheim" not in full_text(message) and "Budgetbeheer" not in full_text(message)
    assert absolute_url(reverse("meeting_detail", args=[meeting.pk])) in message.body
    event = AuditEvent.objects.get(action="meeting.minutes_sent")
    assert event.data == {"ontvangers": 4, "op_tijd": True, "eerste_keer": True, "acties": []}
    # A second send is an update, told as such.
    with django_capture_on_commit_callbacks(execute=True):
        services.send_minutes(saved, actor=team["regisseur"])
    assert mail.outbox[-1].subject == "Ketenregie: bijgewerkt verslag casusoverleg"


def test_monitoring_minutes_keep_notes_per_case_and_go_to_the_participants(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    other_case(team["house"], status=Status.IN_UITVOERING)
    meeting = schedule(
        team,
        kind=Meeting.Kind.MONITORING,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        participants=[team["regisseur"], team["partner"]],
    )
    meeting = services.record_attendance(
        meeting, actor=team["regisseur"], present=[], expected_version=meeting.version
    )
    items = list(meeting.items.all())
    meeting = services.save_minutes(
        meeting,
        actor=team["regisseur"],
        minutes="Alle casussen besproken.",
        decisions="",  # a monitoring meeting needs no decisions
        expected_version=meeting.version,
        notes={items[0].pk: " Loopt. ", items[1].pk: "Stagneert."},
    )
    # The regisseur is not on the other case's team: that note is not theirs to write.
    notes = {i.case_id: i.note for i in meeting.items.all()}
    assert notes[team["case"].pk] == "Loopt." and set(notes.values()) == {"Loopt.", ""}
    with django_capture_on_commit_callbacks(execute=True):
        services.send_minutes(meeting, actor=team["regisseur"])
    assert addressees(mail.outbox) == ["partner@example.invalid", "pr@example.invalid"]


def test_concurrent_minutes_edit_is_refused_and_changes_nothing(team: dict[str, Any]) -> None:
    meeting = held(team)
    opened = meeting.version  # two people open the minutes form
    services.save_minutes(
        meeting,
        actor=team["regisseur"],
        minutes="Versie van de procesregisseur.",
        decisions="Besluit A.",
        expected_version=opened,
    )
    with pytest.raises(ConcurrentEditError):
        services.save_minutes(
            meeting,
            actor=team["casus"],
            minutes="Versie van de casusregisseur.",
            decisions="Besluit B.",
            expected_version=opened,
        )
    meeting.refresh_from_db()
    assert meeting.minutes == "Versie van de procesregisseur." and meeting.decisions == "Besluit A."
    assert meeting.version == opened + 1
    assert AuditEvent.objects.filter(action="meeting.minutes_saved").count() == 1


def test_stale_attendance_and_cancel_are_refused(team: dict[str, Any]) -> None:
    meeting = schedule(team, starts_at=timezone.now() - dt.timedelta(hours=1))
    services.record_attendance(meeting, actor=team["regisseur"], present=[], expected_version=1)
    with pytest.raises(ConcurrentEditError):
        services.record_attendance(meeting, actor=team["regisseur"], present=[], expected_version=1)
    with pytest.raises(ConcurrentEditError):
        services.cancel_meeting(meeting, actor=team["regisseur"], expected_version=1)
    with pytest.raises(ValidationError, match="gepland"):
        services.cancel_meeting(meeting, actor=team["regisseur"], expected_version=2)


def test_cancelling_tells_the_participants_by_link_only(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = schedule(team)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.cancel_meeting(
            meeting, actor=team["regisseur"], expected_version=meeting.version
        )
    assert cancelled.state == Meeting.State.CANCELLED
    assert mail.outbox[0].subject == "Ketenregie: casusoverleg vervallen"
    assert addressees(mail.outbox) == [
        "cr@example.invalid",
        "partner@example.invalid",
        "pr@example.invalid",
    ]
    assert not mail.outbox[0].attachments


def test_a_declared_adviser_is_pseudonymised_even_when_the_organisation_is_on_the_team(
    team: dict[str, Any],
) -> None:
    """A personal adviser role wins over the organisation's (cases.access): declaring the
    adviser capacity must record it, also when the organisation is on the team as a whole."""
    org = OrganisationFactory()
    MembershipFactory(
        case=team["case"], user=None, organisation=org, role=CaseRole.BETROKKEN_PARTNER
    )
    adviser = _professional(organisation=org)
    assert visible_cases(adviser).get(pk=team["case"].pk).full_access is True
    meeting = schedule(team, participants=[team["regisseur"], adviser])
    services.reply(
        Participant.objects.get(meeting=meeting, user=adviser),
        actor=adviser,
        answer="ja",
        capacity="adviseur",
    )
    assert CaseMembership.objects.get(case=team["case"], user=adviser).role == CaseRole.ADVISEUR
    assert visible_cases(adviser).get(pk=team["case"].pk).full_access is False
    # A colleague of the same organisation keeps full access through the organisation.
    colleague = _professional(organisation=org)
    assert visible_cases(colleague).get(pk=team["case"].pk).full_access is True
