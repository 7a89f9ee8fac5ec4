"""Issue 15, slice templates: the plan's old safety-concerns flag moves onto the case
(the one flag the safety-plan rule reads), and the safety plan's one signature becomes
the client's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ketenregie.cases.models import Person as RealPerson

# Accounts too: the state before must not hold the later house fields (issue 15's
# household variant) that its historical House model cannot fill.
BEFORE = [
    ("plans", "0005_mi_indexes"),
    ("cases", "0014_mi_indexes"),
    ("accounts", "0005_privacy_contact_and_pga_expert_roles"),
]
AFTER = [("plans", "0006_household_templates")]


@pytest.mark.django_db(transaction=True)
def test_concerns_move_to_the_case_and_the_signature_to_the_client() -> None:
    try:
        _migrate_and_check()
    finally:
        # Back to the latest state for the next tests, also when the check failed: a
        # worker's later tests (the browser journeys too) use this database.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate_and_check() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Case = old.get_model("cases", "Case")
    Plan = old.get_model("plans", "Plan")
    SafetyPlan = old.get_model("plans", "SafetyPlan")
    now = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)
    house_id = _house(old)
    cases = []
    for n, concerns in enumerate((True, False)):
        # The real model: its derived search field checks its own class (the table is
        # the same in both states).
        person = RealPerson.objects.create(voornamen="A", achternaam=f"B{n}")
        case = Case.objects.create(
            code=f"MIG-{n}",
            house_id=house_id,
            person_id=person.pk,
            status="in_uitvoering",
            created_at=now,
            status_changed_at=now,
        )
        Plan.objects.create(case=case, safety_concerns=concerns)
        cases.append(case.pk)
    SafetyPlan.objects.create(case_id=cases[0], signed_by="Moeder", signed_on=now.date())

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    NewCase = new.get_model("cases", "Case")
    NewSafety = new.get_model("plans", "SafetyPlan")
    assert NewCase.objects.get(pk=cases[0]).safety_concerns is True
    assert NewCase.objects.get(pk=cases[1]).safety_concerns is False
    safety = NewSafety.objects.get(case_id=cases[0])
    assert (safety.client_signed_by, safety.client_signed_on) == ("Moeder", now.date())


def _house(apps: object) -> int:
    House = apps.get_model("accounts", "House")  # type: ignore[attr-defined]
    Region = apps.get_model("accounts", "Region")  # type: ignore[attr-defined]
    region = Region.objects.create(name="Migratieregio")
    return int(House.objects.create(name="Migratiehuis", code="MIG", kind="zvh", region=region).pk)
