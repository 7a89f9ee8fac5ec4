"""How a page's cost grows with N: one user, each page timed in a loop, on one data set.

Runs in-process through the whole middleware stack (Django's test client, no HTTP), with
the Server-Timing middleware on, so the SQL time and query count come from the server's own
measurement. Run with DATABASE_URL set: `python -m bench.ntable OUT.json`.
"""

from __future__ import annotations

import json
import logging
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROUNDS = 3
# A page slower than this on its first request is timed once: repeating a page that takes
# minutes would add nothing but minutes.
SLOW_MS = 5000.0
# One account per kind of page: a partner who refers, a procesregisseur, a triage chair, the
# privacy officer, the functional administrator, and for the management information a
# manager (one house) and a policy adviser (a region); the procesregisseur of the house in
# the household variant for the pages of a client system (issue 15).
ACCOUNTS = (
    "wijkagent.heerlen",
    "pr.parkstad",
    "pr.venlo",
    "tv.parkstad",
    "fg",
    "beheer",
    "manager.parkstad",
    "beleid.heerlen",
)


def _time_page(client: Any, path: str, headers: dict[str, str]) -> dict[str, Any]:
    from bench.servertiming import server_timing

    start = time.perf_counter()
    client.get(path, headers=headers)  # warm: templates, plans, the connection
    rounds = ROUNDS if (time.perf_counter() - start) * 1000 < SLOW_MS else 1
    walls, sqls, queries, status = [], [], [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        walls.append((time.perf_counter() - start) * 1000)
        status = response.status_code
        sql_ms, count = server_timing(response.headers.get("Server-Timing", ""))
        sqls.append(sql_ms or 0.0)
        queries.append(count or 0)
    return {
        "path": path,
        "status": status,
        "wall_ms": round(statistics.median(walls), 1),
        "sql_ms": round(statistics.median(sqls), 1),
        "queries": max(queries),
        "rounds": rounds,
    }


def measure() -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    from bench.pages import PAGES
    from bench.prepare import fill, prepare
    from ketenregie.audit.models import AuditEvent
    from ketenregie.cases.models import Case

    rng = random.Random(11)
    users = prepare(seed=11, only=ACCOUNTS)["users"]
    pages: dict[str, Any] = {}
    for page in PAGES:
        user = next((u for u in users if page.name in u["pages"]), None)
        path = fill(page.path, user["values"], rng) if user else None
        if user is None or path is None:
            continue
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = user["cookie"]
        pages[page.name] = {"user": user["username"], **_time_page(client, path, page.headers)}
    from bench.subject_access import measure as measure_subject_access

    # The export adds events for its person first (preparation): count after it.
    subject_access = measure_subject_access()
    return {
        "cases": Case.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "pages": pages,
        "subject_access": subject_access,
    }


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)
    Path(sys.argv[1]).write_text(json.dumps(measure(), indent=1))


if __name__ == "__main__":
    main()
