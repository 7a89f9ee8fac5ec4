"""A fresh installation keeps its files to itself (issue 11, finding 12): var/ 0700, the
SQLite database and its -wal/-shm 0600, whatever the umask of the shell that started it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_fresh_migrate_creates_a_private_var_dir_and_database(tmp_path: Path) -> None:
    var = tmp_path / "var"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SQLITE_PATH", "KETENREGIE_ATTACHMENT_ROOT"}
    }
    env.update(
        KETENREGIE_VAR_DIR=str(var), DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings"
    )
    # A shell's usual umask would make everything world-readable.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        umask=0o022,
    )
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    database = var / "ketenregie.sqlite3"
    assert database.exists()
    for path in [database, *var.glob("ketenregie.sqlite3-*"), *var.glob("*_key")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_an_existing_world_readable_database_is_narrowed(tmp_path: Path) -> None:
    # An installation from before this change: var/ 0755 and the database 0644.
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)
    database = var / "ketenregie.sqlite3"
    database.touch()
    database.chmod(0o644)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    env.update(KETENREGIE_VAR_DIR=str(var), DJANGO_DEBUG="1")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0", "contenttypes"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
