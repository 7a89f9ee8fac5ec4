"""Template filter for bounded counts: `{{ n|bounded }}` shows 1.000+ as "meer dan 1.000"."""

from __future__ import annotations

from django import template

from ketenregie.core.paging import count_label

register = template.Library()


@register.filter
def bounded(n: int) -> str:
    """A count from `bounded_count`, as the page shows it."""
    return count_label(n)
