"""allauth adapters: accounts are made by the functioneel beheerder, never by signup;
allauth's mails follow the product's mail rules; MFA cannot be switched off."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from ketenregie.core.mail import subject_line


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def format_email_subject(self, subject: str) -> str:
        # allauth's default prefix is "[<site name>] ", the host name: the product's own
        # subject line instead (no username, no host; the templates give a neutral phrase).
        return subject_line(subject)


class MfaAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # MFA is mandatory (ADR 11): a user never removes their own authenticator; a
        # beheerder's reset (accounts.services.reset_mfa) does not go through allauth.
        return False
