"""Absolute session lifetime next to the idle timeout (security review finding 8).

A session used every 10 minutes never hit the 15-minute idle timeout and lived for ever.
Now it ends `SESSION_MAX_AGE` (default 10 hours) after the login: logged out, audited,
sent to the login page with a Dutch message.
"""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Test-wachtwoord-123!"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the factories' TOTP secret
START = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)


def test_default_is_ten_hours() -> None:
    assert settings.SESSION_MAX_AGE == 10 * 3600


def test_session_used_every_ten_minutes_ends_after_ten_hours(client: Client) -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    with time_machine.travel(START, tick=False):
        # The real login: password, then the TOTP step.
        client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(SECRET).now()})
        assert client.get(reverse("case_list")).status_code == 200
    minutes = 10
    while minutes <= 10 * 60:
        with time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("case_list")).status_code == 200, minutes
        minutes += 10
    assert not AuditEvent.objects.filter(action="auth.session_expired").exists()
    with time_machine.travel(START + dt.timedelta(hours=10, minutes=10), tick=False):
        resp = client.get(reverse("case_list"))
        assert resp.status_code == 302
        assert resp["Location"].startswith(reverse("account_login"))
        assert resp["Clear-Site-Data"] == '"cache", "cookies", "storage"'
        login_page = client.get(resp["Location"])
        assert "Uw sessie is beëindigd, omdat u de maximale tijd aaneengesloten" in (
            login_page.content.decode()
        )
        assert "next=%2Fcasussen%2F" in resp["Location"]
        # Logged out for good: the next page asks for a login again.
        again = client.get(reverse("case_list"))
        assert again.status_code == 302 and reverse("account_login") in again["Location"]
    expired = AuditEvent.objects.get(action="auth.session_expired")
    assert expired.actor_id == user.pk and expired.data["pad"] == reverse("case_list")
    assert AuditEvent.objects.filter(action="auth.logout", actor=user).count() == 1


def test_lifetime_is_configurable_and_counts_from_the_login(
    client: Client, settings: object
) -> None:
    settings.SESSION_MAX_AGE = 1800  # type: ignore[attr-defined]
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    with time_machine.travel(START, tick=False):
        client.force_login(user)
    for minutes in (10, 20, 29):
        with time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("case_list")).status_code == 200
    with time_machine.travel(START + dt.timedelta(minutes=35), tick=False):
        htmx = client.get(reverse("case_list"), headers={"HX-Request": "true"})
    # htmx requests are sent to the login page as a whole page, not a fragment.
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(reverse("account_login"))
    # A new login starts a new clock.
    with time_machine.travel(START + dt.timedelta(minutes=36), tick=False):
        client.force_login(user)
    for minutes in (46, 56, 65):
        with time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("case_list")).status_code == 200
