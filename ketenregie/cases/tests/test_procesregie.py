"""One procesregisseur per client system (issue 15): the rule spans a household's open
cases, at every assignment point, and a handover of procesregie (6a) moves it on all of
them in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases import procesregie, services
from ketenregie.cases.models import CaseMembership, CaseRole, Household
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.tests_support.factories import (
    CaseFactory,
    MembershipFactory,
    UserFactory,
    in_household_variant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(house: Any) -> dict[str, Any]:
    """One household with two open cases in one house, and two procesregisseurs."""
    in_household_variant(house)
    household = Household.objects.create(name="Gezin De Vries")
    first = CaseFactory(house=house, household=household, status=Status.IN_UITVOERING)
    second = CaseFactory(house=house, household=household, status=Status.PGA_GESTART)
    anna = UserFactory(
        roles=[(Role.PROCESREGISSEUR, house)], first_name="Anna", last_name="Regisseur"
    )
    bram = UserFactory(
        roles=[(Role.PROCESREGISSEUR, house)], first_name="Bram", last_name="Regisseur"
    )
    return {"household": household, "first": first, "second": second, "anna": anna, "bram": bram}


def _assign(case: Any, user: Any, start: dt.date | None = None) -> CaseMembership:
    return services.add_membership(
        case,
        actor=user,
        role=CaseRole.PROCESREGISSEUR,
        organisation=user.organisation,
        user=user,
        valid_from=start or today(),
    )


def _active_procesregisseurs(case: Any) -> set[int]:
    return set(
        CaseMembership.objects.active_on(today())
        .filter(case=case, role=CaseRole.PROCESREGISSEUR)
        .values_list("user_id", flat=True)
    )


def test_two_cases_of_one_household_get_different_procesregisseurs_one_after_the_other(
    family: dict[str, Any],
) -> None:
    """The second assignment, in its own transaction after the first committed, is refused
    and names the procesregisseur of the household, not the other case."""
    with transaction.atomic():
        _assign(family["first"], family["anna"])
    with pytest.raises(ValidationError) as err, transaction.atomic():
        _assign(family["second"], family["bram"])
    message = " ".join(err.value.message_dict["role"])
    assert "Anna Regisseur" in message and "fase 6a" in message
    assert family["first"].code not in message
    assert _active_procesregisseurs(family["second"]) == set()
    # The same procesregisseur on the household's second case is what the rule wants.
    _assign(family["second"], family["anna"])
    assert _active_procesregisseurs(family["second"]) == {family["anna"].pk}


def test_the_rule_locks_the_household_row(family: dict[str, Any]) -> None:
    """Each case's own lock does not serialise two cases of one household: the household
    row is locked by every assignment (FOR UPDATE where the database has it)."""
    with CaptureQueriesContext(connection) as queries:
        _assign(family["first"], family["anna"])
    household_locks = [
        q["sql"]
        for q in queries.captured_queries
        if '"cases_household"' in q["sql"]
        and (not connection.features.has_select_for_update or "FOR UPDATE" in q["sql"])
    ]
    assert household_locks


def test_a_later_period_or_an_ended_case_does_not_clash(family: dict[str, Any], house: Any) -> None:
    # Anna's role on the first case ends before Bram's period on the second begins.
    services.add_membership(
        family["first"],
        actor=family["anna"],
        role=CaseRole.PROCESREGISSEUR,
        organisation=family["anna"].organisation,
        user=family["anna"],
        valid_from=today() - dt.timedelta(days=20),
        valid_to=today() - dt.timedelta(days=10),
    )
    _assign(family["second"], family["bram"], today() - dt.timedelta(days=5))
    # A case of the household closed for good is no longer part of its coordination.
    closed = CaseFactory(house=house, household=family["household"], status=Status.AFGESLOTEN)
    MembershipFactory(case=closed, user=UserFactory(), role=CaseRole.PROCESREGISSEUR)
    third = CaseFactory(house=house, household=family["household"])
    _assign(third, family["bram"])
    # A case without a household is its own client system.
    alone = CaseFactory(house=house)
    _assign(alone, family["anna"])


def test_a_handover_on_one_case_only_is_refused_for_a_household(family: dict[str, Any]) -> None:
    held = _assign(family["first"], family["anna"])
    _assign(family["second"], family["anna"])
    with pytest.raises(ValidationError, match="Anna Regisseur"):
        services.hand_over(held, actor=family["anna"], successor=family["bram"], from_date=today())
    assert _active_procesregisseurs(family["first"]) == {family["anna"].pk}


def test_handover_of_procesregie_moves_it_on_all_open_cases_at_once(
    family: dict[str, Any],
) -> None:
    held = _assign(family["first"], family["anna"], today() - dt.timedelta(days=3))
    _assign(family["second"], family["anna"], today() - dt.timedelta(days=3))
    moved = procesregie.hand_over_procesregie(
        held, actor=family["anna"], successor=family["bram"], from_date=today()
    )
    assert [m.case_id for m in moved] == [family["first"].pk, family["second"].pk]
    for case in (family["first"], family["second"]):
        assert _active_procesregisseurs(case) == {family["bram"].pk}
        assert CaseMembership.objects.get(case=case, user=family["anna"]).handed_over
    assert AuditEvent.objects.filter(action="team.handed_over").count() == 2


def test_a_refused_household_handover_changes_nothing(family: dict[str, Any]) -> None:
    held = _assign(family["first"], family["anna"], today() - dt.timedelta(days=3))
    other = _assign(family["second"], family["anna"], today() - dt.timedelta(days=3))
    with pytest.raises(ValidationError), transaction.atomic():
        # To herself: refused by the handover after the other case's role was ended.
        procesregie.hand_over_procesregie(
            held, actor=family["anna"], successor=family["anna"], from_date=today()
        )
    other.refresh_from_db()
    assert other.valid_to is None and not other.handed_over


def test_the_team_pages_handover_of_procesregie_moves_the_household(
    client: Any, family: dict[str, Any]
) -> None:
    from django.urls import reverse

    anna, bram = family["anna"], family["bram"]
    # Bram works for Anna's organisation, so the holder may hand over to him.
    bram.organisation = anna.organisation
    bram.save(update_fields=["organisation"])
    held = _assign(family["first"], anna, today() - dt.timedelta(days=3))
    _assign(family["second"], anna, today() - dt.timedelta(days=3))
    client.force_login(anna)
    response = client.post(
        reverse("team_handover", args=[family["first"].pk, held.pk]),
        {"successor": bram.pk, "from_date": today().isoformat(), "note": "Verlof"},
    )
    assert response.status_code == 302
    for case in (family["first"], family["second"]):
        assert _active_procesregisseurs(case) == {bram.pk}
