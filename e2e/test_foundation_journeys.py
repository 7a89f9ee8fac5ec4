"""Foundation journeys in the browser: MFA login, case timeline, need-to-know access."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count, Q
from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, log_in, shot
from ketenregie.accounts.models import User
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.access import active_memberships, visible_cases
from ketenregie.cases.models import Case, CaseRole


def _case_where(username: str, role: CaseRole) -> Case:
    user = User.objects.get(username=username)
    ids = active_memberships(user).filter(role=role).values("case_id")
    return Case.objects.filter(pk__in=ids).order_by("pk").first()  # type: ignore[return-value]


def test_procesregisseur_logs_in_with_totp_and_sees_timeline(page: Page, demo: Any) -> None:
    base = demo.url
    page.goto(f"{base}/accounts/login/")
    assert_accessible(page)
    shot(page, "01-login")
    log_in(page, base, "pr.parkstad")
    assert_accessible(page)
    shot(page, "02-dashboard")

    case = _case_where("pr.parkstad", CaseRole.PROCESREGISSEUR)
    page.get_by_role("link", name="Casussen", exact=True).first.click()
    expect(page.get_by_role("heading", name="Casussen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Zoeken").fill(case.code)
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_text("1 casus gevonden")).to_be_visible()
    shot(page, "03-case-list")
    page.get_by_role("link", name=case.code).click()

    expect(page.get_by_role("heading", name=f"Casus {case.code}")).to_be_visible()
    expect(page.get_by_text(case.person.full_name, exact=True)).to_be_visible()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Status")
    expect(page.get_by_role("heading", name="Casusteam")).to_be_visible()
    assert_accessible(page)
    shot(page, "04-case-detail")

    # Dutch labels only, no reads by default, the team put together at the triage as
    # one step (folded, with its events under it).
    expect(timeline.get_by_text("ingezien")).to_have_count(0)
    expect(timeline).not_to_contain_text("team.member_added")
    team_step = timeline.locator(".kr-timeline__item--group", has_text="Casusteam: ").first
    expect(team_step).to_contain_text("Teamlid toegevoegd (")
    expect(team_step.get_by_text("Teamlid toegevoegd", exact=True).first).to_be_hidden()
    team_step.get_by_text(re.compile(r"^Toon de \d+ gebeurtenissen$")).click()
    expect(team_step.get_by_text("Teamlid toegevoegd", exact=True).first).to_be_visible()
    expect(team_step).to_contain_text("Procesregisseur: ")

    # htmx: ticking "inzage" swaps only the timeline and shows the read just made.
    page.get_by_label("Toon ook inzage").check()
    expect(timeline.get_by_text(re.compile("^Inzage: Casus ingezien")).first).to_be_visible()
    expect(page.get_by_role("heading", name=f"Casus {case.code}")).to_have_count(1)
    shot(page, "05-case-timeline-reads")

    # Filter by phase: the intake's statuses only, then the execution's.
    page.get_by_label("Toon ook inzage").uncheck()
    page.get_by_label("Fase").select_option(label="Aanmelding en triage")
    expect(timeline).to_contain_text("Status: Concept-aanmelding")
    expect(timeline).not_to_contain_text("In uitvoering (plan en monitoring)")
    assert_accessible(page)
    shot(page, "05b-case-timeline-phase")
    page.get_by_label("Fase").select_option(label="Start PGA")
    expect(timeline).not_to_contain_text("Status: Concept-aanmelding")
    expect(timeline).to_contain_text("PGA gestart")


def test_outsider_gets_404_and_adviser_sees_pseudonymised(page: Page, demo: Any) -> None:
    base = demo.url
    adviser = User.objects.get(username="ggz.psychiater")
    case = visible_cases(adviser).filter(full_access=False).order_by("pk").first()
    assert case is not None
    outsider = User.objects.get(username="woon.consulent")
    assert not active_memberships(outsider).filter(case_id=case.pk).exists()

    log_in(page, base, "woon.consulent")
    response = page.goto(f"{base}/casussen/{case.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_text(case.person.achternaam)).to_have_count(0)
    shot(page, "06-outsider-404")
    page.get_by_role("button", name="Uitloggen").click()

    log_in(page, base, "ggz.psychiater")
    page.goto(f"{base}/casussen/{case.pk}/")
    expect(page.get_by_role("heading", name=f"Casus {case.code}")).to_be_visible()
    expect(page.get_by_text("gepseudonimiseerd", exact=False).first).to_be_visible()
    body = page.locator("main").inner_text()
    person = case.person
    for secret in filter(None, [person.achternaam, person.bsn, person.straat, person.telefoon]):
        assert secret not in body, secret
    assert_accessible(page)
    shot(page, "07-adviser-pseudonymised")


def test_privacy_officer_and_beheerder_pages(page: Page, demo: Any) -> None:
    base = demo.url
    # A case made as a case (a referral made through the form starts with its own events),
    # whose trail fits on the search's first page (newest first), so its creation shows.
    short = (
        AuditEvent.objects.filter(case_id__isnull=False)
        .values("case_id")
        .annotate(n=Count("id"))
        .filter(n__lt=50)
        .values("case_id")
    )
    case = Case.objects.filter(
        ~Q(person__bsn=None),
        pk__in=AuditEvent.objects.filter(action="case.created", case_id__in=short).values(
            "case_id"
        ),
    ).first()
    assert case is not None
    log_in(page, base, "fg")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Audittrail").click()
    page.get_by_label("Casusnummer").fill(case.code)
    page.get_by_role("button", name="Zoeken").click()
    results = page.get_by_role("table", name="Auditgebeurtenissen")
    expect(results.get_by_text("Casus aangemaakt").first).to_be_visible()
    # Labels and the case number, never the raw code or the internal id.
    expect(results).not_to_contain_text("case.created")
    expect(results.get_by_role("cell", name=case.code, exact=True).first).to_be_visible()
    assert_accessible(page)
    shot(page, "08-audit-search")
    # A full name finds the person (first names, tussenvoegsel, surname).
    person = case.person
    full_name = " ".join(filter(None, [person.voornamen, person.tussenvoegsel, person.achternaam]))
    page.get_by_label("Casusnummer").fill("")
    page.get_by_label("Betrokkene").fill(full_name)
    page.get_by_role("button", name="Zoeken").click()
    expect(results.get_by_role("cell", name=case.code, exact=True).first).to_be_visible()
    expect(page.get_by_role("status")).not_to_contain_text("0 gebeurtenissen")
    shot(page, "08b-audit-search-full-name")
    response = page.goto(f"{base}/casussen/{case.pk}/")
    assert response is not None and response.status == 404
    page.goto(f"{base}/")
    page.get_by_role("button", name="Uitloggen").click()

    log_in(page, base, "beheer")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Beheer").click()
    page.get_by_role("link", name="Huizen").click()
    assert_accessible(page)
    page.get_by_role("link", name="Wijzigen Lokale PGA Venlo").click()
    expect(page.get_by_label("Vaste triagepartners")).to_have_count(0)  # a group, see legend
    expect(page.get_by_text("Vaste triagepartners")).to_be_visible()
    assert_accessible(page)
    shot(page, "09-manage-house")
    page.get_by_label("Triage eindigt").fill("12:00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De triage moet eindigen na het begintijdstip.")).to_be_visible()
    expect(page.get_by_label("Naam")).to_have_value("Lokale PGA Venlo")
    shot(page, "10-manage-house-error")
