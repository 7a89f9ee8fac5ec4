"""App servers are stateless: two processes on one database share the login rate limit.

Each step runs in a process of its own against one SQLite file, as two app servers behind
a load balancer would run against one database. With a per-process cache (LocMemCache)
the second process knows nothing of the first one's failed logins and lets the attacker
in; with the database cache it refuses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

_SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from ketenregie.accounts.models import User
User.objects.create_user(username="doelwit", password="Goed-wachtwoord-2026!")
"""

_LOGIN = """
import sys
import django
django.setup()
from django.test import Client
client = Client(REMOTE_ADDR="10.1.2.3")
for password in sys.argv[1:]:
    response = client.post("/accounts/login/", {"login": "doelwit", "password": password})
    refused = response.status_code == 429 or "te veel" in response.content.decode().lower()
    print("geweigerd" if refused else response.status_code)
"""


def _run(code: str, db: Path, *args: str) -> list[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PYTEST_VERSION", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SQLITE_PATH=str(db),
        KETENREGIE_VAR_DIR=str(db.parent),
        DJANGO_SECRET_KEY="stateless-test-secret-key-0123456789-abcdefghijklmnop",
        KETENREGIE_AUDIT_KEY="stateless-test-audit-key-0123",
        DJANGO_ALLOWED_HOSTS="testserver",
        KETENREGIE_LOGIN_RATE_LIMIT="10/m/ip,3/5m/key",
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return result.stdout.split()


def test_second_app_process_sees_the_first_ones_failed_logins(tmp_path: Path) -> None:
    db = tmp_path / "gedeeld.sqlite3"
    _run(_SETUP, db)
    # The control: before any failure the right password lets one in.
    assert _run(_LOGIN, db, "Goed-wachtwoord-2026!") == ["302"]
    # The first app server: three wrong passwords use up the account's allowance.
    assert _run(_LOGIN, db, "fout-1", "fout-2", "fout-3") == ["200", "200", "200"]
    # The second app server refuses the right password too: the limit is shared.
    assert _run(_LOGIN, db, "Goed-wachtwoord-2026!") == ["geweigerd"]
