"""The Locust load test: logged-in users of every role visiting their daily pages.

Configured by environment (bench/run.py sets it): BENCH_USERS (the prepared users JSON of
bench/prepare.py), BENCH_HOSTS (comma-separated app servers; users are spread over them,
to show app servers are stateless), BENCH_WAIT ("1-3" seconds of think time, or "0" for
the stress run) and BENCH_SAMPLES (where every request's figures are written at the end:
role, page, wall time, status and the server's Server-Timing SQL time and query count).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, events, task
from locust.env import Environment

from bench.pages import PAGE_BY_NAME
from bench.prepare import fill
from bench.servertiming import server_timing

_USERS = json.loads(Path(os.environ["BENCH_USERS"]).read_text())["users"]
_HOSTS = os.environ.get("BENCH_HOSTS", "http://127.0.0.1:8000").split(",")
_WAIT = [float(x) for x in os.environ.get("BENCH_WAIT", "1-3").split("-")]
_SLOTS = itertools.count()
SAMPLES: list[list[Any]] = []


def _think_time(user: HttpUser) -> float:
    low, high = _WAIT[0], _WAIT[-1]
    return random.uniform(low, high) if high > 0 else 0.0


class Professional(HttpUser):
    host = _HOSTS[0]
    wait_time = _think_time

    def on_start(self) -> None:
        slot = next(_SLOTS)
        self.profile = _USERS[slot % len(_USERS)]
        self.client.base_url = _HOSTS[slot % len(_HOSTS)]
        self.client.cookies.set("sessionid", self.profile["cookie"])
        pages = [PAGE_BY_NAME[name] for name in self.profile["pages"]]
        self.mix = [page for page in pages for _ in range(page.weight)]
        self.rng = random.Random(slot)

    def context(self) -> dict[str, Any]:
        return {"group": self.profile["group"]}

    @task
    def visit(self) -> None:
        page = self.rng.choice(self.mix)
        path = fill(page.path, self.profile["values"], self.rng)
        if path is None:
            return
        self.client.get(path, name=page.name, headers=page.headers, allow_redirects=False)


def _record(
    name: str,
    response_time: float,
    response: Any,
    exception: BaseException | None,
    context: dict[str, Any],
    **kwargs: Any,
) -> None:
    status = getattr(response, "status_code", 0)
    sql_ms, queries = server_timing(response.headers.get("Server-Timing", "") if status else "")
    error = exception is not None or status != 200
    SAMPLES.append(
        [time.time(), context.get("group", ""), name, response_time, status, error, sql_ms, queries]
    )


def _write(environment: Environment, **kwargs: Any) -> None:
    Path(os.environ["BENCH_SAMPLES"]).write_text(json.dumps(SAMPLES))


events.request.add_listener(_record)
events.quitting.add_listener(_write)
