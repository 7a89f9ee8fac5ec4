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
from ketenregie.intake.access import duplicate_search_scope

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
    # Initials only ("J." against "Jan"), either way round.
    ia, ib = {n[0] for n in fa}, {n[0] for n in fb}
    if all(len(n) == 1 for n in fa) and ia <= ib:
        return True
    return all(len(n) == 1 for n in fb) and ib <= ia


@dataclass
class Match:
    person: Person
    reason: str
    cases: list[Case]


def possible_duplicates(person: Person, claimed_bsn: str = "") -> list[Match]:
    """Other persons who may be the same, with their earlier or running cases."""
    claimed = {person.pk: claimed_bsn} if claimed_bsn else {}
    return duplicates_for([person], claimed).get(person.pk, [])


def duplicates_for(
    people: list[Person], claimed: dict[int, str] | None = None
) -> dict[int, list[Match]]:
    """Possible duplicates for several persons in a fixed number of queries.

    `claimed` maps a person to the BSN their referral typed when another record holds it.
    Drafts of other referrers are not shown: they belong to their author alone.
    """
    claimed = claimed or {}
    births = {p.geboortedatum for p in people if p.geboortedatum}
    bsns = {p.bsn or claimed.get(p.pk, "") for p in people} - {""}
    if not births and not bsns:
        return {}
    own = {p.pk for p in people}
    # Other new referrals of the same person count too: only the person itself is skipped.
    candidates = list(Person.objects.filter(Q(geboortedatum__in=births) | Q(bsn__in=bsns)))
    found: dict[int, list[tuple[Person, str]]] = {}
    for person in people:
        bsn = person.bsn or claimed.get(person.pk, "")
        for other in candidates:
            if other.pk == person.pk:
                continue
            if bsn and other.bsn == bsn:
                found.setdefault(person.pk, []).append((other, "zelfde BSN"))
            elif (
                person.geboortedatum
                and other.geboortedatum == person.geboortedatum
                and names_match(person, other)
            ):
                found.setdefault(person.pk, []).append(
                    (other, "naam en geboortedatum komen overeen")
                )
    matched = {o.pk for pairs in found.values() for o, _r in pairs}
    cases: dict[int, list[Case]] = {}
    for case in (
        duplicate_search_scope()
        .filter(person_id__in=matched | own)
        .select_related("house")
        .order_by("-created_at")
    ):
        cases.setdefault(case.person_id, []).append(case)
    result: dict[int, list[Match]] = {}
    for person in people:
        matches = [Match(o, reason, cases.get(o.pk, [])) for o, reason in found.get(person.pk, [])]
        # The same person record (a known BSN) with more than this one case.
        if len(cases.get(person.pk, [])) > 1:
            matches.insert(0, Match(person, "al bekend in Ketenregie", cases[person.pk]))
        if matches:
            result[person.pk] = matches
    return result
