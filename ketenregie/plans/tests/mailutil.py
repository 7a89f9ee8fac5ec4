"""Reading outgoing test mail the way a recipient would: every decoded part."""

from __future__ import annotations

from typing import Any

from icalendar import Calendar


def full_text(message: Any) -> str:
    """Subject, headers and every decoded MIME part (body and attachments) of a message."""
    mime = message.message()
    # Every header but the Message-ID, whose random digits can spell a year of birth by
    # chance (a flaky '1984' once); it carries nothing the sender wrote.
    parts = [str(v) for k, v in mime.items() if k.lower() != "message-id"]
    for part in mime.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            parts.append(payload.decode("utf-8", errors="replace"))
    return "\n".join([message.subject, message.body, *parts])


def ics_of(message: Any) -> tuple[str, Calendar]:
    """The one calendar attachment of a message: (mimetype, parsed calendar)."""
    found = [a for a in message.attachments if a[0].endswith(".ics")]
    assert len(found) == 1, message.attachments
    _name, content, mimetype = found[0]
    raw = content.encode() if isinstance(content, str) else content
    return mimetype, Calendar.from_ical(raw)
