"""The pages the kernel serves itself: the health check and "Mijn sessie"."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
@never_cache
def session_status(request: HttpRequest) -> HttpResponse:
    """The page "Mijn sessie": who is logged in and when the session ends without activity.

    Also the benchmark's floor page (bench/pages.py): behind the session, login and MFA
    middleware and the base template with its navigation, and nothing more, so every other
    page's cost is measured against it.
    """
    expires = timezone.now() + dt.timedelta(seconds=request.session.get_expiry_age())
    return TemplateResponse(request, "core/session.html", {"expires": expires})
