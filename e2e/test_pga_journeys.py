"""Browser journeys 4 to 8 (../shared/JOURNEYS.md): start the PGA, hold the first case
meeting and make the plan, monitor, hand over a role, close or escalate."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from pathlib import Path
from typing import Any, Literal

import pytest
import time_machine
from django.core import mail
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from e2e.conftest import assert_accessible, fill_necessity, log_in, shot, totp_code
from ketenregie.accounts.access import active_case_workers
from ketenregie.accounts.models import House, Organisation, User
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases import services as case_services
from ketenregie.cases.access import active_memberships, get_case_for, handover_successors
from ketenregie.cases.defaults import ensure_life_domains
from ketenregie.cases.models import (
    Case,
    CaseMembership,
    CaseRole,
    EscalationCriterion,
    LifeDomain,
)
from ketenregie.cases.workflow import Status
from ketenregie.intake.models import Invitee, Referral
from ketenregie.pga import services as pga_services
from ketenregie.pga.models import (
    Closing,
    ClosingConversation,
    Informing,
    Signal,
    StartConversation,
    Transfer,
)
from ketenregie.plans import queries as plan_queries
from ketenregie.plans import services as plan_services
from ketenregie.plans.forms import case_workers
from ketenregie.plans.models import (
    Action,
    DirectorEscalation,
    Meeting,
    PlanVersion,
    SafetyScore,
)

# ------------------------------------------------------------------ helpers


@pytest.fixture(autouse=True)
def _life_domains(transactional_db: None) -> None:
    # A flush after an earlier transactional test removes migration-seeded rows.
    ensure_life_domains()


def _user(username: str) -> User:
    return User.objects.select_related("organisation").get(username=username)


def _label(user: User) -> str:
    """How forms of the execution phase name a person: name and organisation."""
    return f"{user.get_full_name()} ({user.organisation})"


def _today() -> dt.date:
    return timezone.localdate()


def _directed(username: str, status: Status, house: str | None = None) -> list[Case]:
    """Cases in `status` where `username` is the active procesregisseur, oldest first."""
    ids = (
        active_memberships(_user(username))
        .filter(role=CaseRole.PROCESREGISSEUR, user__username=username)
        .values("case_id")
    )
    qs = Case.objects.filter(pk__in=ids, status=status).select_related("person", "house")
    if house:
        qs = qs.filter(house__code=house)
    return list(qs.order_by("pk"))


def _has_holder(case: Case, role: CaseRole) -> bool:
    """Whether someone holds the role today (a case waiting for its first meeting has
    no casusregisseur yet)."""
    day = _today()
    return (
        CaseMembership.objects.active_on(day)
        .filter(case=case, role=role, user__isnull=False)
        .exists()
    )


def _holder(case: Case, role: CaseRole) -> CaseMembership:
    """The active personal holder of a role on the case."""
    day = _today()
    membership = (
        CaseMembership.objects.active_on(day)
        .filter(case=case, role=role, user__isnull=False)
        .select_related("user", "user__organisation")
        .first()
    )
    assert membership is not None, (case.code, role)
    return membership


def _on_case(user: User, case: Case) -> bool:
    return active_memberships(user).filter(case_id=case.pk).exists()


def _team_user_ids(case: Case) -> Any:
    """Users on the case's active team, personally."""
    day = _today()
    return (
        CaseMembership.objects.active_on(day)
        .filter(case=case, user__isnull=False)
        .values("user_id")
    )


def _into_execution(case: Case, actor: User) -> Case:
    """Journey 4 through the services: informed, start conversation held, in uitvoering."""
    pga_services.record_informing(
        case,
        actor=actor,
        kind=Informing.Kind.INFORMED,
        on_date=_today(),
        by_whom="De wijkagent, namens de burgemeester",
        method=Informing.Method.LETTER_IN_PERSON,
    )
    pga_services.record_start_conversation(
        case,
        actor=actor,
        values={
            "outcome": StartConversation.Outcome.HELD,
            "on_date": _today(),
            "own_view": "Wil vooral van de schulden af.",
            "attempts": 1,
        },
    )
    return pga_services.start_execution(case, actor=actor)


def _log_in_once_per_code(page: Page, base: str, username: str, used: set[str]) -> None:
    """Log in, waiting for a fresh TOTP code if this user already used the current one:
    allauth refuses a code a second time (replay protection)."""
    while f"{username}:{totp_code(username)}" in used:
        time.sleep(0.5)
    used.add(f"{username}:{totp_code(username)}")
    log_in(page, base, username)
    used.add(f"{username}:{totp_code(username)}")  # the code log_in used is one of these two


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()


def _message(page: Page, text: str) -> None:
    expect(page.locator(".kr-messages")).to_contain_text(text)


def _form(page: Page, button: str) -> Locator:
    """The form that holds the submit button with this exact name."""
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def _open(scope: Page | Locator, summary: str) -> None:
    """Open a <details> by its summary text."""
    scope.locator("summary", has_text=summary).first.click()


def _download_pdf(page: Page, link: str, role: Literal["link", "button"] = "link") -> bytes:
    with page.expect_download() as info:
        page.get_by_role(role, name=link).click()
    path = info.value.path()
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF"), data[:20]
    return data


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _main_text(page: Page) -> str:
    return page.locator("main").inner_text()


# ------------------------------------------------------------------ journey 4


