"""What later phases show on the closing page, without pga importing them.

The closing decision follows the plan's goals, but the plan lives in `plans`, a layer
above `pga`. `plans` registers a contribution at start-up; the closing page asks for the
contributions of a case it already read through the gate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ketenregie.cases.models import Case

Contribution = Callable[["Case"], dict[str, Any]]

_contributions: list[Contribution] = []


def register_closing_contribution(contribution: Contribution) -> None:
    """Add template values to every closing page (idempotent: apps may be readied twice)."""
    if contribution not in _contributions:
        _contributions.append(contribution)


def closing_contributions(case: Case) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for contribution in _contributions:
        values.update(contribution(case))
    return values
