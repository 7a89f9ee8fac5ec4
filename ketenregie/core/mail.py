"""Outgoing e-mail: a subject, a short neutral text and a link; never case content.

Mail is sent after the transaction commits. A failed send is logged and does not undo
the write it belongs to: the product itself (feedback, task lists) stays the record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

log = logging.getLogger(__name__)

_muted: ContextVar[bool] = ContextVar("ketenregie_mail_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Queue no mail inside the block: the demo is seeded through the real services, and
    thousands of invitations to fictitious addresses would only flood the console."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def absolute_url(path: str) -> str:
    return f"{settings.KETENREGIE_BASE_URL.rstrip('/')}{path}"


def subject_line(subject: str) -> str:
    """Every subject the product sends: the product name and a neutral phrase, never a
    username, a host name or case content (also allauth's mails, accounts.adapters)."""
    return f"Ketenregie: {subject}"


FOOTER = "Dit bericht bevat bewust geen persoonsgegevens. Stuur het niet door."


def send_link_mail(
    recipients: Iterable[str],
    *,
    subject: str,
    text: str,
    path: str,
    ics: bytes | None = None,
    link_intro: str = "Bekijk het in Ketenregie (inloggen vereist):",
) -> None:
    """Queue a link-only e-mail for after commit. `text` must hold no personal data."""
    to = sorted({r for r in recipients if r})
    if not to or _muted.get():
        return
    body = f"{text}\n\n{link_intro}\n{absolute_url(path)}\n\n{FOOTER}"

    def send() -> None:
        message = EmailMessage(subject=subject_line(subject), body=body, to=to)
        if ics is not None:
            message.attach("uitnodiging.ics", ics, "text/calendar; method=REQUEST")
        try:
            message.send()
        except Exception:  # noqa: BLE001 - a mail failure must not undo the committed write
            log.exception("E-mail niet verzonden: %s", subject)

    transaction.on_commit(send)
