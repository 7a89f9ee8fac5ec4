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

# Statuses a triage chair screens and prepares (drafts stay with their author).
INTAKE_STATUSES = frozenset({Status.AANGEMELD, Status.VERRIJKING, Status.GEAGENDEERD})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.CONCEPT: frozenset({Status.AANGEMELD}),
    Status.AANGEMELD: frozenset({Status.VERRIJKING, Status.DOORVERWEZEN}),
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


def allowed_targets(current: Status) -> frozenset[Status]:
    return TRANSITIONS[current]


def ensure_allowed(current: Status, target: Status, reason: str = "") -> None:
    if target not in TRANSITIONS[current]:
        raise TransitionNotAllowed(
            _("Een casus met status ‘%(van)s’ kan niet naar ‘%(naar)s’."),
            code="transition_not_allowed",
            params={"van": current.label, "naar": target.label},
        )
    if (current, target) in REASON_REQUIRED and not reason.strip():
        raise TransitionNotAllowed(
            _("Geef een reden op voor deze statuswijziging."), code="reason_required"
        )
