"""Backup and restore of one installation (`manage.py backup` / `manage.py restore`, ADR 0015).

An archive is a tar file holding everything an installation needs to start again:

- ``database.pgdump`` (pg_dump, custom format) or ``database.sqlite3`` (SQLite's online
  backup API: a consistent copy while the product keeps running);
- ``attachments/...``: the files under KETENREGIE_ATTACHMENT_ROOT;
- ``keys/audit_key``: the audit chain's HMAC key, without which the restored trail cannot
  be verified, and ``keys/secret_key`` when the secret key is local (var/secret_key);
- ``manifest.json``: format, database kind, and row and file counts to check against.

The archive holds every case's personal data and both keys: it is created mode 0600 and
never overwrites a file. It is not encrypted here; encrypt it before it leaves the machine
(docs/deployment.md, "Backup and restore"). A restore goes onto an empty installation only
(no users, no audit events, no attachments) unless forced, checks the audit key before it
changes anything, and verifies the trail after.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
ATTACHMENTS = "attachments/"
# Key name in the archive -> (environment variable, file under VAR_DIR).
KEYS = {
    "audit_key": ("KETENREGIE_AUDIT_KEY", "audit_key"),
    "secret_key": ("DJANGO_SECRET_KEY", "secret_key"),
}


def _db_file() -> str:
    return "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3"


def _pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from KETENREGIE_PG_BIN, else the PATH."""
    folder = os.environ.get("KETENREGIE_PG_BIN")
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).exists():
        raise CommandError(
            f"{name} niet gevonden; installeer de PostgreSQL-clienttools of zet KETENREGIE_PG_BIN."
        )
    return found


def _pg_env() -> dict[str, str]:
    """The connection of the default database as libpq variables (no password on argv)."""
    db = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise CommandError(f"{Path(command[0]).name} mislukt: {result.stderr.strip()[-2000:]}")


def _dump_database(target: Path) -> dict[str, int]:
    """Dump the database to `target`; returns the row counts of exactly that dump."""
    if connection.vendor == "postgresql":
        name = str(connection.settings_dict["NAME"])
        # pg_dump reads the snapshot this transaction exports: the counts are the dump's.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            rows = _counts(cursor)
            _run(
                [
                    _pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    name,
                ]
            )
        return rows
    if connection.vendor != "sqlite":
        raise CommandError(f"Back-up van {connection.vendor} wordt niet ondersteund.")
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return _counts(copy.cursor())
    finally:
        copy.close()


def _restore_database(source: Path) -> None:
    if connection.vendor == "postgresql":
        name = str(connection.settings_dict["NAME"])
        connection.close()  # pg_restore drops and recreates the tables
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={name}",
                str(source),
            ]
        )
    else:
        connection.ensure_connection()
        dump = sqlite3.connect(source)
        try:
            dump.backup(connection.connection)
        finally:
            dump.close()
    # Content type ids are the archive's now, not the ones this process cached.
    ContentType.objects.clear_cache()


def _attachment_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.KETENREGIE_ATTACHMENT_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path, path.relative_to(root).as_posix()


def _local_key(name: str) -> str | None:
    """A key's value if this installation keeps it in VAR_DIR, None if it comes from env."""
    env_var, file_name = KEYS[name]
    if os.environ.get(env_var):
        return None
    path = Path(settings.VAR_DIR) / file_name
    return path.read_text().strip() if path.exists() else None


def _counts(cursor: Any) -> dict[str, int]:
    """Rows per model table, read with `cursor` (a DB-API cursor on any copy)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - model table names
            rows[model._meta.label] = int(cursor.fetchone()[0])
    return rows


def counts() -> dict[str, int]:
    """Rows per model in the installation's database."""
    with connection.cursor() as cursor:
        return _counts(cursor)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


@dataclass(frozen=True)
class BackupResult:
    path: Path
    attachments: int
    rows: dict[str, int]
    secret_key_included: bool


