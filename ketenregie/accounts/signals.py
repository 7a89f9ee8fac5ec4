"""Audit of logins. Auth events come from Django's auth signals: there is no service
of ours in that path, and a login is not a data change that must share a transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from ketenregie.audit import services as audit


def _ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record("auth.login", actor=user, data={"ip": _ip(request)})


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record("auth.logout", actor=user, data={"ip": _ip(request)})


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    known = get_user_model().objects.filter(username=username).first()
    audit.record(
        "auth.login_failed",
        actor=known,
        data={"gebruikersnaam": username, "ip": _ip(request)},
    )


def _connect_mfa_failed() -> None:
    from allauth.mfa.signals import authentication_failed

    @receiver(authentication_failed, weak=False)
    def on_mfa_failed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        audit.record("auth.mfa_failed", actor=user, data={"ip": _ip(request)})


_connect_mfa_failed()
