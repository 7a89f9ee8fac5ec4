"""Burgerservicenummer (BSN) validation with the 11-proef and the RvIG test range."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# RvIG reserves numbers starting with 99999 for testing; demo data uses only these.
TEST_RANGE_PREFIX = "99999"


def normalise_bsn(value: str) -> str:
    """Strip spaces and dots; an eight-digit number gets its leading zero back."""
    digits = value.replace(" ", "").replace(".", "").strip()
    if len(digits) == 8 and digits.isdigit():
        digits = "0" + digits
    return digits


def is_valid_bsn(value: str) -> bool:
    digits = normalise_bsn(value)
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def validate_bsn(value: str) -> None:
    if not is_valid_bsn(value):
        raise ValidationError(
            _("Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en voldoen aan de 11-proef."),
            code="invalid_bsn",
        )


def reserved_test_bsns() -> Iterator[str]:
    """All valid BSNs in the RvIG test range, in ascending order (about 900)."""
    for n in range(10_000):
        candidate = f"{TEST_RANGE_PREFIX}{n:04d}"
        if is_valid_bsn(candidate):
            yield candidate
