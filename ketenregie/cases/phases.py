"""The six phases of household coordination (seed 002 section 3) on the workflow table.

Pure: a case's status plus the few facts that split a status (the start meeting planned,
held, its minutes sent; a progress meeting planned or held) give the household phase and
its next step. Phase 6a (a professional leaves, or procesregie moves) is not a state: it
can happen in any phase and is recorded as an event (`pga.aftercare`, ADR 26).

The facts come from the meetings, which live in `plans`, above `cases`: plans registers
a provider at start-up (`register_phase_facts`), as it does for the timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ketenregie.cases.workflow import Status

if TYPE_CHECKING:
    from ketenregie.cases.models import Case


class HouseholdPhase(models.TextChoices):
    """The seed's phases with its names ("Fase 3a. Startoverleg voorbereiden")."""

    AANMELDING = "1", _("Aanmelding")
    INTAKE = "2", _("Intakefase")
    STARTOVERLEG_VOORBEREIDEN = "3a", _("Startoverleg voorbereiden")
    STARTOVERLEG_UITVOEREN = "3b", _("Startoverleg uitvoeren")
    VOORTGANG = "4", _("Voortgang")
    VOORTGANGSOVERLEG_VOORBEREIDEN = "5a", _("Voortgangsoverleg voorbereiden")
    VOORTGANGSOVERLEG_UITVOEREN = "5b", _("Voortgangsoverleg uitvoeren")
    AFSLUITEN = "6b", _("Afsluiten en nazorg klant")


# The event of phase 6a, with the seed's name.
PHASE_6A = _("Fase 6a. Overdragen of afsluiten en nazorg van een professional")


@dataclass(frozen=True)
class PhaseFacts:
    """What the meetings say; all False for a case without meetings."""

    start_meeting_planned: bool = False
    start_meeting_held: bool = False
    start_minutes_sent: bool = False
    # A later meeting (incidental, or a monitoring meeting that discusses the case) ahead.
    progress_meeting_planned: bool = False
    # A later meeting has begun and its minutes have not gone out yet.
    progress_meeting_held: bool = False


# Every status has a phase; the statuses split by facts carry their earliest phase here.
PHASE_OF_STATUS: dict[Status, HouseholdPhase] = {
    Status.CONCEPT: HouseholdPhase.AANMELDING,
    Status.AANGEMELD: HouseholdPhase.AANMELDING,
    # Screening, enrichment and the triage weigh the case against the criteria: the
    # seed's intake ("schat in of de klant onder de criteria valt").
    Status.VERRIJKING: HouseholdPhase.INTAKE,
    Status.GEAGENDEERD: HouseholdPhase.INTAKE,
    # Ended at the intake: no coordination of care was started.
    Status.GEEN_PGA: HouseholdPhase.INTAKE,
    Status.DOORVERWEZEN: HouseholdPhase.INTAKE,
    # Informing and the start conversation explain the way of working (intake, steps
    # 4 and 5); once the start meeting is planned the case prepares it (3a).
    Status.PGA_GESTART: HouseholdPhase.INTAKE,
    Status.IN_UITVOERING: HouseholdPhase.STARTOVERLEG_VOORBEREIDEN,
    Status.VOORLOPIG_AFGESLOTEN: HouseholdPhase.AFSLUITEN,
    Status.AFGESLOTEN: HouseholdPhase.AFSLUITEN,
    # Procesregie moved up to a Zorg- en Veiligheidshuis: this house's part has ended.
    Status.OPGESCHAALD: HouseholdPhase.AFSLUITEN,
}

NEXT_STEP: dict[HouseholdPhase, str | Promise] = {
    HouseholdPhase.AANMELDING: _(
        "Check basiszorg en veiligheid en zet de aanmelding door naar de intake."
    ),
    HouseholdPhase.INTAKE: _(
        "Verhelder de vraag, breng krachten en zorgen in kaart, toets aan de criteria en "
        "leg de werkwijze uit aan de klant."
    ),
    HouseholdPhase.STARTOVERLEG_VOORBEREIDEN: _(
        "Bereid met de klant het startoverleg voor: betrokkenen, voorkeur voor de "
        "procesregisseur, datum en uitnodigingen."
    ),
    HouseholdPhase.STARTOVERLEG_UITVOEREN: _(
        "Stel in het startoverleg het ondersteuningsplan (en zo nodig het veiligheidsplan) "
        "vast en verstuur het verslag binnen een week."
    ),
    HouseholdPhase.VOORTGANG: _(
        "Monitor de acties en de veiligheid, en plan het volgende voortgangsoverleg."
    ),
    HouseholdPhase.VOORTGANGSOVERLEG_VOORBEREIDEN: _(
        "Bereid het voortgangsoverleg voor: herinnering aan betrokkenen, plan bijwerken."
    ),
    HouseholdPhase.VOORTGANGSOVERLEG_UITVOEREN: _(
        "Bespreek welke doelen en acties zijn gehaald, stel het plan bij en verstuur het "
        "verslag; daarna verder met voortgang of afsluiten."
    ),
    HouseholdPhase.AFSLUITEN: _(
        "Leg de nazorgafspraken vast (wie, wat, wanneer, hoe vaak) en evalueer het hele "
        "traject met de klant en de professionals."
    ),
}

# Statuses whose phase the meeting facts refine.
SPLIT_BY_FACTS = frozenset({Status.PGA_GESTART, Status.IN_UITVOERING})


def household_phase(status: Status | str, facts: PhaseFacts = PhaseFacts()) -> HouseholdPhase:
    """The household phase of a case in `status` with these meeting facts."""
    base = PHASE_OF_STATUS[Status(status)]
    if Status(status) not in SPLIT_BY_FACTS:
        return base
    if not facts.start_meeting_planned and not facts.start_meeting_held:
        return base
    if not facts.start_meeting_held:
        return HouseholdPhase.STARTOVERLEG_VOORBEREIDEN
    if not facts.start_minutes_sent:
        return HouseholdPhase.STARTOVERLEG_UITVOEREN
    if facts.progress_meeting_held:
        return HouseholdPhase.VOORTGANGSOVERLEG_UITVOEREN
    if facts.progress_meeting_planned:
        return HouseholdPhase.VOORTGANGSOVERLEG_VOORBEREIDEN
    return HouseholdPhase.VOORTGANG


def phase_title(phase: HouseholdPhase) -> str:
    """ "Fase 3a: Startoverleg voorbereiden", as the page shows it."""
    return _("Fase %(nummer)s: %(naam)s") % {"nummer": phase.value, "naam": phase.label}


type FactsProvider = Callable[["Case"], PhaseFacts]

_providers: list[FactsProvider] = []


def register_phase_facts(provider: FactsProvider) -> None:
    """The app that keeps the meetings tells the phase its facts (idempotent)."""
    if provider not in _providers:
        _providers.append(provider)


def phase_facts(case: Case) -> PhaseFacts:
    """The facts of a case read through the gate (the last provider registered wins)."""
    facts = PhaseFacts()
    for provider in _providers:
        facts = provider(case)
    return facts


def case_phase(case: Case) -> dict[str, str]:
    """The phase and next step for the case page."""
    split = case.status in SPLIT_BY_FACTS
    phase = household_phase(case.status, phase_facts(case) if split else PhaseFacts())
    return {"title": phase_title(phase), "next_step": str(NEXT_STEP[phase]), "code": phase.value}
