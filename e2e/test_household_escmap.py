"""Issue 15, escalation map and competence profiles, in the browser: a procesregisseur
with profile B raises a client system's case from level 3 to 4, sees the map's next step
and that level 4 needs a B+ procesregisseur, and hands procesregie to a B+ colleague; the
house's manager finds the notice on the dashboard; the beheerder sees the map."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, log_in, shot
from ketenregie.accounts.models import CompetenceProfile, User
from ketenregie.accounts.roles import Role
from ketenregie.cases.access import case_team, handover_successors
from ketenregie.cases.models import Case, CaseRole, EscalationMapLevel, EscalationNotice
from ketenregie.cases.workflow import PGA_STATUSES


def _case_with_a_b_procesregisseur() -> tuple[Case, User, User]:
    """A running client system's case at level 3 whose procesregisseur holds B, and a B+
    colleague of the same organisation who can take procesregie over."""
    b_users = CompetenceProfile.objects.filter(profile="B").values("user_id")
    for case in Case.objects.filter(
        household__isnull=False,
        house__household_variant=True,
        status__in=PGA_STATUSES,
        escalation_level=3,
    ).order_by("pk"):
        lead = case_team(case.pk).filter(role=CaseRole.PROCESREGISSEUR, user_id__in=b_users).first()
        if lead is None or lead.user is None:
            continue
        colleague = User.objects.filter(
            organisation_id=lead.user.organisation_id,
            competence_profile__profile="B+",
            role_assignments__role=Role.PROCESREGISSEUR,
            is_active=True,
        ).first()
        if colleague is not None:
            return case, lead.user, colleague
    raise AssertionError("de demo heeft geen casus op niveau 3 met een procesregisseur B")


def test_raise_to_4_asks_for_a_b_plus_procesregisseur(page: Page, demo: Any) -> None:
    base = demo.url
    case, holder, colleague = _case_with_a_b_procesregisseur()
    short = "Op niveau 4 is een procesregisseur met profiel B+ nodig; huidige: B"
    log_in(page, base, holder.username)
    page.goto(f"{base}/casussen/{case.pk}/")
    expect(page.get_by_role("cell", name=re.compile(r"profiel B\b")).first).to_be_visible()
    page.get_by_role("link", name=re.compile("^Escalatiekaart")).click()
    expect(page.get_by_role("heading", name="Escalatiekaart", level=1)).to_be_visible()
    expect(page.get_by_text("huidig niveau van deze casus")).to_be_visible()
    assert_accessible(page)
    shot(page, "15-escmap-map-level-3")

    # Raise from 3 to 4 with a criterion of the map; the page after it is the map.
    page.get_by_role("link", name="Escalatieniveau wijzigen").click()
    page.get_by_label("Nieuw escalatieniveau").select_option("4")
    page.get_by_label(re.compile("Opschalen:")).first.check()
    page.get_by_label("Toelichting").fill("Toenemende onveiligheid; ketenoverstijgend nodig.")
    page.get_by_role("button", name="Niveau wijzigen").click()
    expect(page.get_by_role("heading", name="Volgende stap op niveau 4")).to_be_visible()
    next_step = EscalationMapLevel.objects.get(house=case.house, level=4).next_step
    expect(page.get_by_text(next_step).first).to_be_visible()
    expect(page.locator("#escmap-shortfall")).to_contain_text(short)
    expect(page.locator("#escmap-told")).to_contain_text("manager van het huis")
    assert_accessible(page)
    shot(page, "15-escmap-after-raise")

    # The case shows the shortfall until it is resolved.
    page.get_by_role("link", name="Terug naar de casus").click()
    expect(page.locator("#escmap-case-shortfall")).to_contain_text(short)
    assert_accessible(page)
    shot(page, "15-escmap-case-shortfall")

    # Resolved: procesregie goes to a B+ colleague of the own organisation.
    page.get_by_role("link", name=re.compile(r"^Overdragen \(Procesregisseur")).click()
    # A colleague below B+ is refused; the form then asks for a reason.
    membership = case_team(case.pk).get(role=CaseRole.PROCESREGISSEUR)
    lower = (
        handover_successors(holder, membership)
        .exclude(competence_profile__profile="B+")
        .exclude(pk=holder.pk)
        .first()
    )
    if lower is not None:
        page.get_by_label("Opvolger").select_option(str(lower.pk))
        page.get_by_role("button", name="Overdragen").click()
        expect(
            page.get_by_text("Op niveau 4 is een procesregisseur met profiel B+ nodig")
        ).to_be_visible()
        expect(page.get_by_label("Reden om toch toe te wijzen")).to_be_visible()
        assert_accessible(page)
        shot(page, "15-escmap-handover-refused")
    page.get_by_label("Opvolger").select_option(str(colleague.pk))
    page.get_by_label("Overdrachtsnotitie").fill("Niveau 4 vraagt profiel B+.")
    assert_accessible(page)
    page.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_text("De rol is overgedragen.")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, base, colleague.username)
    page.goto(f"{base}/casussen/{case.pk}/")
    expect(page.get_by_role("heading", name=f"Casus {case.code}")).to_be_visible()
    expect(page.get_by_text(short)).to_have_count(0)
    expect(page.get_by_role("cell", name=re.compile(r"profiel B\+")).first).to_be_visible()
    assert_accessible(page)
    shot(page, "15-escmap-resolved")

    # The house's manager was told: a notice on the dashboard, marked as seen.
    notice = EscalationNotice.objects.filter(case=case, responsibility="manager").first()
    assert notice is not None
    page.context.clear_cookies()
    log_in(page, base, notice.user.username)
    expect(page.get_by_role("heading", name="Escalatieniveau gewijzigd")).to_be_visible()
    expect(page.get_by_text(f"Casus {case.code}").first).to_be_visible()
    assert_accessible(page)
    shot(page, "15-escmap-manager-dashboard")
    page.get_by_role("button", name=f"Gezien (casus {case.code})").click()
    expect(page.get_by_text("De melding is als gezien gemarkeerd.")).to_be_visible()


def test_beheerder_sees_the_map_and_the_profiles(page: Page, demo: Any) -> None:
    base = demo.url
    log_in(page, base, "beheer")
    page.goto(f"{base}/beheer/escalatiekaart/")
    expect(page.get_by_role("heading", name="Escalatiekaart per huis")).to_be_visible()
    assert_accessible(page)
    shot(page, "15-escmap-beheer-map")
    row = EscalationMapLevel.objects.filter(level=4).first()
    assert row is not None
    page.goto(f"{base}/beheer/escalatiekaart/{row.pk}/")
    expect(page.get_by_label("Vereist competentieprofiel regisseur")).to_have_value("B+")
    assert_accessible(page)
    shot(page, "15-escmap-beheer-level-4")
    page.goto(f"{base}/beheer/competentieprofielen/")
    expect(page.get_by_role("heading", name="Competentieprofielen regisseurs")).to_be_visible()
    assert_accessible(page)
    shot(page, "15-escmap-beheer-profiles")
