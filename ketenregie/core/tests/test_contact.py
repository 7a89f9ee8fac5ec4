"""The contact-detail checks every person form shares (ADR 0031)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ketenregie.core.contact import check_phone, normalise_postcode


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("5911 AB", "5911 AB"), ("5911ab", "5911 AB"), (" 6411  xk ", "6411 XK"), ("", "")],
)
def test_a_dutch_postcode_is_stored_in_one_form(typed: str, stored: str) -> None:
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["59111AB", "0911 AB", "AB 5911", "5911", "5911 A1"])
def test_anything_else_is_a_dutch_error(typed: str) -> None:
    with pytest.raises(ValidationError, match="Vul een Nederlandse postcode in"):
        normalise_postcode(typed)


@pytest.mark.parametrize(
    "typed", ["06-12345678", "077 351 23 45", "+31 6 12345678", "(077) 3512345"]
)
def test_phone_numbers_as_people_type_them(typed: str) -> None:
    assert check_phone(typed) == typed


@pytest.mark.parametrize("typed", ["12", "06-1234", "bel mij", "+31 6 1234 5678 9012 34"])
def test_a_phone_number_needs_10_to_15_digits(typed: str) -> None:
    with pytest.raises(ValidationError, match="10 tot 15 cijfers"):
        check_phone(typed)
