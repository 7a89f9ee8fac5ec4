"""Referral attachments end to end: what is stored, how it is served, what a crash or a
rollback leaves behind, and the files' modes (issue 11: findings 3, 11 and 12)."""

from __future__ import annotations

import hashlib
import io
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from PIL import Image

from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Case
from ketenregie.core.tests.samples import HTML, image_bytes, pdf_bytes, raw_pdf
from ketenregie.core.uploads import PART_SUFFIX
from ketenregie.intake import services
from ketenregie.intake.models import Attachment
from ketenregie.intake.services import referral as referral_services
from ketenregie.intake.tests.conftest import referral_input
from ketenregie.intake.tests.test_views import _post_data

pytestmark = pytest.mark.django_db

OPEN_ACTION_JS = raw_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")


def _create_url(intake: dict[str, Any]) -> str:
    return reverse("referral_create", args=[intake["house"].pk])


def test_polyglot_is_stored_and_served_as_the_detected_type(
    client: Client,
    intake: dict[str, Any],
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Finding 3: a JPEG header followed by HTML was stored and downloaded as poly.html.
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    client.force_login(intake["referrer"])
    poly = SimpleUploadedFile("poly.html", image_bytes("JPEG") + HTML, "text/html")
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            _create_url(intake), {**_post_data(intake, draft="1"), "attachments": [poly]}
        )
    assert resp.status_code == 302
    att = Attachment.objects.get()
    assert att.original_name == "poly.jpg" and att.content_type == "image/jpeg"
    assert att.file.name.endswith(".jpg")
    stored = (tmp_path / att.file.name).read_bytes()
    assert b"<script" not in stored and att.size == len(stored)
    resp = client.get(reverse("attachment_download", args=[att.pk]))
    assert resp.status_code == 200
    assert resp["Content-Type"] == "image/jpeg"
    assert resp["Content-Disposition"] == 'attachment; filename="poly.jpg"'
    assert resp["X-Content-Type-Options"] == "nosniff"
    body = b"".join(resp.streaming_content)  # type: ignore[attr-defined]
    assert b"<script" not in body
    with Image.open(io.BytesIO(body)) as img:
        assert img.format == "JPEG"


