"""allauth adapter: accounts are made by the functioneel beheerder, never by signup."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from ketenregie.accounts import security_events


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

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
