"""The six household phases of seed 002 on the workflow table (issue 15): every status has
one, and the meeting facts split a status into the seed's sub-phases."""

from __future__ import annotations

import pytest

from ketenregie.cases.phases import (
    NEXT_STEP,
    PHASE_OF_STATUS,
    HouseholdPhase,
    PhaseFacts,
    household_phase,
    phase_title,
)
from ketenregie.cases.workflow import Status


@pytest.mark.parametrize("status", list(Status))
def test_every_status_has_a_household_phase_and_a_next_step(status: Status) -> None:
    """Fails when a new status is added to the workflow without a household phase."""
    assert status in PHASE_OF_STATUS
    phase = household_phase(status)
    assert isinstance(phase, HouseholdPhase) and NEXT_STEP[phase]


def test_every_phase_is_reachable_and_titled_as_the_seed_names_it() -> None:
    reached = {household_phase(s) for s in Status}
    facts = [
        PhaseFacts(start_meeting_planned=True),
        PhaseFacts(start_meeting_planned=True, start_meeting_held=True),
        PhaseFacts(start_meeting_planned=True, start_meeting_held=True, start_minutes_sent=True),
        PhaseFacts(True, True, True, progress_meeting_planned=True),
        PhaseFacts(True, True, True, progress_meeting_held=True),
    ]
    reached |= {household_phase(Status.IN_UITVOERING, f) for f in facts}
    assert reached == set(HouseholdPhase)
    assert phase_title(HouseholdPhase.STARTOVERLEG_VOORBEREIDEN) == (
        "Fase 3a: Startoverleg voorbereiden"
    )
    assert phase_title(HouseholdPhase.AFSLUITEN) == "Fase 6b: Afsluiten en nazorg klant"


@pytest.mark.parametrize(
    ("status", "facts", "expected"),
    [
        (Status.CONCEPT, PhaseFacts(), "1"),
        (Status.AANGEMELD, PhaseFacts(), "1"),
        (Status.VERRIJKING, PhaseFacts(), "2"),
        (Status.GEAGENDEERD, PhaseFacts(), "2"),
        (Status.PGA_GESTART, PhaseFacts(), "2"),
        (Status.PGA_GESTART, PhaseFacts(start_meeting_planned=True), "3a"),
        (Status.IN_UITVOERING, PhaseFacts(), "3a"),
        (Status.IN_UITVOERING, PhaseFacts(start_meeting_planned=True), "3a"),
        (Status.IN_UITVOERING, PhaseFacts(True, True), "3b"),
        (Status.IN_UITVOERING, PhaseFacts(True, True, True), "4"),
        (Status.IN_UITVOERING, PhaseFacts(True, True, True, True), "5a"),
        (Status.IN_UITVOERING, PhaseFacts(True, True, True, False, True), "5b"),
        (Status.IN_UITVOERING, PhaseFacts(True, True, True, True, True), "5b"),
        # Closing facts do not move a closed case back into a meeting phase.
        (Status.VOORLOPIG_AFGESLOTEN, PhaseFacts(True, True, True, True), "6b"),
        (Status.AFGESLOTEN, PhaseFacts(), "6b"),
        (Status.OPGESCHAALD, PhaseFacts(), "6b"),
    ],
)
def test_status_and_facts_give_the_phase(status: Status, facts: PhaseFacts, expected: str) -> None:
    assert household_phase(status, facts).value == expected
