"""Browser journeys: Playwright drives Debian's chromium against pytest-django's live server.

Never `playwright install`: the browser is /usr/bin/chromium (installed by `make test`).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# from here are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Demo-Ketenregie-2026!"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db: None, live_server: Any) -> Any:
    from django.core.management import call_command

    call_command("load_demo", "--cases", "60", verbosity=0)
    return live_server


def totp_code(username: str) -> str:
    auth = Authenticator.objects.get(user__username=username, type=Authenticator.Type.TOTP)
    # Not in the last seconds of a 30-second step: the code must still count when it lands.
    while time.time() % 30 > 27:
        time.sleep(0.5)
    return pyotp.TOTP(decrypt(auth.data["secret"])).now()


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Tweestapsverificatie")).to_be_visible()
    page.get_by_label("Code").fill(totp_code(username))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Goedendag")


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_load_state("load")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_accessible(page: Page) -> None:
    # A text can be "visible" to Playwright before the head's stylesheets have loaded;
    # axe would then judge the component library's fallback colours, not the theme's
    # (a CI run saw a status badge at #80a659, the library's default). Wait for "load".
    page.wait_for_load_state("load")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def fill_necessity(form: Locator | Page) -> None:
    """Answer the data-sharing checklist's necessity checks on a form that shares data
    (the bekendheidscheck answer, the escalation): proportional, subsidiary, informed."""
    form.get_by_label(re.compile(r"^Proportionaliteit:")).check()
    form.get_by_label("Toelichting proportionaliteit").fill("Alleen wat voor de aanpak nodig is.")
    form.get_by_label(re.compile(r"^Subsidiariteit:")).check()
    form.get_by_label("Toelichting subsidiariteit").fill(
        "Een minder ingrijpende weg volstaat niet."
    )
    form.locator("input[name$='person_informed'][value='ja']").check()


def directed_client_systems(**filters: Any) -> list[tuple[Any, Any]]:
    """Running client systems' cases of the demo with a plan (and `filters`), each with
    its current procesregisseur: the household journeys' starting points."""
    from ketenregie.cases.models import Case, CaseMembership, CaseRole
    from ketenregie.cases.workflow import RUNNING_STATUSES
    from ketenregie.core.timeutil import today

    out = []
    for case in Case.objects.filter(
        household__isnull=False,
        house__household_variant=True,
        status__in=RUNNING_STATUSES,
        plan__isnull=False,
        **filters,
    ).order_by("code"):
        row = (
            CaseMembership.objects.filter(case=case, role=CaseRole.PROCESREGISSEUR)
            .active_on(today())
            .exclude(user=None)
            .select_related("user")
            .first()
        )
        if row is not None and row.user is not None:
            out.append((case, row.user))
    return out
