"""Duplicate matching with Dutch name variants."""

from __future__ import annotations

import datetime as dt

import pytest

from ketenregie.cases.models import Person
from ketenregie.core.names import fold, surname_keys
from ketenregie.intake.matching import duplicates_for, names_match
from ketenregie.tests_support.factories import CaseFactory, PersonFactory

DOB = dt.date(1988, 3, 9)


def p(voornamen: str, tussenvoegsel: str, achternaam: str) -> Person:
    return Person(voornamen=voornamen, tussenvoegsel=tussenvoegsel, achternaam=achternaam)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (p("Jan", "van den", "Berg"), p("Jan", "", "Vandenberg")),
        (p("Jan", "van den", "Berg"), p("Jan", "", "Berg")),
        (p("Anna", "", "Meijer"), p("Anna", "", "Meyer")),
        (p("Zoë", "", "Çelik"), p("Zoe", "", "Celik")),
        (p("Maria Johanna", "", "Jansen"), p("Johanna Maria", "", "Jansen")),
        (p("Petra", "", "Jansen-de Vries"), p("Petra", "de", "Vries")),
        (p("Petra", "", "de Vries-Jansen"), p("Petra", "", "Jansen")),
        (p("J.", "", "Bakker"), p("Jan", "", "Bakker")),
        (p("Kees", "in 't", "Veld"), p("Kees", "", "Intveld")),
    ],
)
def test_variants_match(a: Person, b: Person) -> None:
    assert names_match(a, b) and names_match(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (p("Jan", "", "Berg"), p("Jan", "", "Bergman")),
        (p("Anna", "", "Meijer"), p("Sophie", "", "Meijer")),
        (p("Petra", "", "Jansen"), p("Petra", "", "Janssen-Smit")),
    ],
)
def test_different_people_do_not_match(a: Person, b: Person) -> None:
    assert not names_match(a, b)


def test_fold_keeps_stored_data_untouched() -> None:
    person = p("Zoë", "", "IJzerman")
    assert fold(person.achternaam) == "yzerman" and person.achternaam == "IJzerman"
    assert "vandenberg" in surname_keys("van den", "Berg")


@pytest.mark.django_db
def test_duplicates_by_bsn_and_by_name_and_birth_date() -> None:
    known = PersonFactory(
        voornamen="Jan", tussenvoegsel="", achternaam="Vandenberg", geboortedatum=DOB, bsn=None
    )
    earlier = CaseFactory(person=known)
    twin = PersonFactory(voornamen="Kees", achternaam="Anders", bsn="999990019", geboortedatum=None)
    new = PersonFactory(
        voornamen="Jan", tussenvoegsel="van den", achternaam="Berg", geboortedatum=DOB, bsn=None
    )
    other_dob = PersonFactory(
        voornamen="Jan",
        tussenvoegsel="van den",
        achternaam="Berg",
        geboortedatum=dt.date(1990, 1, 1),
        bsn=None,
    )
    found = duplicates_for([new, other_dob])
    assert [m.person.pk for m in found[new.pk]] == [known.pk]
    assert found[new.pk][0].cases == [earlier]
    assert other_dob.pk not in found
    # Same BSN on a person without a date of birth.
    probe = Person(pk=10_000_000, voornamen="X", achternaam="Y", bsn="999990019")
    assert [m.reason for m in duplicates_for([probe])[probe.pk]] == ["zelfde BSN"]
    assert twin.pk == duplicates_for([probe])[probe.pk][0].person.pk
