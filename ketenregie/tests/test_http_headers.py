"""Caching and browser-policy headers (security review finding 5) and the production
HTTPS settings (finding 6). The permission matrix asserts `no-store` on every protected
page and action; these tests cover the rest: files, error pages, logout, production."""

from __future__ import annotations

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.tests_support.factories import UserFactory

BASE_DIR = Path(settings.BASE_DIR)


def _no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_pdf_attachment_and_error_pages_are_not_stored(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    from ketenregie.intake.models import Referral
    from ketenregie.plans.services import plan_for
    from ketenregie.tests_support.files import stored_attachment

    case, member = case_with_team["case"], case_with_team["regisseur"]
    referral = Referral.objects.create(case=case, referrer=member)
    attachment = stored_attachment(referral, member)
    plan_for(case)
    client.force_login(member)
    for url, status in (
        (reverse("case_detail", args=[case.pk]), 200),
        (reverse("plan_pdf", args=[case.pk]), 200),
        (reverse("attachment_download", args=[attachment.pk]), 200),
        (reverse("case_detail", args=[case.pk + 1000]), 404),
    ):
        resp = client.get(url)
        assert resp.status_code == status, url
        assert _no_store(resp), url
    anonymous = Client()
    assert _no_store(anonymous.get(reverse("account_login")))
    assert _no_store(anonymous.get("/bestaat-niet/"))


def test_static_files_keep_their_caching(client: Client) -> None:
    resp = client.get("/static/css/ketenregie.css")
    assert resp.status_code == 200
    assert not _no_store(resp)


@pytest.mark.django_db
def test_browser_policy_headers_are_sent(client: Client) -> None:
    resp = client.get(reverse("account_login"))
    policy = resp["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy
    assert resp["Cross-Origin-Resource-Policy"] == "same-origin"
    assert resp["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "default-src 'self'" in resp["Content-Security-Policy"]


@pytest.mark.django_db
def test_logout_clears_site_data(client: Client) -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    client.force_login(user)
    page = client.get(reverse("case_list"))
    assert "Clear-Site-Data" not in page
    resp = client.post(reverse("account_logout"))
    assert resp.status_code == 302
    assert resp["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert _no_store(resp)
    # Clear-Site-Data also clears a message cookie: the login page says it by its address.
    assert "U bent uitgelogd." in client.get(resp["Location"]).content.decode()


# Production: the settings module as a production environment loads it.
PRODUCTION_ENV = {
    "KETENREGIE_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "KETENREGIE_AUDIT_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "ketenregie.example.nl",
    "KETENREGIE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
}


def _production_settings(monkeypatch: pytest.MonkeyPatch, **extra: str) -> dict[str, Any]:
    for name in ("DJANGO_DEBUG", "KETENREGIE_DEMO", "DJANGO_SECURE_COOKIES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**PRODUCTION_ENV, **extra}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_DIR / "config" / "settings.py"))


def test_production_settings_turn_on_https(monkeypatch: pytest.MonkeyPatch) -> None:
    prod = _production_settings(monkeypatch)
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert prod["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert prod["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert prod["SESSION_COOKIE_SECURE"] is True and prod["CSRF_COOKIE_SECURE"] is True
    assert prod["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    # A shorter HSTS time than a year is raised to a year.
    assert (
        _production_settings(monkeypatch, KETENREGIE_HSTS_SECONDS="60")["SECURE_HSTS_SECONDS"]
        == 31536000
    )


def test_production_refuses_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="KETENREGIE_PRODUCTION"):
        _production_settings(monkeypatch, DJANGO_DEBUG="1")


def test_development_stays_on_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KETENREGIE_PRODUCTION", raising=False)
    dev = runpy.run_path(str(BASE_DIR / "config" / "settings.py"))
    assert "SECURE_SSL_REDIRECT" not in dev and dev.get("SECURE_HSTS_SECONDS", 0) == 0


@pytest.mark.django_db
def test_production_headers_and_cookies(monkeypatch: pytest.MonkeyPatch) -> None:
    prod = _production_settings(monkeypatch)
    names = [n for n in prod if n.startswith(("SECURE_", "SESSION_COOKIE", "CSRF_COOKIE"))]
    with override_settings(
        **{n: prod[n] for n in names}, ALLOWED_HOSTS=["ketenregie.example.nl", "testserver"]
    ):
        client = Client()
        plain = client.get(reverse("account_login"))
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        # Through the TLS-terminating proxy.
        resp = client.get(reverse("account_login"), headers={"X-Forwarded-Proto": "https"})
        assert resp.status_code == 200
        assert resp["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
        assert _no_store(resp) and resp["Cross-Origin-Resource-Policy"] == "same-origin"
        cookie = resp.cookies["__Host-csrftoken"]
        assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
        user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
        client.force_login(user)
        assert "__Host-sessionid" in client.cookies
        assert client.cookies["__Host-sessionid"]["secure"]


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser journeys' live server in this process.
        if k
        not in (
            "DJANGO_DEBUG",
            "KETENREGIE_DEMO",
            "DJANGO_SECURE_COOKIES",
            "PYTEST_VERSION",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    env.update(
        PRODUCTION_ENV, KETENREGIE_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output and "System check identified no issues" in output


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_methods_other_than_get_head_post_are_refused(client: Client, method: str) -> None:
    # ASVS V13.4.4: TRACE (and the rest) used to be answered like GET.
    for path in ("/", reverse("account_login")):
        resp = client.generic(method, path)
        assert resp.status_code == 405
        assert resp["Allow"] == "GET, HEAD, POST"
        assert "no-store" in resp["Cache-Control"]
