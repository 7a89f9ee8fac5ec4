"""The kernel app: after every migrate it creates the database cache table, and it keeps
the SQLite database files private.

The cache lives in the database (config/settings.py) so app servers stay stateless; the
table is not a model, so migrate alone would not create it. createcachetable skips tables
that exist, so running it after each migrate (and each test flush) is cheap and safe.

The settings' umask makes every new file 0600; a database created before that (or by
another tool) is narrowed to 0600 when a connection opens it (issue 11, ADR 0012).
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def _private_sqlite_files(connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "sqlite":
        return
    import os

    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db() or not os.path.exists(name):
        return
    for path in (name, name + "-wal", name + "-shm", name + "-journal"):
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            continue
        if stat.st_mode & 0o077 and stat.st_uid == os.getuid():
            os.chmod(path, 0o600)


class CoreConfig(AppConfig):
    name = "ketenregie.core"
    label = "core"

    def ready(self) -> None:
        post_migrate.connect(
            _create_cache_table, sender=self, dispatch_uid="ketenregie.core.cache_table"
        )
        connection_created.connect(
            _private_sqlite_files, dispatch_uid="ketenregie.core.private_sqlite_files"
        )
