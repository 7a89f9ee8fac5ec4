"""Issue 15, slice consent, in the browser (Venlo, the household-variant house):

* the screener starts a waiting household referral without the triage: the start form
  asks for the client's consent to coordination (recorded with the start) or an explicit
  start without it, with a reason; without consent the case page warns and leads to the
  meldcode, and the household page says on what footing coordination started;
* a consent to coordination withdrawn later warns on the case page;
* a meeting recorded afterwards is held: no "Gepland", no "Komt u?".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, log_in, shot
from ketenregie.cases.household_queries import current_coordination_consent
from ketenregie.cases.models import Case, CaseMembership, CaseRole, Consent
from ketenregie.cases.workflow import START_STATUSES, Status
from ketenregie.core.timeutil import today
from ketenregie.plans.models import Meeting

REASON = "Vader dreigt; moeder durft niet te tekenen. De kinderen zijn getuige van geweld."


def _regisseur_of(case: Case) -> str:
    lead = CaseMembership.objects.active_on(today()).get(
        case=case, role=CaseRole.PROCESREGISSEUR, user__isnull=False
    )
    assert lead.user is not None
    return lead.user.username


def _switch(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, username)


def test_start_without_consent_leads_to_the_meldcode(page: Page, demo: Any) -> None:
    base = demo.url
    case = Case.objects.get(
        house__household_variant=True,
        status=Status.AANGEMELD,
        person__achternaam="Brouwers-Demo",
    )
    log_in(page, base, "tv.venlo")
    page.goto(f"{base}/aanmeldingen/{case.pk}/")
    section = page.locator("section", has=page.get_by_role("heading", name="Huishoudvariant"))
    consent = section.locator("#household-consent")
    # Nothing recorded yet: the screener records the consent with the start...
    expect(consent).not_to_contain_text("de toestemming is vastgelegd")
    consent.get_by_label("Ja, de klant geeft toestemming: nu vastleggen").check()
    consent.get_by_label("Gegeven door (gezinslid)").select_option(index=1)
    consent.get_by_label("Gegeven op").fill(today().isoformat())
    consent.get_by_label("Mondeling").check()
    assert_accessible(page)
    section.scroll_into_view_if_needed()
    shot(page, "15-consent-01-start-with-consent")

    # ... or, as here, starts without consent: the reason is required, what was typed stays.
    consent.get_by_label("Nee, zonder toestemming starten: de meldcode wordt gevolgd").check()
    section.get_by_role("button", name="Coördinatie starten zonder triage").click()
    section = page.locator("section", has=page.get_by_role("heading", name="Huishoudvariant"))
    expect(section).to_contain_text("Vul in waarom de coördinatie zonder toestemming")
    expect(section).to_contain_text("Kies de procesregisseur die de PGA start.")
    expect(
        section.get_by_label("Nee, zonder toestemming starten: de meldcode wordt gevolgd")
    ).to_be_checked()
    assert_accessible(page)
    section.scroll_into_view_if_needed()
    shot(page, "15-consent-02-start-without-consent-errors")
    section.get_by_label("Reden om zonder toestemming te starten").fill(REASON)
    section.get_by_label("Procesregisseur").select_option(index=1)
    section.get_by_role("button", name="Coördinatie starten zonder triage").click()
    expect(page.get_by_text("De coördinatie is gestart")).to_be_visible()
    case.refresh_from_db()
    assert case.status == Status.PGA_GESTART
    assert not Consent.objects.filter(case=case).exists()

    _switch(page, base, _regisseur_of(case))
    page.goto(f"{base}/casussen/{case.pk}/")
    warning = page.locator("#consent-warning")
    expect(warning).to_contain_text("Coördinatie gestart zonder toestemming van de klant")
    expect(warning).to_contain_text(REASON)
    assert_accessible(page)
    shot(page, "15-consent-03-case-warning")
    warning.get_by_role("link", name="Naar de meldcode van deze casus").click()
    expect(page.get_by_role("heading", name="Meldcode huiselijk geweld", level=1)).to_be_visible()
    shot(page, "15-consent-04-meldcode")
    page.goto(f"{base}/casussen/{case.pk}/huishouden/")
    expect(page.locator("#coordination-start")).to_contain_text("zonder toestemming")
    expect(page.locator("#consent-warning")).to_be_visible()
    assert_accessible(page)
    page.locator("#h-consent").scroll_into_view_if_needed()
    shot(page, "15-consent-05-household")


def test_withdrawn_consent_warns_on_the_case_page(page: Page, demo: Any) -> None:
    base = demo.url
    case = next(
        c
        for c in Case.objects.filter(
            house__household_variant=True,
            status__in=START_STATUSES,
            consents__subject=Consent.Subject.COORDINATIE,
            consents__withdrawn_on__isnull=False,
        ).order_by("pk")
        if current_coordination_consent(c) is None
    )
    log_in(page, base, _regisseur_of(case))
    page.goto(f"{base}/casussen/{case.pk}/")
    warning = page.locator("#consent-warning")
    expect(warning).to_contain_text("Toestemming voor coördinatie ingetrokken")
    expect(warning.get_by_role("link", name="Naar de meldcode van deze casus")).to_be_visible()
    assert_accessible(page)
    shot(page, "15-consent-06-withdrawn-warning")


def test_meeting_recorded_afterwards_is_held(page: Page, demo: Any) -> None:
    base = demo.url
    case = Case.objects.filter(
        house__household_variant=True, status=Status.IN_UITVOERING, household__isnull=False
    ).order_by("pk")[0]
    log_in(page, base, _regisseur_of(case))
    page.goto(f"{base}/casussen/{case.pk}/overleg/nieuw/")
    now = timezone.localtime()
    start = max(now - dt.timedelta(hours=2), now.replace(hour=0, minute=0))
    end = min(start + dt.timedelta(minutes=30), now)
    page.get_by_label("Soort overleg").select_option("incidenteel")
    page.get_by_label("Datum").fill(start.date().isoformat())
    page.get_by_label("Begintijd").fill(f"{start:%H:%M}")
    page.get_by_label("Eindtijd").fill(f"{end:%H:%M}")
    page.get_by_label("Locatie").fill("Stadskantoor Venlo")
    page.locator("input[name='participants']").first.check()
    page.get_by_label("Achteraf vastleggen: dit overleg heeft al plaatsgevonden").check()
    before = set(Meeting.objects.filter(case=case).values_list("pk", flat=True))
    page.get_by_role("button", name="Plannen en uitnodigen").click()
    expect(page.get_by_text("Overleg achteraf vastgelegd")).to_be_visible()
    meeting = Meeting.objects.filter(case=case).exclude(pk__in=before).get()
    assert meeting.state == Meeting.State.HELD
    head = page.locator(".kr-page-head")
    expect(head).to_contain_text("Gehouden")
    expect(head).not_to_contain_text("Gepland")
    expect(page.get_by_text("Komt u?")).to_have_count(0)
    expect(page.locator("#minutes_form form")).to_have_count(1)
    assert_accessible(page)
    shot(page, "15-consent-07-meeting-held")
    page.goto(f"{base}/overleggen/")
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Gepland"))
    expect(upcoming).not_to_contain_text(f"{start:%H:%M}")
    assert_accessible(page)
    shot(page, "15-consent-08-meetings")
