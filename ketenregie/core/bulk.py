"""Fast bulk writes for data generation and bulk audit: COPY on PostgreSQL, one prepared
statement with many rows elsewhere.

Django's bulk_create builds one large SQL string per batch and prepares every value
through the compiler; for millions of rows that dominates the run time.

* `insert_rows` writes model instances (without setting their primary keys unless
  `with_pk`; use it without for rows nothing else points to).
* `reserve_ids` hands out primary keys up front, so related rows can be built in memory
  and written as plain tuples with `copy_rows`, parents before children.
* `deferred_indexes` drops the plain (non-unique) indexes of tables during a large load
  and recreates them afterwards from their exact saved definitions.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models


def _is_pg() -> bool:
    return connection.vendor == "postgresql"


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def copy_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write plain tuples (values in `columns` order, column names as in the table).

    Values are Python values: dates, aware datetimes, ints, strings, None; JSON columns
    take dicts and lists. Returns the number of rows written.
    """
    fields = {f.column: f for f in model._meta.concrete_fields}
    json_at = [i for i, c in enumerate(columns) if isinstance(fields[c], models.JSONField)]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    if _is_pg():
        return _copy_pg(_table(model), names, json_at, rows)
    prep = [fields[c] for c in columns]
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {_table(model)} ({names}) VALUES ({marks})"  # noqa: S608 - model names
    total = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, 5000):
            cursor.executemany(
                sql,
                [
                    [
                        json.dumps(v, cls=DjangoJSONEncoder)
                        if i in json_at
                        else f.get_db_prep_save(v, connection)
                        for i, (f, v) in enumerate(zip(prep, row, strict=True))
                    ]
                    for row in batch
                ],
            )
            total += len(batch)
    return total


def _copy_pg(table: str, names: str, json_at: list[int], rows: Iterable[Sequence[Any]]) -> int:
    from psycopg.types.json import Jsonb

    total = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            if json_at:
                row = list(row)
                for i in json_at:
                    row[i] = Jsonb(row[i], dumps=_dumps)
            copy.write_row(row)
            total += 1
    return total


def _dumps(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder)


def _batches[T](items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """`n` fresh primary keys for `model`, taken from its sequence on PostgreSQL.

    On SQLite (one writer) the keys follow the highest one in use; rows must be written
    before the next reservation for the same table.
    """
    if n <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        if _is_pg():
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, n],
            )
            return [r[0] for r in cursor.fetchall()]
        column = connection.ops.quote_name(str(pk.column))
        cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {_table(model)}")  # noqa: S608
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + n))


def insert_rows(
    model: type[models.Model],
    objs: Iterable[models.Model],
    *,
    with_pk: bool = False,
) -> int:
    """Write model instances; with `with_pk` their primary keys must already be set."""
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    columns = [str(f.column) for f in fields]

    # Most fields store their attribute as is; only these compute it on save (a field of
    # the project's own that derives its value says so with `computed_on_save`, such as
    # the person's name keys: without them the name search finds nobody).
    computed = [
        f
        for f in fields
        if getattr(f, "auto_now", False)
        or getattr(f, "auto_now_add", False)
        or getattr(f, "computed_on_save", False)
        or isinstance(f, models.FileField)
    ]
    plain = operator.attrgetter(*[f.attname for f in fields])

    def values() -> Iterator[Sequence[Any]]:
        for obj in objs:
            if obj._state.fields_cache:
                # Copy primary keys of related objects saved after this one was built.
                obj._prepare_related_fields_for_save(operation_name="insert_rows")  # type: ignore[attr-defined]
            if computed:
                yield [f.pre_save(obj, add=True) for f in fields]
            else:
                yield plain(obj)

    return copy_rows(model, columns, values())


@contextmanager
def deferred_indexes(*tables: str) -> Iterator[None]:
    """Drop the plain indexes of `tables` for a bulk load and recreate them exactly after.

    Only indexes that back no constraint (not the primary key, not unique ones) are
    dropped, so nothing the data must obey is switched off. PostgreSQL only, and only
    outside a transaction (inside one, rows with foreign-key checks still pending block
    CREATE INDEX); otherwise this does nothing.
    """
    if not _is_pg() or not tables or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [list(tables)],
        )
        saved = cursor.fetchall()
        for name, _definition in saved:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, definition in saved:
                cursor.execute(definition)


class IdPool:
    """Primary keys handed out in blocks, so rows can point to each other before any is
    written. On SQLite the pool counts on from the highest key it saw, so keys of rows
    still in memory are never handed out twice."""

    def __init__(self, block: int = 10000) -> None:
        self.block = block
        self.free: dict[type[models.Model], list[int]] = {}
        self.next_local: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        free = self.free.setdefault(model, [])
        if not free:
            if _is_pg():
                free.extend(reversed(reserve_ids(model, self.block)))
            else:
                start = self.next_local.get(model) or reserve_ids(model, 1)[0]
                self.next_local[model] = start + self.block
                free.extend(reversed(range(start, start + self.block)))
        return free.pop()


class RowBuffer:
    """Rows of several tables built in memory as dicts (by attribute name), written with
    `copy_rows` by `flush`. Missing fields take the model's default. Inside a transaction
    the order of the tables does not matter: foreign keys are checked at commit."""

    def __init__(self, pool: IdPool | None = None) -> None:
        self.pool = pool or IdPool()
        self.rows: dict[type[models.Model], list[dict[str, Any]]] = {}
        self.written: dict[str, int] = {}

    def add(self, model: type[models.Model], **values: Any) -> int:
        pk = model._meta.pk
        assert pk is not None
        if pk.attname not in values:
            values[pk.attname] = self.pool.take(model)
        self.rows.setdefault(model, []).append(values)
        return int(values[pk.attname])

    def flush(self) -> None:
        for model, rows in self.rows.items():
            _write_dicts(model, rows)
            label = model._meta.label
            self.written[label] = self.written.get(label, 0) + len(rows)
        self.rows = {}


def _write_dicts(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Rows built with the same keys in the same order (the usual case) go as they are,
    with the defaults of the other fields appended; the rest field by field."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    for keys, group in groups.items():
        rest = [f for name, f in fields.items() if name not in keys]
        defaults = [f.get_default() for f in rest]
        columns = [str(fields[k].column) for k in keys] + [str(f.column) for f in rest]
        copy_rows(model, columns, ([*row.values(), *defaults] for row in group))
