"""Checks on a person's contact details as typed in a form: a Dutch postcode and a phone
number. One place for every form that edits them (the person page, the referral, a
household member), so the same input gives the same Dutch message everywhere.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-.]+$")
PHONE_MIN_DIGITS = 10
PHONE_MAX_DIGITS = 15

POSTCODE_ERROR = _("Vul een Nederlandse postcode in: vier cijfers en twee letters, bijv. 5911 AB.")
PHONE_ERROR = _(
    "Vul een telefoonnummer in van 10 tot 15 cijfers, bijv. 077 123 45 67 of +31 6 12345678."
)


def normalise_postcode(value: str) -> str:
    """'5911ab' and '5911 AB' become '5911 AB'; empty stays empty; anything else is an error."""
    raw = value.strip()
    if not raw:
        return ""
    match = _POSTCODE.match(raw)
    if match is None:
        raise ValidationError(POSTCODE_ERROR, code="postcode")
    return f"{match.group(1)} {match.group(2).upper()}"


def check_phone(value: str) -> str:
    """A phone number as typed (spaces, dashes, a leading +) with 10 to 15 digits."""
    raw = value.strip()
    if not raw:
        return ""
    digits = sum(c.isdigit() for c in raw)
    if not _PHONE_CHARS.match(raw) or not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
        raise ValidationError(PHONE_ERROR, code="phone")
    return raw
