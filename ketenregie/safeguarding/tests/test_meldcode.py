"""The meldcode through its services and pages: the five steps in order (or with a
reason), the decision questions and their consequences on the page, their repetition at
each progress meeting until the casusregisseur records lasting safety, the report to
Veilig Thuis with its follow-up and register row, acute danger first, and who may do
what (real database, real pages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import CaseMembership, CaseRole, ExchangeKind, SharingRecord
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.plans.models import Meeting
from ketenregie.plans.tests.conftest import build_team, other_case, schedule
from ketenregie.safeguarding import meldcode_services as services
from ketenregie.safeguarding.meldcode_models import (
    DecisionAnswers,
    MeldcodeStep,
    MeldcodeTrajectory,
    VeiligThuisReport,
)
from ketenregie.tests_support.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SECRET = "Blauwe plek bij de jongste, door de buurvrouw gezien"
YES_ALL = ["ja", "nee", "ja", "ja", "ja"]  # the path to lasting safety without a report


def client_of(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def world() -> dict[str, Any]:
    team = build_team()
    trajectory = services.start_trajectory(team["case"], actor=team["casus"])
    # Started yesterday: meetings and steps of today are after it whatever the hour.
    MeldcodeTrajectory.objects.filter(pk=trajectory.pk).update(
        started_at=timezone.now() - dt.timedelta(days=1)
    )
    trajectory.refresh_from_db()
    return {**team, "trajectory": trajectory}


def step(world: dict[str, Any], number: int, **kw: Any) -> MeldcodeStep:
    return services.record_step(
        world["trajectory"],
        actor=kw.pop("actor", world["casus"]),
        number=number,
        taken_on=kw.pop("taken_on", today()),
        note=kw.pop("note", f"Stap {number} gezet."),
        **kw,
    )


def answer_post(answers: list[str], **kw: str) -> dict[str, str]:
    data = {"answered_on": today().isoformat(), **kw}
    for n, a in enumerate(answers, start=1):
        if a:
            data[f"q{n}"] = a
    return data


def second_case(world: dict[str, Any]) -> Any:
    """Another running case of the house, with the world's partner on its team."""
    case = other_case(world["house"], status=Status.IN_UITVOERING)
    MembershipFactory(
        case=case,
        user=world["partner"],
        role=CaseRole.BETROKKEN_PARTNER,
        valid_from=today() - dt.timedelta(days=5),
    )
    return case


def begun_meeting(world: dict[str, Any], minutes_ago: int = 5) -> Meeting:
    return schedule(
        world,
        kind=Meeting.Kind.INCIDENTAL,
        starts_at=(timezone.now() - dt.timedelta(minutes=minutes_ago)).replace(microsecond=0),
        person_invited=True,
    )


# Steps.


def test_steps_in_order_with_date_who_and_note(world: dict[str, Any]) -> None:
    for n in (1, 2, 3):
        step(world, n, vt_consulted=(n == 2))
    step(world, 4, instrument=MeldcodeStep.Instrument.LIRIK)
    rows = list(world["trajectory"].steps.order_by("number"))
    assert [(s.number, s.taken_by, s.taken_on) for s in rows] == [
        (n, world["casus"], today()) for n in (1, 2, 3, 4)
    ]
    assert rows[1].vt_consulted and not rows[0].vt_consulted
    assert rows[3].instrument == "lirik" and all(not s.order_reason for s in rows)


def test_mapping_signals_records_safety_concerns_on_the_case(world: dict[str, Any]) -> None:
    """Step 1 makes the signals a recorded safety concern, so a client system's case then
    needs a safety plan (the one rule in `cases.safety`)."""
    from ketenregie.cases.models import Case, Household
    from ketenregie.cases.safety import safety_plan_required
    from ketenregie.tests_support.factories import in_household_variant

    case = Case.objects.get(pk=world["trajectory"].case_id)
    assert not case.safety_concerns
    step(world, 1)
    case.refresh_from_db()
    assert case.safety_concerns and "meldcode" in case.safety_concerns_note
    # Below level 3 only the concerns make the safety plan required.
    in_household_variant(case.house)
    case.household = Household.objects.create(name="Gezin")
    case.escalation_level = 2
    assert safety_plan_required(case)
    # Recorded once: a second step 1 leaves the case as it is.
    version = case.version
    step(world, 1)
    case.refresh_from_db()
    assert case.version == version


