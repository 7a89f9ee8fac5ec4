"""Case search on the stored name keys: kept in sync on every write, Dutch name variants,
the BSN, and names only where the viewer sees names."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.cases import services
from ketenregie.cases.models import Person
from ketenregie.cases.queries import filter_cases, persons_named
from ketenregie.core.bulk import insert_rows, reserve_ids
from ketenregie.tests_support.factories import CaseFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_keys_follow_the_name_on_every_write_path() -> None:
    person = services.create_person(
        actor=None, values={"voornamen": "Zoë", "tussenvoegsel": "van den", "achternaam": "Berg"}
    )
    person.refresh_from_db()
    assert person.surname_key == "berg vandenberg" and person.first_names_key == "zoe"
    services.update_person(
        person, actor=None, values={"achternaam": "Meijer-de Vries"}, expected_version=1
    )
    person.refresh_from_db()
    assert set(person.surname_key.split()) == {
        "meyer",
        "devries",
        "vries",
        "meyerdevries",
        "vandenmeyer",
        "vandenmeyerdevries",
    }
    # Bulk writes (the demo and scale generators) derive the keys too.
    Person.objects.bulk_create([Person(voornamen="Anna", achternaam="IJzerman")])
    bulk = Person.objects.get(achternaam="IJzerman")
    assert (bulk.surname_key, bulk.first_names_key) == ("yzerman", "anna")
    # And the generators' COPY path (the demo data was unsearchable by name without).
    copied = Person(voornamen="Kevin", tussenvoegsel="van der", achternaam="Heijden")
    copied.pk = reserve_ids(Person, 1)[0]
    insert_rows(Person, [copied], with_pk=True)
    row = Person.objects.get(pk=copied.pk)
    assert (row.surname_key, row.first_names_key) == ("heyden vanderheyden", "kevin")


@pytest.mark.parametrize(
    "term", ["Vandenberg", "van den berg", "BERG", "Zoe", "zoë", "{bsn}", "{spaced_bsn}"]
)
def test_search_finds_name_variants_and_the_bsn(
    client: Client, case_with_team: dict[str, Any], term: str
) -> None:
    case = case_with_team["case"]
    regisseur = case_with_team["regisseur"]
    person = case.person
    person.voornamen, person.tussenvoegsel, person.achternaam = "Zoë", "van den", "Berg"
    person.save()
    assert person.bsn
    term = term.format(bsn=person.bsn, spaced_bsn=f"{person.bsn[:4]} {person.bsn[4:]}")
    other = CaseFactory(house=case.house, person__achternaam="Smit", person__voornamen="Piet")
    MembershipFactory(case=other, user=regisseur)
    found = list(filter_cases(regisseur, q=term))
    assert found == [case]
    client.force_login(regisseur)
    assert case.code in client.get(reverse("case_list"), {"q": term}).content.decode()


def test_search_by_part_of_a_surname_and_by_case_number(case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    regisseur = case_with_team["regisseur"]
    other = CaseFactory(house=case.house, person__achternaam="Bergman")
    MembershipFactory(case=other, user=regisseur)
    assert list(filter_cases(regisseur, q="ergma")) == [other]
    assert list(filter_cases(regisseur, q=case.code.lower())) == [case]
    assert list(filter_cases(regisseur, q="  ")) == list(filter_cases(regisseur))
    assert not list(filter_cases(regisseur, q="!?"))


def test_adviser_finds_by_number_only(case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    adviser = case_with_team["adviser"]
    assert not list(filter_cases(adviser, q=case.person.achternaam))
    assert not list(filter_cases(adviser, q=case.person.bsn))
    assert [c.pk for c in filter_cases(adviser, q=case.code)] == [case.pk]


def test_persons_named_compares_normalised_keys() -> None:
    services.create_person(actor=None, values={"voornamen": "Anna", "achternaam": "Meijer"})
    services.create_person(actor=None, values={"voornamen": "Kees", "achternaam": "Smit"})
    assert [p.achternaam for p in persons_named("meyer")] == ["Meijer"]
    assert [p.achternaam for p in persons_named("ANNA")] == ["Meijer"]
    assert not persons_named("---").exists()


def test_a_short_term_matches_whole_names_only() -> None:
    services.create_person(actor=None, values={"voornamen": "Li", "achternaam": "Jansen"})
    services.create_person(actor=None, values={"voornamen": "Lisa", "achternaam": "Ek"})
    services.create_person(actor=None, values={"voornamen": "Ab", "achternaam": "van Ek"})
    assert [p.voornamen for p in persons_named("li")] == ["Li"]
    assert sorted(p.voornamen for p in persons_named("ek")) == ["Ab", "Lisa"]
    assert [p.voornamen for p in persons_named("lis")] == ["Lisa"]


def test_persons_named_finds_a_full_name() -> None:
    """The case search shares the audit search's rule: first names, then the surname."""
    Person.objects.bulk_create(
        [
            Person(voornamen="Kevin", tussenvoegsel="van der", achternaam="Heijden"),
            Person(voornamen="Kevin", achternaam="Jansen"),
            Person(voornamen="Anna", tussenvoegsel="van der", achternaam="Heijden"),
        ]
    )
    found = persons_named("Kevin van der Heijden")
    assert [(p.voornamen, p.achternaam) for p in found] == [("Kevin", "Heijden")]
    assert persons_named("Kevin").count() == 2
