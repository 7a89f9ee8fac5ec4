"""Steps that apps add to the demo data set (`manage.py load_demo`).

The demo and the privacy app are peers in the layers (neither imports the other), yet the
demo should show, say, each house's processing register started through its service. An
app registers a step here from its `AppConfig.ready()`; `load_demo` runs the steps after
the reference data (regions, houses, partners, users) exists, inside its transaction.
"""

from __future__ import annotations

from collections.abc import Callable

_STEPS: dict[str, Callable[[], object]] = {}


def register_demo_step(name: str, step: Callable[[], object]) -> None:
    """Add `step` (no arguments; it finds what it needs in the database) under `name`."""
    _STEPS[name] = step


def run_demo_steps() -> dict[str, object]:
    """Run every registered step, in registration order; each one's result by name."""
    return {name: step() for name, step in _STEPS.items()}
