"""Possible duplicates of a referred person, understanding Dutch names.

Anchored on the same BSN, or the same date of birth plus a name match. Names are
normalised only for comparing, never in stored data: lower case, diacritics removed,
"ij" and "y" alike, spaces, hyphens and apostrophes dropped; the tussenvoegsel is tried
apart and fused ("van den Berg" ~ "Vandenberg"); double names (partner names, "Jansen-
de Vries") are split and each part compared; first names match in any order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db.models import Q

from ketenregie.cases.models import Case, Person

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


def names_match(a: Person, b: Person) -> bool:
    if not surname_keys(a.tussenvoegsel, a.achternaam) & surname_keys(
        b.tussenvoegsel, b.achternaam
    ):
        return False
    fa, fb = first_name_keys(a.voornamen), first_name_keys(b.voornamen)
    if not fa or not fb:
        return True
    if fa & fb:
        return True
    # Initials only ("J." against "Jan").
    return {n[0] for n in fa} & {n[0] for n in fb} == {n[0] for n in fa} and all(
        len(n) == 1 for n in fa
    )


@dataclass
class Match:
    person: Person
    reason: str
    cases: list[Case]


def possible_duplicates(person: Person) -> list[Match]:
    """Other persons who may be the same, with their earlier or running cases."""
    anchor = Q(geboortedatum=person.geboortedatum) if person.geboortedatum else Q(pk__in=[])
    if person.bsn:
        anchor |= Q(bsn=person.bsn)
    candidates = list(Person.objects.filter(anchor).exclude(pk=person.pk)[:200])
    matches: list[Person] = []
    reasons: dict[int, str] = {}
    for other in candidates:
        if person.bsn and other.bsn == person.bsn:
            reasons[other.pk] = "zelfde BSN"
            matches.append(other)
        elif names_match(person, other):
            reasons[other.pk] = "naam en geboortedatum komen overeen"
            matches.append(other)
    cases: dict[int, list[Case]] = {}
    for case in (
        Case.objects.filter(person__in=matches).select_related("house").order_by("-created_at")
    ):
        cases.setdefault(case.person_id, []).append(case)
    return [Match(p, reasons[p.pk], cases.get(p.pk, [])) for p in matches]
