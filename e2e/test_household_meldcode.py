"""Issue 15, slice meldcode, in the browser: the casusregisseur of a demo household case
walks the meldcode page (steps, decision questions, the report to Veilig Thuis and its
follow-up), answers the decision questions on a progress meeting's page, ends the
trajectory as lasting safety, and a case marked "acuut onveilig" shows the immediate
steps first. Every page is checked with axe; screenshots test-artifacts/15-meldcode-*.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, log_in, shot
from ketenregie.plans.models import Meeting
from ketenregie.safeguarding.meldcode_models import MeldcodeTrajectory, VeiligThuisReport


def test_casusregisseur_walks_the_meldcode(page: Page, demo: Any) -> None:
    base = demo.url
    report = VeiligThuisReport.objects.select_related("trajectory__case", "reported_by").first()
    assert report is not None, "the demo makes one report to Veilig Thuis"
    case = report.trajectory.case
    log_in(page, base, report.reported_by.username)
    page.goto(f"{base}/casussen/{case.pk}/")
    page.get_by_role("link", name="Meldcode huiselijk geweld en kindermishandeling").click()
    expect(page.get_by_role("heading", name="Meldcode huiselijk geweld", level=1)).to_be_visible()
    expect(page.get_by_text("Melden bij Veilig Thuis: nee")).to_be_visible()
    assert_accessible(page)
    shot(page, "15-meldcode-page")

    # Step 5 without a note: a Dutch message, the choice kept.
    page.locator("summary", has_text="Stap vastleggen").click()
    page.locator("#step_number").select_option("5")
    page.get_by_role("button", name="Stap vastleggen").click()
    expect(page.get_by_text("Beschrijf wat u in deze stap heeft gedaan")).to_be_visible()
    expect(page.locator("#step_number")).to_have_value("5")
    assert_accessible(page)
    shot(page, "15-meldcode-step-error")
    page.get_by_label("Wat heeft u gedaan en vastgesteld").fill(
        "Besloten: hulp via het plan van aanpak; de melding bij Veilig Thuis loopt."
    )
    page.get_by_role("button", name="Stap vastleggen").click()
    expect(page.get_by_text("Stap vastgelegd.")).to_be_visible()

    # Veilig Thuis hands the case back to the local team.
    page.locator("summary", has_text="Reactie van Veilig Thuis vastleggen").click()
    page.get_by_label(re.compile("^Reactie van Veilig Thuis")).select_option("terugverwezen")
    page.get_by_role("button", name="Reactie vastleggen").click()
    expect(page.get_by_text("Reactie van Veilig Thuis vastgelegd.")).to_be_visible()
    expect(page.get_by_text("Teruggelegd bij het lokale veld sinds")).to_be_visible()
    shot(page, "15-meldcode-veilig-thuis")

    # A new progress meeting: the questions are on the meeting's page.
    start = timezone.now() - dt.timedelta(minutes=10)
    meeting = Meeting.objects.create(
        house=case.house,
        case=case,
        kind=Meeting.Kind.INCIDENTAL,
        state=Meeting.State.PLANNED,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        location="Wijkcentrum",
        person_invited=True,
        organiser=report.reported_by,
    )
    page.goto(f"{base}/overleggen/{meeting.pk}/")
    panel = page.locator("#meldcode")
    expect(panel.get_by_role("heading", name="Meldcode: afwegingsvragen")).to_be_visible()
    answers = {1: "ja", 2: "nee", 3: "ja", 4: "ja", 5: "ja"}
    for n, value in answers.items():
        panel.locator(f"input[name='q{n}'][value='{value}']").check()
    panel.get_by_label("Toelichting bij afweging 5").fill("Afspraken worden nagekomen.")
    assert_accessible(page)
    shot(page, "15-meldcode-meeting-questions")
    panel.get_by_role("button", name="Afwegingsvragen vastleggen").click()
    expect(page.get_by_text("Afwegingsvragen van dit overleg vastgelegd.")).to_be_visible()
    expect(
        page.locator("#meldcode").get_by_text("Hulp leidt tot duurzame veiligheid")
    ).to_be_visible()

    # The casusregisseur records lasting safety: the repetition ends.
    page.goto(f"{base}/casussen/{case.pk}/meldcode/")
    page.locator("summary", has_text="Afsluiten").click()
    page.get_by_label("Duurzame veiligheid bereikt").check()
    page.get_by_role("button", name="Meldcodetraject afsluiten").click()
    expect(page.get_by_text("de afwegingsvragen worden niet meer herhaald")).to_be_visible()
    assert_accessible(page)
    shot(page, "15-meldcode-ended")
    page.goto(f"{base}/overleggen/{meeting.pk}/")
    expect(page.locator("#meldcode").get_by_text("niet meer herhaald")).to_be_visible()
    assert MeldcodeTrajectory.objects.get(pk=report.trajectory_id).end_reason == "duurzaam_veilig"


def test_acute_danger_shows_the_immediate_steps_first(page: Page, demo: Any) -> None:
    base = demo.url
    trajectory = MeldcodeTrajectory.objects.select_related("case", "started_by").get(
        acute_danger=True
    )
    log_in(page, base, trajectory.started_by.username)
    page.goto(f"{base}/casussen/{trajectory.case_id}/meldcode/")
    alert = page.get_by_role("alert").filter(has_text="Acuut gevaar")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("112")
    expect(alert).to_contain_text("0800-2000")
    # Above everything else on the page.
    alert_top = alert.bounding_box()
    steps_top = page.get_by_role("heading", name="De vijf stappen").bounding_box()
    assert alert_top and steps_top and alert_top["y"] < steps_top["y"]
    assert_accessible(page)
    shot(page, "15-meldcode-acute")
