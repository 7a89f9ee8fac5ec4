"""Uploaded files: the one place that decides whether a file may be kept, and how it is kept.

A file is recognised by its content, never by its name or the browser's content type, and
checked whole: an image must decode and is re-encoded (only its pixels are kept, so
anything hidden in metadata or after the image's end, such as HTML of a polyglot, is
gone, and so are the camera's EXIF data); a PDF is parsed and refused when it holds active
content. It is stored and served with the extension of the detected type; the user's name
is kept only as display text, sanitised. An optional virus scanner is asked about every
file and a scanner that does not answer refuses it (fail closed). Files are written under
a temporary name and moved into place when the transaction commits, so a crash or a
rollback leaves no complete file without a row (`manage.py check_files` finds the rest).
ADR 0012.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shlex
import subprocess
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# A staged file's name: the final name plus this suffix, in the same directory (the move
# into place is one rename on one filesystem).
PART_SUFFIX = ".part"


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    magic: bytes
    label: str


# The types allowed today; nothing else is accepted.
PDF = FileType("application/pdf", "pdf", b"%PDF-", "PDF")
PNG = FileType("image/png", "png", b"\x89PNG\r\n\x1a\n", "PNG")
JPEG = FileType("image/jpeg", "jpg", b"\xff\xd8\xff", "JPEG")
ALLOWED_TYPES: tuple[FileType, ...] = (PDF, PNG, JPEG)
BY_CONTENT_TYPE = {t.content_type: t for t in ALLOWED_TYPES}
# How a stored file of no allowed type would be served: bytes to download, never rendered.
UNKNOWN = FileType("application/octet-stream", "bin", b"", "onbekend")

# An object header in a PDF ("12 0 obj"), wherever it is.
_OBJECT_HEADER = re.compile(
    rb"(?<![0-9])([0-9]{1,10})[ \t\r\n\f\x00]+([0-9]{1,5})[ \t\r\n\f\x00]+obj\b"
)
MAX_UNLISTED_PDF_OBJECTS = 200
# A long report has a few thousand objects; a file built to keep the parser busy has more.
MAX_PDF_OBJECTS = 50_000

# Pillow's own default: larger images are decompression bombs, not photographs.
MAX_IMAGE_PIXELS = 89_478_485

# PDF names that make a document do something when opened or clicked, or carry other
# files: JavaScript, automatic actions, launching programs, embedded files, Flash and
# XFA forms. Found anywhere in the file (as a key or a value), the PDF is refused.
PDF_ACTIVE_NAMES = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/RichMediaExecute",
        "/XFA",
        "/GoToE",
        "/ImportData",
    }
)


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: the bytes to store and what to call and serve them as."""

    type: FileType
    data: bytes
    display_name: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class OversizeUpload(UploadedFile):  # type: ignore[type-arg]
    """Stands in for a file the upload handler stopped keeping at the size limit.

    The form and the service see it like any file and refuse it by its size, with the
    usual Dutch message; its content was never stored.
    """

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size)


class BoundedUploadHandler(FileUploadHandler):
    """First upload handler: refuses an over-large request unread and stops keeping a file
    once it passes the attachment limit.

    A request larger than KETENREGIE_MAX_UPLOAD_REQUEST_BYTES (by its Content-Length) is
    refused before its body is read (400). Within that, a file that grows past
    KETENREGIE_MAX_ATTACHMENT_BYTES is no longer passed on to the handlers that keep it;
    the rest of the form is still read, so the page can show the form again with its
    input and a Dutch error on the file.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = settings.KETENREGIE_MAX_ATTACHMENT_BYTES
        self.seen = 0
        self.over = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 (Django's name)
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        if content_length > settings.KETENREGIE_MAX_UPLOAD_REQUEST_BYTES:
            raise RequestDataTooBig(
                "Request body exceeded settings.KETENREGIE_MAX_UPLOAD_REQUEST_BYTES."
            )

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.seen = 0
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen = start + len(raw_data)
        if self.seen > self.limit:
            # Nothing more of this file reaches the handlers that store it.
            self.over = True
            return None
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:  # type: ignore[type-arg]
        if self.over:
            return OversizeUpload(self.file_name or "", self.seen, self.content_type)
        return None


def display_name(name: str | None, file_type: FileType) -> str:
    """The user's file name as display text: no path, no control or direction characters,
    no characters a file system refuses, at most 100 characters, and the extension of
    the detected type instead of the user's own."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    # Category C: control and format characters, including the right-to-left override
    # that makes 'gpj.exe' look like 'exe.jpg'.
    base = "".join(c for c in base if not unicodedata.category(c).startswith("C"))
    base = re.sub(r'[<>:"/\\|?*]', "_", base)
    base = " ".join(base.split())
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem.strip(" .")[:100].strip(" .")
    return f"{stem or 'bijlage'}.{file_type.extension}"


# Refusals that are security events (the caller audits them); the rest are ordinary
# mistakes (too large, wrong type, broken file).
MALWARE = "malware"
ACTIVE_CONTENT = "active_content"
SCANNER_UNAVAILABLE = "scanner_unavailable"
SECURITY_REFUSALS = frozenset({MALWARE, ACTIVE_CONTENT, SCANNER_UNAVAILABLE})


