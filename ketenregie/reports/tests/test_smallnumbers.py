"""The small-number rule: no count under the threshold shows, and no total gives it back."""

from __future__ import annotations

import itertools

import pytest

from ketenregie.reports.smallnumbers import protect, protect_one, share


def _solutions(
    shown: list[int | None], total: int | None, small: list[bool]
) -> set[tuple[int, ...]]:
    """Every value of the hidden cells an attacker who knows the rule cannot rule out."""
    hidden = [i for i, v in enumerate(shown) if v is None]
    ranges = [range(1, 5) if small[i] else range(5, 40) for i in hidden]
    found = set()
    for combo in itertools.product(*ranges):
        if total is None or sum(v for v in shown if v is not None) + sum(combo) == total:
            found.add(combo)
    return found


@pytest.mark.parametrize(
    "counts",
    [[3, 10, 12], [1, 1, 20], [4, 4], [4, 4, 9], [1, 5, 30], [2, 0, 7], [3, 5], [0, 0, 8]],
)
def test_no_small_cell_can_be_worked_out_from_the_total(counts: list[int]) -> None:
    cells, total = protect(counts)
    for n, cell in zip(counts, cells, strict=True):
        if 0 < n < 5:
            assert cell.text == "< 5" and cell.value is None
    shown = [None if c.value is None else int(c.value) for c in cells]
    small = [c.text == "< 5" for c in cells]
    total_value = None if total.value is None else int(total.value)
    solutions = _solutions(shown, total_value, small)
    for position in (k for k, i in enumerate(i for i, v in enumerate(shown) if v is None)):
        if small[[i for i, v in enumerate(shown) if v is None][position]]:
            assert len({s[position] for s in solutions}) > 1, (counts, cells, total)


def test_large_counts_and_zeros_show_as_they_are() -> None:
    cells, total = protect([0, 5, 12])
    assert [c.text for c in cells] == ["0", "5", "12"]
    assert total.text == "17"


def test_a_small_total_is_hidden_too() -> None:
    cells, total = protect([1, 2, 0])
    assert [c.text for c in cells] == ["< 5", "< 5", "0"]
    assert total.text == "< 5"


def test_one_small_cell_hides_the_next_smallest_cell() -> None:
    cells, total = protect([3, 10, 12])
    assert [c.text for c in cells] == ["< 5", "x", "12"]
    assert total.text == "25"


def test_threshold_comes_from_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KETENREGIE_SMALL_NUMBER = 10
    assert protect_one(7).text == "< 10"
    assert protect_one(10).text == "10"


def test_share_hides_when_part_or_rest_is_small() -> None:
    assert share(50, 100).text == "50%"
    assert share(2, 100).value is None
    assert share(98, 100).value is None
    assert share(0, 20).text == "0%"
    assert share(2, 3).text == "te weinig"
