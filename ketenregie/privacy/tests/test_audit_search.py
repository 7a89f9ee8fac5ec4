"""The privacy officer's audit search."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Person
from ketenregie.privacy.queries import events_about_person, search_events
from ketenregie.tests_support.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_search_by_person_case_user_and_dates(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    case = case_with_team["case"]
    reader = case_with_team["regisseur"]
    client.force_login(reader)
    client.get(reverse("case_detail", args=[case.pk]))
    client.logout()
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    client.force_login(fg)
    url = reverse("audit_search")
    for query in (
        {"person": case.person.achternaam},
        {"person": case.person.bsn},
        {"case": case.code},
        {"user": reader.username},
        {"organisation": reader.organisation_id},
    ):
        html = client.get(url, query).content.decode()
        assert "Casus ingezien" in html and reader.username in html, query
    html = client.get(url, {"case": case.code, "date_from": "2001-01-01", "date_to": "2001-01-02"})
    assert "0 gebeurtenissen" in html.content.decode()
    bad = client.get(url, {"date_from": "2026-02-02", "date_to": "2026-01-01"}).content.decode()
    assert "De einddatum ligt voor de begindatum" in bad
    assert AuditEvent.objects.filter(action="audit.searched", actor=fg).count() == 6


def test_results_show_labels_and_the_case_number_not_codes_or_ids(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    case = case_with_team["case"]
    audit.record("referral.viewed", actor=case_with_team["regisseur"], case_id=case.pk)
    audit.record("triage.outcome", actor=case_with_team["regisseur"], case_id=case.pk)
    # An event on a case deleted since (a rejected referral) keeps no number to show.
    audit.record("referral.rejected_and_deleted", actor=None, case_id=case.pk + 1000)
    client.force_login(UserFactory(roles=[(Role.PRIVACY_OFFICER, None)]))
    url = reverse("audit_search")
    html = client.get(url, {"case": case.code}).content.decode()
    assert "Aanmelding ingezien <span" in html and "(inzage)" in html
    assert "Uitkomst integrale triage vastgelegd</td>" in html
    assert "referral.viewed" not in html and "triage.outcome" not in html
    cells = re.findall(
        r'<td class="utrecht-table__cell">([^<]*)</td>\s*<td[^>]*>[^<]*</td>\s*</tr>', html
    )
    assert cells and set(cells) == {case.code}
    everything = client.get(url, {"date_from": "2000-01-01"}).content.decode()
    assert "verwijderd" in everything


def test_person_and_case_search_find_the_events_about_them(
    case_with_team: dict[str, Any],
) -> None:
    case = case_with_team["case"]
    audit.record("person.viewed", actor=None, case_id=case.pk)
    audit.record("person.viewed", actor=None, case_id=None, obj=case.person)
    audit.record("case.viewed", actor=None, case_id=case.pk + 1000)
    found = search_events(person=case.person.bsn)
    assert found.count() == 2
    assert list(search_events(case=case.code.lower()).values_list("case_id", flat=True)) == [
        case.pk
    ]


def test_a_common_surname_finds_the_events_of_every_person() -> None:
    # More persons than the old search's silent cap of 500: every one of them counts.
    Person.objects.bulk_create(
        [Person(voornamen=f"Kind{i}", achternaam="Brouwers") for i in range(520)]
    )
    Person.objects.bulk_create([Person(voornamen="Ander", achternaam="Smit")])
    for person in Person.objects.all():
        audit.record("person.viewed", actor=None, obj=person)
    case = CaseFactory(person__achternaam="van Brouwers")
    audit.record("case.viewed", actor=None, case_id=case.pk)
    found = search_events(person="brouwers")
    assert found.count() == 521
    assert set(found.values_list("object_id", flat=True)) == {
        str(pk) for pk in Person.objects.filter(achternaam="Brouwers").values_list("pk", flat=True)
    } | {""}


def _ids(events: Any) -> set[int]:
    return set(events.values_list("pk", flat=True))


def test_both_forms_of_the_person_search_find_the_same_events(
    case_with_team: dict[str, Any],
) -> None:
    case = case_with_team["case"]
    other = CaseFactory(person__achternaam="Smit")
    audit.record("case.viewed", actor=None, case_id=case.pk)
    audit.record("person.viewed", actor=None, obj=case.person)
    audit.record("case.viewed", actor=None, case_id=other.pk)
    audit.record(
        "audit.searched",
        actor=None,
        data={"filters": audit.search_filters({"person": case.person.bsn}, personal=("person",))},
    )
    for term in (case.person.achternaam, case.person.bsn, "Smit", "niemand"):
        by_ids = AuditEvent.objects.filter(events_about_person(term).condition)
        walked = AuditEvent.objects.filter(events_about_person(term, walk=True).condition)
        assert _ids(by_ids) == _ids(walked), term
    assert len(_ids(search_events(person=case.person.bsn))) >= 3


def test_a_search_past_the_bound_walks_every_match_and_says_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ketenregie.privacy import queries

    monkeypatch.setattr(queries, "LIMIT", 3)
    persons = Person.objects.bulk_create(
        [Person(voornamen=f"Kind{i}", achternaam="Brouwers") for i in range(6)]
    )
    for person in persons:
        audit.record("person.viewed", actor=None, obj=person)
    found = queries.search(person="brouwers")
    # More than the bound: the count is known without counting, and still every event
    # is there to page through.
    assert found.counted == 4
    assert found.events.count() == 6
    assert queries.search(person="brouwers", user="iemand").counted is None


def test_the_page_says_more_than_the_bound(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from ketenregie.core import paging

    monkeypatch.setattr(paging, "LIMIT", 2)
    for _ in range(5):
        audit.record("case.viewed", actor=None, case_id=1)
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    client.force_login(fg)
    html = client.get(reverse("audit_search"), {"date_from": "2000-01-01"})
    assert "meer dan 2 gebeurtenissen gevonden" in html.content.decode()


def test_security_events_show_their_count_and_no_typed_username(client: Client) -> None:
    """Failed logins on an unknown username: "onbekend account", the minute's count, and
    never what was typed (security review finding 4)."""
    import datetime as dt

    import time_machine
    from django.core.management import call_command

    start = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)
    typed = "Wachtwoord-in-het-naamveld-1"
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            Client().post(reverse("account_login"), {"login": typed, "password": "x"})
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        call_command("seal_audit", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
        client.force_login(UserFactory(roles=[(Role.PRIVACY_OFFICER, None)]))
        html = client.get(reverse("audit_search"), {"date_from": "2026-03-02"}).content.decode()
    assert "Inlogpoging mislukt" in html and "onbekend account" in html
    assert "3 keer in de minuut 2026-03-02 10:00" in html
    assert typed not in html


def test_a_full_name_finds_the_person(client: Client) -> None:
    """ "Kevin van der Heijden" finds Kevin, not another Kevin or another Van der Heijden;
    first names and surname are compared on the stored keys (ADR 9), whatever spelling."""
    kevin = CaseFactory(
        person__voornamen="Kevin Johannes",
        person__tussenvoegsel="van der",
        person__achternaam="Heijden",
    )
    other_kevin = CaseFactory(person__voornamen="Kevin", person__achternaam="Jansen")
    other_heijden = CaseFactory(
        person__voornamen="Anna", person__tussenvoegsel="van der", person__achternaam="Heijden"
    )
    for case in (kevin, other_kevin, other_heijden):
        audit.record("case.viewed", actor=None, case_id=case.pk)
    for term in (
        "Kevin van der Heijden",
        "kevin VAN DER heyden",
        "Kevin Vanderheijden",
        "Kevin Heijden",
        "Kevin Johannes van der Heijden",
        "  Kevin   van der Heijden ",
    ):
        found = set(search_events(person=term).values_list("case_id", flat=True))
        assert found == {kevin.pk}, term
    # A surname alone still finds every holder; a name nobody has finds nobody.
    assert set(search_events(person="van der Heijden").values_list("case_id", flat=True)) == {
        kevin.pk,
        other_heijden.pk,
    }
    assert not search_events(person="Kevin de Vries").exists()
    client.force_login(UserFactory(roles=[(Role.PRIVACY_OFFICER, None)]))
    html = client.get(reverse("audit_search"), {"person": "Kevin van der Heijden"}).content.decode()
    assert "1 gebeurtenis gevonden" in html and kevin.code in html


def test_the_name_search_stays_on_the_indexed_keys() -> None:
    """Index-friendly: only the trigram-indexed name keys are compared (never the name
    columns), and a long term adds a bounded number of conditions."""
    from ketenregie.cases.queries import (
        MAX_FIRST_NAMES,
        _name_conditions,
        persons_by_surname_or_bsn,
    )

    sql = str(persons_by_surname_or_bsn("Kevin van der Heijden").query)
    where = sql[sql.index("WHERE") :]
    assert "surname_key" in where and "first_names_key" in where
    for column in ("voornamen", "achternaam", "tussenvoegsel"):
        assert f'"{column}"' not in where
    assert len(_name_conditions(" ".join(["naam"] * 40))) == MAX_FIRST_NAMES + 1