def _refuse(message: str, name: str, code: str = "invalid", **extra: Any) -> ValidationError:
    return ValidationError(message % {"naam": name, **extra}, code=code)


def check_upload(upload: UploadedFile) -> CheckedFile:  # type: ignore[type-arg]
    """Accept an upload or raise a ValidationError with a Dutch message naming the file."""
    limit = settings.KETENREGIE_MAX_ATTACHMENT_BYTES
    size = upload.size or 0
    shown = (upload.name or "bijlage").replace("\\", "/").rsplit("/", 1)[-1][:100]
    if isinstance(upload, OversizeUpload):
        # Its real size is unknown: the handler stopped counting at the limit.
        raise _refuse(
            _("‘%(naam)s’ is te groot; de grens is %(max)d MB per bijlage."),
            shown,
            max=limit // 1024 // 1024,
        )
    if size > limit:
        raise _refuse(
            _("‘%(naam)s’ is te groot (%(mb).1f MB); de grens is %(max)d MB per bijlage."),
            shown,
            mb=size / 1024 / 1024,
            max=limit // 1024 // 1024,
        )
    upload.seek(0)
    # Read at most one byte past the limit: the size the browser claims is not trusted.
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise _refuse(
            _("‘%(naam)s’ is te groot; de grens is %(max)d MB per bijlage."),
            shown,
            max=limit // 1024 // 1024,
        )
    file_type = next((t for t in ALLOWED_TYPES if data.startswith(t.magic)), None)
    if file_type is None:
        raise _refuse(
            _("‘%(naam)s’ is geen PDF of afbeelding (PNG, JPEG); alleen die zijn toegestaan."),
            shown,
        )
    scan_for_viruses(data, shown)
    if file_type is PDF:
        stored = _check_pdf(data, shown)
    else:
        stored = _reencode_image(data, file_type, shown)
    shown_as = display_name(upload.name, file_type)
    return CheckedFile(type=file_type, data=stored, display_name=shown_as)


def _reencode_image(data: bytes, file_type: FileType, shown: str) -> bytes:
    """Decode the whole image and encode its pixels afresh; refuse what does not decode."""
    from PIL import Image, ImageOps

    broken = _(
        "‘%(naam)s’ is geen geldige %(soort)s-afbeelding (beschadigd of onvolledig); "
        "kies een ander bestand."
    )
    try:
        with Image.open(io.BytesIO(data), formats=[file_type.label]) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:
                raise _refuse(
                    _(
                        "‘%(naam)s’ is een te grote afbeelding (%(px)d megapixel); verklein "
                        "haar en probeer het opnieuw."
                    ),
                    shown,
                    px=img.width * img.height // 1_000_000,
                )
            img.load()
            # Turned the way the camera meant, because the EXIF orientation is dropped.
            clean = ImageOps.exif_transpose(img)
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many kinds on hostile input
        logger.info("image refused: %s", type(exc).__name__)
        raise _refuse(broken, shown, soort=file_type.label) from exc
    # Only the pixels (and a PNG's transparency) survive: no EXIF, ICC, comments, text.
    clean.info = {k: v for k, v in clean.info.items() if k == "transparency"}
    out = io.BytesIO()
    if file_type is JPEG:
        if clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=90)
    else:
        clean.save(out, "PNG")
    return out.getvalue()


