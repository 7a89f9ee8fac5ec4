"""Every logged-in user must have TOTP set up before using the product.

Users without an authenticator are sent to the TOTP setup page; the check is cached in
the session once it passes, so it costs one query per session.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

SESSION_KEY = "ketenregie.mfa_ok"
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz")


class RequireMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(SESSION_KEY)
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            if Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists():
                request.session[SESSION_KEY] = True
            else:
                return redirect("mfa_activate_totp")
        return self.get_response(request)
