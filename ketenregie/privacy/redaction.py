"""Blacking out other people's data in the subject access export: the visible marker, the
text that stands for a withheld passage, and the `Redactor` that removes other persons'
names from free text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ketenregie.cases.models import Person

OMITTED = "weggelaten: gegevens van een ander"
# Name parts shorter than this are not blacked out on their own ("Jo" is in many words).
MIN_NAME_PART = 3


def withheld_text(reason: str) -> str:
    """What stands in place of a withheld passage, in the PDF and the review page."""
    return f"weggelaten: {reason}"


class Redactor:
    """Blacks out other people's names in free text (whole words, case-insensitive),
    except words that are also part of the person's own name."""

    def __init__(
        self, person: Person, others: Iterable[Person], extra_names: Iterable[str] = ()
    ) -> None:
        own = {w.lower() for w in person.full_name.split()}
        names = [(o.full_name, [*o.voornamen.split(), *o.achternaam.split()]) for o in others]
        names += [(n, n.split()) for n in (x.strip() for x in extra_names) if n]
        words: set[str] = set()
        for full, parts in names:
            words.add(full)
            words.update(p for p in parts if len(p) >= MIN_NAME_PART and p.lower() not in own)
        ordered = sorted(words, key=len, reverse=True)  # longest first: the full name
        self.pattern = (
            re.compile(r"\b(" + "|".join(re.escape(w) for w in ordered) + r")\b", re.IGNORECASE)
            if ordered
            else None
        )

    def __call__(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        return self.pattern.sub(f"[{OMITTED}]", text)
