"""One Dutch voice and a clean start: allauth in "u", one route for a forgotten password,
the favicon, `make run` telling the address once the server listens (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from config import gunicorn as gunicorn_config

pytestmark = pytest.mark.django_db

INFORMAL = re.compile(r"\b(je|jou|jouw|jij|jezelf|incorrect)\b", re.IGNORECASE)


def _text(html: str) -> str:
    main = html.split('id="main"', 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_a_wrong_password_is_told_in_u_and_plain_dutch(client: Client) -> None:
    response = client.post("/accounts/login/", {"login": "niemand", "password": "fout"})
    text = _text(response.content.decode())
    assert "De gebruikersnaam of het wachtwoord is niet juist." in text
    assert not INFORMAL.search(text), text


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/"])
def test_the_account_pages_say_u(client: Client, url: str) -> None:
    text = _text(client.get(url).content.decode())
    assert not INFORMAL.search(text), text


def test_allauth_messages_say_u() -> None:
    with translation.override("nl"):
        for msgid in (
            "Please type your current password.",
            "Incorrect code.",
            "Your account is protected by two-factor authentication. Please enter an "
            "authenticator code:",
            "Are you sure you want to sign out?",
            "Be patient, you are sending too many requests.",
        ):
            said = translation.gettext(msgid)
            assert said != msgid and not INFORMAL.search(said), said


def test_the_login_page_offers_one_route_for_a_forgotten_password(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    text = _text(html)
    # The reset link (allauth, by e-mail) ...
    assert 'href="/accounts/password/reset/"' in html
    # ... and the beheerder only for what the link cannot solve.
    assert "Geen account of wachtwoord vergeten" not in text
    assert "herstellink per e-mail" in text


def test_every_page_names_the_favicon_and_it_is_served(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    match = re.search(r'<link rel="icon" href="([^"]+)"', html)
    assert match, "no favicon link"
    response = client.get(match.group(1))
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)  # type: ignore[attr-defined]
    for page in ("400.html", "500.html"):
        assert 'rel="icon"' in (Path(settings.BASE_DIR) / "templates" / page).read_text()


def test_the_static_root_exists_before_collectstatic() -> None:
    """WhiteNoise warns "No directory at var/static" when it is missing at start-up."""
    assert Path(settings.STATIC_ROOT).is_dir()


def test_make_run_says_draait_op_only_once_gunicorn_listens(capsys: Any) -> None:
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "draait op" not in run and "config/gunicorn.py" in run
    server = SimpleNamespace(cfg=SimpleNamespace(address=[("127.0.0.1", 8080)]))
    gunicorn_config.when_ready(server)
    assert capsys.readouterr().out == "Ketenregie draait op http://127.0.0.1:8080/\n"
