"""allauth adapters: accounts are made by the functioneel beheerder, never by signup;
allauth's mails follow the product's mail rules; MFA cannot be switched off."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from ketenregie.accounts import security_events
from ketenregie.core.mail import subject_line


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def format_email_subject(self, subject: str) -> str:
        # allauth's default prefix is "[<site name>] ", the host name: the product's own
        # subject line instead (no username, no host; the templates give a neutral phrase).
        return subject_line(subject)

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        # The logout response sends Clear-Site-Data, which would also clear a message
        # cookie: the login page says "U bent uitgelogd" from its address instead.
        return reverse("account_login") + "?afgemeld=1"

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        if message_template == "account/messages/logged_out.txt":
            return  # said by the login page (get_logout_redirect_url)
        super().add_message(request, level, message_template, *args, **kwargs)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """allauth's password check, with its rate limit audited (security_events): the
        attempt that locks the username or address out, and every refused one."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        before = security_events.exhausted_limits(request, key)
        typed = str(credentials.get("username", ""))[:150]
        refused = False
        try:
            return super().authenticate(request, **credentials)
        except ValidationError as exc:
            refused = exc.code == security_events.TOO_MANY
            raise
        finally:
            security_events.record_limit_events(
                request,
                before=before,
                refused=refused,
                step="wachtwoord",
                user=security_events.known_user(typed),
                typed=typed,
                key=key,
            )


class MfaAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # MFA is mandatory (ADR 11): a user never removes their own authenticator; a
        # beheerder's reset (accounts.services.reset_mfa) does not go through allauth.
        return False