def test_an_old_row_is_served_with_the_extension_of_its_type(
    client: Client, intake: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    # Rows stored before this change kept the uploader's name, say 'poly.html'.
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    referral = services.save_referral(
        actor=intake["referrer"], house=intake["house"], data=referral_input(intake)
    )
    (tmp_path / "oud").write_bytes(image_bytes("JPEG"))
    att = Attachment.objects.create(
        referral=referral,
        file="oud",
        original_name="poly.html",
        content_type="image/jpeg",
        size=1,
        sha256="0" * 64,
        uploaded_by=intake["referrer"],
        uploaded_at=referral.case.created_at,
    )
    client.force_login(intake["referrer"])
    resp = client.get(reverse("attachment_download", args=[att.pk]))
    assert resp["Content-Disposition"] == 'attachment; filename="poly.jpg"'
    (tmp_path / "oud").unlink()
    assert client.get(reverse("attachment_download", args=[att.pk])).status_code == 404


def test_pdf_with_open_action_javascript_is_refused_on_the_form(
    client: Client, intake: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    # Finding 3: a PDF with /OpenAction JavaScript was accepted.
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    client.force_login(intake["referrer"])
    bad = SimpleUploadedFile("brief.pdf", OPEN_ACTION_JS, "application/pdf")
    resp = client.post(_create_url(intake), {**_post_data(intake, draft="1"), "attachments": [bad]})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "‘brief.pdf’ bevat actieve inhoud" in html
    assert 'value="Getypte"' in html and "Getypte aanleiding" in html
    assert not Case.objects.exists() and not list(tmp_path.iterdir())
    # A refusal for active content is a security event: audited, by hash, not by name.
    event = AuditEvent.objects.get(action="upload.refused")
    assert event.actor_id == intake["referrer"].pk
    assert event.data["reden"] == "active_content"
    assert event.data["sha256"] == hashlib.sha256(OPEN_ACTION_JS).hexdigest()
    assert "brief" not in str(event.data)


def test_oversize_upload_gets_a_dutch_error_and_the_form_is_kept(
    client: Client, intake: dict[str, Any], settings: Any
) -> None:
    # Finding 3: the handler stops keeping the file at the limit; the page says why.
    settings.KETENREGIE_MAX_ATTACHMENT_BYTES = 1024 * 1024
    client.force_login(intake["referrer"])
    big = SimpleUploadedFile("groot.pdf", pdf_bytes() + b"%" + b"x" * (1024 * 1024 + 10))
    resp = client.post(_create_url(intake), {**_post_data(intake, draft="1"), "attachments": [big]})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "‘groot.pdf’ is te groot" in html and "de grens is 1 MB per bijlage" in html
    assert 'value="Getypte"' in html and "Getypte aanleiding" in html
    assert not Case.objects.exists()


def test_a_request_over_the_upload_limit_is_refused_before_it_is_read(
    client: Client, intake: dict[str, Any], settings: Any
) -> None:
    # Finding 3: the whole body used to be read (and kept) first.
    settings.KETENREGIE_MAX_UPLOAD_REQUEST_BYTES = 200_000
    client.force_login(intake["referrer"])
    big = SimpleUploadedFile("groot.pdf", pdf_bytes() + b"%" + b"x" * 300_000)
    resp = client.post(_create_url(intake), {**_post_data(intake, draft="1"), "attachments": [big]})
    assert resp.status_code == 400
    assert "Verzoek niet verwerkt" in resp.content.decode()
    assert not Case.objects.exists()


def test_a_rollback_in_the_middle_of_the_service_leaves_no_file(
    intake: dict[str, Any], settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Finding 11: the attachment is staged, then the submission fails after it.
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    data = referral_input(intake)
    data.files = [
        SimpleUploadedFile("a.pdf", pdf_bytes()),
        SimpleUploadedFile("b.png", image_bytes("PNG")),
    ]
    staged: list[Path] = []

    def fail(referral: Any, actor: Any) -> None:
        staged.extend(tmp_path.iterdir())
        raise RuntimeError("crash after the attachments")

    monkeypatch.setattr(referral_services, "_submit", fail)
    with pytest.raises(RuntimeError):
        services.save_referral(
            actor=intake["referrer"], house=intake["house"], data=data, submit=True, confirmed=True
        )
    assert len(staged) == 2 and all(p.name.endswith(PART_SUFFIX) for p in staged)
    assert list(tmp_path.iterdir()) == []
    assert not Attachment.objects.exists() and not Case.objects.exists()


def test_an_upload_that_never_commits_leaves_only_a_temporary_file_which_check_files_removes(
    intake: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    # Finding 11: kill -9 before the commit used to leave a complete file with no row.
    # Here the outer transaction rolls back behind the service's back, as a crash would.
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    data = referral_input(intake)
    data.files = [SimpleUploadedFile("a.pdf", pdf_bytes())]
    with transaction.atomic():
        services.save_referral(actor=intake["referrer"], house=intake["house"], data=data)
        transaction.set_rollback(True)
    (left,) = tmp_path.iterdir()
    assert left.name.endswith(".pdf" + PART_SUFFIX)
    out = io.StringIO()
    call_command("check_files", "--remove", "--min-age", "0", stdout=out)
    assert f"Oud tijdelijk bestand: {left.name}" in out.getvalue()
    assert list(tmp_path.iterdir()) == []


def test_check_files_reports_and_removes_orphans(
    intake: dict[str, Any], settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # Finding 11: the command finds a planted orphan, a row without a file, a recent
    # temporary file it leaves alone, and an interrupted move it completes.
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    data = referral_input(intake)
    data.files = [
        SimpleUploadedFile("a.pdf", pdf_bytes()),
        SimpleUploadedFile("b.pdf", pdf_bytes()),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.save_referral(actor=intake["referrer"], house=intake["house"], data=data)
    kept, moved = Attachment.objects.order_by("pk")
    (tmp_path / moved.file.name).rename(tmp_path / (moved.file.name + PART_SUFFIX))
    orphan = tmp_path / "0123456789abcdef.pdf"
    orphan.write_bytes(pdf_bytes())
    recent = tmp_path / "fedcba.pdf.part"
    recent.write_bytes(b"x")
    import os
    import time

    hour_ago = time.time() - 2 * 3600
    for path in tmp_path.iterdir():
        if path != recent:
            os.utime(path, (hour_ago, hour_ago))
    gone = Attachment.objects.create(
        referral=kept.referral,
        file="weg.pdf",
        original_name="weg.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=intake["referrer"],
        uploaded_at=kept.uploaded_at,
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 probleem"):
        call_command("check_files", stdout=out)
    report = out.getvalue()
    assert f"Bestand zonder rij: {orphan.name}" in report
    assert f"Rij zonder bestand: intake.Attachment {gone.pk} (weg.pdf)" in report
    assert f"Onvoltooid bestand van intake.Attachment {moved.pk}" in report
    assert "Tijdelijk bestand (recent, overgeslagen): fedcba.pdf.part" in report
    assert orphan.exists()  # reporting removes nothing
    gone.delete()
    out = io.StringIO()
    call_command("check_files", "--remove", stdout=out)
    assert not orphan.exists() and recent.exists()
    assert (tmp_path / moved.file.name).exists() and (tmp_path / kept.file.name).exists()
    call_command("check_files", stdout=io.StringIO())  # consistent now: no error


def test_a_stored_attachment_is_private(
    intake: dict[str, Any], settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # Finding 12: attachments were created 0644 in a 0755 directory.
    root = tmp_path / "bijlagen"
    settings.KETENREGIE_ATTACHMENT_ROOT = root
    data = referral_input(intake)
    data.files = [SimpleUploadedFile("a.pdf", pdf_bytes())]
    with django_capture_on_commit_callbacks(execute=True):
        services.save_referral(actor=intake["referrer"], house=intake["house"], data=data)
    att = Attachment.objects.get()
    assert stat.S_IMODE((root / att.file.name).stat().st_mode) == 0o600
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def test_attachments_are_kept_after_an_error_until_the_referral_is_saved(
    client: Client,
    intake: dict[str, Any],
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Issue 12: after any error the referrer had to choose the attachments again. They
    are kept server-side (checked, tied to the user) and the next save attaches them;
    a refused file is named, the good one beside it is kept."""
    from ketenregie.intake.models import DraftUpload

    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    client.force_login(intake["referrer"])
    url = _create_url(intake)
    good = SimpleUploadedFile("verslag.pdf", pdf_bytes(), "application/pdf")
    bad = SimpleUploadedFile("script.pdf", b"#!/bin/sh\necho", "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(url, {**_post_data(intake, submit="1"), "attachments": [good, bad]})
    html = resp.content.decode()
    assert resp.status_code == 200 and not Case.objects.exists()
    assert "geen PDF of afbeelding" in html
    draft = DraftUpload.objects.get()
    assert draft.owner == intake["referrer"] and (tmp_path / draft.file.name).exists()
    assert f'name="kept" value="{draft.token}"' in html and "verslag.pdf" in html
    assert AuditEvent.objects.filter(action="referral.upload_received").count() == 1
    # The next error (no confirmation) keeps it too, without choosing it again.
    resp = client.post(url, {**_post_data(intake, submit="1"), "kept": [str(draft.token)]})
    html = resp.content.decode()
    assert "Bevestig dat u verantwoordelijk" in html and not Case.objects.exists()
    assert f'name="kept" value="{draft.token}"' in html
    # The referrer posts again, without choosing the file: it is attached.
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            url, {**_post_data(intake, submit="1", confirm="on"), "kept": [str(draft.token)]}
        )
    assert resp.status_code == 302
    att = Attachment.objects.get()
    assert att.file.name == draft.file.name and att.original_name == "verslag.pdf"
    assert (tmp_path / att.file.name).exists() and not DraftUpload.objects.exists()


def test_a_kept_upload_is_only_its_owners(
    client: Client,
    intake: dict[str, Any],
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from ketenregie.accounts.roles import Role
    from ketenregie.intake.models import DraftUpload
    from ketenregie.tests_support.factories import UserFactory

    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        (draft,), _refused = services.keep_uploads(
            intake["referrer"], [SimpleUploadedFile("a.pdf", pdf_bytes())]
        )
    thief = UserFactory(
        organisation=intake["police"], roles=[(Role.AANMELDER, None), (Role.PROFESSIONAL, None)]
    )
    client.force_login(thief)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            _create_url(intake), {**_post_data(intake, draft="1"), "kept": [str(draft.token)]}
        )
    assert resp.status_code == 302
    assert not Attachment.objects.exists() and DraftUpload.objects.get() == draft
    assert services.kept_uploads(thief, [str(draft.token), "geen-uuid"]) == []


def test_check_files_removes_kept_uploads_nobody_used(
    intake: dict[str, Any], settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    import time_machine

    from ketenregie.intake.models import DraftUpload

    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        (draft,), _refused = services.keep_uploads(
            intake["referrer"], [SimpleUploadedFile("a.pdf", pdf_bytes())]
        )
    path = tmp_path / draft.file.name
    call_command("check_files", "--min-age", "0", stdout=io.StringIO())  # fresh: fine
    later = draft.created_at + DraftUpload.KEEP_FOR + dt.timedelta(minutes=1)
    with time_machine.travel(later):
        assert services.kept_uploads(intake["referrer"], [str(draft.token)]) == []
        out = io.StringIO()
        with pytest.raises(CommandError, match="1 probleem"):
            call_command("check_files", "--min-age", "0", stdout=out)
        assert "Verlopen tijdelijke bijlagen: 1" in out.getvalue() and path.exists()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("check_files", "--remove", "--min-age", "0", stdout=out)
    assert not DraftUpload.objects.exists() and not path.exists()
    assert AuditEvent.objects.filter(action="referral.draft_upload_expired").count() == 1
