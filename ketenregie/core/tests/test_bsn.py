"""BSN 11-proef and the test range."""

from hypothesis import given
from hypothesis import strategies as st

from ketenregie.core.bsn import is_valid_bsn, normalise_bsn, reserved_test_bsns


def test_known_valid_and_invalid_numbers() -> None:
    assert is_valid_bsn("999990019")
    assert not is_valid_bsn("999990018")
    assert not is_valid_bsn("000000000")
    assert not is_valid_bsn("12345678a")
    assert not is_valid_bsn("1234")


def test_eight_digits_get_a_leading_zero() -> None:
    assert normalise_bsn("1234 5678") == "012345678"


def test_test_range_is_about_nine_hundred_valid_numbers() -> None:
    numbers = list(reserved_test_bsns())
    assert 880 <= len(numbers) <= 920
    assert all(n.startswith("99999") and is_valid_bsn(n) for n in numbers)


@given(st.integers(min_value=0, max_value=999_999_999))
def test_eleven_check_matches_definition(n: int) -> None:
    digits = f"{n:09d}"
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    assert is_valid_bsn(digits) == (total % 11 == 0 and n != 0)
