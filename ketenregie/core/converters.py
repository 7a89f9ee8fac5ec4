"""Ids from outside: an id is a positive 64-bit integer, anything else is no id at all.

Django's `int` converter accepts any run of digits; an id beyond the database's integer
(2^63 - 1) then reaches the query and fails as a server error (OverflowError on SQLite,
a data error on PostgreSQL). Every id in `config/urls.py` uses `<id:...>` instead: the
URL simply does not match, which is a 404 like any other unknown id. Query parameters
and form fields that carry ids go through `parse_id`, the same rule.
"""

from __future__ import annotations

import re

# The largest value of a signed 64-bit integer: the range of every primary key.
MAX_ID = 2**63 - 1


_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value: object) -> int | None:
    """The id that `value` (a query parameter, a posted value) names, or None when it is
    not one: not only ASCII digits (no sign, spaces, other scripts' digits), 0, or beyond
    the database's integer range."""
    text = str(value) if value is not None else ""
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    regex = _DIGITS.pattern

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            # A ValueError tells the resolver that the pattern does not match.
            raise ValueError(value)
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)
