"""Audit of logins. Auth events come from Django's auth signals: there is no service
of ours in that path, and a login is not a data change that must share a transaction.

Failures go through `security_events` (counted per account and minute, no raw username
for unknown accounts). A login also stamps the session with its start, for the absolute
session lifetime (`middleware.SessionLifetimeMiddleware`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from ketenregie.accounts import security_events
from ketenregie.accounts.middleware import start_session_clock
from ketenregie.audit import services as audit
from ketenregie.core.middleware import mark_session_ended


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    start_session_clock(request)
    audit.record("auth.login", actor=user, data={"ip": security_events.client_ip(request)})


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # The browser forgets what it cached and stored of the session (Clear-Site-Data).
    mark_session_ended(request)
    if user is not None:
        audit.record("auth.logout", actor=user, data={"ip": security_events.client_ip(request)})


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    security_events.record_login_failed(request, str(credentials.get("username", ""))[:150])


def _connect_mfa_failed() -> None:
    from allauth.mfa.signals import authentication_failed

    @receiver(authentication_failed, weak=False)
    def on_mfa_failed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        security_events.record_mfa_failed(request, user)


_connect_mfa_failed()
