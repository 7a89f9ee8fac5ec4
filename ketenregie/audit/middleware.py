"""Refused access is a security event: every 403 and 404 a signed-in user gets is audited.

The access gate answers a case the user may not see with 404 (so an id does not even tell
that the case exists) and an action the user's role does not allow with 403. Both are
logged here, in one place behind every view, rather than in each gate function: a
forgotten call site cannot drop the record (ASVS 16.3.2, BIO2 8.15, NEN 7513's record of
refused access). Someone walking ids makes these in floods, so they go through
`flood.record_flood_prone`: the first per user and minute at once, the rest counted.

Only the path and the status are kept, never the query string (a search term can hold a
name or a BSN).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ketenregie.audit.flood import record_flood_prone

DENIED = frozenset({403, 404})
# A fuzzed path can hold NUL and control characters: PostgreSQL's jsonb refuses \u0000,
# and the trail has no use for them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable_path(path: str) -> str:
    return _CONTROL.sub("?", path)[:300]


_UNLOGGED_PREFIXES = ("/static/", "/favicon")


class DeniedAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            response.status_code in DENIED
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(_UNLOGGED_PREFIXES)
        ):
            record_flood_prone(
                "access.denied",
                actor=user,
                subject=f"user:{user.pk}",
                data={
                    "pad": printable_path(request.path),
                    "status": response.status_code,
                    "methode": request.method or "",
                },
            )
        return response
