"""One case walked through the whole execution phase with every plans service.

Every free text typed along the way carries SECRET, so a test can prove that none of it
leaks into the audit trail or an e-mail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import Case, LifeDomain
from ketenregie.cases.safety import set_safety_concerns
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.plans import services
from ketenregie.plans.models import Meeting, Participant
from ketenregie.plans.tests.conftest import other_case, schedule
from ketenregie.tests_support.factories import UserFactory

SECRET = "Vertrouwelijkq"
DAY = dt.timedelta(days=1)


def secret(what: str) -> str:
    return f"{SECRET} {what}"


def run_full_flow(team: dict[str, Any]) -> dict[str, Any]:
    regisseur, casus, partner = team["regisseur"], team["casus"], team["partner"]
    case = team["case"]
    adviser = UserFactory(roles=[(Role.PROFESSIONAL, None)], email="nieuw-adviseur@example.invalid")
    involved = UserFactory(
        roles=[(Role.PROFESSIONAL, None)], email="nieuw-betrokken@example.invalid"
    )
    late = UserFactory(roles=[(Role.PROFESSIONAL, None)], email="laat@example.invalid")

    # The first meeting: invitations, replies, attendance, minutes.
    start = (timezone.now() - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    meeting = schedule(
        team,
        starts_at=start,
        participants=[regisseur, casus, partner, adviser, involved],
        location="Zorg- en Veiligheidshuis, zaal 2",
    )
    services.add_participant(meeting, actor=regisseur, user=late)
    for user, capacity in ((adviser, "adviseur"), (involved, "betrokken"), (casus, "betrokken")):
        participant = Participant.objects.get(meeting=meeting, user=user)
        services.reply(participant, actor=user, answer="ja", capacity=capacity)
    meeting = services.record_attendance(
        meeting,
        actor=regisseur,
        present=[regisseur.pk, casus.pk, adviser.pk],
        expected_version=meeting.version,
    )

    # The plan.
    plan = services.plan_for(case)
    plan = services.save_plan_text(
        plan,
        actor=regisseur,
        values={
            "joint_goal": secret("gezamenlijk doel"),
            "earlier_help": secret("eerdere hulp"),
            "analysis": secret("analyse"),
            "desired_result": secret("gewenst resultaat"),
            "reason": secret("aanleiding"),
            "summary": secret("samenvatting"),
            "residence_checked": True,
            "residence_checked_by": secret("woonplaats door"),
            "identity_checked": True,
            "identity_checked_by": secret("legitimatie door"),
        },
        expected_version=plan.version,
    )
    finance = LifeDomain.objects.get(name="Financiën")
    plan = services.save_domain_scores(
        plan,
        actor=regisseur,
        scores={finance.pk: (2, secret("schulden"))},
        expected_version=plan.version,
    )
    services.add_statement(
        plan, actor=casus, kind="zorg", text=secret("uitspraak"), said_by=secret("zus")
    )
    set_safety_concerns(
        case,
        actor=regisseur,
        concerns=True,
        note=secret("zorgen veiligheid"),
        expected_version=Case.objects.get(pk=case.pk).version,
    )
    goal = services.add_goal(
        plan,
        actor=regisseur,
        text=secret("doel"),
        good_enough=secret("goed genoeg"),
        checks=["check_positive", "check_agreed"],
        needed=secret("nodig"),
        own_part=secret("zelf"),
        network_part=secret("netwerk"),
    )
    plan.refresh_from_db()
    services.save_signatures(
        plan,
        actor=regisseur,
        values={
            "client_signed_by": secret("klant tekent"),
            "client_signed_on": today(),
            "client_signed_how": "digitaal",
            "professional_signed_by": secret("professional tekent"),
            "professional_signed_on": today(),
            "professional_signed_how": "papier",
        },
        expected_version=plan.version,
    )
    services.set_goal_reached(goal, actor=regisseur, reached="nee")
    for_partner = services.add_action(
        case,
        actor=regisseur,
        what=secret("actie partner"),
        owner_user=partner,
        owner_organisation=None,
        due_date=today() + 7 * DAY,
        meeting=meeting,
        goal=goal,
    )
    overdue = services.add_action(
        case,
        actor=regisseur,
        what=secret("actie over de datum"),
        owner_user=None,
        owner_organisation=team["org"],
        due_date=today() - 3 * DAY,
    )
    plan.refresh_from_db()
    services.adopt_plan(plan, actor=regisseur, expected_version=plan.version, meeting=meeting)
    meeting = services.save_minutes(
        meeting,
        actor=regisseur,
        minutes=secret("verslag"),
        decisions=secret("besluiten"),
        expected_version=meeting.version,
    )
    services.send_minutes(meeting, actor=regisseur)

    # Monitoring: reports, a signal, the safety plan, reminders.
    services.report_on_action(for_partner, actor=partner, kind="terugmelding", text=secret("loopt"))
    services.report_on_action(
        for_partner, actor=partner, kind="niet_uitvoerbaar", text=secret("kan niet")
    )
    services.report_on_action(overdue, actor=casus, kind="verandering", text=secret("verhuisd"))
    safety = services.safety_plan_for(case)
    services.save_safety_plan(
        safety,
        actor=regisseur,
        values={
            "strengths": secret("krachten"),
            "concerns": secret("zorgen"),
            "worst_case": secret("ergste"),
            "complicating_factors": secret("factoren"),
            "evaluation_date": today() + 30 * DAY,
            "check_end_unsafety": True,
            "conditions": secret("voorwaarden"),
            "first_incident_on": today() - 90 * DAY,
            "first_incident": secret("eerste"),
            "worst_incident_on": today() - 30 * DAY,
            "worst_incident": secret("ergste incident"),
            "last_incident_on": today() - 2 * DAY,
            "last_incident": secret("laatste"),
            "frequency": secret("frequentie"),
            "harm": secret("schade"),
        },
        expected_version=safety.version,
        contacts=[
            {
                "name": secret("contactpersoon"),
                "role": secret("rol"),
                "phone": "06-12345678",
                "email": "zus@example.invalid",
                "when_to_call": secret("wanneer bellen"),
            }
        ],
    )
    safety.refresh_from_db()
    services.save_signatures(
        safety,
        actor=regisseur,
        values={
            "client_signed_by": secret("ondertekend door"),
            "client_signed_on": today(),
            "client_signed_how": "papier",
            "professional_signed_by": secret("professional"),
            "professional_signed_on": today(),
            "professional_signed_how": "papier",
        },
        expected_version=safety.version,
    )
    services.add_safety_agreement(
        safety,
        actor=regisseur,
        what=secret("afspraak"),
        who_checks=secret("controleur"),
        if_not_kept=secret("anders"),
        who=secret("wie"),
        when=secret("wanneer"),
        needed=secret("wat nodig"),
    )
    services.add_safety_score(
        case, actor=casus, who=secret("moeder"), score=4, on_date=today(), note=secret("noot")
    )
    reminders = services.send_reminders(today())

    # Escalation up the line, and handling it.
    up = services.escalate(case, actor=casus, to="procesregisseur", reason=secret("reden cr"))
    services.handle_escalation(up, actor=regisseur, note=secret("afhandeling"))
    services.escalate(case, actor=regisseur, to="manager", reason=secret("reden pr"))

    # An incidental meeting without the person (weighty reasons), then cancelled.
    incidental = schedule(
        team,
        kind=Meeting.Kind.INCIDENTAL,
        person_invited=False,
        person_not_invited_reason=secret("zwaarwegend"),
    )
    services.cancel_meeting(incidental, actor=regisseur, expected_version=incidental.version)

    # The structural monitoring meeting with a note per case.
    other_case(team["house"], status=Status.IN_UITVOERING)
    monitoring = schedule(
        team,
        kind=Meeting.Kind.MONITORING,
        starts_at=start,
        participants=[regisseur, partner],
    )
    monitoring = services.record_attendance(
        monitoring, actor=regisseur, present=[regisseur.pk], expected_version=monitoring.version
    )
    monitoring = services.save_minutes(
        monitoring,
        actor=regisseur,
        minutes=secret("monitoring"),
        decisions="",
        expected_version=monitoring.version,
        notes={i.pk: secret("stand") for i in monitoring.items.all()},
    )
    services.send_minutes(monitoring, actor=regisseur)

    # Finally the participants agree a new casusregisseur.
    services.agree_casusregisseur(
        case, actor=regisseur, casusregisseur=partner, agreed_by=[regisseur, casus], meeting=meeting
    )
    return {"meeting": meeting, "reminders": reminders, "adviser": adviser, "involved": involved}