def test_a_step_out_of_order_needs_its_reason(world: dict[str, Any]) -> None:
    step(world, 1)
    with pytest.raises(ValidationError) as err:
        step(world, 4, instrument="arij")
    assert "order_reason" in err.value.error_dict
    assert "2, 3" in str(err.value.error_dict["order_reason"])
    done = step(world, 4, instrument="arij", order_reason="Gesprek brengt moeder in gevaar.")
    assert done.order_reason == "Gesprek brengt moeder in gevaar."


def test_step_four_names_the_instrument_and_step_five_rests_on_answers(
    world: dict[str, Any],
) -> None:
    for n in (1, 2, 3):
        step(world, n)
    with pytest.raises(ValidationError) as err:
        step(world, 4)
    assert "instrument" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        step(world, 4, instrument="ander_instrument")
    assert "instrument_other" in err.value.error_dict
    step(world, 4, instrument="ander_instrument", instrument_other="CARE-NL")
    with pytest.raises(ValidationError) as err:
        step(world, 5)
    assert "afwegingsvragen" in str(err.value)
    answers = services.record_answers(
        world["trajectory"],
        actor=world["casus"],
        answers=[True, True, False, None, None],
        notes=[""] * 5,
        answered_on=today(),
    )
    decided = step(world, 5)
    assert decided.answers == answers


