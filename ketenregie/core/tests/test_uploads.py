"""The upload check (core.uploads): type by content, whole-file validation, the virus
scanner hook, the upload handler's size limit, staging on commit (issue 11: findings 3,
11, 12)."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import load_handler
from django.db import transaction
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from ketenregie.core import uploads
from ketenregie.core.tests.samples import (
    EICAR,
    HTML,
    image_bytes,
    jpeg_with_comment,
    pdf_bytes,
    raw_pdf,
)
from ketenregie.core.uploads import JPEG, PDF, PNG, check_upload

SCANNER = f"{sys.executable} {Path(__file__).with_name('fake_scanner.py')}"


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, data, content_type)


def test_polyglot_jpeg_with_html_is_reencoded_and_named_jpg() -> None:
    # Finding 3: a JPEG followed by HTML was stored and served as poly.html.
    checked = check_upload(upload("poly.html", image_bytes("JPEG") + HTML, "text/html"))
    assert checked.type is JPEG and checked.display_name == "poly.jpg"
    assert b"<script" not in checked.data and b"<html" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as img:
        img.load()
        assert img.format == "JPEG" and img.size == (8, 6)


def test_html_hidden_in_a_jpeg_comment_is_dropped() -> None:
    checked = check_upload(upload("foto.jpg", jpeg_with_comment(HTML)))
    assert b"<script" not in checked.data and checked.display_name == "foto.jpg"


def test_png_keeps_its_pixels_and_loses_its_text_chunks() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", HTML.decode())
    checked = check_upload(upload("scan.png", image_bytes("PNG", pnginfo=info)))
    assert checked.type is PNG and b"<script" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as img:
        assert img.getpixel((0, 0)) == (200, 30, 30)


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff" + HTML,  # only a JPEG header, then HTML
        image_bytes("JPEG")[:60],  # truncated
        image_bytes("PNG")[:40],
    ],
    ids=["header-only", "truncated-jpeg", "truncated-png"],
)
def test_an_image_that_does_not_decode_is_refused(data: bytes) -> None:
    with pytest.raises(ValidationError, match="geen geldige (JPEG|PNG)-afbeelding"):
        check_upload(upload("x.jpg", data))


def test_an_unknown_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="geen PDF of afbeelding"):
        check_upload(upload("x.pdf", HTML))


def _open_action_js(writer: Any) -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )


def _open_action_uri(writer: Any) -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("http://x")}
    )


HOSTILE_PDFS = {
    "openaction-javascript": pdf_bytes(_open_action_js),
    "openaction-uri": pdf_bytes(_open_action_uri),
    "document-javascript": raw_pdf(
        b"/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (app.alert(1)) >>] >> >>"
    ),
    "embedded-file": pdf_bytes(lambda w: w.add_attachment("x.exe", b"MZ")),
    "launch": raw_pdf(b"/OpenAction << /S /Launch /F (calc.exe) >>"),
    "additional-actions": raw_pdf(b"/AA << /WC << /S /URI /URI (http://x) >> >>"),
    "xfa-form": raw_pdf(b"/AcroForm << /Fields [] /XFA 9 0 R >>"),
    "hex-escaped-name": raw_pdf(b"/Names << /J#61vaScript 9 0 R >>"),
    # Not reachable from the catalogue; a lenient reader may still find and run it.
    "unreferenced-object": raw_pdf(
        extra_objects=b"9 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE_PDFS))
def test_pdf_with_active_content_is_refused(name: str) -> None:
    # Finding 3: a PDF with /OpenAction JavaScript was accepted.
    with pytest.raises(ValidationError, match="bevat actieve inhoud"):
        check_upload(upload("rapport.pdf", HOSTILE_PDFS[name]))


def test_plain_pdf_and_an_open_destination_are_accepted() -> None:
    checked = check_upload(upload("Rapport <def>.PDF", pdf_bytes()))
    assert checked.type is PDF and checked.display_name == "Rapport _def_.pdf"
    opens_page = raw_pdf(b"/OpenAction [3 0 R /Fit]")
    assert check_upload(upload("a.pdf", opens_page)).data == opens_page


def test_broken_and_locked_pdfs_are_refused() -> None:
    with pytest.raises(ValidationError, match="geen geldige PDF"):
        check_upload(upload("a.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))

    def lock(writer: Any) -> None:
        writer.encrypt(user_password="geheim", owner_password="eigenaar", algorithm="RC4-128")

    with pytest.raises(ValidationError, match="wachtwoord"):
        check_upload(upload("a.pdf", pdf_bytes(lock)))


def test_a_pdf_with_too_many_objects_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Parsing time grows with the number of objects: the count is capped before parsing.
    monkeypatch.setattr(uploads, "MAX_PDF_OBJECTS", 3)
    with pytest.raises(ValidationError, match="te veel onderdelen"):
        check_upload(upload("a.pdf", pdf_bytes()))


def test_display_name_keeps_only_harmless_text() -> None:
    assert uploads.display_name("C:\\Users\\x\\brief.docx", PDF) == "brief.pdf"
    assert uploads.display_name("../../etc/passwd", PDF) == "passwd.pdf"
    # Right-to-left override: 'foto\u202egpj.exe' shows as 'fotoexe.jpg'.
    assert uploads.display_name("foto\u202egpj.exe", JPEG) == "fotogpj.jpg"
    assert uploads.display_name("...", PNG) == "bijlage.png"
    assert uploads.display_name("a" * 300 + ".pdf", PDF) == "a" * 100 + ".pdf"


def test_virus_scanner_refuses_eicar_and_passes_a_clean_file(settings: Any) -> None:
    infected = pdf_bytes() + b"%" + EICAR + b"\n"
    assert check_upload(upload("a.pdf", infected)).type is PDF  # no scanner configured
    settings.KETENREGIE_VIRUS_SCANNER = SCANNER
    assert check_upload(upload("schoon.pdf", pdf_bytes())).type is PDF
    with pytest.raises(ValidationError, match="virusscanner vond er schadelijke inhoud"):
        check_upload(upload("a.pdf", infected))
    # The image is re-encoded, but the scanner sees what was sent.
    with pytest.raises(ValidationError, match="virusscanner"):
        check_upload(upload("a.jpg", image_bytes("JPEG") + EICAR))


@pytest.mark.parametrize(
    "command",
    [f"{SCANNER} --broken", "/nonexistent/clamdscan -", f"{sys.executable} -c 'import time'"],
    ids=["scanner-error", "scanner-missing", "scanner-says-nothing-then-0"],
)
def test_a_scanner_without_a_clean_answer_refuses(settings: Any, command: str) -> None:
    settings.KETENREGIE_VIRUS_SCANNER = command
    if command.endswith("'import time'"):
        # Exit 0 is the clean answer, whatever the scanner prints.
        assert check_upload(upload("a.pdf", pdf_bytes())).type is PDF
        return
    with pytest.raises(ValidationError, match="niet op virussen worden gecontroleerd"):
        check_upload(upload("a.pdf", pdf_bytes()))


def test_a_scanner_that_hangs_refuses(settings: Any) -> None:
    settings.KETENREGIE_VIRUS_SCANNER = f"{sys.executable} -c 'import time; time.sleep(30)'"
    settings.KETENREGIE_VIRUS_SCANNER_TIMEOUT = 1
    with pytest.raises(ValidationError, match="niet op virussen worden gecontroleerd"):
        check_upload(upload("a.pdf", pdf_bytes()))


def _parser(body: bytes, stream: io.BytesIO | None = None) -> MultiPartParser:
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handlers = [load_handler(h) for h in settings.FILE_UPLOAD_HANDLERS]
    return MultiPartParser(meta, stream or io.BytesIO(body), handlers)


def test_the_upload_handler_stops_keeping_a_file_past_the_limit(settings: Any) -> None:
    # Finding 3: an oversize upload was read and kept whole before it was refused.
    settings.KETENREGIE_MAX_ATTACHMENT_BYTES = 100_000
    big = SimpleUploadedFile("groot.pdf", b"%PDF-" + b"x" * 400_000)
    small = SimpleUploadedFile("klein.pdf", b"%PDF-" + b"x" * 1000)
    body = encode_multipart(
        BOUNDARY, {"eerst": "behouden", "attachments": [big, small], "daarna": "ook"}
    )
    post, files = _parser(body).parse()
    assert post["eerst"] == "behouden" and post["daarna"] == "ook"  # the form is kept
    kept_big, kept_small = files.getlist("attachments")
    assert isinstance(kept_big, uploads.OversizeUpload)
    assert kept_big.size > 100_000 and kept_big.read() == b""  # nothing of it stored
    assert kept_small.read().startswith(b"%PDF-")
    with pytest.raises(ValidationError, match="te groot"):
        check_upload(kept_big)


def test_a_request_over_the_limit_is_refused_unread(settings: Any) -> None:
    settings.KETENREGIE_MAX_UPLOAD_REQUEST_BYTES = 50_000
    body = encode_multipart(BOUNDARY, {"a": SimpleUploadedFile("a.pdf", b"x" * 60_000)})
    stream = io.BytesIO(body)
    with pytest.raises(RequestDataTooBig):
        _parser(body, stream).parse()
    assert stream.tell() == 0  # not a byte of the body was read


@pytest.mark.django_db
def test_a_staged_file_is_in_place_only_after_commit(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # Finding 11: the file used to be complete before its row was committed.
    checked = check_upload(upload("a.pdf", pdf_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            name = uploads.stage(tmp_path / "bijlagen", checked)
            assert not (tmp_path / "bijlagen" / name).exists()
            part = tmp_path / "bijlagen" / (name + uploads.PART_SUFFIX)
            assert part.read_bytes() == checked.data
    final = tmp_path / "bijlagen" / name
    assert final.read_bytes() == checked.data and not part.exists()
    assert name.endswith(".pdf")
    # Finding 12: the file 0600, its directory 0700.
    assert stat.S_IMODE(final.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "bijlagen").stat().st_mode) == 0o700


def test_the_process_umask_keeps_new_files_private(tmp_path: Path) -> None:
    # Finding 12: settings set the umask, so anything the process creates is 0600.
    path = tmp_path / "nieuw"
    path.write_bytes(b"x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    old = os.umask(0o077)
    os.umask(old)
    assert old == 0o077
