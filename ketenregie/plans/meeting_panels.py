"""Panels that apps above plans add to a case meeting's page (the meldcode's decision
questions, asked again at each progress meeting): a registry (`plans.panels`), so plans
imports nothing above it. A panel function gets the viewer and the `MeetingView` (the
gate's decision of what the viewer sees) and returns its template and context, or None to
show nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ketenregie.plans.panels import PanelRegistry

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.plans.access import MeetingView

_PANELS: PanelRegistry[MeetingView, dict[str, Any]] = PanelRegistry()


def register_meeting_panel(panel: Callable[[User, MeetingView], dict[str, Any] | None]) -> None:
    """Add a panel (from the registering app's `AppConfig.ready`); once per function."""
    _PANELS.register(panel)


def panels_for(user: User, view: MeetingView) -> list[dict[str, Any]]:
    """The panels to show on this meeting's page, each a dict with at least `template`."""
    return _PANELS.collect(user, view)
