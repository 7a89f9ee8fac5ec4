"""Issue 15, slice planvi, in the browser: the support plan's "overige gegevens" says per
member of the client system whether a Verwijsindex signal is active (seed 002 7.1), and
the safety plan's contacts are rows (7.2): a row without a phone number or e-mail is
refused in Dutch with what was typed kept, then saved and shown in the table."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, directed_client_systems, log_in, shot
from ketenregie.cases.models import Case
from ketenregie.core.timeutil import today
from ketenregie.plans.models import SafetyContact, SafetyPlan
from ketenregie.safeguarding import vi_services
from ketenregie.safeguarding.vi_models import RiskCategory, VerwijsindexSignal
from ketenregie.safeguarding.vi_queries import signal_candidates
from ketenregie.safeguarding.vi_rules import is_young


def _case_with_signal() -> tuple[Case, Any, VerwijsindexSignal]:
    """A case of those with an active signal; when the demo gave none there, the
    procesregisseur gives one for a young member of a case's household."""
    cases = directed_client_systems(safety_plan__isnull=False)
    assert cases, "the demo has running household cases with a plan and a safety plan"
    for case, director in cases:
        signal = VerwijsindexSignal.objects.filter(case=case, expires_on__gt=today()).first()
        if signal is not None:
            return case, director, signal
    for case, director in cases:
        young = [p for p in signal_candidates(case) if is_young(p.geboortedatum, today())]
        if young:
            signal = vi_services.record_signal(
                case,
                actor=director,
                person_id=young[0].pk,
                category=RiskCategory.SCHOOLVERZUIM,
                informed_on=today(),
                not_informed_reason="",
            )
            return case, director, signal
    raise AssertionError("the demo has a household case with a young member")


def test_signal_in_plan_head_and_safety_contacts_as_rows(page: Page, demo: Any) -> None:
    base = demo.url
    case, director, signal = _case_with_signal()
    log_in(page, base, director.username)

    # The plan's "overige gegevens": the young person with the active signal, "ja".
    page.goto(f"{base}/casussen/{case.pk}/plan/")
    block = page.locator("#plan-detail-verwijsindex")
    expect(block).to_contain_text("Er is een signaal in de Verwijsindex Risicojongeren afgegeven")
    expect(block).to_contain_text(f"{signal.person.full_name} (")
    expect(block.locator("li", has_text=signal.person.full_name)).to_contain_text("ja")
    expect(block).to_contain_text(signal.organisation.name)
    expect(block).not_to_contain_text(str(RiskCategory(signal.category).label))
    block.scroll_into_view_if_needed()
    assert_accessible(page)
    shot(page, "15-planvi-plan")
    block.get_by_role("link", name="Naar de Verwijsindex van deze casus").click()
    expect(page.get_by_role("heading", name="Verwijsindex risicojongeren")).to_be_visible()

    # The safety plan's contacts: the demo's rows, then a new one in the first empty row.
    page.goto(f"{base}/casussen/{case.pk}/veiligheidsplan/")
    form = page.locator("#safety_form")
    stored = SafetyContact.objects.filter(safety_plan__case=case).count()
    assert stored >= 2, "the demo fills the contacts of a household's safety plan"
    expect(form.get_by_label("Contactpersoon 1: naam")).not_to_have_value("")
    new = stored + 1
    form.get_by_label(f"Contactpersoon {new}: naam").fill("Huisarts Van Dam")
    form.get_by_label(f"Contactpersoon {new}: rol of relatie").fill("huisarts")
    form.get_by_label(f"Contactpersoon {new}: wanneer te bellen").fill("Bij lichamelijk letsel")
    form.get_by_role("button", name="Veiligheidsplan opslaan").click()
    expect(page.get_by_text("Het veiligheidsplan is niet opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Vul een telefoonnummer of e-mailadres in.")).to_be_visible()
    form = page.locator("#safety_form")
    expect(form.get_by_label(f"Contactpersoon {new}: naam")).to_have_value("Huisarts Van Dam")
    expect(form.get_by_label(f"Contactpersoon {new}: wanneer te bellen")).to_have_value(
        "Bij lichamelijk letsel"
    )
    assert SafetyContact.objects.filter(safety_plan__case=case).count() == stored
    assert_accessible(page)
    shot(page, "15-planvi-safety-error")

    form.get_by_label(f"Contactpersoon {new}: telefoonnummer").fill("045-5551234")
    form.get_by_role("button", name="Veiligheidsplan opslaan").click()
    expect(page.get_by_text("Veiligheidsplan bijgewerkt.").first).to_be_visible()
    form = page.locator("#safety_form")
    expect(form.get_by_label(f"Contactpersoon {new}: naam")).to_have_value("Huisarts Van Dam")
    expect(form.get_by_label(f"Contactpersoon {new}: telefoonnummer")).to_have_value("045-5551234")
    safety = SafetyPlan.objects.get(case=case)
    assert [c.name for c in safety.contacts.all()][-1] == "Huisarts Van Dam"
    form.locator("#contacts").scroll_into_view_if_needed()
    assert_accessible(page)
    shot(page, "15-planvi-safety")
