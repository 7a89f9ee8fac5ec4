"""Which tables a block of code wrote to: rows inserted, updated or deleted, per table.

A database-level check, so it sees every write whatever code path makes it (ORM, raw SQL,
bulk updates, the cache and session backends). Used by the test that GET requests change
nothing. Must run inside a transaction that the test rolls back (as every database test
does): on SQLite the watch installs temporary triggers, on PostgreSQL it reads the
transaction's own row counters (`pg_stat_xact_user_tables`), so nothing outlives the test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_LOG = "ketenregie_test_writes"


def _install_sqlite_triggers() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_LOG} (tbl TEXT NOT NULL)")
        cursor.execute(
            "SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'ktw_%'"
        )
        present = {row[0] for row in cursor.fetchall()}
        for table in connection.introspection.table_names(cursor):
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"ktw_{event.lower()}_{table}"
                if name in present:
                    continue
                # Table names come from the schema itself, not from input.
                cursor.execute(
                    f'CREATE TEMP TRIGGER "{name}" AFTER {event} ON main."{table}" '  # noqa: S608
                    f"BEGIN INSERT INTO {_LOG} (tbl) VALUES ('{table}'); END"
                )


def _sqlite_counts() -> Counter[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tbl, COUNT(*) FROM {_LOG} GROUP BY tbl")  # noqa: S608
        return Counter({tbl: n for tbl, n in cursor.fetchall()})


def _postgres_counts() -> Counter[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return Counter({tbl: n for tbl, n in cursor.fetchall() if n})


def _counts() -> Counter[str]:
    if connection.vendor == "sqlite":
        return _sqlite_counts()
    if connection.vendor == "postgresql":
        return _postgres_counts()
    # The product runs on these two databases only (docs/architecture.md).
    raise RuntimeError(f"table_writes: SQLite or PostgreSQL, not {connection.vendor}")


@contextmanager
def table_writes() -> Iterator[Counter[str]]:
    """Yield a Counter that, after the block, holds the rows written per table in it."""
    if connection.vendor == "sqlite":
        _install_sqlite_triggers()
    before = _counts()
    written: Counter[str] = Counter()
    yield written
    after = _counts()
    written.update({tbl: n - before.get(tbl, 0) for tbl, n in after.items()})
    for tbl in [t for t, n in written.items() if n <= 0]:
        del written[tbl]
