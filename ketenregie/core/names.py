"""Dutch names, normalised for comparing and searching: the one rule for both.

Names are normalised only for comparing, never in the data people see: lower case,
diacritics removed, "ij" and "y" alike, spaces, hyphens and apostrophes dropped; the
tussenvoegsel is tried apart and fused ("van den Berg" ~ "Vandenberg"); double names
(partner names, "Jansen-de Vries") are split and each part kept.

Duplicate matching (intake) compares these keys; the case search and the privacy
officer's audit search look them up in the search keys a person row stores (see
`cases.models.Person`), so all three agree on what "the same name" is.
"""

from __future__ import annotations

import unicodedata

PREFIX_WORDS = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "'t",
    "t",
    "te",
    "ten",
    "ter",
    "in",
    "op",
    "uit",
    "la",
    "le",
    "du",
    "da",
    "di",
    "von",
    "zu",
    "el",
    "al",
}

# Separates the forms in a stored search key. `fold` drops it from every form and from
# every search term, so a term never matches across two forms.
KEY_SEPARATOR = " "


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("ij", "y")
    return "".join(ch for ch in plain if ch.isalnum())


def surname_keys(tussenvoegsel: str, achternaam: str) -> set[str]:
    """All comparable forms of a surname, per part of a double name."""
    keys: set[str] = set()
    parts = [p.strip() for p in achternaam.replace("–", "-").split("-") if p.strip()]
    for part in parts or [achternaam]:
        words = part.split()
        core = [w for w in words if w.lower() not in PREFIX_WORDS] or words
        prefix = [w for w in words if w.lower() in PREFIX_WORDS]
        keys.add(fold(" ".join(core)))
        keys.add(fold(" ".join(prefix + core)))
    if tussenvoegsel:
        keys.add(fold(f"{tussenvoegsel} {parts[0] if parts else achternaam}"))
    keys.discard("")
    return keys


def first_name_keys(voornamen: str) -> set[str]:
    return {fold(w) for w in voornamen.replace("-", " ").split() if fold(w)}


def _joined(keys: set[str]) -> str:
    return KEY_SEPARATOR.join(sorted(keys))


def surname_search_key(tussenvoegsel: str, achternaam: str) -> str:
    """The stored surname key: every comparable form, and the whole name as typed
    ("Jansen-de Vries" is found as "jansen", "de vries", "vries" and "jansen-de vries")."""
    whole = {fold(achternaam), fold(f"{tussenvoegsel} {achternaam}")} - {""}
    return _joined(surname_keys(tussenvoegsel, achternaam) | whole)


def first_names_search_key(voornamen: str) -> str:
    """The stored first-names key: each first name, and all of them as typed."""
    return _joined(first_name_keys(voornamen) | ({fold(voornamen)} - {""}))
