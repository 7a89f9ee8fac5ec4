"""Outgoing e-mail: a subject, a short neutral text and a link; never case content.

Mail is sent after the transaction commits. A failed send is logged and does not undo
the write it belongs to: the product itself (feedback, task lists) stays the record.

Every recipient gets a mail of their own: a shared To: (or Cc:) would tell each partner
who else is involved in a case, which is exactly what need-to-know keeps from them.

Links point at the address the product is served on: `KETENREGIE_BASE_URL` when it is
configured (production, behind a proxy), else the address of the request being served
(so `make run PORT=8080` mails links on 8080), else, outside a request (commands, cron),
the development default.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest, HttpResponse

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


# The development server's address: the base of links made outside a request when no
# KETENREGIE_BASE_URL is configured.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
_request_base: ContextVar[str] = ContextVar("ketenregie_request_base_url", default="")


def base_url() -> str:
    configured: str = settings.KETENREGIE_BASE_URL
    return (configured or _request_base.get() or DEFAULT_BASE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    return f"{base_url()}{path}"


class RequestBaseUrlMiddleware:
    """Remember the served address (scheme and validated host) while a request runs, so
    links in the mails it sends point where the user reached the product."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # build_absolute_uri goes through get_host(): a Host outside ALLOWED_HOSTS is
        # refused (400) before any link is made from it.
        token = _request_base.set(request.build_absolute_uri("/"))
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)


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
    ics: Callable[[str], bytes] | None = None,
    link_intro: str = "Bekijk het in Ketenregie (inloggen vereist):",
) -> None:
    """Queue link-only e-mails for after commit, one per recipient (nobody sees who else
    got it). `text` must hold no personal data. `ics` makes the calendar invitation for
    one recipient's address."""
    to = sorted({r for r in recipients if r})
    if not to or _muted.get():
        return
    # Built now, inside the request: the link follows the served address.
    body = f"{text}\n\n{link_intro}\n{absolute_url(path)}\n\n{FOOTER}"
    messages = []
    for address in to:
        message = EmailMessage(subject=subject_line(subject), body=body, to=[address])
        if ics is not None:
            message.attach("uitnodiging.ics", ics(address), "text/calendar; method=REQUEST")
        messages.append(message)

    def send() -> None:
        for message in messages:
            try:
                message.send()
            except Exception:  # noqa: BLE001 - a mail failure must not undo the committed write
                log.exception("E-mail niet verzonden: %s", subject)

    transaction.on_commit(send)
