"""Stored values as people read them: the one formatter for snapshots, diffs and versions.

Audit data and plan versions keep raw values (ISO dates, booleans, choice codes). Pages
that show them call `show_value`, passing the labels of the choice codes they know about.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def show_value(value: Any, labels: Mapping[str, object] | None = None) -> str:
    """A stored value as people read it: ja/nee, Dutch dates, choice codes as labels."""
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    if value is None:
        return ""
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        # An ISO date from the snapshot, shown the Dutch way.
        return f"{text[8:10]}-{text[5:7]}-{text[0:4]}"
    return str(labels.get(text, text)) if labels else text
