"""The small-number rule of the management information (issue 14, ADR 22).

No person may be recognised from a figure: a count under the threshold
(`KETENREGIE_SMALL_NUMBER`, default 5) is shown as "< 5", and a total shown beside the
cells must not give it back by subtraction. The protection is secondary suppression: when
the hidden cells of a row can still be worked out from the total and the cells shown,
the smallest shown cell is hidden too ("x"), and if that is not enough the total itself.
Every figure on a management page, chart and export passes through `protect` (counts of
one row with their total) or `share` (a percentage); `enough` decides whether a set is
large enough to describe at all (a median, a spread).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from ketenregie.reports.charts import Cell

# Shown for a cell hidden only so that a small cell cannot be worked out from the total.
SECONDARY = "x"


def threshold() -> int:
    return int(getattr(settings, "KETENREGIE_SMALL_NUMBER", 5))


@dataclass(frozen=True)
class Shown:
    """A figure as the page may show it: `value` None means hidden, `text` is what shows."""

    value: float | None
    text: str

    @property
    def hidden(self) -> bool:
        return self.value is None

    @property
    def cell(self) -> Cell:
        return Cell(self.value, self.text)

    def __str__(self) -> str:
        return self.text


def _small(n: int, limit: int) -> bool:
    # Zero recognises nobody; one to limit - 1 might.
    return 0 < n < limit


def _revealed(hidden_small: int, hidden_large: int, hidden_sum: int, limit: int) -> bool:
    """Can an attacker who knows the rule work out a small hidden cell exactly?

    He knows `hidden_sum` (total minus the cells shown), that each small cell lies in
    1..limit-1 and each secondary cell is at least `limit`. A small cell is determined
    when its feasible range collapses to one value.
    """
    if hidden_small == 0:
        return False
    others_small = hidden_small - 1
    low = 1 if hidden_large else max(1, hidden_sum - others_small * (limit - 1))
    high = min(limit - 1, hidden_sum - others_small - hidden_large * limit)
    return low >= high


def protect(counts: Sequence[int]) -> tuple[list[Shown], Shown]:
    """One row of counts and their total, as the page may show them."""
    limit = threshold()
    small_text = f"< {limit}"
    total = sum(counts)
    small = [i for i, n in enumerate(counts) if _small(n, limit)]
    secondary: list[int] = []
    if _small(total, limit):
        return [Shown(0, "0") if n == 0 else Shown(None, small_text) for n in counts], Shown(
            None, small_text
        )
    hidden_sum = sum(counts[i] for i in small)
    candidates = sorted(
        (n, i) for i, n in enumerate(counts) if n >= limit
    )  # the smallest first: hide as little as possible
    while _revealed(len(small), len(secondary), hidden_sum, limit) and candidates:
        n, i = candidates.pop(0)
        secondary.append(i)
        hidden_sum += n
    total_shown = (
        Shown(None, SECONDARY)
        if _revealed(len(small), len(secondary), hidden_sum, limit)
        else Shown(total, _number(total))
    )
    cells = []
    for i, n in enumerate(counts):
        if i in small:
            cells.append(Shown(None, small_text))
        elif i in secondary:
            cells.append(Shown(None, SECONDARY))
        else:
            cells.append(Shown(n, _number(n)))
    return cells, total_shown


def protect_one(n: int) -> Shown:
    """A single count shown on its own (no total beside it)."""
    return protect([n])[1] if _small(n, threshold()) else Shown(n, _number(n))


def share(part: int, whole: int) -> Shown:
    """`part` of `whole` as a whole percentage, hidden when either `part` or the rest is a
    small number (a percentage and its base together give the count back)."""
    limit = threshold()
    if whole == 0:
        return Shown(None, "–")
    if _small(part, limit) or _small(whole - part, limit) or _small(whole, limit):
        return Shown(None, _("te weinig") if _small(whole, limit) else SECONDARY)
    percent = round(100 * part / whole)
    return Shown(percent, f"{percent}%")


def is_small(n: int) -> bool:
    """A count that might let someone recognise a person (1 to threshold - 1)."""
    return _small(n, threshold())


def count_text(n: int) -> str:
    """A single count as shown where its hiding is decided elsewhere (the needs matrix
    hides its second figures itself): "0", "< 5" or the number."""
    limit = threshold()
    return f"< {limit}" if _small(n, limit) else _number(n)


def enough(n: int) -> bool:
    """Whether `n` values are enough to describe their spread (a median, quartiles)."""
    return n >= threshold()


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")
