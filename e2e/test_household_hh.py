"""Issue 15, slice hh, in the browser: at the local PGA team working in the household
variant, the screener records the household of a waiting referral (a member, a network
contact, consent) and starts coordination without the triage; the procesregisseur then
reads the household page, and an adviser sees it pseudonymised.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, log_in, shot
from ketenregie.cases.models import Case, CaseMembership, CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.intake.criteria import household_criteria_met


def _waiting_household_referral() -> Case:
    cases = Case.objects.filter(
        house__household_variant=True, status=Status.AANGEMELD, referral__isnull=False
    ).select_related("house", "referral")
    case = next(c for c in cases if household_criteria_met(c.referral.pk, c.house))
    return case


def test_screener_records_the_household_and_starts_without_triage(page: Page, demo: Any) -> None:
    base = demo.url
    case = _waiting_household_referral()
    log_in(page, base, "tv.venlo")
    page.goto(f"{base}/casussen/{case.pk}/")
    page.get_by_role("link", name="Huishouden, netwerk en toestemming").click()
    expect(page.get_by_role("heading", name=f"Huishouden van casus {case.code}")).to_be_visible()
    assert_accessible(page)

    # A child of 15 joins the household record.
    page.get_by_role("link", name="Gezinslid toevoegen").click()
    page.get_by_label("Voornamen").fill("Jesse")
    page.get_by_label("Achternaam").fill("Brouwers-Demo")
    born = today().replace(year=today().year - 15) - dt.timedelta(days=40)
    page.get_by_label("Geboortedatum").fill(born.isoformat())
    page.get_by_label("Rol in het gezin").select_option("kind")
    page.get_by_label("Gezag").select_option("nee")
    assert_accessible(page)
    shot(page, "15-hh-member-form")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het gezinslid is toegevoegd.")).to_be_visible()
    members = page.locator("#members")
    expect(members).to_contain_text("Jesse Brouwers-Demo")
    expect(members).to_contain_text("15 jaar")
    expect(members).to_contain_text("minderjarig")

    # Bad input keeps what was typed: a network contact without any kind of support.
    page.get_by_role("link", name="Netwerkcontact toevoegen").click()
    page.get_by_label("Naam").fill("Buurvrouw Tineke")
    page.get_by_label("Relatie").select_option("buur")
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_text("Kies minstens één soort steun of beschrijf de steun.").first
    ).to_be_visible()
    expect(page.get_by_label("Naam")).to_have_value("Buurvrouw Tineke")
    page.get_by_label("Veiligheid (bijv. opvang, meekijken)").check()
    page.get_by_label("Welke steun geeft deze persoon?").fill("Opvangadres voor de kinderen.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#network")).to_contain_text("Buurvrouw Tineke")

    # Consent to coordination, given by the client herself.
    page.get_by_role("link", name="Toestemming vastleggen").click()
    page.get_by_label("Toestemming voor").select_option("coordinatie")
    page.get_by_label("Gegeven door (gezinslid)").select_option(index=1)
    page.get_by_label("Schriftelijk").check()
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#consents")).to_contain_text("geldt")
    assert_accessible(page)
    shot(page, "15-hh-household-screener")

    # Start coordination without the triage, from the screening page.
    page.goto(f"{base}/aanmeldingen/{case.pk}/")
    section = page.locator("section", has=page.get_by_role("heading", name="Huishoudvariant"))
    expect(section).to_contain_text("voldoet aan de criteria voor kwetsbare huishoudens")
    section.get_by_role("button", name="Coördinatie starten zonder triage").click()
    expect(page.get_by_text("Kies de procesregisseur die de PGA start.")).to_be_visible()
    shot(page, "15-hh-start-error")
    section = page.locator("section", has=page.get_by_role("heading", name="Huishoudvariant"))
    section.get_by_label("Procesregisseur").select_option(index=1)
    assert_accessible(page)
    shot(page, "15-hh-start")
    section.get_by_role("button", name="Coördinatie starten zonder triage").click()
    expect(page.get_by_text("De coördinatie is gestart")).to_be_visible()
    case.refresh_from_db()
    assert case.status == Status.PGA_GESTART
    regisseur = CaseMembership.objects.get(case=case, role=CaseRole.PROCESREGISSEUR).user
    assert regisseur is not None

    # The procesregisseur reads the household: members, network, consent, history.
    page.context.clear_cookies()
    log_in(page, base, regisseur.username)
    page.goto(f"{base}/casussen/{case.pk}/")
    expect(page.locator(".kr-household-list")).to_contain_text("Jesse Brouwers-Demo")
    shot(page, "15-hh-case-page")
    page.get_by_role("link", name="Huishouden, netwerk en toestemming").click()
    expect(page.locator("#member-history")).to_contain_text("Jesse Brouwers-Demo, versie 1")
    assert_accessible(page)
    shot(page, "15-hh-household-regisseur")


def test_adviser_sees_the_household_pseudonymised(page: Page, demo: Any) -> None:
    """An adviser on a household case: roles and age bands, no names, no network."""
    from ketenregie.accounts.models import User
    from ketenregie.accounts.roles import Role
    from ketenregie.cases.models import HouseholdMember

    base = demo.url
    case = (
        Case.objects.filter(house__household_variant=True, status=Status.IN_UITVOERING)
        .exclude(network_contacts=None)
        .first()
    )
    assert case is not None
    # A professional of a partner who is on no team of this case: adviser only.
    adviser = (
        User.objects.filter(role_assignments__role=Role.PROFESSIONAL, is_active=True)
        .exclude(case_memberships__case=case)
        .exclude(organisation__in=case.memberships.values("organisation"))
        .first()
    )
    assert adviser is not None
    CaseMembership.objects.create(
        case=case,
        user=adviser,
        organisation=adviser.organisation,
        role=CaseRole.ADVISEUR,
        valid_from=today(),
    )
    log_in(page, base, adviser.username)
    page.goto(f"{base}/casussen/{case.pk}/huishouden/")
    expect(page.get_by_text("ziet het huishouden gepseudonimiseerd")).to_be_visible()
    expect(page.locator("#members")).to_contain_text("Kind")
    text = page.content()
    for m in HouseholdMember.objects.filter(household_id=case.household_id).select_related(
        "person"
    ):
        assert m.person.achternaam not in text
    assert "Informeel netwerk" not in text
    assert_accessible(page)
    shot(page, "15-hh-household-adviser")
