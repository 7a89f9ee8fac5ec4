"""The status table: every allowed transition succeeds, every other one raises."""

from __future__ import annotations

import itertools

import pytest

from ketenregie.cases import services
from ketenregie.cases.models import StatusChange
from ketenregie.cases.workflow import (
    HOUSEHOLD_ONLY,
    REASON_REQUIRED,
    TRANSITIONS,
    Status,
    ensure_allowed,
)
from ketenregie.core.errors import TransitionNotAllowed
from ketenregie.tests_support.factories import CaseFactory, UserFactory

PAIRS = list(itertools.product(Status, Status))


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_pair(current: Status, target: Status) -> None:
    if target in TRANSITIONS[current]:
        # A household-only transition (issue 15) needs a house in the household variant.
        household = (current, target) in HOUSEHOLD_ONLY
        ensure_allowed(current, target, reason="omdat het kan", household_variant=household)
    else:
        with pytest.raises(TransitionNotAllowed):
            ensure_allowed(current, target, reason="omdat het kan")


def test_every_status_has_a_row_and_a_phase() -> None:
    from ketenregie.cases.workflow import PHASE_OF

    assert set(TRANSITIONS) == set(Status)
    assert set(PHASE_OF) == set(Status)


@pytest.mark.parametrize(("current", "target"), sorted(REASON_REQUIRED))
def test_reason_required(current: Status, target: Status) -> None:
    with pytest.raises(TransitionNotAllowed):
        ensure_allowed(current, target, reason="  ")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("current", "target"),
    # Sorted: a frozenset's order differs between processes (xdist workers must agree).
    [(a, b) for a in Status for b in sorted(TRANSITIONS[a])],
)
def test_service_applies_every_allowed_transition(current: Status, target: Status) -> None:
    from ketenregie.audit.models import AuditEvent

    case = CaseFactory(status=current, house__household_variant=(current, target) in HOUSEHOLD_ONLY)
    actor = UserFactory()
    moved = services.change_status(case, to=target, actor=actor, reason="toelichting")
    assert moved.status == target
    last = StatusChange.objects.filter(case=case).latest("pk")
    assert (last.from_status, last.to_status) == (current, target)
    ev = AuditEvent.objects.filter(case_id=case.pk, action="case.status_changed").get()
    assert ev.data["wijzigingen"]["status"] == {"voor": current.value, "na": target.value}


@pytest.mark.django_db
def test_service_refuses_a_forbidden_transition_and_writes_nothing() -> None:
    from ketenregie.audit.models import AuditEvent

    case = CaseFactory(status=Status.CONCEPT)
    with pytest.raises(TransitionNotAllowed):
        services.change_status(case, to=Status.AFGESLOTEN, actor=UserFactory())
    case.refresh_from_db()
    assert case.status == Status.CONCEPT
    assert StatusChange.objects.filter(case=case).count() == 1
    assert not AuditEvent.objects.filter(case_id=case.pk).exists()
