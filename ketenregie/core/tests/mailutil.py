"""Who a test's outgoing mail went to."""

from __future__ import annotations

from typing import Any


def addressees(messages: list[Any]) -> list[str]:
    """Everyone the messages went to, sorted; each message has exactly one addressee
    (no shared To:, Cc: or Bcc: tells a partner who else is involved)."""
    for message in messages:
        assert len(message.to) == 1 and not message.cc and not message.bcc, message.to
    return sorted(message.to[0] for message in messages)
