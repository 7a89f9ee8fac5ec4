"""Issue 15, slice phases, in the browser: the household phase on the case page, phase 6a,
and closing a household case with aftercare and the evaluation of the whole trajectory
(refused until the evaluation is there)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, log_in, shot
from ketenregie.cases.models import Case, CaseMembership, CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.pga.models import Signal


def _running_household_case() -> tuple[Case, str]:
    """A running client system's case (a household at the household-variant house) whose
    procesregisseur has a demo login and that no open acute unsafety blocks from closing."""
    blocked = Signal.objects.filter(
        kind=Signal.Kind.ACUTE_UNSAFETY, resolved_at__isnull=True
    ).values("case_id")
    membership = (
        CaseMembership.objects.active_on(today())
        .filter(
            role=CaseRole.PROCESREGISSEUR,
            user__isnull=False,
            case__status=Status.IN_UITVOERING,
            # The client system (cases.client_system): PostgreSQL sorts a NULL household
            # first, so the scope is a filter, not an ordering.
            case__household__isnull=False,
            case__house__household_variant=True,
        )
        .exclude(case_id__in=blocked)
        .select_related("case", "user")
        .order_by("case_id")
        .first()
    )
    assert membership is not None and membership.user is not None
    case = membership.case
    return case, membership.user.username


def test_close_a_household_case_with_aftercare_and_evaluation(page: Page, demo: Any) -> None:
    base = demo.url
    case, username = _running_household_case()
    log_in(page, base, username)
    page.goto(f"{base}/casussen/{case.pk}/")
    phase = page.locator("#household-phase")
    expect(phase.get_by_role("heading", level=3)).to_contain_text("Fase ")
    expect(phase).to_contain_text("Volgende stap:")
    assert_accessible(page)
    shot(page, "15-phases-case-page")

    # 6a: the page to record a professional leaving or procesregie moving.
    phase.get_by_role("link", name="Wisseling professional of procesregie (fase 6a)").click()
    expect(
        page.get_by_role("heading", name="Wisseling professional of procesregie")
    ).to_be_visible()
    page.get_by_role("button", name="Wisseling vastleggen").click()
    expect(page.get_by_text("Dit veld is verplicht.").first).to_be_visible()
    assert_accessible(page)
    shot(page, "15-phases-6a-error")
    who = page.get_by_label("Wie stopt of draagt over")
    partner = who.locator("option", has_text="Betrokken partner").first.get_attribute("value")
    who.select_option(partner)
    page.get_by_label("Warme overdracht").fill(
        "Traject bij deze partner afgerond; de huisarts is aanspreekpunt voor moeder."
    )
    page.get_by_role("button", name="Wisseling vastleggen").click()
    expect(page.get_by_text("De wisseling is vastgelegd.")).to_be_visible()
    expect(page.get_by_text("de huisarts is aanspreekpunt voor moeder")).to_be_visible()
    assert_accessible(page)
    shot(page, "15-phases-6a")

    # Closing for good is refused until the trajectory is evaluated.
    page.goto(f"{base}/casussen/{case.pk}/afsluiten/")
    expect(page.get_by_role("heading", name="Nazorg en evaluatie")).to_be_visible()
    close = page.locator("form[action$='/afsluiten/besluit/']")
    close.get_by_label("Besloten met").fill(
        "Casusregisseur, school en wijkteam in het laatste overleg"
    )
    close.get_by_label("Warme overdracht aan").select_option(index=1)
    close.get_by_label("Overdrachtsnotitie").fill("Wijkteam houdt contact met moeder.")
    close.get_by_role("button", name="Afsluiten").click()
    expect(page.get_by_text("Definitief afsluiten kan pas na de evaluatie")).to_be_visible()
    shot(page, "15-phases-close-refused")

    page.get_by_role("link", name="Nazorg en evaluatie vastleggen").click()
    expect(page.get_by_role("heading", name="Nazorg en evaluatie", level=1)).to_be_visible()
    aftercare = page.locator("form[action$='/nazorg/toevoegen/']")
    aftercare.get_by_label("Wat").fill("Haalt de jongste twee keer per week uit school.")
    aftercare.get_by_label("Hoe vaak").fill("twee keer per week")
    aftercare.get_by_role("button", name="Nazorgafspraak vastleggen").click()
    expect(page.get_by_text("Vul in wie de nazorg geeft")).to_be_visible()
    expect(aftercare.get_by_label("Wat")).to_have_value(
        "Haalt de jongste twee keer per week uit school."
    )
    aftercare.get_by_label("Persoon").fill("Oma (netwerk)")
    aftercare.get_by_label("Opvolgen op").fill(today().replace(day=28).isoformat())
    aftercare.get_by_role("button", name="Nazorgafspraak vastleggen").click()
    expect(page.locator("#aftercare-table")).to_contain_text("Oma (netwerk)")

    evaluation = page.locator("form[action$='/nazorg/evaluatie/']")
    evaluation.get_by_label("Geëvalueerd met de klant").check()
    evaluation.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page.get_by_text("met de klant én met de professionals")).to_be_visible()
    evaluation.get_by_label("Geëvalueerd met de klant").check()
    evaluation.get_by_label("Geëvalueerd met de professionals").check()
    evaluation.get_by_label("Wat ging goed").fill("Eén plan voor het hele gezin.")
    evaluation.get_by_label("Wat ging minder goed").fill("De wachttijd voor jeugdhulp.")
    evaluation.get_by_label("Zijn de doelen bereikt?").select_option("deels")
    evaluation.get_by_label("Tevredenheid van de klant (1 tot en met 10)").select_option("8")
    evaluation.get_by_label("Lessen voor een volgende keer").fill("Eerder de school betrekken.")
    evaluation.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page.locator("#evaluation")).to_contain_text("8 van 10")
    assert_accessible(page)
    shot(page, "15-phases-aftercare-evaluation")

    page.get_by_role("link", name="Naar signalen en afsluiten").click()
    close = page.locator("form[action$='/afsluiten/besluit/']")
    close.get_by_label("Besloten met").fill(
        "Casusregisseur, school en wijkteam in het laatste overleg"
    )
    close.get_by_label("Warme overdracht aan").select_option(index=1)
    close.get_by_label("Overdrachtsnotitie").fill("Wijkteam houdt contact met moeder.")
    close.get_by_role("button", name="Afsluiten").click()
    expect(page.get_by_text("De casus is afgesloten.")).to_be_visible()
    expect(page.locator("#closing-aftercare")).to_contain_text("Oma (netwerk)")
    assert_accessible(page)
    shot(page, "15-phases-closed")
    page.goto(f"{base}/casussen/{case.pk}/")
    expect(page.locator("#household-phase")).to_contain_text("Fase 6b: Afsluiten en nazorg klant")
    shot(page, "15-phases-case-closed")
