"""The one pattern by which apps above plans add to plans' pages without plans importing
them (ADR 7, ADR 32): a registry of functions, each given the viewer and what the gate
decided the viewer sees, returning what to show or None. The registering app calls
`register` from its `AppConfig.ready`; the page calls `collect`.

Two registries use it: the panels on a case meeting's page (`meeting_panels`) and the
lines of the support plan's "overige gegevens" (`plan_details`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ketenregie.accounts.models import User


class PanelRegistry[V, R]:
    """Functions `(viewer, view) -> R | None` in the order they were registered."""

    def __init__(self) -> None:
        self._panels: list[Callable[[User, V], R | None]] = []

    def register(self, panel: Callable[[User, V], R | None]) -> None:
        """Add a function; registering the same one again changes nothing."""
        if panel not in self._panels:
            self._panels.append(panel)

    def collect(self, user: User, view: V) -> list[R]:
        """What every registered function shows this viewer (None: nothing)."""
        return [shown for panel in self._panels if (shown := panel(user, view)) is not None]