def backup(path: Path) -> BackupResult:
    """Write an archive of the database, attachments and keys to `path` (new, mode 0600)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CommandError(f"{path} bestaat al; kies een nieuwe bestandsnaam.") from None
    try:
        with tempfile.TemporaryDirectory(prefix="ketenregie-backup-") as tmp:
            dump = Path(tmp) / _db_file()
            # The database first: every attachment row in the dump has its file on disk
            # by then (files are written before their row commits).
            rows = _dump_database(dump)
            files = 0
            with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
                tar.add(dump, arcname=_db_file())
                for file, relative in _attachment_files():
                    tar.add(file, arcname=ATTACHMENTS + relative)
                    files += 1
                key = settings.KETENREGIE_AUDIT_KEY
                _add_bytes(tar, "keys/audit_key", str(key).encode())
                secret = _local_key("secret_key")
                if secret is not None:
                    _add_bytes(tar, "keys/secret_key", secret.encode())
                manifest = {
                    "format": FORMAT,
                    "database": connection.vendor,
                    "created": timezone.now().isoformat(),
                    "attachments": files,
                    "rows": rows,
                }
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return BackupResult(path, files, rows, secret is not None)


def _is_empty() -> list[str]:
    """What makes this installation non-empty (nothing: it is empty)."""
    found = []
    tables = set(connection.introspection.table_names())
    user_model = get_user_model()
    event_model = apps.get_model("audit", "AuditEvent")
    for model, label in ((user_model, "gebruikers"), (event_model, "auditgebeurtenissen")):
        if model._meta.db_table in tables and model._default_manager.exists():
            found.append(label)
    if next(_attachment_files(), None) is not None:
        found.append("bijlagen")
    return found


def _member_bytes(tar: tarfile.TarFile, name: str) -> bytes | None:
    try:
        member = tar.getmember(name)
    except KeyError:
        return None
    handle = tar.extractfile(member)
    return handle.read() if handle is not None else None


@dataclass(frozen=True)
class RestoreResult:
    attachments: int
    rows: dict[str, int]
    expected_rows: dict[str, int]
    keys_written: list[str]


def _check_keys(tar: tarfile.TarFile) -> dict[str, str]:
    """The archive's keys; refuses when the environment sets a different audit key."""
    keys = {}
    for name, (env_var, _file) in KEYS.items():
        data = _member_bytes(tar, f"keys/{name}")
        if data is None:
            continue
        keys[name] = data.decode().strip()
        given = os.environ.get(env_var)
        if name == "audit_key" and given and given != keys[name]:
            raise CommandError(
                f"{env_var} verschilt van de sleutel in de back-up; met deze sleutel is de "
                f"audittrail niet te controleren. Zet {env_var} op de sleutel uit de back-up "
                "(tar -xOf ARCHIEF keys/audit_key) en probeer opnieuw."
            )
    if "audit_key" not in keys:
        raise CommandError("De back-up bevat geen auditsleutel (keys/audit_key).")
    return keys


def _write_keys(keys: dict[str, str]) -> list[str]:
    """Keys this installation keeps in VAR_DIR are written there (0600) and used from now."""
    written = []
    var = Path(settings.VAR_DIR)
    var.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name, value in keys.items():
        env_var, file_name = KEYS[name]
        if os.environ.get(env_var):
            continue  # the environment's key (checked equal for the audit key)
        target = var / file_name
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(value)
        target.chmod(0o600)
        written.append(name)
    # This process goes on to verify the trail with the restored key (the signal tells
    # the audit app to drop the key it cached).
    settings.KETENREGIE_AUDIT_KEY = keys["audit_key"]
    setting_changed.send(
        sender=None,
        setting="KETENREGIE_AUDIT_KEY",
        value=keys["audit_key"],
        enter=True,
    )
    return written


def _restore_attachments(tar: tarfile.TarFile) -> int:
    root = Path(settings.KETENREGIE_ATTACHMENT_ROOT).resolve()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    count = 0
    for member in tar.getmembers():
        if not member.name.startswith(ATTACHMENTS) or not member.isfile():
            continue
        target = (root / member.name[len(ATTACHMENTS) :]).resolve()
        if not target.is_relative_to(root):
            raise CommandError(f"Ongeldige bestandsnaam in de back-up: {member.name}")
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = tar.extractfile(member)
        assert handle is not None
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(handle, out)
        count += 1
    return count


def restore(path: Path, *, force: bool = False) -> RestoreResult:
    """Restore an archive of `backup` onto this (empty) installation."""
    if not path.is_file():
        raise CommandError(f"{path} bestaat niet.")
    with tarfile.open(path, mode="r") as tar:
        raw = _member_bytes(tar, MANIFEST)
        if raw is None:
            raise CommandError(f"{path} is geen back-up van Ketenregie (geen {MANIFEST}).")
        manifest: dict[str, Any] = json.loads(raw)
        if manifest.get("format") != FORMAT:
            raise CommandError(f"Onbekend back-upformaat {manifest.get('format')!r}.")
        if manifest["database"] != connection.vendor:
            raise CommandError(
                f"De back-up is van {manifest['database']}; deze installatie gebruikt "
                f"{connection.vendor}."
            )
        keys = _check_keys(tar)
        found = _is_empty()
        if found and not force:
            raise CommandError(
                "Deze installatie is niet leeg (" + ", ".join(found) + "); terugzetten "
                "overschrijft haar. Gebruik een lege installatie, of --force."
            )
        with tempfile.TemporaryDirectory(prefix="ketenregie-restore-") as tmp:
            dump = Path(tmp) / _db_file()
            data = tar.extractfile(tar.getmember(_db_file()))
            assert data is not None
            with dump.open("wb") as out:
                shutil.copyfileobj(data, out)
            _restore_database(dump)
        files = _restore_attachments(tar)
        written = _write_keys(keys)
    return RestoreResult(files, counts(), manifest["rows"], written)
