"""Journey 9 in the browser: the privacy officer answers a subject access request for a
person with two cases and an adviser's views, sees the data-sharing register, and runs
retention (DOMAIN.md section 3; issue 13)."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management import call_command
from django.db.models import Count
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e.conftest import assert_accessible, log_in, shot
from ketenregie.accounts.models import House
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Case, CaseMembership, CaseRole, DeletedCaseCount
from ketenregie.core.timeutil import today
from ketenregie.privacy.models import LegalHold, Withholding
from ketenregie.privacy.retention import due_cases


def _person_with_two_cases_and_adviser_views() -> tuple[Any, list[Case], Any]:
    """The demo's person with more than one case whose cases an adviser has read."""
    persons = (
        Case.objects.values("person_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values_list("person_id", flat=True)
    )
    for person_id in persons:
        cases = list(Case.objects.filter(person_id=person_id).order_by("pk"))
        adviser = (
            CaseMembership.objects.filter(
                case__in=cases, role=CaseRole.ADVISEUR, user__isnull=False
            )
            .select_related("user", "user__organisation")
            .first()
        )
        if (
            adviser
            and AuditEvent.objects.filter(
                action="case.viewed", actor=adviser.user, case_id__in=[c.pk for c in cases]
            ).exists()
        ):
            return cases[0].person, cases, adviser.user
    raise AssertionError("the demo has no person with two cases and an adviser's views")


def test_privacy_officer_answers_a_subject_access_request(page: Page, demo: Any) -> None:
    person, cases, adviser = _person_with_two_cases_and_adviser_views()
    log_in(page, demo.url, "fg")

    # The privacy dashboard: the FG's landing, with the register, requests and retention.
    page.get_by_role("link", name="Privacy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Privacy")
    assert_accessible(page)
    shot(page, "09-privacy-dashboard")

    # Find the person by BSN and open the review of the export.
    page.goto(f"{demo.url}/inzageverzoek/")
    page.get_by_label("BSN").fill(person.bsn)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text(person.achternaam).first).to_be_visible()
    shot(page, "09-subject-access-found")
    page.get_by_role("button", name="Beoordelen en vrijgeven").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inzage")
    for case in cases:
        expect(page.get_by_text(case.code).first).to_be_visible()
    # Every view is on the page: the adviser's read, with name and organisation.
    expect(page.get_by_text(adviser.get_full_name()).first).to_be_visible()
    assert_accessible(page)
    shot(page, "09-subject-access-review")

    # Withhold one passage with a reason (e.g. a running criminal investigation).
    # (the last passage on the page: a row of the trail of views and receipts)
    mark = page.locator("input[name='withhold']").last
    mark_id = mark.get_attribute("value")
    mark.check()
    page.locator(f'[id="reason-{mark_id}"]').fill("Lopend strafrechtelijk onderzoek")
    page.get_by_role("button", name="Beoordeling opslaan").first.click()
    expect(page.get_by_role("status").filter(has_text="Gemarkeerd om weg te laten")).to_be_visible()
    assert Withholding.objects.filter(reason="Lopend strafrechtelijk onderzoek").count() == 1
    shot(page, "09-subject-access-withheld")

    # Release: the PDF for the person and the machine-readable JSON.
    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="PDF voor betrokkene").click()
    with open(pdf_download.value.path(), "rb") as pdf:
        pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "Lopend strafrechtelijk onderzoek" in pdf_text
    assert all(case.code in pdf_text for case in cases)
    with page.expect_download() as json_download:
        page.get_by_role("button", name="JSON (machineleesbaar)").click()
    with open(json_download.value.path(), encoding="utf-8") as raw:
        export = json.load(raw)
    views = json.dumps(export, ensure_ascii=False)
    assert adviser.get_full_name() in views and str(adviser.organisation) in views
    assert (
        AuditEvent.objects.filter(
            action="privacy.subject_access_exported", object_id=str(person.pk)
        ).count()
        == 2
    )

    # The data-sharing register: the export itself is a row, to the person.
    page.get_by_role("link", name="Gegevensdeling").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("gegevensdeling")
    expect(page.get_by_text(cases[0].code).first).to_be_visible()
    assert_accessible(page)
    shot(page, "09-sharing-register")

    # Retention: the cases past their period, one held with a reason, then the daily job.
    page.goto(f"{demo.url}/bewaartermijnen/")
    houses = House.objects.values_list("pk", flat=True)
    due = [d for d in due_cases(house_ids=houses, until=today()) if d.hold is None]
    assert len(due) >= 2, "the demo has closed cases past retention"
    held = due[0].case
    shot(page, "09-retention-due")
    page.get_by_role("link", name=f"Blokkeren {held.code}").click()
    page.get_by_label("Reden").fill("Klacht van betrokkene in behandeling")
    page.get_by_role("button", name="Blokkeren").click()
    expect(page.get_by_text("Klacht van betrokkene in behandeling").first).to_be_visible()
    assert LegalHold.objects.filter(case=held, lifted_at__isnull=True).exists()

    # The scheduler runs the daily job; the FG sees what it left behind.
    call_command("apply_retention", verbosity=0)
    page.reload()
    expect(page.get_by_role("heading", name="Verwijderd na de bewaartermijn")).to_be_visible()
    assert Case.objects.filter(pk=held.pk).exists()
    assert not Case.objects.filter(pk=due[1].case.pk).exists()
    assert DeletedCaseCount.objects.exists()
    assert_accessible(page)
    shot(page, "09-retention-after-run")
    call_command("verify_audit", verbosity=0)
