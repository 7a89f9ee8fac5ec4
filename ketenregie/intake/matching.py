"""Possible duplicates of a referred person, understanding Dutch names.

Anchored on the same BSN, or the same date of birth plus a name match. Names are
compared through their normalised keys (core.names: diacritics, "ij"/"y", the
tussenvoegsel apart and fused, each part of a double name); first names match in any
order, and initials match the names they start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from ketenregie.cases.models import Case, Person
from ketenregie.core.names import first_name_keys, surname_keys
from ketenregie.intake.access import duplicate_search_scope


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


def _candidates(
    person: Person,
    claimed_bsn: str,
    by_bsn: dict[str, Person],
    by_birth: dict[dt.date, list[Person]],
) -> list[tuple[Person, str]]:
    """The other persons with the same BSN, or the same date of birth and a matching name."""
    pairs: list[tuple[Person, str]] = []
    bsn = person.bsn or claimed_bsn
    same_bsn = by_bsn.get(bsn) if bsn else None
    if same_bsn is not None and same_bsn.pk != person.pk:
        pairs.append((same_bsn, "zelfde BSN"))
    for other in by_birth.get(person.geboortedatum, []) if person.geboortedatum else []:
        if other.pk != person.pk and other is not same_bsn and names_match(person, other):
            pairs.append((other, "naam en geboortedatum komen overeen"))
    return pairs


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
    # Both keys are indexed (the BSN is unique, the date of birth has its own index), so
    # this reads only the few persons who share one, however many persons there are.
    by_bsn: dict[str, Person] = {}
    by_birth: dict[dt.date, list[Person]] = {}
    for other in Person.objects.filter(Q(geboortedatum__in=births) | Q(bsn__in=bsns)):
        if other.bsn:
            by_bsn[other.bsn] = other
        if other.geboortedatum:
            by_birth.setdefault(other.geboortedatum, []).append(other)
    found = {p.pk: _candidates(p, claimed.get(p.pk, ""), by_bsn, by_birth) for p in people}
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
