"""The kernel app: after every migrate it creates the database cache table.

The cache lives in the database (config/settings.py) so app servers stay stateless; the
table is not a model, so migrate alone would not create it. createcachetable skips tables
that exist, so running it after each migrate (and each test flush) is cheap and safe.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "ketenregie.core"
    label = "core"

    def ready(self) -> None:
        post_migrate.connect(
            _create_cache_table, sender=self, dispatch_uid="ketenregie.core.cache_table"
        )
