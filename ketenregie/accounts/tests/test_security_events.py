"""Every security event around login is audited, counted right, and cannot flood the trail.

Security review finding 4: 12 wrong passwords wrote 5 rows; the lockout, attempts while
locked, address-blocked attempts, failed TOTP codes after the 5th and CSRF failures wrote
none, and a username that matched no account was kept as typed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyotp
import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent, EventTally
from ketenregie.audit.services import term_digest
from ketenregie.tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Test-wachtwoord-123!"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the factories' TOTP secret
# A minute's start plus a few seconds: a burst of attempts stays within one minute.
START = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)


def _attempt(client: Client, username: str, password: str = "fout-wachtwoord") -> Any:  # noqa: S107
    return client.post(reverse("account_login"), {"login": username, "password": password})


def _flushed_counts(**filters: Any) -> dict[str, int]:
    """Per action, the attempts the trail accounts for (`aantal` summed), after the
    minute's summaries were written (as `seal_audit` does from cron)."""
    call_command("seal_audit", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    counts: dict[str, int] = {}
    for ev in AuditEvent.objects.filter(**filters):
        counts[ev.action] = counts.get(ev.action, 0) + int(ev.data.get("aantal", 1))
    return counts


def test_twelve_wrong_passwords_are_all_counted_and_the_lockout_recorded(client: Client) -> None:
    user = UserFactory()
    with time_machine.travel(START, tick=False):
        for _ in range(12):
            _attempt(client, user.username)
        # The right password is refused too while the account is locked, and counted.
        assert "Te veel" in _attempt(client, user.username, PASSWORD).content.decode()
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        counts = _flushed_counts(actor=user)
    assert counts["auth.login_failed"] == 5  # then the 5/5m limit locks the username
    assert counts["auth.login_blocked"] == 8  # 7 wrong + the right password
    assert counts["auth.login_failed"] + counts["auth.login_blocked"] == 13
    lockout = AuditEvent.objects.get(action="auth.locked_out", data__blokkade="account")
    assert lockout.actor_id == user.pk and lockout.data["stap"] == "wachtwoord"
    # Flood-proof: at most the first event and one summary per action, subject and
    # minute. Refusals by the username limit alone and (from the 11th attempt) by the
    # address limit too are counted apart, so a summary never mixes them: 2 x 2 rows.
    blocked = AuditEvent.objects.filter(action="auth.login_blocked")
    assert sorted(tuple(ev.data["blokkade"]) for ev in blocked) == [
        ("account",),
        ("account",),
        ("account", "adres"),
        ("account", "adres"),
    ]
    assert not EventTally.objects.exists()


def test_address_blocked_attempts_are_recorded(client: Client) -> None:
    # 10 failures a minute per address: spraying usernames is stopped and recorded.
    users = UserFactory.create_batch(12)
    with time_machine.travel(START, tick=False):
        for user in users:
            _attempt(client, user.username)
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        counts = _flushed_counts(action__startswith="auth.")
    assert counts["auth.login_failed"] == 10
    assert counts["auth.login_blocked"] == 2
    lockout = AuditEvent.objects.get(action="auth.locked_out")
    assert lockout.data["blokkade"] == "adres" and lockout.actor_id == users[9].pk
    blocked = AuditEvent.objects.filter(action="auth.login_blocked").first()
    assert blocked is not None and blocked.data["blokkade"] == ["adres"]


def test_unknown_username_is_stored_only_as_keyed_digest(client: Client) -> None:
    # Someone typed their password into the username field.
    typed = "Mijn-Geheime-Wachtwoord-77"
    with time_machine.travel(START, tick=False):
        for _ in range(7):
            _attempt(client, typed)
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        counts = _flushed_counts(action__startswith="auth.")
    assert counts["auth.login_failed"] + counts["auth.login_blocked"] == 7
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()
    rows = list(AuditEvent.objects.values())
    assert rows and all(row["actor_id"] is None for row in rows)
    dumped = json.dumps(rows, default=str).lower()
    assert typed.lower() not in dumped
    assert all(row["data"]["gebruikersnaam_sha256"] == term_digest(typed) for row in rows)


def test_failed_totp_codes_after_the_fifth_are_recorded(client: Client) -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    with time_machine.travel(START, tick=False):
        _attempt(client, user.username, PASSWORD)
        for _ in range(7):
            resp = client.post(reverse("mfa_authenticate"), {"code": "000000"})
            assert resp.status_code == 200
        # Locked: even the right code is refused now, and that is recorded too.
        client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(SECRET).now()})
        assert client.get(reverse("case_list")).status_code == 302
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        counts = _flushed_counts(actor=user)
    assert counts["auth.mfa_failed"] == 5
    assert counts["auth.login_blocked"] == 3
    lockout = AuditEvent.objects.get(action="auth.locked_out", actor=user)
    assert lockout.data == {
        "ip": "127.0.0.1",
        "stap": "verificatiecode",
        "blokkade": "account",
        "aantal": 1,
        "minuut": "2026-03-02 10:00",
    }


def test_csrf_failure_is_recorded_with_a_dutch_page() -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    resp = client.post(reverse("feedback_read"))
    assert resp.status_code == 403
    assert "beveiligingscontrole mislukte" in resp.content.decode()
    ev = AuditEvent.objects.get(action="auth.csrf_failed")
    assert ev.actor_id == user.pk and ev.data["pad"] == reverse("feedback_read")
    # Anonymous: recorded by address.
    Client(enforce_csrf_checks=True).post(reverse("account_login"), {"login": "x"})
    assert AuditEvent.objects.filter(action="auth.csrf_failed", actor=None).count() == 1


def test_a_burst_spread_over_minutes_keeps_its_count() -> None:
    """Counts carry over minute boundaries: every minute's summary is written."""
    user = UserFactory()
    client = Client()
    for minute in range(3):
        with time_machine.travel(START + dt.timedelta(minutes=minute), tick=False):
            client.post(reverse("account_login"), {"login": user.username, "password": "x"})
    # The 5/5m limit is per username: three failures, none refused.
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        counts = _flushed_counts(actor=user)
    assert counts == {"auth.login_failed": 3}


def test_requests_refused_with_429_are_recorded(client: Client) -> None:
    # allauth's "login" limit (30 posts a minute per address) answers 429 before any
    # check; those refusals are counted too, and the page is Dutch.
    with time_machine.travel(START, tick=False):
        for _ in range(33):
            resp = _attempt(client, "onbekend")
        assert resp.status_code == 429
        assert "Te veel pogingen" in resp.content.decode()
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        counts = _flushed_counts(action__startswith="auth.")
    assert counts["auth.rate_limited"] == 3
    assert counts["auth.login_failed"] + counts["auth.login_blocked"] == 30
