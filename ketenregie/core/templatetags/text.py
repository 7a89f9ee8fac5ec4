"""Small text filters for running text built from user input."""

from __future__ import annotations

from django import template

register = template.Library()

_FINAL = ".!?;:,"


@register.filter
def clause(value: object) -> str:
    """The text without its closing punctuation, for use inside a sentence: an action
    "Brief voorbereiden." followed by ", uiterlijk ..." read "voorbereiden., uiterlijk"."""
    return str(value or "").rstrip().rstrip(_FINAL).rstrip()


@register.filter
def chunks(value: object, size: object) -> list[list[object]]:
    """The items in groups of `size` (empty: one group), for a table that shows a few
    per page width (the support plan's members, side by side, in the PDF)."""
    items = list(value) if value else []  # type: ignore[call-overload]
    size = max(int(str(size)) if size else len(items), 1)
    return [items[i : i + size] for i in range(0, len(items), size)]
