"""Issue 15, slice vi, in the browser: a Verwijsindex match on the dashboard, each signaller
seeing the other's contact details (and nothing of the other's case), the consultation
recorded, a signal refused for an adult and given for a young person, and a withdrawal."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, log_in, shot
from ketenregie.cases.models import CaseMembership, CaseRole
from ketenregie.core.timeutil import today
from ketenregie.safeguarding.vi_models import RiskCategory, VerwijsindexMatch, VerwijsindexSignal
from ketenregie.safeguarding.vi_queries import signal_candidates
from ketenregie.safeguarding.vi_rules import is_young


def _open_match() -> VerwijsindexMatch:
    match = (
        VerwijsindexMatch.objects.filter(consultation_held_on=None)
        .select_related(
            "first__signaller", "first__case", "second__signaller", "second__organisation"
        )
        .order_by("pk")
        .first()
    )
    assert match is not None, "the demo makes a match with the consultation still due"
    return match


def test_match_consultation_and_signals(page: Page, demo: Any) -> None:
    base = demo.url
    match = _open_match()
    mine, theirs = match.first, match.second
    case = mine.case
    # The first signaller finds the match on the dashboard.
    log_in(page, base, mine.signaller.username)
    panel = page.get_by_role("region", name="Nieuwe match in de Verwijsindex")
    expect(panel).to_contain_text(theirs.organisation.name)
    assert_accessible(page)
    shot(page, "15-vi-dashboard")
    panel.get_by_role("link", name=mine.person.full_name).click()
    expect(page.get_by_role("heading", name="Verwijsindex risicojongeren")).to_be_visible()
    box = page.locator(f"#match-{match.pk}")
    expect(box).to_contain_text(theirs.signaller.get_full_name())
    expect(box).to_contain_text(theirs.signaller.email)
    expect(box).to_contain_text("vijf werkdagen na de match")
    assert_accessible(page)
    shot(page, "15-vi-match")
    # A consultation without an outcome: a Dutch message, nothing saved.
    box.get_by_role("button", name="Afstemming vastleggen").click()
    expect(page.get_by_text("Dit veld is verplicht.").first).to_be_visible()
    assert_accessible(page)
    shot(page, "15-vi-consultation-error")
    box = page.locator(f"#match-{match.pk}")
    box.get_by_label("Afgestemd: coördinatie van zorg wordt ingezet").check()
    box.get_by_role("button", name="Afstemming vastleggen").click()
    expect(page.get_by_text("Afstemming vastgelegd.")).to_be_visible()
    expect(page.locator(f"#match-{match.pk}")).to_contain_text("afgestemd")

    # A third professional on the same case signals the same child.
    colleague = (
        CaseMembership.objects.active_on(today())
        .filter(case=case, user__isnull=False)
        .exclude(role=CaseRole.ADVISEUR)
        .exclude(user_id__in=[mine.signaller_id, theirs.signaller_id])
        .select_related("user")
        .first()
    )
    assert colleague is not None and colleague.user is not None
    page.context.clear_cookies()
    log_in(page, base, colleague.user.username)
    page.goto(f"{base}/casussen/{case.pk}/verwijsindex/")
    page.get_by_role("link", name="Signaal afgeven").click()
    expect(page.get_by_role("heading", name="Signaal afgeven in de Verwijsindex")).to_be_visible()
    # An adult of the household: refused, with the reason, and the input kept.
    adult = next(p for p in signal_candidates(case) if not is_young(p.geboortedatum, today()))
    page.get_by_label(adult.full_name, exact=False).check()
    page.get_by_label(str(RiskCategory.OUDERS.label)).check()
    page.get_by_label("Nog niet geïnformeerd: waarom niet").fill("Gesprek met moeder volgt")
    page.get_by_role("button", name="Signaal afgeven").click()
    expect(page.get_by_text("jaar of ouder").first).to_be_visible()
    expect(page.get_by_label("Nog niet geïnformeerd: waarom niet")).to_have_value(
        "Gesprek met moeder volgt"
    )
    assert_accessible(page)
    shot(page, "15-vi-new-refused")
    page.get_by_label(mine.person.full_name, exact=False).check()
    page.get_by_role("button", name="Signaal afgeven").click()
    expect(page.get_by_text("Signaal afgegeven.")).to_be_visible()
    # Two matches at once: with both earlier signallers, and the reminder to inform now.
    expect(page.get_by_text("Er is een match: informeer de jongere")).to_be_visible()
    body = page.content()
    assert mine.signaller.email in body and theirs.signaller.email in body
    assert_accessible(page)
    shot(page, "15-vi-new-matches")
    own = VerwijsindexSignal.objects.get(signaller=colleague.user, person=mine.person)
    panel = page.locator(f"#signal-{own.pk}")
    panel.get_by_label("Geïnformeerd op").fill(today().isoformat())
    panel.get_by_role("button", name="Geïnformeerd vastleggen").click()
    expect(
        page.get_by_text("Vastgelegd dat de jongere of de ouders zijn geïnformeerd.")
    ).to_be_visible()
    panel = page.locator(f"#signal-{own.pk}")
    panel.get_by_text("Signaal intrekken").click()
    panel.get_by_label("Het signaal is ten onrechte afgegeven").check()
    panel.get_by_role("button", name="Intrekken").click()
    expect(page.get_by_text("Signaal ingetrokken")).to_be_visible()
    expect(page.locator(f"#signal-{own.pk}")).to_contain_text("ingetrokken")
    assert_accessible(page)
    shot(page, "15-vi-withdrawn")
