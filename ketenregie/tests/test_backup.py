"""`manage.py backup` and `manage.py restore` (issue 11, ADR 0015), on SQLite and PostgreSQL.

A referral with an attachment and its audit trail is backed up, the installation replaced
by an empty one (another var directory, its own fresh audit key, an emptied database), and
the archive restored onto it: every table has its rows again, the attachment its bytes,
the var directory the keys, and the audit trail verifies with the restored key.
"""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.defaults import ensure_life_domains
from ketenregie.core.backup import counts
from ketenregie.intake import services
from ketenregie.intake.criteria import ensure_default_criteria
from ketenregie.intake.models import Attachment
from ketenregie.intake.tests.conftest import referral_input
from ketenregie.tests_support import files
from ketenregie.tests_support.factories import HouseFactory, UserFactory

# pg_dump and the restore work through their own connections: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def local_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys kept in the var directory, as in a single-server installation."""
    monkeypatch.delenv("KETENREGIE_AUDIT_KEY", raising=False)
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)


def _referral_with_attachment() -> bytes:
    ensure_life_domains()
    house = HouseFactory()
    referrer = UserFactory(roles=[(Role.AANMELDER, None), (Role.PROFESSIONAL, None)])
    ctx = {"criteria": list(ensure_default_criteria(house).criteria.all())}
    content = files.png(40)
    data = dataclasses.replace(
        referral_input(ctx), files=[SimpleUploadedFile("scan.png", content, "image/png")]
    )
    services.save_referral(actor=referrer, house=house, data=data, submit=True, confirmed=True)
    # The stored file, not the upload: images are re-encoded on upload (core.uploads).
    with Attachment.objects.get().file.open("rb") as fh:
        stored: bytes = fh.read()
    return stored


def _fresh_installation(root: Path, settings_: Any) -> Path:
    """Another var directory and attachment root, a new audit key, an emptied database."""
    settings_.VAR_DIR = root
    settings_.KETENREGIE_ATTACHMENT_ROOT = root / "attachments"
    settings_.KETENREGIE_AUDIT_KEY = "de-eigen-sleutel-van-de-nieuwe-installatie"
    call_command("flush", interactive=False, verbosity=0)
    assert not get_user_model().objects.exists() and not AuditEvent.objects.exists()
    return root


def test_backup_restores_onto_an_empty_installation(
    settings: Any, tmp_path: Path, local_keys: None
) -> None:
    content = _referral_with_attachment()
    before = counts()
    assert before["intake.Attachment"] == 1 and before["audit.AuditEvent"] > 5
    audit_key = settings.KETENREGIE_AUDIT_KEY
    secret_key = (Path(settings.VAR_DIR) / "secret_key").read_text().strip()
    archive = tmp_path / "ketenregie.tar"
    call_command("backup", str(archive))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "keys/audit_key", "keys/secret_key"} <= names
    with pytest.raises(CommandError, match="bestaat al"):
        call_command("backup", str(archive))
    # Not over an installation in use.
    with pytest.raises(CommandError, match="niet leeg"):
        call_command("restore", str(archive))

    fresh = _fresh_installation(tmp_path / "nieuw", settings)
    call_command("restore", str(archive))  # verifies the trail itself, too

    assert counts() == before
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as fh:
        assert fh.read() == content
    assert Path(attachment.file.path).is_relative_to(fresh / "attachments")
    assert stat.S_IMODE(Path(attachment.file.path).stat().st_mode) == 0o600
    assert (fresh / "audit_key").read_text() == audit_key
    assert (fresh / "secret_key").read_text() == secret_key
    assert stat.S_IMODE((fresh / "audit_key").stat().st_mode) == 0o600
    # What the next process of the new installation does: its key is the restored file.
    assert settings.KETENREGIE_AUDIT_KEY == audit_key
    call_command("verify_audit")


def test_restore_refuses_a_different_audit_key_from_the_environment(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, local_keys: None
) -> None:
    _referral_with_attachment()
    archive = tmp_path / "ketenregie.tar"
    call_command("backup", str(archive))
    _fresh_installation(tmp_path / "nieuw", settings)
    monkeypatch.setenv("KETENREGIE_AUDIT_KEY", "een-andere-sleutel")
    with pytest.raises(CommandError, match="verschilt van de sleutel in de back-up"):
        call_command("restore", str(archive))
    # Refused before anything changed.
    assert not get_user_model().objects.exists()
    assert not (tmp_path / "nieuw" / "attachments").exists()


if connection.vendor == "postgresql":

    def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    def test_restore_into_a_new_database_by_a_new_process(settings: Any, tmp_path: Path) -> None:
        """The multi-server form: a brand-new, unmigrated database, keys from the
        environment, `manage.py restore` and `verify_audit` as separate processes."""
        content = _referral_with_attachment()
        before = counts()
        archive = tmp_path / "ketenregie.tar"
        call_command("backup", str(archive))
        db = connection.settings_dict
        name = f"{db['NAME']}_herstel"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        fresh = tmp_path / "nieuw"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.pop("KETENREGIE_ATTACHMENT_ROOT", None)
        env.update(
            DATABASE_URL=(
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
                f":{db['PORT'] or 5432}/{name}"
            ),
            DJANGO_SECRET_KEY=settings.SECRET_KEY,
            KETENREGIE_AUDIT_KEY=settings.KETENREGIE_AUDIT_KEY,
            KETENREGIE_VAR_DIR=str(fresh),
        )
        try:
            restored = _manage(env, "restore", str(archive))
            assert restored.returncode == 0, restored.stderr[-3000:]
            assert "Audittrail intact" in restored.stdout
            verified = _manage(env, "verify_audit")
            assert verified.returncode == 0, verified.stderr[-3000:]
            script = (
                "import json\nfrom ketenregie.core import backup\n"
                "print(json.dumps(backup.counts()))"
            )
            after = _manage(env, "shell", "--no-imports", "-c", script)
            assert json.loads(after.stdout) == before, after.stderr[-3000:]
            stored = Attachment.objects.get().file.name
            assert (fresh / "attachments" / stored).read_bytes() == content
            # The keys came from the environment: nothing written to var/.
            assert not (fresh / "audit_key").exists()
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
