"""gunicorn settings for `make run`: say where Ketenregie listens once it does.

`make run` used to announce the address before gunicorn had bound it, so a quick click
met a refused connection; `when_ready` runs after the socket is listening.
"""

from __future__ import annotations

from typing import Any


def when_ready(server: Any) -> None:
    for address in server.cfg.address:
        host, port = address if isinstance(address, tuple) else (str(address), "")
        print(f"Ketenregie draait op http://{host}:{port}/", flush=True)
