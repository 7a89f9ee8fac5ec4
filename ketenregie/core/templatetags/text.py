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
