"""Journey 10 (management information part) in the browser: the manager and the policy
adviser read figures about the chain, never about people, and take them out as CSV and PDF.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, log_in, shot
from ketenregie.cases.models import Person


def _no_person_on(page: Page) -> None:
    text = page.content()
    # Full names: a bare surname ("Ven") also occurs inside place names ("Venlo").
    for person in Person.objects.all()[:200]:
        assert person.full_name not in text, person.full_name
        assert not person.bsn or person.bsn not in text, person.bsn


def test_manager_reads_the_figures_of_the_own_house(page: Page, demo: Any) -> None:
    base = demo.url
    log_in(page, base, "manager.parkstad")
    expect(page.get_by_role("heading", name="Sturing")).to_be_visible()
    page.get_by_role("link", name="Managementinformatie", exact=True).first.click()
    expect(page.get_by_role("heading", name="Aanmeldingen", level=2)).to_be_visible()
    assert_accessible(page)
    for topic in ("Fasen en escalatie", "Doorlooptijden", "Caseload", "Leefgebieden"):
        page.get_by_role("navigation", name="Onderwerpen").get_by_role("link", name=topic).click()
        expect(page.get_by_role("heading", name=topic, level=2)).to_be_visible()
        expect(page.locator("svg[role=img]").first).to_be_visible()
        assert_accessible(page)
        _no_person_on(page)
        shot(page, f"10-manager-{topic.split()[0].lower()}")
    with page.expect_download() as csv:
        page.get_by_role("link", name="CSV").click()
    assert csv.value.suggested_filename == "sturing-leefgebieden.csv"
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()
    assert pdf.value.suggested_filename == "sturing-leefgebieden.pdf"


def test_policy_reads_its_region_and_gets_a_message_for_a_bad_period(page: Page, demo: Any) -> None:
    base = demo.url
    log_in(page, base, "beleid.heerlen")
    page.get_by_role("link", name="Alle managementinformatie").click()
    expect(page.get_by_label("Huis", exact=True)).to_contain_text("Alle huizen")
    page.get_by_label("Vanaf").fill("2026-06-01")
    page.get_by_label("Tot en met").fill("2026-01-01")
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_text("De einddatum ligt vóór de begindatum.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Tot en met").fill("2026-12-01")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    _no_person_on(page)
    shot(page, "10-policy-referrals")
