"""Panels that apps above plans add to a case meeting's page (the meldcode's decision
questions, asked again at each progress meeting): a registry, so plans imports nothing
above it. A panel function gets the viewer and the `MeetingView` (the gate's decision of
what the viewer sees) and returns its template and context, or None to show nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.plans.access import MeetingView

type Panel = Callable[["User", "MeetingView"], dict[str, Any] | None]

_PANELS: list[Panel] = []


def register_meeting_panel(panel: Panel) -> None:
    """Add a panel (from the registering app's `AppConfig.ready`); once per function."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def panels_for(user: User, view: MeetingView) -> list[dict[str, Any]]:
    """The panels to show on this meeting's page, each a dict with at least `template`."""
    return [shown for panel in _PANELS if (shown := panel(user, view)) is not None]
