"""Time travel for tests whose step only exists at a certain moment (a triage that has
begun: attendance and outcomes are refused before its start)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine


def during(meeting: Any, minutes: int = 5) -> Any:
    """A clock `minutes` after the meeting's start (ticking), as a context manager."""
    return time_machine.travel(meeting.starts_at + dt.timedelta(minutes=minutes), tick=True)