def test_no_step_in_the_future_or_without_a_note(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        step(world, 1, taken_on=today() + dt.timedelta(days=1))
    assert "taken_on" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        step(world, 1, note="  ")
    assert "note" in err.value.error_dict


def test_step_page_keeps_input_and_says_why(world: dict[str, Any]) -> None:
    url = reverse("meldcode_step", args=[world["case"].pk])
    resp = client_of(world["partner"]).post(
        url, {"number": "3", "taken_on": today().isoformat(), "note": SECRET}
    )
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "Stap 1, 2 is nog niet gezet" in body and SECRET in body
    resp = client_of(world["partner"]).post(
        url, {"number": "1", "taken_on": "gisteren", "note": SECRET}
    )
    assert resp.status_code == 200 and SECRET in resp.content.decode()
    resp = client_of(world["partner"]).post(
        url, {"number": "1", "taken_on": today().isoformat(), "note": SECRET}
    )
    assert resp.status_code == 302
    # The note stays out of the permanent audit trail.
    assert not AuditEvent.objects.filter(data__icontains="buurvrouw").exists()
    assert AuditEvent.objects.filter(action="meldcode.step_recorded").exists()


def test_only_one_open_trajectory(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        services.start_trajectory(world["case"], actor=world["regisseur"])


# Decision questions: the page and its consequences.


def test_answers_page_computes_the_consequences(world: dict[str, Any]) -> None:
    url = reverse("meldcode_answers", args=[world["case"].pk])
    c = client_of(world["casus"])
    # Question 4 answered although 3 was no: refused, with the reason next to it.
    resp = c.post(url, answer_post(["ja", "nee", "nee", "ja", ""], note1=SECRET))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "komt deze vraag niet aan de orde" in body and SECRET in body
    resp = c.post(url, answer_post(["ja", "nee", "nee", "", ""]))
    assert resp.status_code == 302
    page = c.get(reverse("meldcode", args=[world["case"].pk])).content.decode()
    assert "Melden bij Veilig Thuis: ja" in page and "Hulpverlening mogelijk: nee" in page
    row = DecisionAnswers.objects.get()
    assert row.answer_tuple() == (True, False, False, None, None) and row.meeting is None


def test_acute_danger_shows_the_immediate_steps_first(world: dict[str, Any]) -> None:
    c = client_of(world["casus"])
    page = reverse("meldcode", args=[world["case"].pk])
    assert "0800-2000" not in c.get(page).content.decode()
    step(world, 1, acute_danger=True)
    body = c.get(page).content.decode()
    assert "112" in body and "Crisis Interventieteam GGZ" in body and "0800-2000" in body
    # First: before the steps, the questions and the reports.
    assert body.index("Acuut gevaar: neem eerst deze stappen") < body.index("De vijf stappen")
    world["trajectory"].refresh_from_db()
    resp = c.post(
        reverse("meldcode_acute", args=[world["case"].pk]),
        {"version": world["trajectory"].version, "acute": "nee"},
    )
    assert resp.status_code == 302
    assert "Crisis Interventieteam" not in c.get(page).content.decode()


# Repetition at progress meetings until lasting safety.


def test_questions_asked_at_each_meeting_until_lasting_safety(world: dict[str, Any]) -> None:
    case, casus, partner = world["case"], world["casus"], world["partner"]
    first = begun_meeting(world, minutes_ago=30)
    second = begun_meeting(world, minutes_ago=5)
    meeting_page = client_of(partner).get(reverse("meeting_detail", args=[first.pk]))
    body = meeting_page.content.decode()
    assert "Meldcode: afwegingsvragen" in body
    assert "Afweging 1. Heb ik een vermoeden van / is er sprake van huiselijk geweld?" in body
    # First meeting: help is offered but not yet lasting safety.
    resp = client_of(partner).post(
        reverse("meldcode_meeting", args=[case.pk, first.pk]),
        answer_post(["ja", "nee", "ja", "ja", "nee"]),
    )
    assert resp.status_code == 302 and resp["Location"].endswith(
        reverse("meeting_detail", args=[first.pk]) + "#meldcode"
    )
    # Lasting safety cannot be recorded on that answer set.
    trajectory = MeldcodeTrajectory.objects.get()
    with pytest.raises(ValidationError) as err:
        services.end_trajectory(
            trajectory,
            actor=casus,
            reason="duurzaam_veilig",
            ended_on=today(),
            note="",
            expected_version=trajectory.version,
        )
    assert "reason" in err.value.error_dict
    # Second meeting: asked again; now help leads to lasting safety.
    page = client_of(casus).get(reverse("meldcode", args=[case.pk])).content.decode()
    assert "nog niet beantwoord" in page  # the second meeting
    client_of(casus).post(
        reverse("meldcode_meeting", args=[case.pk, second.pk]), answer_post(YES_ALL)
    )
    assert list(
        DecisionAnswers.objects.order_by("recorded_at").values_list("meeting_id", flat=True)
    ) == [first.pk, second.pk]
    # The casusregisseur ends the trajectory: the repetition stops.
    resp = client_of(casus).post(
        reverse("meldcode_end", args=[case.pk]),
        {
            "version": trajectory.version,
            "reason": "duurzaam_veilig",
            "ended_on": today().isoformat(),
            "note": "Afspraken over signalen met school en huisarts.",
        },
    )
    assert resp.status_code == 302
    third = begun_meeting(world, minutes_ago=1)
    body = client_of(partner).get(reverse("meeting_detail", args=[third.pk])).content.decode()
    assert "niet meer herhaald" in body and 'name="q1"' not in body
    resp = client_of(partner).post(
        reverse("meldcode_meeting", args=[case.pk, third.pk]), answer_post(YES_ALL)
    )
    assert resp.status_code == 302 and DecisionAnswers.objects.count() == 2
    # The history of every answer set stays on the page.
    page = client_of(casus).get(reverse("meldcode", args=[case.pk])).content.decode()
    assert "Eerdere meldcodetrajecten" in page and "Duurzame veiligheid bereikt" in page


def test_not_at_a_meeting_that_has_not_begun_or_of_another_case(world: dict[str, Any]) -> None:
    later = schedule(world, kind=Meeting.Kind.INCIDENTAL, person_invited=True)
    with pytest.raises(ValidationError):
        services.record_answers(
            world["trajectory"],
            actor=world["casus"],
            answers=[False, None, None, None, None],
            notes=[""] * 5,
            answered_on=today(),
            meeting=later,
        )
    body = client_of(world["casus"]).get(reverse("meeting_detail", args=[later.pk])).content
    assert b"zodra het overleg is begonnen" in body
    foreign = begun_meeting({**world, "case": second_case(world)})
    resp = client_of(world["casus"]).get(
        reverse("meldcode_meeting", args=[world["case"].pk, foreign.pk])
    )
    assert resp.status_code == 404


# Reports to Veilig Thuis.


def report_data(**kw: str) -> dict[str, str]:
    return {
        "reported_on": today().isoformat(),
        "reference": "VT-2026-0815",
        "content": SECRET,
        "person_informed": "ja",
        **kw,
    }


def test_casusregisseur_reports_and_follow_up_is_tracked(world: dict[str, Any]) -> None:
    case = world["case"]
    url = reverse("meldcode_report", args=[case.pk])
    assert client_of(world["partner"]).post(url, report_data()).status_code == 403
    # The procesregisseur does not report while the case has a casusregisseur.
    assert client_of(world["regisseur"]).post(url, report_data()).status_code == 403
    resp = client_of(world["casus"]).post(url, report_data(person_informed="nee"))
    assert resp.status_code == 200 and "waarom de betrokkene niet" in resp.content.decode()
    assert client_of(world["casus"]).post(url, report_data()).status_code == 302
    report = VeiligThuisReport.objects.get()
    assert (report.reported_by, report.reference, report.status) == (
        world["casus"],
        "VT-2026-0815",
        "gemeld",
    )
    # The provision of data is in the register, on the meldrecht.
    row = SharingRecord.objects.get(kind=ExchangeKind.VEILIG_THUIS_REPORT)
    assert row.to_label == "Veilig Thuis" and row.basis_source == SharingRecord.Source.LAW
    assert "5.2.6" in row.legal_reference and row.secrecy_ground == "wettelijke_plicht"
    assert not AuditEvent.objects.filter(data__icontains="buurvrouw").exists()
    # Follow-up by either director, with dates in order.
    follow = reverse("meldcode_followup", args=[case.pk, report.pk])
    c = client_of(world["regisseur"])
    resp = c.post(
        follow,
        {
            "version": report.version,
            "status": "onderzoek",
            "on_date": (today() - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert resp.status_code == 200  # before the report: refused on the page
    for status in ("ontvangen", "onderzoek", "terugverwezen", "afgesloten"):
        report.refresh_from_db()
        resp = c.post(
            follow, {"version": report.version, "status": status, "on_date": today().isoformat()}
        )
        assert resp.status_code == 302, status
    report.refresh_from_db()
    assert report.status == "afgesloten"
    assert list(report.updates.values_list("status", flat=True)) == [
        "ontvangen",
        "onderzoek",
        "terugverwezen",
        "afgesloten",
    ]
    assert AuditEvent.objects.filter(action="meldcode.vt_followup").count() == 4
    assert client_of(world["partner"]).post(follow, {}).status_code == 403


def test_procesregisseur_reports_when_there_is_no_casusregisseur(world: dict[str, Any]) -> None:
    CaseMembership.objects.filter(case=world["case"], role=CaseRole.CASUSREGISSEUR).update(
        valid_to=today() - dt.timedelta(days=1)
    )
    resp = client_of(world["regisseur"]).post(
        reverse("meldcode_report", args=[world["case"].pk]), report_data()
    )
    assert resp.status_code == 302


# Access.


@pytest.mark.parametrize(
    ("who", "page", "record"),
    [
        ("regisseur", 200, 302),
        ("casus", 200, 302),
        ("partner", 200, 302),
        ("adviser", 403, 403),
        ("former", 404, 404),
        ("outsider", 404, 404),
        ("manager", 404, 404),
    ],
)
def test_who_sees_and_records(world: dict[str, Any], who: str, page: int, record: int) -> None:
    c = client_of(world[who])
    case = world["case"]
    assert c.get(reverse("meldcode", args=[case.pk])).status_code == page
    resp = c.post(
        reverse("meldcode_step", args=[case.pk]),
        {"number": "1", "taken_on": today().isoformat(), "note": "Signalen"},
    )
    assert resp.status_code == record


def test_adviser_sees_no_meldcode_on_the_meeting_page(world: dict[str, Any]) -> None:
    meeting = begun_meeting(world)
    meeting.participants.create(user=world["adviser"], reply="ja", capacity="adviseur")
    body = client_of(world["adviser"]).get(reverse("meeting_detail", args=[meeting.pk])).content
    assert b"Meldcode" not in body and b"Afweging 1" not in body


def test_no_writes_on_a_closed_case(world: dict[str, Any]) -> None:
    type(world["case"]).objects.filter(pk=world["case"].pk).update(status=Status.AFGESLOTEN)
    c = client_of(world["casus"])
    assert c.get(reverse("meldcode", args=[world["case"].pk])).status_code == 200
    resp = c.post(
        reverse("meldcode_step", args=[world["case"].pk]),
        {"number": "1", "taken_on": today().isoformat(), "note": "x"},
    )
    assert resp.status_code == 403


def test_start_from_the_case_page(world: dict[str, Any]) -> None:
    other = {"case": second_case(world), "partner": world["partner"]}
    c = client_of(other["partner"])
    detail = c.get(reverse("case_detail", args=[other["case"].pk])).content.decode()
    assert reverse("meldcode", args=[other["case"].pk]) in detail
    assert (
        "Meldcodetraject starten"
        in c.get(reverse("meldcode", args=[other["case"].pk])).content.decode()
    )
    resp = c.post(reverse("meldcode_start", args=[other["case"].pk]), {"acute_danger": "on"})
    assert resp.status_code == 302
    started = MeldcodeTrajectory.objects.get(case=other["case"])
    assert started.acute_danger and started.started_by == other["partner"]
