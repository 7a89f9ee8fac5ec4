"""Reading the `Server-Timing` header that ketenregie.core.timing writes."""

from __future__ import annotations

import re

_SQL = re.compile(r'sql;dur=([\d.]+);desc="(\d+) queries"')


def server_timing(header: str) -> tuple[float | None, int | None]:
    """The SQL milliseconds and query count of a response, or (None, None) without them."""
    match = _SQL.search(header)
    if match is None:
        return None, None
    return float(match.group(1)), int(match.group(2))
