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
    expect(page.get_by_text("De einddatum ligt voor de begindatum.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Tot en met").fill("2026-12-01")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    _no_person_on(page)
    shot(page, "10-policy-referrals")


def test_manager_compares_the_pga_scan_and_reads_needs_against_supply(
    page: Page, demo: Any
) -> None:
    """The rest of journey 10: the PGA-scan's comparison (the seed's four views, and the
    previous round) and the needs-vs-interventions matrix, as the house's manager."""
    from ketenregie.reports.models import ScanRound

    base = demo.url
    log_in(page, base, "manager.parkstad")
    page.get_by_role("link", name="PGA-scan", exact=True).first.click()
    expect(page.get_by_role("heading", name="PGA-scan", level=1)).to_be_visible()
    # The demo's autumn round: closed, its conversation recorded, spring before it.
    closed = ScanRound.objects.get(title="PGA-scan najaar")
    assert closed is not None
    page.goto(f"{base}/pga-scan/{closed.pk}/uitkomsten/")
    for heading in (
        "Waar wordt het vaakst oneens gescoord: op kunnen, willen of mogen?",
        "Zitten er grote verschillen tussen partners?",
        "Stellingen waar iedereen positief of juist negatief op antwoordde",
        "Vergeleken met de vorige ronde",
        "Per stelling: de antwoorden per organisatie",
    ):
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert_accessible(page)
    _no_person_on(page)
    shot(page, "10-manager-pga-scan")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Downloaden als PDF voor het gesprek").click()
    assert pdf.value.suggested_filename.endswith(".pdf")

    page.get_by_role("link", name="Behoeften en aanbod", exact=True).first.click()
    expect(page.get_by_role("heading", name="Tekorten", level=2)).to_be_visible()
    expect(page.get_by_role("heading", name="Vraag en aanbod per behoefte")).to_be_visible()
    assert_accessible(page)
    _no_person_on(page)
    shot(page, "10-manager-needs-matrix")


def test_policy_reads_the_needs_matrix_of_its_region(page: Page, demo: Any) -> None:
    log_in(page, demo.url, "beleid.heerlen")
    page.get_by_role("link", name="Behoeften en aanbod", exact=True).first.click()
    expect(page.get_by_role("heading", name="Tekorten", level=2)).to_be_visible()
    assert_accessible(page)
    _no_person_on(page)
    shot(page, "10-policy-needs-matrix")
