"""The write idiom of every service (audit.writes), tried on real models of the apps
above audit: version check, one transaction, what the trail keeps."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from ketenregie.accounts.models import House, Region
from ketenregie.audit import services as audit_services
from ketenregie.audit.models import AuditEvent
from ketenregie.audit.writes import create_audited, lock, save_audited, update_audited
from ketenregie.cases.models import Person
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.tests_support.factories import HouseFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_stale_version_is_refused_and_nothing_is_written() -> None:
    actor = UserFactory()
    house: House = HouseFactory()
    stale = house.version
    update_audited(
        house,
        actor=actor,
        action="house.updated",
        values={"triage_weekday": 1},
        expected_version=stale,
    )
    with pytest.raises(ConcurrentEditError) as err:
        update_audited(
            house,
            actor=actor,
            action="house.updated",
            values={"triage_weekday": 2},
            expected_version=stale,
        )
    assert "Iemand anders heeft dit gegeven opgeslagen" in err.value.messages[0]
    house.refresh_from_db()
    assert house.triage_weekday == 1 and house.version == stale + 1
    assert len(_events("house.updated")) == 1


def test_lock_checks_the_version_of_the_fresh_row() -> None:
    house: House = HouseFactory()
    House.objects.filter(pk=house.pk).update(version=5)
    assert lock(house, expected_version=5, related=["region"]).version == 5
    with pytest.raises(ConcurrentEditError):
        lock(house, expected_version=house.version)  # the in-memory copy is old


def test_a_failing_audit_write_rolls_the_change_back(monkeypatch: pytest.MonkeyPatch) -> None:
    actor = UserFactory()
    house: House = HouseFactory(triage_weekday=3)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(audit_services, "record", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        update_audited(
            house,
            actor=actor,
            action="house.updated",
            values={"triage_weekday": 4},
            expected_version=house.version,
        )
    house.refresh_from_db()
    assert house.triage_weekday == 3 and house.version == 1


def test_the_event_is_written_in_the_same_transaction_as_the_change() -> None:
    actor = UserFactory()
    house: House = HouseFactory(triage_weekday=3)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        update_audited(house, actor=actor, action="house.updated", values={"triage_weekday": 4})
        1 / 0  # noqa: B018 - the caller's transaction fails after the write
    house.refresh_from_db()
    assert house.triage_weekday == 3 and not _events("house.updated")


def test_update_records_the_diff_and_bumps_the_version_once() -> None:
    actor = UserFactory()
    house: House = HouseFactory(triage_weekday=3)
    region = Region.objects.create(name="Elders")
    saved = update_audited(
        house,
        actor=actor,
        action="house.updated",
        values={"triage_weekday": 1, "region": region, "kind": house.kind},
        expected_version=1,
        extra={"reden": "test"},
    )
    assert saved.version == 2
    (event,) = _events("house.updated")
    assert event.data == {
        "wijzigingen": {
            "triage_weekday": {"voor": 3, "na": 1},
            "region": {"voor": house.region_id, "na": region.pk},
        },
        "reden": "test",
    }
    assert event.object_id == str(house.pk) and event.actor_id == actor.pk
    # Saving the same values again writes nothing and records nothing.
    again = update_audited(
        saved, actor=actor, action="house.updated", values={"triage_weekday": 1}, expected_version=2
    )
    assert again.version == 2 and len(_events("house.updated")) == 1


def test_names_mode_keeps_no_values_in_the_trail() -> None:
    actor = UserFactory()
    person: Person = PersonFactory(achternaam="Oud", geboortedatum=dt.date(1980, 1, 1))
    update_audited(
        person,
        actor=actor,
        action="person.updated",
        values={"achternaam": "Geheimnaam", "voornamen": person.voornamen},
        expected_version=person.version,
        mode="names",
        case_id=None,
    )
    (event,) = _events("person.updated")
    assert event.data == {"velden": ["achternaam"]}
    blob = json.dumps(event.data, cls=DjangoJSONEncoder)
    assert "Geheimnaam" not in blob and "Oud" not in blob
    assert Person.objects.get(pk=person.pk).achternaam == "Geheimnaam"


def test_names_mode_shows_only_the_fields_named_safe() -> None:
    actor = UserFactory()
    person: Person = PersonFactory(achternaam="Oud", geboortedatum=dt.date(1980, 1, 1))
    locked = lock(person, expected_version=person.version)
    changed = save_audited(
        locked,
        actor=actor,
        action="person.updated",
        values={"achternaam": "Nieuw", "geboortedatum": dt.date(1981, 2, 3)},
        mode="names",
        shown=["geboortedatum"],
        labels={"geboortedatum": "geboren"},
    )
    assert changed == ["achternaam", "geboortedatum"]
    (event,) = _events("person.updated")
    assert event.data == {
        "velden": ["achternaam", "geboortedatum"],
        "wijzigingen": {"geboren": {"voor": "1980-01-01", "na": "1981-02-03"}},
    }
    assert "Nieuw" not in json.dumps(event.data)


def test_always_records_an_act_without_a_change_and_touch_is_not_compared() -> None:
    actor = UserFactory()
    house: House = HouseFactory(triage_weekday=3)
    locked = lock(house)
    changed = save_audited(
        locked,
        actor=actor,
        action="house.updated",
        values={"triage_weekday": 3},
        mode="states",
        touch={"cutoff_time": dt.time(9, 0)},
        always=True,
    )
    assert changed == []
    house.refresh_from_db()
    assert house.version == 2 and house.cutoff_time == dt.time(9, 0)
    (event,) = _events("house.updated")
    assert event.data == {"voor": {"triage_weekday": 3}, "na": {"triage_weekday": 3}}


def test_create_records_the_values_or_only_the_filled_names() -> None:
    actor = UserFactory()
    region = Region.objects.create(name="Noord")
    house = create_audited(
        House,
        actor=actor,
        action="house.created",
        values={"name": "Huis Noord", "code": "HN", "kind": House.Kind.ZVH, "region": region},
    )
    (event,) = _events("house.created")
    assert event.data == {
        "na": {"name": "Huis Noord", "code": "HN", "kind": "zvh", "region": region.pk}
    }
    assert event.object_id == str(house.pk)
    person = create_audited(
        Person,
        actor=actor,
        action="person.created",
        values={"voornamen": "Anna", "tussenvoegsel": "", "achternaam": "Geheim"},
        mode="names",
        extra=lambda p: {"versie": p.version},
    )
    (created,) = _events("person.created")
    assert created.data == {"velden": ["voornamen", "achternaam"], "versie": person.version}
    assert "Geheim" not in json.dumps(created.data)
