"""Real files for upload tests: decodable, so a check that decodes them accepts them."""

from __future__ import annotations

import random
import struct
import zlib
from typing import Any


def png(size: int = 160) -> bytes:
    """A real PNG of random pixels (about 75 kB at the default size): slow to upload."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + random.randbytes(size * 3) for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def stored_attachment(referral: Any, uploaded_by: Any) -> Any:
    """An attachment row with a small file on disk, written directly (not through the
    upload checks): for tests about who may download it and how it is served."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from ketenregie.intake.models import Attachment

    attachment = Attachment(
        referral=referral,
        original_name="x.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=uploaded_by,
        uploaded_at=timezone.now(),
    )
    attachment.file.save("bijlage", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return attachment
