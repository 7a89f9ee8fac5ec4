"""Session rules for logged-in users: an absolute lifetime, and TOTP before anything else.

`SessionLifetimeMiddleware` ends a session `SESSION_MAX_AGE` seconds (default 10 hours)
after the login, however active it is; the idle timeout (cookie age, renewed on every
request) ends it sooner after 15 minutes without activity (ADR 4, ADR 13).

`RequireMfaMiddleware`: users without an authenticator are sent to the TOTP setup page;
the check is cached in the session once it passes, so it costs one query per session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ketenregie.accounts import security_events
from ketenregie.audit import services as audit

SESSION_KEY = "ketenregie.mfa_ok"
LOGIN_AT_KEY = "ketenregie.login_at"
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz")


def start_session_clock(request: HttpRequest) -> None:
    """Stamp the session with the moment of login (from the user_logged_in signal)."""
    request.session[LOGIN_AT_KEY] = time.time()


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            if started is None:
                # A session from before this rule: its clock starts now.
                start_session_clock(request)
            elif time.time() - float(started) > settings.SESSION_MAX_AGE:
                return self._end(request)
        return self.get_response(request)

    def _end(self, request: HttpRequest) -> HttpResponse:
        audit.record(
            "auth.session_expired",
            actor=request.user,  # type: ignore[arg-type]
            data={"ip": security_events.client_ip(request), "pad": request.path[:200]},
        )
        logout(request)  # audited as auth.logout; asks for Clear-Site-Data
        # The login page explains why from its address: Clear-Site-Data also clears the
        # cookie a message would ride in.
        query = {"sessie": "verlopen"}
        if request.method == "GET" and not request.headers.get("HX-Request"):
            query["next"] = request.get_full_path()
        login = reverse(settings.LOGIN_URL) + "?" + urlencode(query)
        if request.headers.get("HX-Request"):
            # htmx would swap the login page into a fragment: send the whole page there.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login
            return response
        return redirect(login)


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
