"""Response headers that keep personal data out of caches and lock down browser features.

Every response that reaches this middleware is dynamic: WhiteNoise answers static files
before it (it sits above this one in settings.MIDDLEWARE), so those keep their long cache
lifetime. Everything else — pages behind login, PDFs, attachments, error pages,
the login page itself — is sent with `Cache-Control: no-store`, so neither the
browser nor a proxy keeps a copy of personal data (ASVS 14.3).

A response that ends a session (logout, or the absolute session lifetime running out)
also carries `Clear-Site-Data`: the browser drops what it still holds of the session.
Whoever ends the session marks the request with `mark_session_ended`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers

# Browser features the product never uses: refused for the page and anything it embeds.
# A feature the product starts to use comes off this list (passkeys, for instance, need
# publickey-credentials-get).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
_ENDED = "_ketenregie_session_ended"


def mark_session_ended(request: HttpRequest) -> None:
    """Ask for `Clear-Site-Data` on this request's response (the session has ended)."""
    setattr(request, _ENDED, True)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every dynamic response, plus the browser-policy headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Replaces any weaker Cache-Control a view set (e.g. FileResponse's none at all).
        if "Cache-Control" in response:
            del response["Cache-Control"]
        add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, _ENDED, False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


# The product's pages are read with GET (HEAD) and changed with POST; nothing else is
# served. TRACE and the like would otherwise reach the views and be answered as GET.
ALLOWED_METHODS = ("GET", "HEAD", "POST")


class AllowedMethodsMiddleware:
    """405 for any method but GET, HEAD and POST, before a view sees the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)
