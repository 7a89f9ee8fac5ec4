"""Issue 15, slice templates, in the browser: the procesregisseur of a client system's case
walks the support plan (seed 002 7.1) with goals per household member and the signatures,
the safety plan (7.2) with its incidents, records safety concerns on the case, and sees
the adoption of a plan refused while the required safety plan has no agreement."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, directed_client_systems, log_in, shot
from ketenregie.plans.models import SafetyAgreement


def test_support_plan_and_safety_plan_of_a_household(page: Page, demo: Any) -> None:
    base = demo.url
    cases = [(c, u.username) for c, u in directed_client_systems()]
    assert cases, "the demo has running household cases with a plan"
    case, username = cases[0]
    log_in(page, base, username)

    # The support plan: its head (7.1), goals per member, the planning and signatures.
    page.goto(f"{base}/casussen/{case.pk}/plan/")
    expect(page.get_by_role("heading", name="Gegevens van het plan")).to_be_visible()
    expect(page.get_by_role("heading", name="Doelen en acties")).to_be_visible()
    expect(page.locator("#goal_form")).to_contain_text("Het hele gezin")
    expect(page.locator("#goal_form")).to_contain_text("Doelcheck")
    expect(page.get_by_role("heading", name="Planning overleg")).to_be_visible()
    expect(page.locator("#sign_form")).to_contain_text("digitaal akkoord gegeven")
    assert_accessible(page)
    shot(page, "15-templates-plan")

    # A goal for one member of the household, with the goal check and what is needed.
    goals = page.locator("#goal_form")
    goals.locator("summary", has_text="Doel toevoegen").click()
    member = goals.get_by_label("Voor wie")
    options = member.locator("option").all_text_contents()
    assert options[0] == "Het hele gezin (cliëntsysteem)" and len(options) >= 2
    member.select_option(label=options[1])
    goals.get_by_label("Doel: wat wilt u bereiken?").fill("Ik slaap weer de hele nacht door.")
    goals.get_by_label("Goed genoeg om af te sluiten als").fill("Vier weken goed slapen.")
    goals.get_by_label("Positief geformuleerd").check()
    goals.get_by_label("Gericht op de toekomst").check()
    goals.get_by_label("Wat is nodig?").fill("Een gesprek met de huisarts over slaap.")
    goals.get_by_role("button", name="Doel toevoegen").click()
    expect(page.get_by_text("Doel toegevoegd.")).to_be_visible()
    row = page.locator("#goal_form tr", has_text="Ik slaap weer de hele nacht door.")
    expect(row).to_contain_text(options[1].split(" (")[0])
    expect(row).to_contain_text("positief geformuleerd, gericht op de toekomst")
    expect(row).to_contain_text("Een gesprek met de huisarts over slaap.")

    # Signing: a name without a date is refused in Dutch, and what was typed stays.
    signing = page.locator("#sign_form")
    signing.locator("summary", has_text="Ondertekening vastleggen").click()
    signing.get_by_label("Klant(en) en/of wettelijk vertegenwoordiger(s): naam").fill(
        "Getypte naam"
    )
    signing.get_by_label("Datum ondertekening klant").fill("")
    signing.get_by_role("button", name="Ondertekening vastleggen").click()
    expect(page.get_by_text("Vul de datum van ondertekening in.")).to_be_visible()
    expect(
        page.locator("#sign_form").get_by_label(
            "Klant(en) en/of wettelijk vertegenwoordiger(s): naam"
        )
    ).to_have_value("Getypte naam")
    assert_accessible(page)
    shot(page, "15-templates-sign-error")

    # The safety plan (7.2): goal check, incidents, harm, agreements, signatures.
    page.goto(f"{base}/casussen/{case.pk}/veiligheidsplan/")
    expect(page.get_by_role("heading", name="Doelencheck")).to_be_visible()
    form = page.locator("#safety_form")
    expect(form.get_by_label("Ergste incident: wat is er gebeurd")).not_to_be_empty()
    expect(form.get_by_role("textbox", name="Opgelopen schade")).not_to_be_empty()
    form.get_by_label("Laatste incident: datum").fill("2099-01-01")
    form.get_by_role("button", name="Veiligheidsplan opslaan").click()
    expect(page.get_by_text("Een incident ligt niet in de toekomst.")).to_be_visible()
    expect(page.locator("#agreement_form")).to_contain_text("Wat is hiervoor nodig")
    expect(page.locator("#sign_form")).to_contain_text("Handtekening professional(s)")
    assert_accessible(page)
    shot(page, "15-templates-safety")

    # Safety concerns on the case (a director), shown on the case page with the rule.
    page.goto(f"{base}/casussen/{case.pk}/zorgen-veiligheid/")
    expect(page.get_by_role("heading", name="Zorgen over basiszorg of veiligheid")).to_be_visible()
    page.get_by_label("Er zijn zorgen over de basiszorg of de veiligheid").check()
    page.get_by_label("Toelichting").fill("")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Licht kort toe welke zorgen er zijn.")).to_be_visible()
    assert_accessible(page)
    shot(page, "15-templates-concerns")
    page.get_by_label("Toelichting").fill("Dreigingen bij ruzie; kinderen getuige.")
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_text("Zorgen over basiszorg of veiligheid vastgelegd.", exact=True)
    ).to_be_visible()
    expect(page.locator("#safety-concerns")).to_contain_text("Veiligheidsplan verplicht.")
    expect(page.locator("#safety-concerns")).to_contain_text("zorgen over basiszorg")
    shot(page, "15-templates-case")

    # Without an agreement the required safety plan does not count: adoption is refused.
    SafetyAgreement.objects.filter(safety_plan__case=case).delete()
    page.goto(f"{base}/casussen/{case.pk}/plan/")
    expect(page.locator("#safety-required")).to_contain_text("Veiligheidsplan verplicht.")
    page.get_by_role("button", name="Plan vaststellen").click()
    expect(page.get_by_text("Leg eerst een veiligheidsplan met ten minste")).to_be_visible()
    assert_accessible(page)
    shot(page, "15-templates-adopt-refused")
