"""Small real files for upload tests: valid ones, and the hostile ones the review used."""

from __future__ import annotations

import io
from typing import Any

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (8, 6), **save: Any) -> bytes:
    from PIL import Image

    img = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    img.save(out, fmt, **save)
    return out.getvalue()


def jpeg_with_comment(payload: bytes) -> bytes:
    """A JPEG whose COM segment (right after SOI) carries `payload`."""
    jpeg = image_bytes("JPEG")
    segment = b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


def pdf_bytes(build: Any = None) -> bytes:
    """A one-page PDF written by pypdf; `build(writer)` may add to it first."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if build is not None:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_pdf(catalog_extra: bytes = b"", extra_objects: bytes = b"") -> bytes:
    """A hand-written one-page PDF (so names can be spelled as an attacker would)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    body = b"%PDF-1.7\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    body += extra_objects
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        body += b"%010d 00000 n \n" % offset
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body
