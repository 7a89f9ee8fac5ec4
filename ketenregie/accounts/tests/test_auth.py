"""Login with password and real TOTP, audit of logins, rate limit, idle timeout, totp command."""

from __future__ import annotations

import datetime as dt
import io

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Test-wachtwoord-123!"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the factories' TOTP secret


def _login(client: Client, username: str, password: str = PASSWORD) -> None:
    client.post(reverse("account_login"), {"login": username, "password": password})


def test_password_then_totp_logs_in_and_is_audited(client: Client) -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    _login(client, user.username)
    # Not logged in yet: the MFA stage asks for a code.
    resp = client.get(reverse("case_list"))
    assert resp.status_code == 302
    bad = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert bad.status_code == 200
    resp = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(SECRET).now()})
    assert resp.status_code == 302
    assert client.get(reverse("case_list")).status_code == 200
    actions = list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert "auth.mfa_failed" in actions and "auth.login" in actions


def test_failed_login_is_audited(client: Client) -> None:
    user = UserFactory()
    _login(client, user.username, "fout-wachtwoord")
    ev = AuditEvent.objects.get(action="auth.login_failed")
    # A known account is recorded by its actor (whose label is the username).
    assert ev.actor_id == user.pk and ev.actor_label == user.username
    _login(client, "bestaat-niet", "fout")
    assert AuditEvent.objects.filter(action="auth.login_failed", actor=None).count() == 1


def test_login_is_rate_limited(client: Client) -> None:
    user = UserFactory()
    for _ in range(5):
        _login(client, user.username, "fout-wachtwoord")
    resp = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert (
        resp.status_code == 429
        or "Te veel" in resp.content.decode()
        or "te veel" in resp.content.decode()
    )
    assert client.get(reverse("case_list")).status_code == 302


def test_idle_session_times_out(client: Client) -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    client.force_login(user)
    assert client.get(reverse("case_list")).status_code == 200
    later = timezone.now() + dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 5)
    with time_machine.travel(later):
        resp = client.get(reverse("case_list"))
    assert resp.status_code == 302 and reverse("account_login") in resp["Location"]


def test_activity_keeps_session_alive(client: Client) -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    client.force_login(user)
    now = timezone.now()
    for minutes in (10, 20, 30):
        with time_machine.travel(now + dt.timedelta(minutes=minutes)):
            assert client.get(reverse("case_list")).status_code == 200


def test_argon2_is_the_production_hasher() -> None:
    from config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_totp_command_only_for_demo_users() -> None:
    real = UserFactory()
    with pytest.raises(CommandError, match="geen demo-account"):
        call_command("totp", real.username)
    demo = UserFactory(is_demo=True)
    out = io.StringIO()
    call_command("totp", demo.username, stdout=out)
    assert pyotp.TOTP(SECRET).verify(out.getvalue().strip(), valid_window=1)


def test_healthz(client: Client) -> None:
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.json()["status"] == "ok"


def test_login_page_is_dutch_and_has_no_signup(client: Client) -> None:
    html = client.get(reverse("account_login")).content.decode()
    assert "Inloggen bij Ketenregie" in html and "signup" not in html
    signup = client.get("/accounts/signup/").content.decode()
    assert 'name="password1"' not in signup