def test_journey_4_procesregisseur_starts_the_pga(page: Page, demo: Any) -> None:
    base = demo.url
    from ketenregie.pga.models import Informing, StartConversation

    # A case where nothing of the start is recorded yet (the demo has others, part-way).
    case = next(
        c
        for c in _directed("pr.parkstad", Status.PGA_GESTART)
        + _directed("pr2.parkstad", Status.PGA_GESTART)
        + _directed("pr.maastricht", Status.PGA_GESTART)
        if not Informing.objects.filter(case=c).exists()
        and not StartConversation.objects.filter(case=c).exists()
    )
    holder = _holder(case, CaseRole.PROCESREGISSEUR).user
    assert holder is not None
    director = holder.username
    review = _today() + dt.timedelta(days=14)

    log_in(page, base, director)
    page.goto(f"{base}/casussen/{case.pk}/")
    expect(page.locator(".kr-page-head")).to_contain_text(str(Status.PGA_GESTART.label))
    # What the referral said is one click away: reason, problems, bekendheidscheck.
    page.get_by_role("link", name="Aanmelding bekijken").click()
    expect(page.get_by_role("heading", name="Aanleiding")).to_be_visible()
    expect(page.get_by_role("heading", name="Problemen per leefgebied")).to_be_visible()
    expect(page.get_by_role("heading", name="Bekendheidscheck")).to_be_visible()
    assert_accessible(page)
    shot(page, "j4-00-referral-from-case")
    page.get_by_role("link", name=f"Casus {case.code}").click()
    page.get_by_role("link", name="Start PGA en informeren").click()
    expect(page.get_by_role("heading", name="Start PGA en informeren")).to_be_visible()
    expect(page.get_by_text(case.person.full_name)).to_be_visible()
    assert_accessible(page)
    shot(page, "j4-01-start-page")

    # Too early: neither informing nor the start conversation is recorded.
    page.get_by_role("button", name="PGA in uitvoering nemen").click()
    _message(page, "Leg eerst vast hoe de betrokkene is geïnformeerd, of waarom dat wacht.")
    _message(page, "Leg eerst het startgesprek vast, of dat er geen reactie kwam.")
    shot(page, "j4-02-too-early")

    # Informing is first postponed, with a reason and a review date.
    informing = _form(page, "Informeren vastleggen")
    informing.get_by_label("Informeren uitgesteld").check()
    informing.get_by_label("Reden van uitstel").fill("Eerst afstemmen met de wijkagent.")
    informing.get_by_role("button", name="Informeren vastleggen").click()
    expect(
        page.get_by_text("Kies de datum waarop het uitstel wordt herbeoordeeld.")
    ).to_be_visible()
    informing = _form(page, "Informeren vastleggen")
    expect(informing.get_by_label("Reden van uitstel")).to_have_value(
        "Eerst afstemmen met de wijkagent."
    )
    informing.get_by_label("Uitstel herbeoordelen op").fill(review.isoformat())
    informing.get_by_role("button", name="Informeren vastleggen").click()
    _message(page, "Vastgelegd.")
    expect(page.locator("section", has_text="Informeren").first).to_contain_text(
        "uitgesteld Eerst afstemmen met de wijkagent; herbeoordelen op"
    )

    # Then the wijkagent hands over the mayor's letter in person.
    informing = _form(page, "Informeren vastleggen")
    informing.get_by_label("Geïnformeerd", exact=True).check()
    informing.get_by_label("Door wie").fill("Wijkagent Tom Vrancken, namens de burgemeester")
    informing.get_by_label("Hoe", exact=True).select_option(Informing.Method.LETTER_IN_PERSON)
    informing.get_by_role("button", name="Informeren vastleggen").click()
    _message(page, "Vastgelegd.")
    expect(page.get_by_text("door Wijkagent Tom Vrancken, namens de burgemeester")).to_be_visible()
    shot(page, "j4-03-informed")

    # The information letter is a PDF with the person's name and the case code; taking
    # it out is a step of informing the person, so a button (POST), not a link.
    # A real letter (issue 12): the procesregisseur adds the start conversation's date,
    # time and place and a contact person; the house's template gives the municipality,
    # the signatory, the privacy contact and the complaint route.
    letter_form = _form(page, "Informatiebrief (PDF)")
    expect(letter_form.get_by_label("Contactpersoon")).not_to_have_value("")
    when = timezone.localdate() + dt.timedelta(days=5)
    letter_form.get_by_label("Datum startgesprek").fill(when.isoformat())
    letter_form.get_by_label("Tijd startgesprek").fill("10:30")
    letter_form.get_by_label("Plaats startgesprek").fill("Zorg- en Veiligheidshuis, spreekkamer 2")
    shot(page, "j4-03b-letter-form")
    letter = _download_pdf(page, "Informatiebrief (PDF)", role="button")
    text = " ".join(_pdf_text(letter).split())
    assert case.code in text
    assert case.person.achternaam in text
    for expected in ("Gemeente ", "Burgemeester van ", "Zorg- en Veiligheidshuis, spreekkamer 2"):
        assert expected in text, expected
    assert "om 10:30 uur" in text and "functionaris gegevensbescherming" in text
    assert "Nationale ombudsman" in text

    # Going ahead without a response needs repeated invitations.
    conversation = _form(page, "Startgesprek vastleggen")
    conversation.get_by_label("Geen reactie na herhaalde uitnodiging").check()
    conversation.get_by_role("button", name="Startgesprek vastleggen").click()
    expect(
        page.get_by_text("Verder gaan zonder reactie vraagt herhaalde uitnodigingen.")
    ).to_be_visible()
    shot(page, "j4-04-no-response-error")

    # The start conversation took place.
    conversation = _form(page, "Startgesprek vastleggen")
    conversation.get_by_label("Startgesprek gevoerd").check()
    for label in (
        "Uitgelegd: waarom de PGA",
        "Uitgelegd: wat de PGA betekent",
        "Uitgelegd: welke gegevens worden gedeeld",
        "Uitgelegd: zijn of haar rechten",
    ):
        conversation.get_by_label(label).check()
    own_view = "Wil van de schulden af en wil dat de buren ophouden met klagen."
    conversation.get_by_label("Eigen kijk van de betrokkene").fill(own_view)
    conversation.get_by_role("button", name="Startgesprek vastleggen").click()
    _message(page, "Startgesprek vastgelegd.")
    expect(page.get_by_text(f"Eigen kijk: {own_view}")).to_be_visible()
    assert_accessible(page)
    shot(page, "j4-05-ready")

    page.get_by_role("button", name="PGA in uitvoering nemen").click()
    _message(page, "De PGA is in uitvoering: plan en casusoverleggen.")
    expect(page.get_by_role("heading", name=f"Casus {case.code}")).to_be_visible()
    expect(page.locator(".kr-page-head")).to_contain_text(str(Status.IN_UITVOERING.label))
    expect(page.get_by_role("link", name="Casusoverleg plannen")).to_be_visible()
    timeline = page.locator("#timeline")
    for title in (
        "Informeren betrokkene vastgelegd",
        "Informatiebrief gedownload",
        "Startgesprek vastgelegd",
        f"Status: {str(Status.PGA_GESTART.label)} → {str(Status.IN_UITVOERING.label)}",
    ):
        expect(timeline.get_by_text(title).first).to_be_visible()
    shot(page, "j4-06-in-uitvoering")

    case.refresh_from_db()
    assert case.status == Status.IN_UITVOERING
    kinds = list(Informing.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == [Informing.Kind.POSTPONED, Informing.Kind.INFORMED]
    assert StartConversation.objects.get(case=case).own_view == own_view


# ------------------------------------------------------------------ journey 5


def test_journey_5_first_case_meeting_and_integrated_plan(
    page: Page, demo: Any, request: pytest.FixtureRequest
) -> None:
    base = demo.url
    regisseur = _user("pr.parkstad")
    adviser = _user("ggz.psychiater")
    case = next(
        c
        for c in _directed("pr.parkstad", Status.PGA_GESTART)
        if not CaseMembership.objects.filter(
            Q(user=adviser) | Q(user__isnull=True, organisation=adviser.organisation), case=c
        ).exists()
    )
    case = _into_execution(case, regisseur)
    team = list(case_workers().filter(pk__in=_team_user_ids(case)))
    # The casusregisseur agreed at the meeting: a partner professional on the team.
    new_casus = next(
        u
        for u in team
        if u.pk != regisseur.pk
        and u.role_assignments.filter(role=Role.PROFESSIONAL).exists()
        and u.pk != _holder(case, CaseRole.CASUSREGISSEUR).user_id
    )
    domains = list(LifeDomain.objects.filter(is_active=True).order_by("pk"))
    used: set[str] = set()
    # What the triage decided (journey 3): a fixed partner and an incidental one, justified.
    police = Organisation.objects.get(name="Politie, eenheid Limburg")
    housing = Organisation.objects.get(name="Woningcorporatie Zuid (demo)")
    Invitee.objects.filter(case=case).delete()
    Invitee.objects.create(
        case=case, organisation=police, justification=Invitee.Justification.FIXED
    )
    Invitee.objects.create(
        case=case,
        organisation=housing,
        incidental=True,
        justification=Invitee.Justification.EXPERTISE,
        explanation="Huurachterstand en dreigende ontruiming.",
    )
    triage_invited = list(
        case_workers().filter(
            organisation__in=[police, housing], pk__in=active_case_workers().values("pk")
        )
    )
    assert triage_invited

    # --- The procesregisseur plans the first case meeting: the team and the triage's
    # invitees are ticked; the house's other partners are offered per organisation.
    _log_in_once_per_code(page, base, "pr.parkstad", used)
    page.goto(f"{base}/casussen/{case.pk}/")
    page.get_by_role("link", name="Casusoverleg plannen").click()
    expect(page.get_by_role("heading", name="Casusoverleg plannen")).to_be_visible()
    invited = page.locator("section").filter(
        has=page.get_by_role("heading", name="Uitgenodigd door de triage")
    )
    expect(invited).to_contain_text("Woningcorporatie Zuid (demo): benodigde expertise")
    expect(invited).to_contain_text("Huurachterstand en dreigende ontruiming.")
    for member in team + triage_invited:  # the team and the triage's choice are invited
        expect(page.get_by_label(_label(member), exact=True)).to_be_checked()
    expect(page.get_by_label(_label(adviser), exact=True)).not_to_be_checked()
    group = page.get_by_role("group", name="Woningcorporatie Zuid (demo)", exact=True)
    expect(group.get_by_role("checkbox")).to_have_count(
        len([u for u in triage_invited if u.organisation_id == housing.pk])
    )
    # Only the house's partners: another region's staff is not offered.
    venlo = Organisation.objects.get(name="Gemeente Venlo")
    expect(page.get_by_role("group", name=venlo.name, exact=True)).to_have_count(0)
    assert_accessible(page)
    shot(page, "j5-01-plan-meeting")
    expect(page.locator("#id_kind")).to_have_value(Meeting.Kind.FIRST)
    # A meeting is planned ahead (a start in the past is refused without "achteraf
    # vastleggen"): in two minutes; the clock moves past its start before attendance.
    now = timezone.localtime()
    begins = (now + dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    ends = min(begins + dt.timedelta(minutes=40), begins.replace(hour=23, minute=59))
    page.locator("#id_day").fill(begins.date().isoformat())
    page.locator("#id_start").fill(f"{begins:%H:%M}")
    page.locator("#id_end").fill(f"{ends:%H:%M}")
    page.get_by_label(_label(adviser), exact=True).check()
    page.get_by_role("button", name="Plannen en uitnodigen").click()
    _message(page, "Overleg gepland; de uitnodigingen zijn verstuurd.")
    expect(page.get_by_role("heading", name="Eerste casusoverleg")).to_be_visible()
    meeting = Meeting.objects.get(case=case)
    assert meeting.kind == Meeting.Kind.FIRST
    assert "(fysiek)" in meeting.location
    expect(page.get_by_text(meeting.location).first).to_be_visible()

    # Invitations: link only, with an .ics, and no personal data in the mail.
    # One mail per participant (nobody sees who else is invited); the link points at the
    # address being served (the live server's port), not a configured default.
    invitations = [m for m in mail.outbox if m.subject == "Ketenregie: uitnodiging casusoverleg"]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in invitations)
    invited = {m.to[0] for m in invitations}
    assert adviser.email in invited and regisseur.email in invited
    assert len(invitations) == meeting.participants.count()
    invitation = next(m for m in invitations if m.to == [adviser.email])
    assert f"{base}/overleggen/{meeting.pk}/" in invitation.body
    assert case.person.achternaam not in invitation.body and case.code not in invitation.body
    assert [a[0] for a in invitation.attachments] == ["uitnodiging.ics"]

    # The procesregisseur answers her own invitation: coming, involved.
    reply = _form(page, "Antwoord versturen")
    reply.get_by_label("Ja, ik kom").check()
    reply.get_by_label("Betrokken: mijn organisatie heeft een rol").check()
    reply.get_by_role("button", name="Antwoord versturen").click()
    _message(page, "Uw antwoord is vastgelegd.")
    assert_accessible(page)
    shot(page, "j5-02-meeting-planned")
    _log_out(page)

    # --- The psychiatrist joins as an adviser and sees the case pseudonymised.
    _log_in_once_per_code(page, base, "ggz.psychiater", used)
    page.goto(f"{base}/overleggen/{meeting.pk}/")
    expect(page.get_by_role("heading", name="Eerste casusoverleg")).to_be_visible()
    expect(page.get_by_text("U ziet deze casus gepseudonimiseerd")).to_be_visible()
    # Issue 12: declining needs no choice between involved and adviser.
    reply = _form(page, "Antwoord versturen")
    reply.get_by_label("Nee", exact=True).check()
    reply.get_by_role("button", name="Antwoord versturen").click()
    _message(page, "Uw antwoord is vastgelegd.")
    expect(page.get_by_text("U heeft geantwoord: komt niet.")).to_be_visible()
    # She can come after all, as an adviser.
    reply = _form(page, "Antwoord versturen")
    reply.get_by_label("Ja, ik kom").check()
    reply.get_by_label("Adviseur: ik zie de casus alleen gepseudonimiseerd").check()
    reply.get_by_role("button", name="Antwoord versturen").click()
    _message(page, "Uw antwoord is vastgelegd.")
    expect(page.get_by_text("U heeft geantwoord: komt, als adviseur.")).to_be_visible()
    _assert_pseudonymised(page, case)
    assert_accessible(page)
    shot(page, "j5-03-adviser-meeting")
    page.goto(f"{base}/casussen/{case.pk}/")
    expect(page.get_by_role("heading", name=f"Casus {case.code}")).to_be_visible()
    expect(page.get_by_text("U bent adviseur bij deze casus")).to_be_visible()
    _assert_pseudonymised(page, case)
    shot(page, "j5-04-adviser-case")
    response = page.goto(f"{base}/casussen/{case.pk}/plan/")
    assert response is not None and response.status == 403
    _log_out(page)

    # --- After the meeting: attendance, minutes, an action, and the minutes go out.
    if timezone.now() <= meeting.starts_at:
        clock = time_machine.travel(meeting.starts_at + dt.timedelta(minutes=1), tick=True)
        clock.start()
        request.addfinalizer(clock.stop)
    _log_in_once_per_code(page, base, "pr.parkstad", used)
    page.goto(f"{base}/overleggen/{meeting.pk}/")
    attendance = _form(page, "Aanwezigheid vastleggen")
    expect(attendance.get_by_label(_label(regisseur), exact=True)).to_be_checked()
    expect(attendance.get_by_label(_label(adviser), exact=True)).to_be_checked()
    for member in team:
        attendance.get_by_label(_label(member), exact=True).check()
    attendance.get_by_role("button", name="Aanwezigheid vastleggen").click()
    _message(page, "Aanwezigheid vastgelegd.")
    expect(page.get_by_text("Gehouden", exact=True)).to_be_visible()
    due = meeting.minutes_due
    expect(page.get_by_text("Verstuur het verslag uiterlijk")).to_be_visible()

    page.locator("#id_minutes").fill(
        "Situatie besproken. Schulden lopen op; de verhuurder dreigt met ontruiming."
    )
    page.locator("#id_decisions").fill(f"Casusregisseur: {new_casus.get_full_name()}.")
    page.get_by_role("button", name="Verslag opslaan").click()
    _message(page, "Verslag opgeslagen. Verstuur het binnen een week na het overleg.")
    action_due = _today() + dt.timedelta(days=14)
    _open(page.locator("#action_form"), "Actie toevoegen")
    action_form = _form(page, "Actie toevoegen")
    action_form.get_by_label("Wat").fill("Aanmelden bij schuldhulpverlening.")
    action_form.get_by_label("Door wie (persoon)").select_option(label=_label(new_casus))
    action_form.get_by_label("Uiterlijk").fill(action_due.isoformat())
    action_form.get_by_role("button", name="Actie toevoegen").click()
    _message(page, "Actie toegevoegd aan de actielijst.")
    actions = page.locator("#action_form table")
    expect(actions).to_contain_text("Aanmelden bij schuldhulpverlening.")
    expect(actions).to_contain_text(new_casus.get_full_name())

    # During the meeting the plan is drawn up too: an action added on the plan page
    # belongs to the meeting it is held in and lands on its action list.
    page.locator(".kr-page-head").get_by_role("link", name="Plan van aanpak").click()
    expect(page.get_by_role("heading", name="Integraal plan van aanpak")).to_be_visible()
    # Viewing starts nothing: the procesregisseur starts the plan with the button.
    expect(page.get_by_text("nog geen plan van aanpak gestart")).to_be_visible()
    page.get_by_role("button", name="Plan van aanpak starten").click()
    _message(page, "Plan van aanpak gestart.")
    _open(page.locator("#action_form"), "Actie toevoegen")
    plan_action = _form(page, "Actie toevoegen")
    expect(plan_action.get_by_label("Afgesproken in overleg")).to_have_value(str(meeting.pk))
    plan_action.get_by_label("Wat").fill("Huisbezoek met de woningcorporatie plannen.")
    plan_action.get_by_label("Door wie (persoon)").select_option(label=_label(new_casus))
    plan_action.get_by_label("Uiterlijk").fill(action_due.isoformat())
    plan_action.get_by_role("button", name="Actie toevoegen").click()
    _message(page, "Actie toegevoegd.")
    row = page.locator("#action_form tr", has_text="Huisbezoek met de woningcorporatie")
    row.get_by_role("link", name=re.compile("^Afgesproken in het eerste casusoverleg van")).click()
    expect(page.get_by_role("heading", name="Eerste casusoverleg")).to_be_visible()
    actions = page.locator("#action_form table")
    expect(actions).to_contain_text("Aanmelden bij schuldhulpverlening.")
    expect(actions).to_contain_text("Huisbezoek met de woningcorporatie plannen.")
    expect(page.locator("#send_form")).to_contain_text("de actielijst (2 acties)")
    assert_accessible(page)
    shot(page, "j5-05-meeting-held")
    mail.outbox.clear()
    page.get_by_role("button", name="Verslag en actielijst versturen").click()
    _message(page, "Verslag en actielijst verstuurd naar het casusteam (per link).")
    expect(page.get_by_text("Verstuurd op")).to_be_visible()
    expect(page.get_by_role("button", name="Bijgewerkt verslag opnieuw versturen")).to_be_visible()
    sent = [m for m in mail.outbox if m.subject == "Ketenregie: verslag casusoverleg"]
    assert all(len(m.to) == 1 for m in sent) and new_casus.email in {m.to[0] for m in sent}
    assert all("schuldhulpverlening" not in m.body for m in sent)
    meeting.refresh_from_db()
    assert meeting.minutes_sent_at is not None and _today() <= due
    # The minutes went out with the meeting's action list: both actions.
    sent_event = AuditEvent.objects.filter(action="meeting.minutes_sent").latest("pk")
    assert sent_event.data["acties"] == sorted(
        Action.objects.filter(case=case).values_list("pk", flat=True)
    )
    assert len(sent_event.data["acties"]) == 2
    shot(page, "j5-06-minutes-sent")

    # --- The plan: casusregisseur, joint goal, scores, a strength, a goal; adopt.
    page.locator(".kr-page-head").get_by_role("link", name="Plan van aanpak").click()
    expect(page.get_by_role("heading", name="Integraal plan van aanpak")).to_be_visible()
    _open(page, "Casusregisseur vastleggen")
    casus_form = _form(page, "Casusregisseur vastleggen")
    # The procesregisseur chairs independently: not offered as casusregisseur.
    expect(
        casus_form.locator("#casusregisseur_casusregisseur option", has_text=_label(regisseur))
    ).to_have_count(0)
    casus_form.locator("#casusregisseur_casusregisseur").select_option(label=_label(new_casus))
    for member in (regisseur, new_casus):
        casus_form.get_by_label(_label(member), exact=True).check()
    casus_form.get_by_role("button", name="Casusregisseur vastleggen").click()
    _message(page, "Casusregisseur vastgelegd, met wie instemden.")
    agreed = page.locator("#casusregisseur_form")
    expect(agreed).to_contain_text(f"{_label(new_casus)}, vastgelegd")
    expect(agreed).to_contain_text("in het eerste casusoverleg")
    # Who agreed, in whatever order the team lists them.
    expect(agreed).to_contain_text("Ingestemd: ")
    for member in (regisseur, new_casus):
        expect(agreed).to_contain_text(member.get_full_name())

    joint_goal = "Betrokkene woont veilig en houdt zijn woning."
    page.locator("#id_joint_goal").fill(joint_goal)
    page.locator("#id_analysis").fill("Schulden, verslaving en overlast versterken elkaar.")
    _form(page, "Opslaan").get_by_role("button", name="Opslaan").click()
    _message(page, "Plan opgeslagen.")
    # Safety concerns are the case's (issue 15): a director records them on their page.
    plan_url = page.url.split("#")[0]
    page.locator("#h-head").locator("..").get_by_role("link", name="Wijzigen").click()
    page.locator("#concerns_concerns").check()
    page.locator("#concerns_note").fill("Dreigingen bij ruzie over geld.")
    page.get_by_role("button", name="Opslaan").click()
    _message(page, "Zorgen over basiszorg of veiligheid vastgelegd.")
    page.goto(plan_url)
    expect(page.get_by_text("Er zijn zorgen over de basiszorg of de veiligheid.")).to_be_visible()

    scored = domains[:3]
    for domain, score in zip(scored, ("2", "1", "3"), strict=True):
        page.locator(f"select[name='score-{domain.pk}']").select_option(score)
    page.get_by_label(f"Problematiek {scored[0].name}").fill("Huurachterstand van vier maanden.")
    page.get_by_role("button", name="Scores opslaan").click()
    _message(page, "Scores per leefgebied opgeslagen.")
    expect(page.locator(f"select[name='score-{scored[0].pk}']")).to_have_value("2")

    _open(page, "Kracht of zorg toevoegen")
    statement = _form(page, "Toevoegen")
    statement.get_by_label("Kracht", exact=True).check()
    statement.locator("textarea[name='text']").fill("Hij is een zorgzame vader.")
    statement.get_by_label("Gezegd door").fill("zijn zus")
    statement.get_by_role("button", name="Toevoegen").click()
    _message(page, "Toegevoegd.")
    expect(page.get_by_text("“Hij is een zorgzame vader.”, aldus zijn zus")).to_be_visible()

    _open(page, "Doel toevoegen")
    goal = _form(page, "Doel toevoegen")
    goal.locator("textarea[name='text']").fill("De huurachterstand is afgelost.")
    goal.locator("textarea[name='good_enough']").fill("Drie maanden op tijd huur betaald.")
    goal.get_by_role("button", name="Doel toevoegen").click()
    _message(page, "Doel toegevoegd.")
    expect(page.locator("#goal_form table")).to_contain_text("Drie maanden op tijd huur betaald.")

    page.get_by_role("button", name="Plan vaststellen").click()
    _message(page, "Plan vastgesteld als nieuwe versie.")
    expect(page.get_by_role("link", name="Versie 1")).to_be_visible()
    assert_accessible(page)
    shot(page, "j5-07-plan-v1")
    # Adopting again without a change is refused.
    page.get_by_role("button", name="Plan vaststellen").click()
    expect(page.get_by_role("alert").first).to_have_text("Er is niets gewijzigd sinds versie 1.")
    _log_out(page)

    # --- The new casusregisseur updates a score and adopts version 2.
    _log_in_once_per_code(page, base, new_casus.username, used)
    page.goto(f"{base}/casussen/{case.pk}/")
    expect(page.get_by_text("Casusregisseur").first).to_be_visible()
    page.get_by_role("link", name="Plan van aanpak en actielijst").click()
    expect(page.get_by_role("heading", name="Integraal plan van aanpak")).to_be_visible()
    page.locator(f"select[name='score-{scored[0].pk}']").select_option("3")
    page.get_by_role("button", name="Scores opslaan").click()
    _message(page, "Scores per leefgebied opgeslagen.")
    page.get_by_role("button", name="Plan vaststellen").click()
    _message(page, "Plan vastgesteld als nieuwe versie.")
    chart = page.get_by_role("table", name="Verloop van de scores")
    trend = chart.get_by_role("row", name=re.compile(scored[0].name))
    expect(trend).to_contain_text("v1 ")
    expect(trend).to_contain_text(": 2 → v2 ")
    # The dots of the sparkline sit on the line: SVG coordinates are not localised ("6,0").
    expect(trend.locator("circle")).to_have_count(3)  # v1, v2 and the working version
    for dot in trend.locator("circle").all():
        expect(dot).to_have_attribute("cx", re.compile(r"^\d+(\.\d+)?$"))
    shot(page, "j5-08-plan-v2")
    page.get_by_role("link", name="Versie 2").click()
    expect(page.get_by_role("heading", name="Plan van aanpak, versie 2")).to_be_visible()
    expect(page.get_by_role("heading", name="Wat is er veranderd sinds versie 1")).to_be_visible()
    change = page.get_by_role("row", name=re.compile(f"Score {scored[0].name}"))
    expect(change.locator("del")).to_have_text("2")
    expect(change.locator("ins")).to_have_text("3")
    expect(page.get_by_role("row")).to_have_count(2)  # header and the one change
    assert_accessible(page)
    shot(page, "j5-09-version-diff")
    assert list(PlanVersion.objects.filter(plan__case=case).values_list("number", flat=True)) == [
        1,
        2,
    ]

    page.get_by_role("link", name="Terug naar het plan").click()
    plan_pdf = _download_pdf(page, "Plan als PDF")
    assert joint_goal in _pdf_text(plan_pdf).replace("\n", " ")

    # --- The safety plan: a scaling score and a safety agreement.
    page.locator(".kr-actions-row").get_by_role("link", name="Veiligheidsplan").click()
    expect(page.get_by_role("heading", name="Veiligheidsplan", exact=True)).to_be_visible()
    page.get_by_role("button", name="Veiligheidsplan starten").click()
    _message(page, "Veiligheidsplan gestart.")
    _open(page, "Score vastleggen")
    score = _form(page, "Score vastleggen")
    score.get_by_label("Wie geeft de score").fill("betrokkene")
    score.get_by_label("Score (0 = totaal onveilig").fill("4")
    score.get_by_role("button", name="Score vastleggen").click()
    _message(page, "Veiligheidsplan bijgewerkt.")
    expect(page.locator("#score_form")).to_contain_text("betrokkene")
    expect(page.get_by_label("score 4 van 10")).to_be_visible()
    _open(page, "Afspraak toevoegen")
    agreement = _form(page, "Afspraak toevoegen")
    agreement.get_by_label("Wat moet er concreet en direct gebeuren").fill(
        "Geen alcohol in huis als de kinderen er zijn."
    )
    agreement.get_by_label("Wie ziet erop toe").fill("wijkagent")
    agreement.get_by_label("Wat gebeurt er als de afspraak niet wordt nagekomen").fill(
        "Melding bij Veilig Thuis en een huisbezoek."
    )
    agreement.get_by_role("button", name="Afspraak toevoegen").click()
    _message(page, "Veiligheidsplan bijgewerkt.")
    expect(page.locator("#agreement_form table")).to_contain_text(
        "Geen alcohol in huis als de kinderen er zijn."
    )
    assert_accessible(page)
    shot(page, "j5-10-safety-plan")
    assert SafetyScore.objects.get(case=case).score == 4
    _log_out(page)

    # --- The adviser still sees the meeting without the person or the minutes.
    _log_in_once_per_code(page, base, "ggz.psychiater", used)
    page.goto(f"{base}/overleggen/{meeting.pk}/")
    expect(page.get_by_text("U ziet deze casus gepseudonimiseerd")).to_be_visible()
    _assert_pseudonymised(page, case)
    assert "de verhuurder dreigt" not in _main_text(page)
    assert "schuldhulpverlening" not in _main_text(page)
    shot(page, "j5-11-adviser-after-meeting")


def _assert_pseudonymised(page: Page, case: Case) -> None:
    body = _main_text(page)
    person = case.person
    for secret in filter(
        None, [person.achternaam, person.voornamen, person.bsn, person.straat, person.telefoon]
    ):
        assert secret not in body, secret


# ------------------------------------------------------------------ journey 6


def test_journey_6_partner_reports_and_directors_escalate(page: Page, demo: Any) -> None:
    base = demo.url
    regisseur = _user("pr.parkstad")
    partner = _user("ggz.behandelaar")
    running = [
        c
        for c in _directed("pr.parkstad", Status.IN_UITVOERING)
        if _has_holder(c, CaseRole.CASUSREGISSEUR)
    ]
    # Case A: someone else is casusregisseur; case B: another. The demo puts the partner
    # on few running teams (it is often their casusregisseur), so the procesregisseur
    # admits them where needed, through the team service as on the case page.
    others = [c for c in running if _holder(c, CaseRole.CASUSREGISSEUR).user_id != partner.pk]
    case_a = next((c for c in others if _on_case(partner, c)), others[0])
    case_b = next(c for c in running if c.pk != case_a.pk)
    for c in (case_a, case_b):
        if not _on_case(partner, c):
            case_services.add_membership(
                c,
                actor=regisseur,
                role=CaseRole.BETROKKEN_PARTNER,
                organisation=partner.organisation,
                user=partner,
                valid_from=_today() - dt.timedelta(days=30),
            )
    casus = _holder(case_a, CaseRole.CASUSREGISSEUR).user
    assert casus is not None
    today = _today()

    overdue = plan_services.add_action(
        case_a,
        actor=regisseur,
        what="Huisbezoek afleggen met de wijkverpleging.",
        owner_user=partner,
        owner_organisation=None,
        due_date=today - dt.timedelta(days=5),
    )
    soon = plan_services.add_action(
        case_a,
        actor=regisseur,
        what="Medicatie-overzicht opvragen bij de huisarts.",
        owner_user=partner,
        owner_organisation=None,
        due_date=today + dt.timedelta(days=10),
    )
    for_org = plan_services.add_action(
        case_b,
        actor=regisseur,
        what="Intake voor ambulante behandeling plannen.",
        owner_user=None,
        owner_organisation=partner.organisation,
        due_date=today + dt.timedelta(days=7),
    )
    # A meeting held ten days ago whose minutes never went out.
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=10), dt.time(10, 0)))
    late = plan_services.schedule_meeting(
        actor=regisseur,
        house=case_a.house,
        kind=Meeting.Kind.INCIDENTAL,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        location="",
        participants=[regisseur, partner, casus],
        case=case_a,
        person_invited=True,
    )
    plan_services.record_attendance(
        late, actor=regisseur, present=[regisseur.pk, partner.pk], expected_version=late.version
    )
    used: set[str] = set()

    # --- The partner: "Mijn acties" across cases.
    _log_in_once_per_code(page, base, partner.username, used)
    expect(page.get_by_role("heading", name="Mijn acties")).to_be_visible()
    # Counted through the same gate the page uses (the demo gives the partner more).
    mine = plan_queries.my_open_actions(partner)
    n_open, n_late = mine.count(), mine.filter(due_date__lt=today).count()
    assert n_open >= 3 and n_late >= 1
    expect(page.locator("main")).to_contain_text(
        f"{n_open} open acties, waarvan {n_late} over de datum"
    )
    shot(page, "j6-01-partner-dashboard")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn acties").click()
    expect(page.get_by_role("heading", name="Mijn acties")).to_be_visible()
    expect(
        page.get_by_text(f"{n_late} actie{'s' if n_late != 1 else ''} over de datum.")
    ).to_be_visible()
    for action, code in ((overdue, case_a.code), (soon, case_a.code), (for_org, case_b.code)):
        expect(page.locator(f"#actie-{action.pk}")).to_contain_text(code)
    expect(page.locator(f"#actie-{overdue.pk}")).to_contain_text("te laat")
    expect(page.locator(f"#actie-{for_org.pk}")).to_contain_text(str(partner.organisation))
    assert_accessible(page)
    shot(page, "j6-02-my-actions")

    def report(action: Action, kind: str, text: str) -> Locator:
        row = page.locator(f"#actie-{action.pk}")
        _open(row, "Terugmelden")
        row.get_by_label(kind, exact=True).check()
        row.get_by_label("Toelichting").fill(text)
        row.get_by_role("button", name="Melden").click()
        return row

    report(overdue, "Terugmelding", "Huisbezoek is gepland voor volgende week.")
    _message(page, "Uw melding is vastgelegd.")
    expect(page.locator(f"#actie-{overdue.pk}")).to_contain_text("Open")
    report(soon, "Gedaan", "")
    _message(page, "Uw melding is vastgelegd.")
    expect(page.locator(f"#actie-{soon.pk}")).to_have_count(0)
    # "Cannot be done" needs a reason.
    row = report(for_org, "Kan niet worden uitgevoerd", "")
    row = page.locator(f"#actie-{for_org.pk}")
    expect(row).to_contain_text("Geef de reden waarom de actie niet kan.")
    expect(row.get_by_label("Kan niet worden uitgevoerd", exact=True)).to_be_checked()
    assert_accessible(page)
    shot(page, "j6-03-report-error")
    reason = "Betrokkene staat op de wachtlijst; intake pas over drie maanden."
    row.get_by_label("Toelichting").fill(reason)
    row.get_by_role("button", name="Melden").click()
    _message(page, "Uw melding is vastgelegd.")
    expect(page.locator(f"#actie-{for_org.pk}")).to_have_count(0)
    page.get_by_role("link", name="Ook afgeronde acties tonen").click()
    expect(page.locator(f"#actie-{soon.pk}")).to_contain_text("Gedaan")
    expect(page.locator(f"#actie-{for_org.pk}")).to_contain_text(
        f"Kan niet worden uitgevoerd: {reason}"
    )
    shot(page, "j6-04-my-actions-closed")
    assert (
        Signal.objects.filter(
            case=case_b, kind=Signal.Kind.ACTION_IMPOSSIBLE, text__contains=reason
        ).count()
        == 1
    )
    _log_out(page)

    # --- The procesregisseur: overdue actions, late minutes, the signal.
    _log_in_once_per_code(page, base, "pr.parkstad", used)
    overdue_list = page.locator(
        "section", has=page.get_by_role("heading", name="Acties over de datum in mijn casussen")
    )
    expect(overdue_list).to_contain_text(case_a.code)
    # Inside the sentence without its own full stop ("wijkverpleging (Naam ...), uiterlijk").
    expect(overdue_list).to_contain_text("Huisbezoek afleggen met de wijkverpleging (")
    expect(overdue_list).not_to_contain_text("Medicatie-overzicht")
    late_alert = page.locator(".utrecht-alert", has_text="Verslagen niet binnen een week verstuurd")
    expect(late_alert).to_contain_text(case_a.code)
    assert_accessible(page)
    shot(page, "j6-05-regisseur-dashboard")
    page.goto(f"{base}/overleggen/{late.pk}/")
    expect(page.get_by_role("heading", name="Incidenteel casusoverleg")).to_be_visible()
    expect(page.get_by_text("(een week na het overleg) verstuurd moeten zijn")).to_be_visible()
    shot(page, "j6-06-late-minutes")

    page.goto(f"{base}/casussen/{case_b.pk}/")
    page.get_by_role("link", name="Signalen en afsluiten").click()
    expect(page.get_by_role("heading", name="Signalen en afsluiten")).to_be_visible()
    signals = page.locator("section", has=page.get_by_role("heading", name="Signalen", exact=True))
    expect(signals).to_contain_text("Afspraak of actie niet uitvoerbaar")
    expect(signals).to_contain_text(reason)
    expect(signals).to_contain_text(partner.get_full_name())
    assert_accessible(page)
    shot(page, "j6-07-signal")
    _log_out(page)

    # --- The casusregisseur escalates to the procesregisseur.
    _log_in_once_per_code(page, base, casus.username, used)
    page.goto(f"{base}/casussen/{case_a.pk}/")
    page.get_by_role("link", name="Opschalen naar procesregisseur").click()
    expect(page.get_by_role("heading", name="Opschalen")).to_be_visible()
    expect(page.get_by_label("Procesregisseur", exact=True)).to_be_checked()
    assert_accessible(page)
    shot(page, "j6-08-escalate-form")
    to_regisseur = "Afspraken over het huisbezoek worden steeds niet nagekomen."
    page.get_by_label("Reden").fill(to_regisseur)
    # The casusregisseur does not go to the manager directly: that step is not offered.
    expect(page.get_by_label("Manager", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Opschalen").click()
    _message(page, "Opgeschaald; de reden staat op de tijdlijn.")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Opgeschaald naar procesregisseur")
    expect(timeline).to_contain_text(to_regisseur)
    shot(page, "j6-09-escalated-timeline")
    _log_out(page)

    # --- The procesregisseur sees it, changes the level and escalates to the manager.
    _log_in_once_per_code(page, base, "pr.parkstad", used)
    escalations = page.locator(
        "section", has=page.get_by_role("heading", name="Opschalingen van casusregisseurs")
    )
    expect(escalations).to_contain_text(case_a.code)
    expect(escalations).to_contain_text(to_regisseur)
    shot(page, "j6-10-regisseur-escalations")
    escalations.get_by_role("link", name=f"Casus {case_a.code}").click()

    level = case_a.escalation_level
    direction = "op" if level < 5 else "af"
    criterion = EscalationCriterion.objects.filter(
        is_active=True, direction=direction, from_level=level
    ).order_by("order")[0]
    new_level = level + 1 if direction == "op" else level - 1
    page.get_by_role("link", name="Escalatieniveau wijzigen").click()
    # Issue 12: the form starts at the current level, not at 1.
    expect(page.get_by_label("Nieuw escalatieniveau")).to_have_value(str(level))
    page.get_by_label("Nieuw escalatieniveau").select_option(str(new_level))
    page.get_by_label(f"{criterion.get_direction_display()}: {criterion.text}").check()
    page.get_by_label("Toelichting").fill("Afspraken worden niet nagekomen; meer regie nodig.")
    page.get_by_role("button", name="Niveau wijzigen").click()
    _message(page, "Het escalatieniveau is gewijzigd.")
    # Issue 15: a level change lands on the escalation map with the new level's next step.
    expect(page.get_by_role("heading", name=f"Volgende stap op niveau {new_level}")).to_be_visible()
    page.get_by_role("link", name="Terug naar de casus").click()
    expect(page.locator(".kr-page-head")).to_contain_text(f"Niveau {new_level}")

    page.get_by_role("link", name="Opschalen naar manager").click()
    expect(page.get_by_label("Manager", exact=True)).to_be_checked()
    to_manager = "Partners houden zich niet aan het plan; bestuurlijke afspraak nodig."
    page.get_by_label("Reden").fill(to_manager)
    page.get_by_role("button", name="Opschalen").click()
    _message(page, "Opgeschaald; de reden staat op de tijdlijn.")
    expect(page.locator("#timeline")).to_contain_text("Opgeschaald naar manager")
    expect(page.locator("#timeline")).to_contain_text(to_manager)
    expect(page.locator("#timeline")).to_contain_text("Escalatieniveau gewijzigd")
    shot(page, "j6-11-escalated-to-manager")
    _log_out(page)

    # --- The manager sees the escalation and the late minutes, and handles it.
    _log_in_once_per_code(page, base, "manager.parkstad", used)
    manager = page.locator("section", has=page.get_by_role("heading", name="Voor de manager"))
    expect(manager).to_contain_text(f"Casus {case_a.code}")
    expect(manager).to_contain_text(to_manager)
    expect(manager).not_to_contain_text(to_regisseur)
    late_count = plan_queries.late_minutes_for_manager(_user("manager.parkstad")).count()
    assert late_count >= 1
    expect(manager).to_contain_text(f"Verslagen te laat ({late_count})")
    expect(manager).not_to_contain_text(case_a.person.achternaam)
    assert_accessible(page)
    shot(page, "j6-12-manager-dashboard")
    panel = manager.locator(".kr-panel", has_text=to_manager)
    panel.get_by_label("Afhandeling").fill("Besproken met de directeur van de GGZ.")
    panel.get_by_role("button", name="Afgehandeld").click()
    _message(page, "Opschaling afgehandeld.")
    expect(page.locator(".kr-panel", has_text=to_manager)).to_have_count(0)
    handled = DirectorEscalation.objects.get(case=case_a, to=DirectorEscalation.To.MANAGER)
    assert handled.handled_at is not None
    case_a.refresh_from_db()
    assert case_a.escalation_level == new_level


# ------------------------------------------------------------------ journey 7


def test_journey_7_casusregisseur_hands_over_the_role(page: Page, demo: Any) -> None:
    base = demo.url
    today = _today()

    def single_role(c: Case) -> bool:
        if not _has_holder(c, CaseRole.CASUSREGISSEUR):
            return False
        m = _holder(c, CaseRole.CASUSREGISSEUR)
        assert m.user is not None
        others = active_memberships(m.user).filter(case_id=c.pk).exclude(pk=m.pk)
        return (
            m.valid_from < today
            and not others.filter(valid_from__gte=today).exists()
            and m.user.role_assignments.filter(role=Role.PROFESSIONAL).exists()
            and _successors(m.user, m, c).exists()
        )

    def _successors(actor: User, m: CaseMembership, c: Case) -> Any:
        # Whom the form offers (a colleague of the role's organisation, or for the
        # procesregisseur someone who works with the house), not already on the team.
        return (
            handover_successors(actor, m)
            .filter(role_assignments__role=Role.PROFESSIONAL)
            .exclude(pk__in=_team_user_ids(c))
            .order_by("username")
        )

    case = next(c for c in _directed("pr.parkstad", Status.IN_UITVOERING) if single_role(c))
    holder = _holder(case, CaseRole.CASUSREGISSEUR)
    former = holder.user
    assert former is not None
    # The casusregisseur agreed at a meeting is usually on the team as a partner too; that
    # role ends first (by the procesregisseur), so the handover below leaves no access.
    for other in active_memberships(former).filter(case_id=case.pk).exclude(pk=holder.pk):
        case_services.end_membership(
            other, actor=_user("pr.parkstad"), valid_to=today - dt.timedelta(days=1)
        )
    successor = _successors(former, holder, case)[0]
    used: set[str] = set()

    _log_in_once_per_code(page, base, former.username, used)
    page.goto(f"{base}/casussen/{case.pk}/")
    team = page.get_by_role("table", name="Wie had welke rol wanneer")
    row = team.get_by_role("row", name=re.compile(former.get_full_name())).filter(
        has_text="Casusregisseur"
    )
    expect(row.get_by_role("link", name=re.compile("^Beëindigen"))).to_have_count(0)
    row.get_by_role("link", name=re.compile("^Overdragen")).click()
    expect(page.get_by_role("heading", name="Rol overdragen")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"Casusregisseur bij casus {case.code}")
    assert_accessible(page)
    shot(page, "j7-01-handover-form")
    page.get_by_label("Opvolger").select_option(label=str(successor))
    # The form starts at today; a date before the start of the role is refused.
    expect(page.get_by_label("Overdracht per")).to_have_value(today.isoformat())
    page.get_by_label("Overdracht per").fill((holder.valid_from - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Overdrachtsnotitie").fill("Andere functie binnen de organisatie.")
    page.get_by_role("button", name="Overdragen").click()
    expect(
        page.get_by_text("De overdracht kan niet voor de begindatum van de huidige rol liggen")
    ).to_be_visible()
    expect(page.get_by_label("Opvolger")).to_have_value(str(successor.pk))
    shot(page, "j7-02-handover-error")
    page.get_by_label("Overdracht per").fill(today.isoformat())
    page.get_by_role("button", name="Overdragen").click()
    _message(page, "De rol is overgedragen.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Goedendag")
    # From today the former holder has no access to the case any more.
    response = page.goto(f"{base}/casussen/{case.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_text(case.person.achternaam)).to_have_count(0)
    shot(page, "j7-03-former-holder-404")
    _log_out(page)

    # The procesregisseur sees the history; she hands a partner role over next week.
    _log_in_once_per_code(page, base, "pr.parkstad", used)
    page.goto(f"{base}/casussen/{case.pk}/")
    team = page.get_by_role("table", name="Wie had welke rol wanneer")
    old_row = team.get_by_role("row", name=re.compile(former.get_full_name())).filter(
        has_text="Casusregisseur"
    )
    expect(old_row).to_contain_text("Casusregisseur")
    # Issue 12: the former holder held the role until the handover today, not "yesterday".
    expect(old_row).to_contain_text(f"t/m {today:%-d-%-m-%Y} (overgedragen) voormalig")
    new_row = team.get_by_role("row", name=re.compile(successor.get_full_name()))
    expect(new_row).to_contain_text("Casusregisseur")
    expect(new_row).to_contain_text(f"{today:%-d-%-m-%Y} t/m heden")
    expect(page.locator("#timeline").get_by_text("Rol overgedragen").first).to_be_visible()
    assert_accessible(page)
    shot(page, "j7-04-team-history")

    partner = (
        CaseMembership.objects.filter(
            case=case, role=CaseRole.BETROKKEN_PARTNER, user__isnull=False, valid_to__isnull=True
        )
        .exclude(user=successor)
        .select_related("user")
        .first()
    )
    assert partner is not None and partner.user is not None
    leaving = partner.user
    next_partner = _successors(_user("pr.parkstad"), partner, case)[0]
    switch = today + dt.timedelta(days=7)
    team.get_by_role("link", name=f"Overdragen (Betrokken partner {leaving})").click()
    page.get_by_label("Opvolger").select_option(label=str(next_partner))
    page.get_by_label("Overdracht per").fill(switch.isoformat())
    page.get_by_role("button", name="Overdragen").click()
    _message(page, "De rol is overgedragen.")
    team = page.get_by_role("table", name="Wie had welke rol wanneer")
    # The partner row (the demo may also list an earlier role of the same person).
    leaving_row = team.get_by_role(
        "row", name=re.compile(f"{leaving.get_full_name()}.*Betrokken partner")
    )
    expect(leaving_row).to_contain_text(f"t/m {switch:%-d-%-m-%Y} (overgedragen)")
    expect(
        team.get_by_role("row", name=re.compile(next_partner.get_full_name())).last
    ).to_contain_text(f"{switch:%-d-%-m-%Y} t/m heden")
    shot(page, "j7-05-future-handover")

    # The gate: the leaving partner still works on the case until the day of the switch.
    assert get_case_for(leaving, case.pk).full_access
    with time_machine.travel(
        timezone.make_aware(dt.datetime.combine(switch, dt.time(9, 0))), tick=False
    ):
        with pytest.raises(Http404):
            get_case_for(leaving, case.pk)
        assert get_case_for(next_partner, case.pk).full_access
    with pytest.raises(Http404):
        get_case_for(former, case.pk)
    assert get_case_for(successor, case.pk).full_access

    # Issue 12: the role the successor got today is handed on today, with the form's
    # default date (it was refused: "moet na de begindatum liggen").
    given_today = CaseMembership.objects.get(
        case=case, user=successor, role=CaseRole.CASUSREGISSEUR, valid_from=today
    )
    third = _successors(_user("pr.parkstad"), given_today, case).exclude(pk=successor.pk)[0]
    page.goto(f"{base}/casussen/{case.pk}/")
    team = page.get_by_role("table", name="Wie had welke rol wanneer")
    team.get_by_role("link", name=f"Overdragen (Casusregisseur {successor})").click()
    page.get_by_label("Opvolger").select_option(label=str(third))
    page.get_by_role("button", name="Overdragen").click()
    _message(page, "De rol is overgedragen.")
    team = page.get_by_role("table", name="Wie had welke rol wanneer")
    expect(
        team.get_by_role("row", name=re.compile(successor.get_full_name())).filter(
            has_text="Casusregisseur"
        )
    ).to_contain_text(f"{today:%-d-%-m-%Y} t/m {today:%-d-%-m-%Y} (overgedragen) voormalig")
    shot(page, "j7-06-same-day-handover")
    with pytest.raises(Http404):
        get_case_for(successor, case.pk)
    assert get_case_for(third, case.pk).full_access


# ------------------------------------------------------------------ journey 8


def test_journey_8_closing_blocked_by_acute_unsafety_then_closed_and_reopened(
    page: Page, demo: Any
) -> None:
    base = demo.url
    case = _directed("pr.parkstad", Status.IN_UITVOERING)[0]
    handover_to = Organisation.objects.get(name="Gemeente Heerlen")

    log_in(page, base, "pr.parkstad")
    page.goto(f"{base}/casussen/{case.pk}/")
    page.get_by_role("link", name="Signalen en afsluiten").click()
    expect(page.get_by_role("heading", name="Signalen en afsluiten")).to_be_visible()
    expect(page.get_by_text("Geen signalen.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Opschalen naar het Zorg- en Veiligheidshuis")
    ).to_have_count(0)
    assert_accessible(page)
    shot(page, "j8-01-closing-page")

    # A signal of acute unsafety.
    signal = _form(page, "Signaal afgeven")
    # Issue 12: the default is a kind that does not block closing; acute is chosen.
    expect(signal.get_by_label("Soort signaal")).to_have_value(Signal.Kind.CHANGE)
    signal.get_by_label("Soort signaal").select_option(Signal.Kind.ACUTE_UNSAFETY)
    signal.get_by_label("Toelichting").fill("Buren horen geschreeuw; de partner is bedreigd.")
    signal.get_by_role("button", name="Signaal afgeven").click()
    _message(page, "Signaal afgegeven; casus- en procesregisseur zijn ingelicht.")
    expect(page.locator(".utrecht-status-badge--danger")).to_have_text("Acute onveiligheid")

    def fill_close(provisional: bool) -> Locator:
        close = _form(page, "Afsluiten")
        close.get_by_label(
            "Voorlopig afsluiten" if provisional else "Afsluiten", exact=True
        ).check()
        close.get_by_label("Besloten met").fill("Casusregisseur en alle partners in het overleg.")
        close.get_by_label("Warme overdracht aan").select_option(label=handover_to.name)
        close.get_by_label("Overdrachtsnotitie").fill(
            "Wijkteam houdt vinger aan de pols; schuldhulp loopt."
        )
        close.get_by_role("button", name="Afsluiten").click()
        return close

    fill_close(provisional=True)
    expect(
        page.get_by_text(
            "Afsluiten kan niet: er staat een signaal van acute onveiligheid open. Handel dat "
            "eerst af."
        )
    ).to_be_visible()
    expect(_form(page, "Afsluiten").get_by_label("Overdrachtsnotitie")).to_have_value(
        "Wijkteam houdt vinger aan de pols; schuldhulp loopt."
    )
    assert_accessible(page)
    shot(page, "j8-02-closing-refused")
    case.refresh_from_db()
    assert case.status == Status.IN_UITVOERING

    # Resolve it, then close provisionally with a warm handover.
    page.get_by_label("Afhandeling").fill("Veiligheidsafspraken gemaakt; partner verblijft elders.")
    page.get_by_role("button", name="Signaal afhandelen").click()
    _message(page, "Signaal afgehandeld.")
    expect(page.get_by_text("Acute onveiligheid, afgehandeld")).to_be_visible()
    fill_close(provisional=True)
    _message(page, "De casus is afgesloten.")
    expect(page.locator("main")).to_contain_text(str(Status.VOORLOPIG_AFGESLOTEN.label))
    closed = page.locator("section", has=page.get_by_role("heading", name="Afsluiting"))
    expect(closed).to_contain_text("Voorlopig afgesloten op")
    expect(closed).to_contain_text(f"Warme overdracht aan {handover_to.name}")
    shot(page, "j8-03-closed-provisionally")

    # The closing conversation: the reason must be explained.
    conversation = _form(page, "Eindgesprek vastleggen")
    conversation.get_by_label("Feedback van de betrokkene").fill(
        "Voelde zich eindelijk gehoord; had eerder hulp gewild."
    )
    conversation.get_by_role("button", name="Eindgesprek vastleggen").click()
    expect(
        page.get_by_text("In het eindgesprek wordt de reden van afsluiten uitgelegd")
    ).to_be_visible()
    conversation = _form(page, "Eindgesprek vastleggen")
    conversation.get_by_label("De reden van afsluiten is uitgelegd").check()
    conversation.get_by_role("button", name="Eindgesprek vastleggen").click()
    _message(page, "Eindgesprek vastgelegd.")
    expect(closed).to_contain_text(
        "reden uitgelegd. Feedback: Voelde zich eindelijk gehoord; had eerder hulp gewild."
    )
    assert_accessible(page)
    shot(page, "j8-04-closing-conversation")

    # Reopen, with a reason.
    _form(page, "Heropenen").get_by_role("button", name="Heropenen").click()
    expect(page.get_by_text("Geef de reden om de casus te heropenen.")).to_be_visible()
    reopen = _form(page, "Heropenen")
    reopen.get_by_label("Reden om te heropenen").fill("Nieuwe melding van huiselijk geweld.")
    reopen.get_by_role("button", name="Heropenen").click()
    _message(page, "De casus is heropend.")
    case.refresh_from_db()
    assert case.status == Status.IN_UITVOERING
    page.goto(f"{base}/casussen/{case.pk}/")
    timeline = page.locator("#timeline")
    expect(
        timeline.get_by_text(
            f"Status: {str(Status.IN_UITVOERING.label)} → {str(Status.VOORLOPIG_AFGESLOTEN.label)}"
        )
    ).to_be_visible()
    expect(
        timeline.get_by_text(
            f"Status: {str(Status.VOORLOPIG_AFGESLOTEN.label)} → {str(Status.IN_UITVOERING.label)}"
        )
    ).to_be_visible()
    expect(timeline).to_contain_text("Nieuwe melding van huiselijk geweld.")
    expect(timeline).to_contain_text("Eindgesprek vastgelegd")
    shot(page, "j8-05-reopened-timeline")
    closing = Closing.objects.get(case=case)
    assert closing.provisional and closing.handover_organisation == handover_to
    assert ClosingConversation.objects.get(case=case).reason_explained


def test_journey_8_local_pga_escalates_a_case_to_the_zvh(page: Page, demo: Any) -> None:
    base = demo.url
    case = _directed("pr.venlo", Status.IN_UITVOERING, house="VNL")[0]
    zvh = House.objects.get(code="PKS")

    log_in(page, base, "pr.venlo")
    page.goto(f"{base}/casussen/{case.pk}/afsluiten/")
    heading = page.get_by_role("heading", name="Opschalen naar het Zorg- en Veiligheidshuis")
    expect(heading).to_be_visible()
    escalate = _form(page, "Opschalen")
    escalate.get_by_label("Zorg- en Veiligheidshuis").select_option(label=zvh.name)
    summary = "Lokale aanpak loopt vast: politie en OM blijven zwaar betrokken."
    escalate.get_by_label("Samenvatting voor het ontvangende huis").fill(summary)
    escalate.get_by_label("Doel van de overdracht").fill("Bovenlokale procesregie door het ZVH.")
    escalate.get_by_role("button", name="Opschalen").click()
    expect(
        page.get_by_text("Informatie delen mag alleen met een grondslag: kies de grondslag")
    ).to_be_visible()
    expect(
        _form(page, "Opschalen").get_by_label("Samenvatting voor het ontvangende huis")
    ).to_have_value(summary)
    assert_accessible(page)
    shot(page, "j8-06-escalate-error")
    # The municipality is a public body: no legitimate interest, as in the bekendheidscheck.
    escalate = _form(page, "Opschalen")
    escalate.get_by_label("Grondslag voor het delen (AVG art. 6)").select_option(
        "gerechtvaardigd_belang"
    )
    escalate.get_by_role("button", name="Opschalen").click()
    expect(
        page.get_by_text("Gerechtvaardigd belang is geen grondslag voor overheidsorganisaties")
    ).to_be_visible()
    escalate = _form(page, "Opschalen")
    escalate.get_by_label("Grondslag voor het delen (AVG art. 6)").select_option("publieke_taak")
    escalate.get_by_label(re.compile(r"uitzondering \(AVG art. 9/10\)")).select_option(
        "zwaarwegend_algemeen_belang"
    )
    for number in (1, 2, 3):
        escalate.locator(f"#id_crit_{number}").check()
        escalate.locator(f"#id_crit_{number}_uitleg").fill("Zie de samenvatting.")
    fill_necessity(escalate)
    shot(page, "j8-06b-escalate-grounds-and-criteria")
    escalate.get_by_role("button", name="Opschalen").click()
    _message(page, "Opgeschaald: het Zorg- en Veiligheidshuis heeft een aanmelding ontvangen.")
    expect(page.locator("main")).to_contain_text(str(Status.OPGESCHAALD.label))
    expect(
        page.get_by_role("heading", name="Opschalen naar het Zorg- en Veiligheidshuis")
    ).to_have_count(0)
    shot(page, "j8-07-escalated-to-zvh")

    case.refresh_from_db()
    assert case.status == Status.OPGESCHAALD
    transfer = Transfer.objects.get(from_case=case)
    assert transfer.to_house == zvh and transfer.legal_basis == "publieke_taak"
    new_case = Case.objects.get(pk=transfer.to_case_id)
    assert new_case.house == zvh and new_case.status == Status.AANGEMELD
    assert new_case.person_id == case.person_id
    referral = Referral.objects.get(case=new_case)
    assert referral.reason == summary and referral.triage_meeting is not None
    # It arrives with the local case's life-domain problems and the ZVH's criteria.
    local_problems = {
        (p.domain_id, p.description) for p in Referral.objects.get(case=case).problems.all()
    }
    assert local_problems
    assert {(p.domain_id, p.description) for p in referral.problems.all()} == local_problems
    assert sorted(rc.criterion.number for rc in referral.criteria.all()) == [1, 2, 3]
    assert referral.meets_criteria
    assert transfer.special_category == "zwaarwegend_algemeen_belang"
    page.goto(f"{base}/casussen/{case.pk}/")
    expect(page.locator("#timeline")).to_contain_text("Opgeschaald naar Zorg- en Veiligheidshuis")
