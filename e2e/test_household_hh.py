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
    # Slice members (ADR 0031): the support plan's 7.1 fields of a member.
    page.get_by_label("Geslacht").select_option("man")
    page.get_by_label("Burgerlijke staat").select_option("ongehuwd")
    page.get_by_label("Beroep of school").fill("4 havo, scholengemeenschap De Maasoever")
    page.get_by_label("Straat en huisnummer").fill("Kaldenkerkerweg 1")
    page.get_by_label("Postcode").fill("59133")
    page.get_by_label("Woonplaats").fill("Venlo")
    page.get_by_label("Telefoon").fill("06-1234")
    page.get_by_label("E-mail").fill("jesse@example.com")
    assert_accessible(page)
    shot(page, "15-hh-member-form")
    page.get_by_role("button", name="Opslaan").click()
    # A malformed postcode and phone: Dutch errors, everything typed is kept.
    expect(page.get_by_role("heading", name="Het gezinslid is niet opgeslagen")).to_be_visible()
    expect(page.get_by_text("Vul een Nederlandse postcode in").first).to_be_visible()
    expect(
        page.get_by_text("Vul een telefoonnummer in van 10 tot 15 cijfers").first
    ).to_be_visible()
    expect(page.get_by_label("Beroep of school")).to_have_value(
        "4 havo, scholengemeenschap De Maasoever"
    )
    expect(page.get_by_label("Voornamen")).to_have_value("Jesse")
    assert_accessible(page)
    shot(page, "15-members-form-errors")
    page.get_by_label("Postcode").fill("5913 ab")
    page.get_by_label("Telefoon").fill("06-12345678")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het gezinslid is toegevoegd.")).to_be_visible()
    members = page.locator("#members")
    expect(members).to_contain_text("Jesse Brouwers-Demo")
    expect(members).to_contain_text("15 jaar")
    expect(members).to_contain_text("minderjarig")
    expect(members).to_contain_text("4 havo, scholengemeenschap De Maasoever")
    expect(members).to_contain_text("5913 AB Venlo")
    expect(members).to_contain_text("jesse@example.com")
    shot(page, "15-members-household")

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
    # Slice members: none of a member's 7.1 fields or contact details.
    for m in HouseholdMember.objects.filter(household_id=case.household_id).select_related(
        "person"
    ):
        for secret in filter(None, [m.occupation, m.person.telefoon, m.person.email]):
            assert secret not in text
    assert "Burgerlijke staat" not in text and "Beroep of school" not in text
    assert_accessible(page)
    shot(page, "15-hh-household-adviser")


def test_the_plan_shows_the_members_as_the_seed_table(page: Page, demo: Any) -> None:
    """Slice members (ADR 0031): the support plan's "Gezinsleden", a column per member."""
    from ketenregie.cases.models import HouseholdMember
    from ketenregie.plans.models import Plan

    base = demo.url
    plan = (
        Plan.objects.filter(
            case__house__household_variant=True,
            case__status=Status.IN_UITVOERING,
            # A family of the demo's household module (its members' 7.1 fields filled).
            case__household__members__relation="kind",
            case__household__members__occupation__gt="",
        )
        .select_related("case")
        .order_by("pk")
        .first()
    )
    assert plan is not None
    case = plan.case
    regisseur = CaseMembership.objects.filter(
        case=case, role=CaseRole.PROCESREGISSEUR, valid_to__isnull=True
    ).first()
    assert regisseur is not None and regisseur.user is not None
    log_in(page, base, regisseur.user.username)
    page.goto(f"{base}/casussen/{case.pk}/plan/")
    table = page.locator("#members-71")
    expect(table).to_be_visible()
    for label in ("Geslacht", "Burgerlijke staat", "Beroep of school", "Telefoon", "E-mail"):
        expect(table.get_by_role("rowheader", name=label)).to_be_visible()
    child = (
        HouseholdMember.objects.filter(household_id=case.household_id, relation="kind")
        .exclude(occupation="")
        .first()
    )
    assert child is not None
    expect(table).to_contain_text(child.occupation)
    table.scroll_into_view_if_needed()
    assert_accessible(page)
    shot(page, "15-members-plan")