def _check_pdf(data: bytes, shown: str) -> bytes:
    """Parse the PDF and refuse it when it is broken, locked, or holds active content."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(
                _(
                    "‘%(naam)s’ is met een wachtwoord beveiligd en kan daarom niet worden "
                    "gecontroleerd; voeg het document toe zonder beveiliging."
                ),
                shown,
            )
        objects = sum(len(entries) for entries in reader.xref.values())
        if objects + len(reader.xref_objStm) > MAX_PDF_OBJECTS:
            # pypdf parses about 2,000 objects a second: this bounds the time a file can take.
            raise _refuse(
                _(
                    "‘%(naam)s’ bestaat uit te veel onderdelen om te kunnen controleren; "
                    "sla het op als kleinere PDF (bijvoorbeeld met ‘Afdrukken als PDF’)."
                ),
                shown,
            )
        pages = len(reader.pages)
        active = _active_pdf_names(reader, data)
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds on hostile input
        logger.info("pdf refused: %s", type(exc).__name__)
        pages, active = 0, set()
    if pages < 1:
        raise _refuse(
            _("‘%(naam)s’ is geen geldige PDF (beschadigd of onvolledig); kies een ander bestand."),
            shown,
        )
    if active:
        logger.info("pdf refused for active content: %s", sorted(active))
        raise _refuse(
            _(
                "‘%(naam)s’ bevat actieve inhoud (JavaScript, automatische acties of "
                "ingesloten bestanden) en wordt daarom niet opgeslagen. Maak er een gewone PDF "
                "van (bijvoorbeeld met ‘Afdrukken als PDF’) en voeg die toe."
            ),
            shown,
            code=ACTIVE_CONTENT,
        )
    return data


def _active_pdf_names(reader: Any, data: bytes) -> set[str]:
    """The active-content names anywhere in the PDF: every object it holds, listed in its
    cross-reference table or not, reachable from the catalogue or not, so an object only a
    lenient reader would find counts too."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    found: set[str] = set()
    stack: list[Any] = [reader.trailer]
    listed: set[int] = set()
    for generation, entries in reader.xref.items():
        listed.update(entries)
        stack.extend(IndirectObject(idnum, generation, reader) for idnum in entries)
    listed.update(reader.xref_objStm)
    stack.extend(IndirectObject(idnum, 0, reader) for idnum in reader.xref_objStm)
    unlisted = {
        (int(m[1]), int(m[2])) for m in _OBJECT_HEADER.finditer(data) if int(m[1]) not in listed
    }
    if len(unlisted) > MAX_UNLISTED_PDF_OBJECTS:
        # pypdf searches the file for each; so many means a hostile file, not a scan.
        raise ValueError("too many objects outside the cross-reference table")
    stack.extend(IndirectObject(idnum, generation, reader) for idnum, generation in unlisted)
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for name, value in obj.items():
                if name in PDF_ACTIVE_NAMES:
                    found.add(str(name))
                # An OpenAction that is a destination (an array) only opens a page; an
                # action dictionary does something.
                if name == "/OpenAction":
                    target = value.get_object() if isinstance(value, IndirectObject) else value
                    if isinstance(target, DictionaryObject):
                        found.add("/OpenAction")
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject) and obj in PDF_ACTIVE_NAMES:
            found.add(str(obj))
    return found


def scan_for_viruses(data: bytes, shown: str) -> None:
    """Ask the configured virus scanner about the file; refuse it when infected or when
    the scanner gives no clean answer.

    KETENREGIE_VIRUS_SCANNER is a command that reads the file on standard input and exits
    0 for clean and 1 for infected, as ClamAV's `clamdscan -` and `clamscan -` do
    (docs/deployment.md). Empty: no scanner.
    """
    command = settings.KETENREGIE_VIRUS_SCANNER
    if not command:
        return
    try:
        result = subprocess.run(  # noqa: S603 (the command is the administrator's setting)
            shlex.split(command),
            input=data,
            capture_output=True,
            timeout=settings.KETENREGIE_VIRUS_SCANNER_TIMEOUT,
            check=False,
        )
        code: int | None = result.returncode
    except (OSError, subprocess.SubprocessError) as exc:
        logger.error("virus scanner unavailable: %s", exc)
        code = None
    if code == 0:
        return
    if code == 1:
        digest = hashlib.sha256(data).hexdigest()
        logger.warning("virus scanner refused an upload (sha256 %s)", digest)
        raise _refuse(
            _("‘%(naam)s’ is geweigerd: de virusscanner vond er schadelijke inhoud in."),
            shown,
            code=MALWARE,
        )
    if code is not None:
        logger.error("virus scanner failed with exit code %s", code)
    raise _refuse(
        _(
            "‘%(naam)s’ kon niet op virussen worden gecontroleerd en is daarom niet opgeslagen. "
            "Probeer het later opnieuw; blijft dit gebeuren, meld het dan bij de beheerder."
        ),
        shown,
        code=SCANNER_UNAVAILABLE,
    )


def private_dir(path: Path) -> None:
    """Create the directory readable by this user only (0700), and narrow one that exists."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
        path.chmod(0o700)


def stage(root: Path, checked: CheckedFile) -> str:
    """Write the file under a temporary name in `root` and return its final name.

    The file is renamed into place when the surrounding transaction commits; until then
    (and for ever after a crash or a rollback) it is only a `.part` file, which
    `discard_staged` or `manage.py check_files --remove` removes.
    """
    private_dir(root)
    name = f"{uuid.uuid4().hex}.{checked.type.extension}"
    part = root / (name + PART_SUFFIX)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(part, flags, 0o600), "wb") as handle:
        handle.write(checked.data)
        handle.flush()
        os.fsync(handle.fileno())
    transaction.on_commit(lambda: os.replace(part, root / name))
    return name


def discard_staged(root: Path, names: Iterable[str]) -> None:
    """Remove the temporary files of a transaction that rolled back."""
    for name in names:
        (root / (name + PART_SUFFIX)).unlink(missing_ok=True)


# Temporary upload rows (a referral form's kept attachments, say) expire. The app that
# owns them registers a function here: called with remove=False it counts the expired
# rows, with remove=True it removes them with their files (audited by the app) and
# returns how many. `manage.py check_files` runs them; the kernel knows no app.
Expirer = Callable[[bool], int]
_EXPIRERS: list[Expirer] = []


def register_expirer(expirer: Expirer) -> None:
    if expirer not in _EXPIRERS:
        _EXPIRERS.append(expirer)


def expire_temporary_uploads(*, remove: bool) -> int:
    """How many temporary uploads have expired (and, with remove, were removed)."""
    return sum(expirer(remove) for expirer in _EXPIRERS)
