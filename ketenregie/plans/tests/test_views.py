"""The execution-phase pages through the real views: meeting to minutes, plan to PDF,
"Mijn acties", escalation, and the Dutch errors that keep what was typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.models import HousePartner
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.access import visible_cases
from ketenregie.cases.models import CaseMembership, CaseRole
from ketenregie.core.timeutil import today
from ketenregie.plans import services
from ketenregie.plans.models import (
    Action,
    CasusregisseurAgreement,
    DirectorEscalation,
    Goal,
    Meeting,
    Participant,
    Plan,
    PlanVersion,
    SafetyPlan,
)
from ketenregie.tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _schedule_past(team: dict[str, Any], *people: Any) -> Meeting:
    start = timezone.now() - dt.timedelta(hours=2)
    return services.schedule_meeting(
        actor=team["regisseur"],
        house=team["case"].house,
        case=team["case"],
        kind=Meeting.Kind.FIRST,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        location="",
        participants=people or [team["regisseur"], team["casus"]],
    )


def test_first_meeting_from_form_to_minutes(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    case = team["case"]
    regisseur = _client(team["regisseur"])
    # The form: a missing end time and no participants give Dutch errors and keep input.
    resp = regisseur.post(
        reverse("meeting_new", args=[case.pk]),
        {"kind": "eerste", "day": today().isoformat(), "start": "09:00", "location": "Kamer 4"},
    )
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "Dit veld is verplicht." in body and 'value="Kamer 4"' in body
    outsider = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    # Invitable: their organisation works with the house.
    HousePartner.objects.create(house=case.house, organisation=outsider.organisation)
    resp = regisseur.post(
        reverse("meeting_new", args=[case.pk]),
        {
            "kind": "eerste",
            "day": (today() + dt.timedelta(days=1)).isoformat(),
            "start": "09:00",
            "end": "09:30",
            "participants": [team["regisseur"].pk, team["casus"].pk, outsider.pk],
            "person_invited": "on",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    meeting = Meeting.objects.get(case=case)
    assert meeting.location == f"{case.house.name} (fysiek)"
    # The outsider is invited, not yet on the team: sees the meeting pseudonymised.
    guest = _client(outsider)
    page = guest.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert case.code in page and case.person.achternaam not in page
    resp = guest.post(
        reverse("meeting_reply", args=[meeting.pk]), {"answer": "ja", "capacity": "adviseur"}
    )
    assert resp.status_code == 302
    assert visible_cases(outsider).get(pk=case.pk).full_access is False
    assert guest.get(reverse("plan", args=[case.pk])).status_code == 403
    # The meeting's day comes (it has begun): attendance, minutes, send.
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - dt.timedelta(hours=1), ends_at=now - dt.timedelta(minutes=30)
    )
    meeting.refresh_from_db()
    resp = regisseur.post(
        reverse("meeting_attendance", args=[meeting.pk]),
        {"version": meeting.version, "present": [team["regisseur"].pk, outsider.pk]},
    )
    assert resp.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    resp = regisseur.post(
        reverse("meeting_minutes", args=[meeting.pk]),
        {"version": meeting.version, "minutes": "", "decisions": ""},
    )
    assert "Dit veld is verplicht." in resp.content.decode()
    resp = regisseur.post(
        reverse("meeting_minutes", args=[meeting.pk]),
        {"version": meeting.version, "minutes": "Besproken: huisvesting.", "decisions": "Plan."},
    )
    assert resp.status_code == 302
    resp = regisseur.post(reverse("meeting_send", args=[meeting.pk]))
    assert resp.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_sent_at is not None
    # The adviser does not see the minutes text.
    page = guest.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Besproken: huisvesting." not in page
    assert (
        "Besproken: huisvesting."
        in regisseur.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    )


def test_concurrent_minutes_edit_keeps_the_second_text(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    meeting = _schedule_past(team)
    services.record_attendance(
        meeting, actor=team["regisseur"], present=[], expected_version=meeting.version
    )
    meeting.refresh_from_db()
    stale = meeting.version
    services.save_minutes(
        meeting, actor=team["regisseur"], minutes="Eerste", decisions="x", expected_version=stale
    )
    resp = _client(team["regisseur"]).post(
        reverse("meeting_minutes", args=[meeting.pk]),
        {"version": stale, "minutes": "Mijn eigen tekst", "decisions": "y"},
    )
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "Iemand anders heeft dit gegeven opgeslagen" in body and "Mijn eigen tekst" in body
    meeting.refresh_from_db()
    assert meeting.minutes == "Eerste"


def test_plan_page_edit_adopt_diff_and_pdf(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    case = team["case"]
    casus = _client(team["casus"])
    page = casus.get(reverse("plan", args=[case.pk]))
    # Viewing writes nothing: the page says no plan was started and offers the button.
    assert page.status_code == 200 and not Plan.objects.filter(case=case).exists()
    assert "nog geen plan van aanpak gestart" in page.content.decode()
    assert "Plan van aanpak starten" in page.content.decode()
    assert casus.get(reverse("plan_pdf", args=[case.pk])).status_code == 404
    resp = casus.post(reverse("plan_start", args=[case.pk]))
    assert resp.status_code == 302 and resp["Location"] == reverse("plan", args=[case.pk])
    plan = Plan.objects.get(case=case)
    started = AuditEvent.objects.get(action="plan.created")
    assert started.actor_id == team["casus"].pk and started.case_id == case.pk
    resp = casus.post(
        reverse("plan_text", args=[case.pk]),
        {"version": plan.version, "joint_goal": "Stabiel wonen", "analysis": "Schulden en stress"},
    )
    assert resp.status_code == 302
    plan.refresh_from_db()
    domain = plan.domain_scores.select_related("domain").first()
    assert domain is not None
    resp = casus.post(
        reverse("plan_scores", args=[case.pk]),
        {
            "version": plan.version,
            f"score-{domain.domain_id}": "2",
            f"problem-{domain.domain_id}": "Huurachterstand",
        },
    )
    assert resp.status_code == 302
    casus.post(
        reverse("plan_goal", args=[case.pk]),
        {"text": "Huur betaald", "good_enough": "Drie maanden op tijd"},
    )
    casus.post(
        reverse("plan_statement", args=[case.pk]),
        {"kind": "kracht", "text": "Ik wil mijn kinderen zien", "said_by": "betrokkene"},
    )
    plan.refresh_from_db()
    assert (
        casus.post(reverse("plan_adopt", args=[case.pk]), {"version": plan.version}).status_code
        == 302
    )
    plan.refresh_from_db()
    casus.post(
        reverse("plan_scores", args=[case.pk]),
        {
            "version": plan.version,
            f"score-{domain.domain_id}": "4",
            f"problem-{domain.domain_id}": "Regeling loopt",
        },
    )
    goal = Goal.objects.get(plan=plan)
    casus.post(reverse("plan_goal_reached", args=[case.pk, goal.pk]), {"reached": "ja"})
    plan.refresh_from_db()
    casus.post(reverse("plan_adopt", args=[case.pk]), {"version": plan.version})
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2]
    diff_page = casus.get(reverse("plan_version", args=[case.pk, 2])).content.decode()
    assert f"Score {domain.domain.name}" in diff_page and "Regeling loopt" in diff_page
    plan_page = casus.get(reverse("plan", args=[case.pk])).content.decode()
    assert "kr-spark__line" in plan_page and "v1" in plan_page
    pdf = casus.get(reverse("plan_pdf", args=[case.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_plan_text_conflict_keeps_typed_text(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    case = team["case"]
    plan = services.plan_for(case)
    stale = plan.version
    services.save_plan_text(
        plan, actor=team["regisseur"], values={"joint_goal": "Van de ander"}, expected_version=stale
    )
    resp = _client(team["casus"]).post(
        reverse("plan_text", args=[case.pk]),
        {"version": stale, "joint_goal": "Mijn doeltekst", "analysis": "Mijn analyse"},
    )
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "Iemand anders heeft dit gegeven opgeslagen" in body
    assert "Mijn doeltekst" in body and "Mijn analyse" in body
    plan.refresh_from_db()
    assert plan.joint_goal == "Van de ander"


def test_bad_scores_keep_what_was_typed(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    case = team["case"]
    plan = services.plan_for(case)
    row = plan.domain_scores.first()
    assert row is not None
    resp = _client(team["casus"]).post(
        reverse("plan_scores", args=[case.pk]),
        {
            "version": plan.version,
            f"score-{row.domain_id}": "9",
            f"problem-{row.domain_id}": "Getypte tekst",
        },
    )
    body = resp.content.decode()
    assert "tussen 1 en 5" in body and "Getypte tekst" in body


def test_casusregisseur_agreement_by_procesregisseur(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    case = team["case"]
    other = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    CaseMembership.objects.create(
        case=case,
        user=other,
        organisation=other.organisation,
        role=CaseRole.BETROKKEN_PARTNER,
        valid_from=today() - dt.timedelta(days=3),
    )
    services.plan_for(case, actor=team["regisseur"])
    resp = _client(team["regisseur"]).post(
        reverse("plan_casusregisseur", args=[case.pk]),
        {"casusregisseur": other.pk, "agreed_by": [team["regisseur"].pk, other.pk]},
    )
    assert resp.status_code == 302
    agreement = CasusregisseurAgreement.objects.get(case=case)
    assert set(agreement.agreed_by.values_list("pk", flat=True)) == {team["regisseur"].pk, other.pk}
    holders = CaseMembership.objects.filter(
        case=case, role=CaseRole.CASUSREGISSEUR, valid_to__isnull=True
    ).values_list("user_id", flat=True)
    assert list(holders) == [other.pk]
    # The former casusregisseur lost access with the handover; the new one directs the
    # plan but does not appoint: that is the procesregisseur's.
    url = reverse("plan_casusregisseur", args=[case.pk])
    assert _client(team["casus"]).post(url, {}).status_code == 404
    assert _client(other).post(url, {}).status_code == 403
    assert _client(other).get(reverse("plan", args=[case.pk])).status_code == 200


def test_my_actions_report_and_signal(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    case = team["case"]
    worker = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=team["org"])
    CaseMembership.objects.create(
        case=case,
        user=None,
        organisation=team["org"],
        role=CaseRole.BETROKKEN_PARTNER,
        valid_from=today() - dt.timedelta(days=3),
    )
    mine = services.add_action(
        case,
        actor=team["regisseur"],
        what="Huisbezoek plannen",
        owner_user=None,
        owner_organisation=team["org"],
        due_date=today() - dt.timedelta(days=1),
    )
    client = _client(worker)
    page = client.get(reverse("my_actions")).content.decode()
    assert "Huisbezoek plannen" in page and "te laat" in page
    resp = client.post(reverse("action_report", args=[mine.pk]), {"kind": "niet_uitvoerbaar"})
    assert (
        resp.status_code == 200
        and "Geef de reden waarom de actie niet kan." in resp.content.decode()
    )
    resp = client.post(
        reverse("action_report", args=[mine.pk]),
        {"kind": "niet_uitvoerbaar", "text": "Betrokkene verhuisd"},
    )
    assert resp.status_code == 302
    mine.refresh_from_db()
    assert mine.state == Action.State.IMPOSSIBLE
    assert case.signals.filter(kind="actie_onuitvoerbaar").exists()
    # Someone else's action is not reportable.
    stranger = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    assert _client(stranger).post(reverse("action_report", args=[mine.pk]), {}).status_code == 404


def test_escalation_reaches_timeline_and_manager(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    case = team["case"]
    resp = _client(team["casus"]).post(
        reverse("director_escalate", args=[case.pk]),
        {"to": "procesregisseur", "reason": "Partner levert niet"},
    )
    assert resp.status_code == 302
    detail = _client(team["regisseur"]).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Opgeschaald naar procesregisseur" in detail and "Partner levert niet" in detail
    manager = UserFactory(roles=[(Role.MANAGER, case.house)])
    resp = _client(team["regisseur"]).post(
        reverse("director_escalate", args=[case.pk]),
        {"to": "manager", "reason": "Geen woning beschikbaar"},
    )
    assert resp.status_code == 302
    dash = _client(manager).get(reverse("dashboard")).content.decode()
    assert "Geen woning beschikbaar" in dash and case.code in dash
    record = DirectorEscalation.objects.get(to="manager")
    _client(manager).post(reverse("escalation_handle", args=[record.pk]), {"note": "Opgepakt"})
    record.refresh_from_db()
    assert record.handled_by == manager


def test_late_minutes_on_dashboards(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    meeting = _schedule_past(team)
    services.record_attendance(
        meeting, actor=team["regisseur"], present=[], expected_version=meeting.version
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(days=9))
    manager = UserFactory(roles=[(Role.MANAGER, team["case"].house)])
    assert (
        "Verslagen niet binnen een week"
        in _client(team["regisseur"]).get(reverse("dashboard")).content.decode()
    )
    assert "Verslagen te laat (1)" in _client(manager).get(reverse("dashboard")).content.decode()
    page = _client(team["regisseur"]).get(reverse("meetings")).content.decode()
    assert "Verslag te laat" in page


def test_safety_plan_page_and_pdf(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    case = team["case"]
    client = _client(team["regisseur"])
    page = client.get(reverse("safety_plan", args=[case.pk]))
    assert page.status_code == 200 and not SafetyPlan.objects.filter(case=case).exists()
    assert "Veiligheidsplan starten" in page.content.decode()
    # Without a started safety plan a form post changes nothing and says why.
    resp = client.post(
        reverse("safety_score", args=[case.pk]),
        {"who": "betrokkene", "score": "3", "on_date": today().isoformat()},
        follow=True,
    )
    assert "Start eerst het veiligheidsplan." in resp.content.decode()
    assert client.post(reverse("safety_start", args=[case.pk])).status_code == 302
    started = AuditEvent.objects.get(action="safety.created")
    assert started.actor_id == team["regisseur"].pk
    resp = client.post(
        reverse("safety_score", args=[case.pk]),
        {"who": "betrokkene", "score": "11", "on_date": today().isoformat()},
    )
    assert resp.status_code == 200 and "betrokkene" in resp.content.decode()
    client.post(
        reverse("safety_score", args=[case.pk]),
        {"who": "betrokkene", "score": "3", "on_date": today().isoformat()},
    )
    client.post(
        reverse("safety_agreement", args=[case.pk]),
        {"what": "Geen contact met ex", "who_checks": "wijkagent", "if_not_kept": "Melding OM"},
    )
    pdf = client.get(reverse("safety_pdf", args=[case.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_monitoring_meeting_pseudonymises_cases_of_others(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    house = team["case"].house
    director = team["regisseur"]
    guest = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    HousePartner.objects.create(house=house, organisation=guest.organisation)
    resp = _client(director).post(
        reverse("monitoring_new"),
        {
            "huis": house.pk,
            "kind": "monitoring",
            "day": (today() + dt.timedelta(days=2)).isoformat(),
            "start": "13:00",
            "end": "15:00",
            "participants": [director.pk, guest.pk],
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:3000]
    meeting = Meeting.objects.get(kind="monitoring")
    assert meeting.items.filter(case=team["case"]).exists()
    page = _client(guest).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert team["case"].code in page and team["case"].person.achternaam not in page
    page = _client(director).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert team["case"].person.achternaam in page
    assert Participant.objects.filter(meeting=meeting).count() == 2


def test_a_failing_pdf_gives_a_message_and_keeps_everything(
    case_with_team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketenregie.audit.models import AuditEvent
    from ketenregie.plans import pdf

    team = case_with_team
    case = team["case"]

    def broken(_case: Any) -> bytes:
        raise OSError("lettertype ontbreekt")

    monkeypatch.setattr(pdf, "plan_pdf", broken)
    services.plan_for(case, actor=team["regisseur"])
    client = _client(team["regisseur"])
    resp = client.get(reverse("plan_pdf", args=[case.pk]), follow=True)
    assert resp.redirect_chain[-1][0] == reverse("plan", args=[case.pk])
    assert "De PDF kon niet worden gemaakt" in resp.content.decode()
    assert not AuditEvent.objects.filter(action="plan.pdf_downloaded").exists()


def test_manager_sees_overdue_actions_per_house(case_with_team: dict[str, Any]) -> None:
    team = case_with_team
    case = team["case"]
    services.add_action(
        case,
        actor=team["regisseur"],
        what="Huisbezoek",
        owner_user=team["casus"],
        owner_organisation=None,
        due_date=today() - dt.timedelta(days=2),
    )
    manager = UserFactory(roles=[(Role.MANAGER, case.house)])
    page = _client(manager).get(reverse("dashboard")).content.decode()
    assert f"{case.house.name}: 1 actie over de datum" in page
    # The manager sees counts, not the action or the person.
    assert "Huisbezoek" not in page and case.person.achternaam not in page


def test_directors_see_open_signals_and_only_their_escalation_step(
    case_with_team: dict[str, Any],
) -> None:
    from ketenregie.pga import services as pga_services

    team = case_with_team
    case = team["case"]
    pga_services.raise_signal(case, actor=team["casus"], kind="acute_onveiligheid", text="Dreiging")
    dash = _client(team["regisseur"]).get(reverse("dashboard")).content.decode()
    assert "Open signalen in mijn casussen" in dash and "Acute onveiligheid" in dash
    page = _client(team["casus"]).get(reverse("director_escalate", args=[case.pk])).content.decode()
    assert 'value="procesregisseur"' in page and 'value="manager"' not in page
    page = _client(team["regisseur"]).get(reverse("director_escalate", args=[case.pk]))
    assert 'value="manager"' in page.content.decode()


def test_declining_an_invitation_needs_no_capacity(team: dict[str, Any]) -> None:
    """Issue 12: "Nee" was refused until the invitee chose betrokken or adviseur. Who
    declines declares nothing (and an earlier "betrokken" no longer awaits admission);
    who comes still declares."""
    from ketenregie.plans.tests.conftest import schedule

    guest = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    meeting = schedule(team, participants=[team["regisseur"], guest])
    c = _client(guest)
    url = reverse("meeting_reply", args=[meeting.pk])
    page = c.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Alleen nodig als u komt." in page
    refused = c.post(url, {"answer": "ja"}).content.decode()
    assert "Verklaar of u betrokken bent" in refused
    assert c.post(url, {"answer": "ja", "capacity": "betrokken"}).status_code == 302
    resp = c.post(url, {"answer": "nee"})
    assert resp.status_code == 302
    participant = Participant.objects.get(meeting=meeting, user=guest)
    assert (participant.reply, participant.capacity) == ("nee", "")
    page = c.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "U heeft geantwoord: komt niet." in page
    regisseur = _client(team["regisseur"]).get(reverse("meeting_detail", args=[meeting.pk]))
    html = regisseur.content.decode()
    row = html[html.index(guest.get_full_name()) :]
    row = row[: row.index("</tr>")]
    assert "Opnemen in casusteam" not in html and "Komt niet" in row
    assert "Nog niet verklaard" not in row
