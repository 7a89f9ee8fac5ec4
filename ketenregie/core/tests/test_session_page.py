"""The page "Mijn sessie": behind login, shows who is logged in; the benchmark's floor page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_session_page_names_the_user(client: Client) -> None:
    user = UserFactory(first_name="Fleur", last_name="Floor")
    client.force_login(user)
    response = client.get(reverse("session_status"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mijn sessie" in body and "Fleur Floor" in body
    assert "no-cache" in response["Cache-Control"]


def test_session_page_needs_login(client: Client) -> None:
    response = client.get(reverse("session_status"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_session_page_sits_behind_the_mfa_middleware(client: Client) -> None:
    user = UserFactory()
    user.authenticator_set.all().delete()
    client.force_login(user)
    response = client.get(reverse("session_status"))
    assert response.status_code == 302 and reverse("mfa_activate_totp") in response["Location"]
