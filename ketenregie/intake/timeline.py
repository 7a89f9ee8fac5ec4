"""What the intake adds to the case timeline (registered in IntakeConfig.ready): the
bekendheidscheck as one step, and the intake's events in the phase "Aanmelding en triage"."""

from __future__ import annotations

from django.utils.translation import ngettext

from ketenregie.cases.timeline import TimelineEntry, register_phase, register_step
from ketenregie.cases.workflow import Phase

APPROVED = "referral.approved_for_enrichment"
ANSWERED = "enrichment.answered"

# The intake's changes belong to the triage phase even when written a moment after the
# status moved on (the triage outcome is recorded after the case became "PGA gestart").
INTAKE_CHANGES = (
    "referral.created",
    "referral.updated",
    "referral.content_saved",
    "referral.attachment_added",
    "referral.submitted",
    APPROVED,
    "referral.rejected_and_deleted",
    "referral.put_on_agenda",
    ANSWERED,
    "triage.attendance_recorded",
    "triage.moved",
    "triage.cancelled",
    "triage.outcome",
)


def enrichment_title(entries: list[TimelineEntry]) -> str:
    """ "Bekendheidscheck: 3 van 4 partners geantwoord": the partners asked are in the
    newest approval's data, an answer is counted once per request (answers can change)."""
    asked = next((e.data.get("verzoeken_aan") for e in entries if e.code == APPROVED), None)
    answered = len({e.object_id for e in entries if e.code == ANSWERED})
    if isinstance(asked, list) and asked:
        return ngettext(
            "Bekendheidscheck: %(n)s van %(m)s partner geantwoord",
            "Bekendheidscheck: %(n)s van %(m)s partners geantwoord",
            len(asked),
        ) % {"n": answered, "m": len(asked)}
    return ngettext(
        "Bekendheidscheck: %(n)s partner geantwoord",
        "Bekendheidscheck: %(n)s partners geantwoord",
        answered,
    ) % {"n": answered}


def register() -> None:
    register_phase(Phase.AANMELDING, INTAKE_CHANGES)
    register_step(
        "bekendheidscheck", (APPROVED, ANSWERED), enrichment_title, per="case", always=True
    )
