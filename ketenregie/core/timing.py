"""Server-side SQL measurement for the benchmark: a `Server-Timing` header per response.

Switched on with KETENREGIE_SQL_TIMING=1 (config/settings.py puts the middleware first, so
the session, user and MFA queries of the other middleware count too). The header follows
the Server-Timing standard, e.g. `sql;dur=3.1;desc="7 queries", app;dur=12.4`, so the load
test (bench/locustfile.py) and a browser's network panel read the same figures. Off by
default: in production it would tell every client how long the database took.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


class _SqlTally:
    """An execute wrapper that counts the statements and adds up their time."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


class SqlTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tally = _SqlTally()
        start = time.perf_counter()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(tally))
            response = self.get_response(request)
        app_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = (
            f'sql;dur={tally.seconds * 1000:.2f};desc="{tally.count} queries", app;dur={app_ms:.2f}'
        )
        return response
