"""The life of a case as a table: statuses, phases and allowed transitions. Pure, no DB."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.core.errors import TransitionNotAllowed


class Status(models.TextChoices):
    CONCEPT = "concept", _("Concept-aanmelding")
    AANGEMELD = "aangemeld", _("Aangemeld, in screening")
    VERRIJKING = "verrijking", _("In verrijking")
    GEAGENDEERD = "geagendeerd", _("Geagendeerd voor triage")
    GEEN_PGA = "geen_pga", _("Geen PGA (advies gegeven)")
    DOORVERWEZEN = "doorverwezen", _("Doorverwezen")
    PGA_GESTART = "pga_gestart", _("PGA gestart, betrokkene informeren")
    IN_UITVOERING = "in_uitvoering", _("In uitvoering (plan en monitoring)")
    VOORLOPIG_AFGESLOTEN = "voorlopig_afgesloten", _("Voorlopig afgesloten")
    AFGESLOTEN = "afgesloten", _("Afgesloten")
    OPGESCHAALD = "opgeschaald", _("Opgeschaald naar Zorg- en Veiligheidshuis")


class Phase(models.TextChoices):
    AANMELDING = "aanmelding", _("Aanmelding en triage")
    VOORTRAJECT = "voortraject", _("Start PGA")
    CASUISTIEK = "casuistiek", _("Casuïstiekbesprekingen")
    AFSLUITING = "afsluiting", _("Afgesloten")


PHASE_OF: dict[Status, Phase] = {
    Status.CONCEPT: Phase.AANMELDING,
    Status.AANGEMELD: Phase.AANMELDING,
    Status.VERRIJKING: Phase.AANMELDING,
    Status.GEAGENDEERD: Phase.AANMELDING,
    Status.GEEN_PGA: Phase.AFSLUITING,
    Status.DOORVERWEZEN: Phase.AFSLUITING,
    Status.PGA_GESTART: Phase.VOORTRAJECT,
    Status.IN_UITVOERING: Phase.CASUISTIEK,
    Status.VOORLOPIG_AFGESLOTEN: Phase.AFSLUITING,
    Status.AFGESLOTEN: Phase.AFSLUITING,
    Status.OPGESCHAALD: Phase.AFSLUITING,
}


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.CONCEPT: frozenset({Status.AANGEMELD}),
    # Straight to the start (no triage): only in a household-variant house (HOUSEHOLD_ONLY).
    Status.AANGEMELD: frozenset({Status.VERRIJKING, Status.DOORVERWEZEN, Status.PGA_GESTART}),
    # A referral whose referrer was absent stays GEAGENDEERD and moves to the next triage.
    Status.VERRIJKING: frozenset({Status.GEAGENDEERD, Status.DOORVERWEZEN}),
    Status.GEAGENDEERD: frozenset({Status.GEEN_PGA, Status.PGA_GESTART, Status.DOORVERWEZEN}),
    Status.GEEN_PGA: frozenset(),
    Status.DOORVERWEZEN: frozenset(),
    Status.PGA_GESTART: frozenset({Status.IN_UITVOERING, Status.AFGESLOTEN}),
    Status.IN_UITVOERING: frozenset(
        {Status.VOORLOPIG_AFGESLOTEN, Status.AFGESLOTEN, Status.OPGESCHAALD}
    ),
    Status.VOORLOPIG_AFGESLOTEN: frozenset({Status.IN_UITVOERING, Status.AFGESLOTEN}),
    # Reopening a closed case needs a reason (enforced by the service).
    Status.AFGESLOTEN: frozenset({Status.IN_UITVOERING}),
    Status.OPGESCHAALD: frozenset(),
}

REASON_REQUIRED: frozenset[tuple[Status, Status]] = frozenset(
    {
        (Status.AFGESLOTEN, Status.IN_UITVOERING),
        (Status.VOORLOPIG_AFGESLOTEN, Status.IN_UITVOERING),
        (Status.GEAGENDEERD, Status.GEEN_PGA),
        (Status.AANGEMELD, Status.DOORVERWEZEN),
        (Status.VERRIJKING, Status.DOORVERWEZEN),
        (Status.GEAGENDEERD, Status.DOORVERWEZEN),
        (Status.IN_UITVOERING, Status.OPGESCHAALD),
    }
)

# Transitions only a house working in the household variant allows (issue 15, seed 002
# section 3.4): whoever processes a referral starts coordination without the ZVH triage.
HOUSEHOLD_ONLY: frozenset[tuple[Status, Status]] = frozenset(
    {(Status.AANGEMELD, Status.PGA_GESTART)}
)


def _reachable_from(start: Status) -> frozenset[Status]:
    """`start` and every status a case can reach from it through the table."""
    seen = {start}
    todo = [start]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return frozenset(seen)


# The status groups every app uses; derived here once, imported everywhere.
# Statuses a triage chair screens and prepares (drafts stay with their author).
INTAKE_STATUSES = frozenset(s for s, phase in PHASE_OF.items() if phase == Phase.AANMELDING) - {
    Status.CONCEPT
}
# Still being screened by the chair (duplicates, enrichment requests): not yet on an agenda.
SCREENING_STATUSES = frozenset({Status.AANGEMELD, Status.VERRIJKING})
# Partners answer the bekendheidscheck (enrichment) until the triage decides.
ENRICHMENT_STATUSES = frozenset({Status.VERRIJKING, Status.GEAGENDEERD})
# The PGA has started and the case is not closed: informing, plan work, signals.
PGA_STATUSES = frozenset({Status.PGA_GESTART, Status.IN_UITVOERING, Status.VOORLOPIG_AFGESLOTEN})
# The PGA start (informing, start conversation) is being done.
START_STATUSES = frozenset({Status.PGA_GESTART, Status.IN_UITVOERING})
# In (or past) execution: the case has a plan, meetings and actions to look at.
EXECUTION_STATUSES = _reachable_from(Status.IN_UITVOERING)
# Execution has ended: closed (for now or for good) or transferred to a ZVH.
EXECUTION_ENDED_STATUSES = EXECUTION_STATUSES - {Status.IN_UITVOERING}
# The PGA was started (whatever happened since): a triage decided to start it.
STARTED_STATUSES = EXECUTION_STATUSES | {Status.PGA_GESTART}
# Execution still running: plan work, meetings and overdue actions count here.
RUNNING_STATUSES = frozenset({Status.IN_UITVOERING, Status.VOORLOPIG_AFGESLOTEN})
# The closing page exists: from the start of the PGA until closed (not once transferred).
CLOSING_STATUSES = PGA_STATUSES | {Status.AFGESLOTEN}
# An eindgesprek (closing conversation) can be recorded.
CLOSING_CONVERSATION_STATUSES = RUNNING_STATUSES | {Status.AFGESLOTEN}
# Closed, for now or for good: can be reopened with a reason.
CLOSED_STATUSES = frozenset({Status.VOORLOPIG_AFGESLOTEN, Status.AFGESLOTEN})
# Can be closed (for good) with a warm handover; a provisional close only from execution.
CLOSABLE_STATUSES = RUNNING_STATUSES
PROVISIONALLY_CLOSABLE_STATUSES = frozenset({Status.IN_UITVOERING})


def allowed_targets(current: Status, *, household_variant: bool = False) -> frozenset[Status]:
    if household_variant:
        return TRANSITIONS[current]
    return frozenset(t for t in TRANSITIONS[current] if (current, t) not in HOUSEHOLD_ONLY)


def ensure_allowed(
    current: Status, target: Status, reason: str = "", *, household_variant: bool = False
) -> None:
    if target not in allowed_targets(current, household_variant=household_variant):
        raise TransitionNotAllowed(
            _("Een casus met status ‘%(van)s’ kan niet naar ‘%(naar)s’."),
            code="transition_not_allowed",
            params={"van": current.label, "naar": target.label},
        )
    if (current, target) in REASON_REQUIRED and not reason.strip():
        raise TransitionNotAllowed(
            _("Geef een reden op voor deze statuswijziging."), code="reason_required"
        )
