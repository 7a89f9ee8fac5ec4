"""The benchmark's Server-Timing header counts and times every statement of a request."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_server_timing_reports_the_sql_of_the_request(client: Client, settings: Any) -> None:
    settings.MIDDLEWARE = ["ketenregie.core.timing.SqlTimingMiddleware", *settings.MIDDLEWARE]
    header = client.get("/healthz")["Server-Timing"]
    match = re.fullmatch(r'sql;dur=([\d.]+);desc="(\d+) queries", app;dur=([\d.]+)', header)
    assert match is not None, header
    # The health check runs exactly one statement (SELECT 1); no session for anonymous.
    assert match.group(2) == "1"
    assert float(match.group(1)) <= float(match.group(3))


def test_no_header_unless_switched_on(client: Client) -> None:
    assert "Server-Timing" not in client.get("/healthz")
