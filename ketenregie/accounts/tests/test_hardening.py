"""Accounts hardening (issue 11, ADR 11): four eyes on role grants that open cases, a
one-time set-up link instead of a password chosen by the beheerder, mandatory MFA with a
beheerder reset, and allauth's mails link-only in the product's Dutch."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.models import AccountSetupLink, RoleAssignment, RoleGrantRequest, User
from ketenregie.accounts.roles import GRANT_NEEDS_APPROVAL, Role
from ketenregie.audit.models import AuditEvent
from ketenregie.tests_support.factories import HouseFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Test-wachtwoord-123!"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the factories' TOTP secret
NEW_PASSWORD = "Een-eigen-wachtwoord-2026"


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def beheer_a() -> Any:
    return UserFactory(roles=[(Role.BEHEERDER, None)])


@pytest.fixture
def beheer_b() -> Any:
    return UserFactory(roles=[(Role.BEHEERDER, None)])


def _create_user(client: Client, roles: list[str], email: str = "", **extra: Any) -> Any:
    return client.post(
        reverse("manage_create", args=["gebruikers"]),
        {
            "username": "nieuw.account",
            "first_name": "Nieuw",
            "last_name": "Account",
            "email": email,
            "organisation": OrganisationFactory().pk,
            "is_active": "on",
            "roles": roles,
            **extra,
        },
    )


def _setup_path(text: str) -> str:
    match = re.search(r"/account-instellen/[A-Za-z0-9_-]+/", text)
    assert match, text
    return match.group(0)


# --- Finding 2: four eyes on role grants ---------------------------------------------------


def test_only_the_figures_role_is_granted_without_approval() -> None:
    assert frozenset(Role) - GRANT_NEEDS_APPROVAL == {Role.BELEID}


def test_case_role_grant_is_pending_until_a_second_beheerder_approves(
    beheer_a: User, beheer_b: User
) -> None:
    house = HouseFactory()
    user = UserFactory()
    resp = _client_for(beheer_a).post(
        reverse("manage_edit", args=["gebruikers", user.pk]),
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "organisation": user.organisation_id,
            "is_active": "on",
            "roles": [f"procesregisseur|{house.pk}"],
            "version": user.version,
        },
    )
    assert resp.status_code == 302
    assert not RoleAssignment.objects.filter(user=user).exists()
    grant = RoleGrantRequest.objects.get(user=user)
    assert grant.state == RoleGrantRequest.State.PENDING and grant.requested_by == beheer_a

    second = _client_for(beheer_b)
    page = second.get(reverse("grant_requests")).content.decode()
    assert "Goedkeuren" in page and user.username in page
    resp = second.post(reverse("grant_decide", args=[grant.pk]), {"decision": "approve"})
    assert resp.status_code == 302
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.APPROVED and grant.decided_by == beheer_b
    assert RoleAssignment.objects.filter(user=user, role=Role.PROCESREGISSEUR, house=house).exists()
    approved = AuditEvent.objects.get(action="user.role_grant_approved")
    assert approved.actor_id == beheer_b.pk
    assert approved.data["rol"] == f"procesregisseur@{house.pk}"
    assert AuditEvent.objects.get(action="user.role_grant_requested").actor_id == beheer_a.pk


def test_requester_cannot_approve_his_own_request(beheer_a: User) -> None:
    user = UserFactory()
    client = _client_for(beheer_a)
    url = reverse("manage_edit", args=["gebruikers", user.pk])
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": user.organisation_id,
        "is_active": "on",
        "roles": ["privacy_officer|"],
        "version": user.version,
    }
    assert client.post(url, data).status_code == 302
    grant = RoleGrantRequest.objects.get(user=user)
    page = client.get(reverse("grant_requests")).content.decode()
    assert "Wacht op een andere beheerder" in page and "Goedkeuren" not in page
    resp = client.post(reverse("grant_decide", args=[grant.pk]), {"decision": "approve"})
    assert resp.status_code == 403
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.PENDING
    assert not RoleAssignment.objects.filter(user=user, role=Role.PRIVACY_OFFICER).exists()
    assert not AuditEvent.objects.filter(action="user.role_grant_approved").exists()


def test_the_user_the_role_is_for_cannot_approve_it(beheer_a: User, beheer_b: User) -> None:
    grant = RoleGrantRequest.objects.create(
        user=beheer_b, role=Role.PRIVACY_OFFICER, requested_by=beheer_a
    )
    resp = _client_for(beheer_b).post(
        reverse("grant_decide", args=[grant.pk]), {"decision": "approve"}
    )
    assert resp.status_code == 403
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.PENDING


def test_the_database_refuses_a_decision_by_the_requester(beheer_a: User) -> None:
    grant = RoleGrantRequest.objects.create(
        user=UserFactory(), role=Role.PROFESSIONAL, requested_by=beheer_a
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrantRequest.objects.filter(pk=grant.pk).update(
            state=RoleGrantRequest.State.APPROVED, decided_by=beheer_a
        )


def test_rejected_grant_adds_no_role_and_is_audited(beheer_a: User, beheer_b: User) -> None:
    user = UserFactory()
    grant = RoleGrantRequest.objects.create(
        user=user, role=Role.PROFESSIONAL, requested_by=beheer_a
    )
    client = _client_for(beheer_b)
    client.post(reverse("grant_decide", args=[grant.pk]), {"decision": "reject"})
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.REJECTED
    assert not RoleAssignment.objects.filter(user=user, role=Role.PROFESSIONAL).exists()
    assert AuditEvent.objects.filter(action="user.role_grant_rejected").count() == 1
    # Decided once: a second decision changes nothing and says why.
    resp = client.post(
        reverse("grant_decide", args=[grant.pk]), {"decision": "approve"}, follow=True
    )
    assert "Over deze aanvraag is al besloten." in resp.content.decode()
    assert not RoleAssignment.objects.filter(user=user, role=Role.PROFESSIONAL).exists()


def test_removing_a_role_needs_no_approval(beheer_a: User) -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    resp = _client_for(beheer_a).post(
        reverse("manage_edit", args=["gebruikers", user.pk]),
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "organisation": user.organisation_id,
            "is_active": "on",
            "roles": [],
            "version": user.version,
        },
    )
    assert resp.status_code == 302
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert not RoleGrantRequest.objects.exists()


def test_non_beheerder_cannot_see_or_decide_requests() -> None:
    grant = RoleGrantRequest.objects.create(
        user=UserFactory(), role=Role.PROFESSIONAL, requested_by=UserFactory()
    )
    other = _client_for(UserFactory(roles=[(Role.PRIVACY_OFFICER, None)]))
    assert other.get(reverse("grant_requests")).status_code == 403
    assert (
        other.post(reverse("grant_decide", args=[grant.pk]), {"decision": "approve"}).status_code
        == 403
    )


# --- Finding 2: the one-time set-up link ----------------------------------------------------


def test_beheerder_cannot_give_a_new_account_a_password(beheer_a: User) -> None:
    resp = _create_user(_client_for(beheer_a), [], password="Een-goed-wachtwoord-2026")
    user = User.objects.get(username="nieuw.account")
    assert not user.check_password("Een-goed-wachtwoord-2026")
    assert not user.has_usable_password()
    assert resp.status_code == 200 and "U ziet de link alleen nu" in resp.content.decode()
    assert (
        'name="password"'
        not in _client_for(beheer_a)
        .get(reverse("manage_create", args=["gebruikers"]))
        .content.decode()
    )


def test_setup_link_is_mailed_link_only_and_works_once(
    beheer_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        resp = _create_user(_client_for(beheer_a), [], email="nieuw@example.invalid")
    # Mailed, so not shown to the beheerder.
    assert "/account-instellen/" not in resp.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuw@example.invalid"]
    assert message.subject == "Ketenregie: uw account instellen"
    assert "nieuw.account" not in message.body and "Nieuw" not in message.body
    path = _setup_path(message.body)
    token = path.rstrip("/").rsplit("/", 1)[1]
    # Only the hash is stored.
    link = AccountSetupLink.objects.get()
    assert token not in link.token_hash
    assert AuditEvent.objects.filter(action="user.setup_link_issued").count() == 1

    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200 and "nieuw.account" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    weak = anonymous.post(path, {"new_password1": "kort", "new_password2": "kort"})
    assert weak.status_code == 200 and "te kort" in weak.content.decode()
    done = anonymous.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("account_login")
    user = User.objects.get(username="nieuw.account")
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.get(action="user.setup_completed").actor_id == user.pk

    # Used once: the link now says so and sets nothing.
    again = anonymous.get(path)
    assert again.status_code == 410 and "al gebruikt" in again.content.decode()
    other = "Ander-wachtwoord-2026"
    retry = anonymous.post(path, {"new_password1": other, "new_password2": other})
    assert retry.status_code == 410
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # Next: log in; without TOTP the product sends the user to set it up.
    anonymous.post(reverse("account_login"), {"login": "nieuw.account", "password": NEW_PASSWORD})
    resp = anonymous.get(reverse("dashboard"))
    assert resp.status_code == 302 and resp["Location"] == reverse("mfa_activate_totp")
    anonymous.post(reverse("account_reauthenticate"), {"password": NEW_PASSWORD})
    activate = anonymous.get(reverse("mfa_activate_totp")).content.decode()
    assert "Authenticator-app instellen" in activate
    secret = re.search(r'value="([A-Z2-7]{16,})"', activate)
    assert secret is not None
    anonymous.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret.group(1)).now()})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert anonymous.get(reverse("dashboard")).status_code == 200


def test_setup_link_without_email_is_shown_once_and_expires(beheer_a: User) -> None:
    resp = _create_user(_client_for(beheer_a), [])
    html = resp.content.decode()
    assert "U ziet de link alleen nu" in html and "no-store" in resp["Cache-Control"]
    path = _setup_path(html)
    anonymous = Client()
    assert anonymous.get(path).status_code == 200
    later = timezone.now() + dt.timedelta(hours=73)
    with time_machine.travel(later):
        page = anonymous.get(path)
        assert page.status_code == 410 and "verlopen" in page.content.decode()
        post = anonymous.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert post.status_code == 410
    assert not User.objects.get(username="nieuw.account").has_usable_password()


def test_a_new_link_replaces_the_old_and_not_for_a_set_up_account(beheer_a: User) -> None:
    client = _client_for(beheer_a)
    first = _setup_path(_create_user(client, []).content.decode())
    user = User.objects.get(username="nieuw.account")
    second = _setup_path(client.post(reverse("manage_setup_link", args=[user.pk])).content.decode())
    anonymous = Client()
    assert anonymous.get(first).status_code == 410
    assert anonymous.get(second).status_code == 200
    assert anonymous.get("/account-instellen/onzin/").status_code == 410
    # An account with a password of its own gets no set-up link (no takeover by link).
    set_up = UserFactory()
    resp = client.post(reverse("manage_setup_link", args=[set_up.pk]), follow=True)
    assert "Dit account is al ingesteld" in resp.content.decode()
    assert not AccountSetupLink.objects.filter(user=set_up).exists()


# --- Finding 7: MFA is mandatory ---------------------------------------------------------------


def _real_login(client: Client, user: User) -> None:
    client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    resp = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(SECRET).now()})
    assert resp.status_code == 302


def test_user_cannot_deactivate_own_totp() -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    client = Client()
    _real_login(client, user)
    # allauth asks for the password again before security changes: give it, as a user would.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    url = "/accounts/2fa/totp/deactivate/"
    assert client.get(url).status_code == 302
    resp = client.post(url, {}, follow=True)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert "kan niet worden uitgeschakeld" in resp.content.decode()


def test_mfa_page_offers_no_deactivation() -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    client = Client()
    _real_login(client, user)
    html = client.get(reverse("mfa_index")).content.decode()
    assert "Tweestapsverificatie" in html
    assert "deactivate" not in html and "uitschakelen" not in html.lower().replace(
        "kan niet worden uitgeschakeld", ""
    )


def test_allauth_adapter_refuses_to_delete_an_authenticator() -> None:
    from allauth.mfa.adapter import get_adapter

    user = UserFactory()
    assert not get_adapter().can_delete_authenticator(Authenticator.objects.get(user=user))


def test_beheerder_resets_mfa_of_another_user(beheer_a: User) -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00", "used_mask": 0}
    )
    client = _client_for(beheer_a)
    page = client.get(reverse("manage_edit", args=["gebruikers", user.pk])).content.decode()
    assert "MFA resetten" in page
    resp = client.post(reverse("manage_mfa_reset", args=[user.pk]))
    assert resp.status_code == 302
    assert not Authenticator.objects.filter(user=user).exists()
    ev = AuditEvent.objects.get(action="user.mfa_reset")
    assert ev.actor_id == beheer_a.pk and ev.data["verwijderd"] == ["recovery_codes", "totp"]
    # At the next login the user must set TOTP up again.
    again = Client()
    again.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    resp = again.get(reverse("case_list"))
    assert resp.status_code == 302 and resp["Location"] == reverse("mfa_activate_totp")


def test_beheerder_cannot_reset_his_own_mfa(beheer_a: User) -> None:
    client = _client_for(beheer_a)
    page = client.get(reverse("manage_edit", args=["gebruikers", beheer_a.pk])).content.decode()
    assert "MFA resetten" not in page
    assert client.post(reverse("manage_mfa_reset", args=[beheer_a.pk])).status_code == 403
    assert Authenticator.objects.filter(user=beheer_a).exists()
    assert not AuditEvent.objects.filter(action="user.mfa_reset").exists()


# --- Finding 13: allauth's mails --------------------------------------------------------------


def test_password_reset_mails_only_known_addresses_link_only_in_dutch() -> None:
    UserFactory(username="j.jansen", email="bekend@example.invalid")
    client = Client()
    client.post(reverse("account_reset_password"), {"email": "onbekend@example.invalid"})
    assert mail.outbox == []
    client.post(reverse("account_reset_password"), {"email": "bekend@example.invalid"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Ketenregie: Wachtwoord opnieuw instellen"
    assert "testserver" not in message.subject and "j.jansen" not in message.subject
    assert "j.jansen" not in message.body and "testserver" not in message.body.split("http")[0]
    assert "Hello" not in message.body and "username" not in message.body
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1 and "/accounts/password/reset/key/" in links[0]
    assert "geen persoonsgegevens" in message.body and "uw account" in message.body


def test_mfa_reset_ends_the_users_running_sessions(beheer_a: User) -> None:
    # Whoever holds the lost device may still be logged in: the reset ends that session.
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    holder = _client_for(user)
    assert holder.get(reverse("case_list")).status_code == 200
    _client_for(beheer_a).post(reverse("manage_mfa_reset", args=[user.pk]))
    resp = holder.get(reverse("case_list"))
    assert resp.status_code == 302 and reverse("account_login") in resp["Location"]
