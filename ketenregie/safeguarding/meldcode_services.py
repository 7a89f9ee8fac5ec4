"""Writes of the meldcode: starting a trajectory, recording its steps, the decision
questions (also at a progress meeting), acute danger, reports to Veilig Thuis with their
follow-up, and ending the trajectory.

Each write locks the trajectory (or report), checks the rule, saves and audits in the
same transaction (`audit.writes`). What the meldcode records is about domestic violence
and child abuse: notes, answers and report texts enter the permanent trail by field name
only (`mode="names"`), never their content; the trail outlives the case (ADR 20).
Who may call which write is decided by `meldcode_access` in the views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.audit.writes import create_audited, lock, save_audited
from ketenregie.cases.models import Case, ExchangeKind
from ketenregie.cases.safety import set_safety_concerns
from ketenregie.cases.sharing import record_exchange
from ketenregie.cases.workflow import PGA_STATUSES, Status
from ketenregie.core.timeutil import today
from ketenregie.plans import services as plan_services
from ketenregie.plans.models import Meeting
from ketenregie.safeguarding.meldcode_access import WRITE_STATUSES
from ketenregie.safeguarding.meldcode_models import (
    DecisionAnswers,
    MeldcodeStep,
    MeldcodeTrajectory,
    VeiligThuisReport,
    VeiligThuisUpdate,
)
from ketenregie.safeguarding.meldcode_rules import QUESTIONS, decide

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

Step = MeldcodeStep.Number
VT_LABEL = "Veilig Thuis"


def _writable(case: Case) -> None:
    if case.status not in WRITE_STATUSES:
        raise ValidationError(
            _("De meldcode kan bij deze casus niet meer worden bijgewerkt (status: ‘%(s)s’).")
            % {"s": Status(case.status).label}
        )


def _open(
    trajectory: MeldcodeTrajectory, *, expected_version: int | None = None
) -> MeldcodeTrajectory:
    locked = lock(trajectory, expected_version=expected_version, related=("case",), of=("self",))
    _writable(locked.case)
    if not locked.is_open:
        raise ValidationError(_("Dit meldcodetraject is afgesloten."))
    return locked


def _not_future(day: dt.date, field: str, *, not_before: dt.date | None = None) -> None:
    if day > today():
        raise ValidationError(
            {field: _("Een datum in de toekomst kan niet: vul de dag in waarop het gebeurde.")}
        )
    if not_before is not None and day < not_before:
        raise ValidationError(
            {field: _("Deze datum ligt vóór %(d)s.") % {"d": not_before.strftime("%d-%m-%Y")}}
        )


def open_trajectory(case: Case) -> MeldcodeTrajectory | None:
    return MeldcodeTrajectory.objects.filter(case=case, ended_on__isnull=True).first()


@transaction.atomic
def start_trajectory(case: Case, *, actor: User, acute_danger: bool = False) -> MeldcodeTrajectory:
    """Start the meldcode for a case with signals; at most one open trajectory per case."""
    locked = lock(case)
    _writable(locked)
    if open_trajectory(locked) is not None:
        raise ValidationError(_("Voor deze casus loopt al een meldcodetraject."))
    now = timezone.now()
    try:
        with transaction.atomic():
            return create_audited(
                MeldcodeTrajectory,
                actor=actor,
                action="meldcode.started",
                values={
                    "case": locked,
                    "started_at": now,
                    "started_by": actor,
                    "acute_danger": acute_danger,
                    "acute_changed_at": now if acute_danger else None,
                },
                case_id=locked.pk,
                mode="none",
                extra={"acuut": acute_danger},
            )
    except IntegrityError:
        raise ValidationError(_("Voor deze casus loopt al een meldcodetraject.")) from None


def _set_acute(locked: MeldcodeTrajectory, *, actor: User, acute: bool) -> None:
    save_audited(
        locked,
        actor=actor,
        action="meldcode.acute_changed",
        values={"acute_danger": acute},
        case_id=locked.case_id,
        touch={"acute_changed_at": timezone.now()},
    )


@transaction.atomic
def set_acute_danger(
    trajectory: MeldcodeTrajectory, *, actor: User, acute: bool, expected_version: int
) -> MeldcodeTrajectory:
    """Mark or lift "acuut onveilig": while set, the page shows the immediate steps first."""
    locked = _open(trajectory, expected_version=expected_version)
    _set_acute(locked, actor=actor, acute=acute)
    return locked


def missing_before(trajectory: MeldcodeTrajectory, number: int) -> list[int]:
    """The earlier steps not taken yet (steps in order is the norm)."""
    taken = set(trajectory.steps.values_list("number", flat=True))
    return [n for n in range(1, number) if n not in taken]


def latest_answers(trajectory: MeldcodeTrajectory) -> DecisionAnswers | None:
    return trajectory.answer_sets.order_by("-answered_on", "-recorded_at", "-pk").first()


@transaction.atomic
def record_step(
    trajectory: MeldcodeTrajectory,
    *,
    actor: User,
    number: int,
    taken_on: dt.date,
    note: str,
    vt_consulted: bool = False,
    instrument: str = "",
    instrument_other: str = "",
    order_reason: str = "",
    acute_danger: bool | None = None,
) -> MeldcodeStep:
    """Record a step as taken. Steps in order is the norm: a step taken before an earlier
    one needs the reason (the seed's "ga door naar stap ..."; the law's meldcode allows
    leaving step 3 out when talking endangers someone). Step 4 names how the weighing was
    supported; step 5 rests on the latest complete answer set of the decision questions."""
    locked = _open(trajectory)
    if number not in Step.values:
        raise ValidationError({"number": _("Kies een stap van de meldcode.")})
    _not_future(taken_on, "taken_on", not_before=timezone.localdate(locked.started_at))
    errors: dict[str, str] = {}
    if not note.strip():
        errors["note"] = _("Beschrijf wat u in deze stap heeft gedaan en vastgesteld.")
    skipped = missing_before(locked, number)
    if skipped and not order_reason.strip():
        errors["order_reason"] = _(
            "Stap %(steps)s is nog niet gezet. Zet de stappen op volgorde, of geef de reden "
            "om daarvan af te wijken."
        ) % {"steps": ", ".join(str(n) for n in skipped)}
    if number == Step.WEIGH:
        if instrument not in MeldcodeStep.Instrument.values:
            errors["instrument"] = _(
                "Kies hoe de weging is ondersteund: een risicotaxatie-instrument of een "
                "consultatie."
            )
        elif (
            instrument == MeldcodeStep.Instrument.OTHER_INSTRUMENT and not instrument_other.strip()
        ):
            errors["instrument_other"] = _("Noem het risicotaxatie-instrument.")
    answers = None
    if number == Step.DECIDE:
        answers = latest_answers(locked)
        if answers is None or not decide(answers.answer_tuple()).complete:
            errors["number"] = _(
                "Beslissen rust op de afwegingsvragen: beantwoord eerst de vijf afwegingsvragen."
            )
    if errors:
        raise ValidationError(errors)
    if number == Step.SIGNALS and acute_danger is not None and acute_danger != locked.acute_danger:
        _set_acute(locked, actor=actor, acute=acute_danger)
    if number == Step.SIGNALS:
        _record_safety_concerns(locked.case_id, actor=actor)
    weigh = number == Step.WEIGH
    step = create_audited(
        MeldcodeStep,
        actor=actor,
        action="meldcode.step_recorded",
        values={
            "trajectory": locked,
            "number": number,
            "taken_on": taken_on,
            "taken_by": actor,
            "note": note.strip(),
            "vt_consulted": vt_consulted and number == Step.CONSULT,
            "instrument": instrument if weigh else "",
            "instrument_other": instrument_other.strip()
            if weigh and instrument == MeldcodeStep.Instrument.OTHER_INSTRUMENT
            else "",
            "order_reason": order_reason.strip() if skipped else "",
            "answers": answers,
        },
        case_id=locked.case_id,
        mode="names",
        extra={"stap": number, "datum": taken_on.isoformat(), "afwijkende_volgorde": bool(skipped)},
    )
    return step


def _record_safety_concerns(case_id: int, *, actor: User) -> None:
    """Mapped signals of violence or abuse are safety concerns (seed 002 7.1): recorded on
    the case, so the one rule (`cases.safety`) requires a safety plan for a client system."""
    case = Case.objects.get(pk=case_id)
    if case.safety_concerns or case.status not in PGA_STATUSES:
        return
    set_safety_concerns(
        case,
        actor=actor,
        concerns=True,
        note=_("Signalen van huiselijk geweld of kindermishandeling (meldcode, stap 1)."),
        expected_version=case.version,
    )


def _check_meeting(meeting: Meeting, trajectory: MeldcodeTrajectory) -> None:
    if meeting.case_id != trajectory.case_id:
        raise ValidationError(_("Dit overleg hoort niet bij deze casus."))
    if timezone.localdate(meeting.starts_at) < timezone.localdate(trajectory.started_at):
        raise ValidationError(_("Dit overleg was vóór de start van het meldcodetraject."))
    if meeting.is_cancelled:
        raise ValidationError(
            _("Dit overleg is vervallen: leg de afwegingsvragen vast bij een ander overleg.")
        )
    if not meeting.has_begun:
        raise ValidationError(
            _(
                "Dit overleg is nog niet begonnen: de afwegingsvragen worden in het overleg "
                "beantwoord."
            )
        )


@transaction.atomic
def record_answers(
    trajectory: MeldcodeTrajectory,
    *,
    actor: User,
    answers: Sequence[bool | None],
    notes: Sequence[str],
    answered_on: dt.date,
    meeting: Meeting | None = None,
) -> DecisionAnswers:
    """Record one answer set of the five decision questions, at a progress meeting of the
    case (`meeting`) or on its own (step 4/5). The seed's scheme decides which questions
    are asked: each asked question needs its answer, a question the scheme does not reach
    stays empty."""
    locked = _open(trajectory)
    if meeting is not None:
        _check_meeting(meeting, locked)
    _not_future(answered_on, "answered_on", not_before=timezone.localdate(locked.started_at))
    decision = decide(answers)
    errors: dict[str, str] = {}
    for n in decision.missing:
        errors[f"q{n}"] = _("Beantwoord deze vraag met ja of nee.")
    for n in decision.not_asked:
        errors[f"q{n}"] = _(
            "Na uw eerdere antwoorden komt deze vraag niet aan de orde: kies ‘Niet gesteld’."
        )
    if errors:
        raise ValidationError(errors)
    values = {
        "trajectory": locked,
        "meeting": meeting,
        "answered_on": answered_on,
        "answered_by": actor,
        **{f"q{n}": answers[n - 1] for n in range(1, len(QUESTIONS) + 1)},
        **{f"note{n}": notes[n - 1].strip() for n in range(1, len(QUESTIONS) + 1)},
    }
    row = create_audited(
        DecisionAnswers,
        actor=actor,
        action="meldcode.answers_recorded",
        values=values,
        case_id=locked.case_id,
        mode="none",
        # The answers themselves stay out of the permanent trail (special category data).
        extra={"overleg": meeting.pk if meeting else None, "datum": answered_on.isoformat()},
    )
    if meeting is not None:
        # Answered at the meeting: it was held (issue 15, a meeting recorded afterwards).
        plan_services.mark_held(meeting, actor=actor)
    return row


@transaction.atomic
def end_trajectory(
    trajectory: MeldcodeTrajectory,
    *,
    actor: User,
    reason: str,
    ended_on: dt.date,
    note: str,
    expected_version: int,
) -> MeldcodeTrajectory:
    """End the trajectory, which ends the repetition of the decision questions at
    progress meetings. It rests on the latest answer set: "duurzaam veilig" when its
    question 5 was yes, "geen vermoeden" when its question 1 was no."""
    locked = _open(trajectory, expected_version=expected_version)
    _not_future(ended_on, "ended_on", not_before=timezone.localdate(locked.started_at))
    latest = latest_answers(locked)
    decision = decide(latest.answer_tuple()) if latest is not None else None
    Reason = MeldcodeTrajectory.EndReason
    if reason == Reason.LASTING_SAFETY and not (decision and decision.lasting_safety):
        raise ValidationError(
            {
                "reason": _(
                    "Duurzame veiligheid vastleggen kan als bij de laatste afwegingsvragen "
                    "afweging 5 (leidt deze hulp tot duurzame veiligheid?) met ja is "
                    "beantwoord."
                )
            }
        )
    if reason == Reason.NO_SUSPICION and not (decision and decision.closed):
        raise ValidationError(
            {
                "reason": _(
                    "Afsluiten zonder vermoeden kan als bij de laatste afwegingsvragen "
                    "afweging 1 met nee is beantwoord."
                )
            }
        )
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Kies de reden van afsluiten.")})
    save_audited(
        locked,
        actor=actor,
        action="meldcode.ended",
        values={
            "ended_on": ended_on,
            "ended_by": actor,
            "end_reason": reason,
            "end_note": note.strip(),
        },
        case_id=locked.case_id,
        mode="names",
        shown=("ended_on", "end_reason"),
    )
    return locked


@transaction.atomic
def report_to_veilig_thuis(
    trajectory: MeldcodeTrajectory,
    *,
    actor: User,
    reported_on: dt.date,
    reference: str,
    content: str,
    person_informed: bool,
    not_informed_reason: str = "",
) -> VeiligThuisReport:
    """Record a report to Veilig Thuis, resting on the latest answer set (when there is
    one), and its provision of data in the sharing register (meldrecht: the law fixes
    the basis, `cases.sharing.STATUTORY_GROUNDS`)."""
    locked = _open(trajectory)
    _not_future(reported_on, "reported_on", not_before=timezone.localdate(locked.started_at))
    errors: dict[str, str] = {}
    if not content.strip():
        errors["content"] = _("Beschrijf wat u bij Veilig Thuis heeft gemeld.")
    if not person_informed and not not_informed_reason.strip():
        # Seed 4.7: the client is told a report is made, unless that endangers someone.
        errors["not_informed_reason"] = _(
            "Geef aan waarom de betrokkene niet is verteld dat u meldt."
        )
    if errors:
        raise ValidationError(errors)
    report = create_audited(
        VeiligThuisReport,
        actor=actor,
        action="meldcode.vt_reported",
        values={
            "trajectory": locked,
            "reported_on": reported_on,
            "reported_by": actor,
            "reference": reference.strip(),
            "content": content.strip(),
            "answers": latest_answers(locked),
            "status": VeiligThuisReport.Status.REPORTED,
            "status_on": reported_on,
        },
        case_id=locked.case_id,
        mode="names",
        extra={"datum": reported_on.isoformat()},
    )
    record_exchange(
        ExchangeKind.VEILIG_THUIS_REPORT,
        actor=actor,
        case=locked.case,
        to_label=VT_LABEL,
        person_informed=person_informed,
        not_informed_reason=not_informed_reason,
    )
    return report


@transaction.atomic
def follow_up_report(
    report: VeiligThuisReport,
    *,
    actor: User,
    status: str,
    on_date: dt.date,
    note: str,
    expected_version: int,
) -> VeiligThuisUpdate:
    """Record Veilig Thuis's response (received, investigating, handed back, closed)."""
    locked = lock(report, expected_version=expected_version)
    trajectory = _open(locked.trajectory)
    Status_ = VeiligThuisReport.Status
    if status not in Status_.values or status == Status_.REPORTED:
        raise ValidationError({"status": _("Kies de stand die Veilig Thuis heeft gemeld.")})
    if locked.status == Status_.CLOSED:
        raise ValidationError(_("Veilig Thuis heeft deze melding al afgesloten."))
    _not_future(on_date, "on_date", not_before=locked.status_on)
    update = create_audited(
        VeiligThuisUpdate,
        actor=actor,
        action="meldcode.vt_followup",
        values={
            "report": locked,
            "status": status,
            "on_date": on_date,
            "note": note.strip(),
            "recorded_by": actor,
        },
        case_id=trajectory.case_id,
        mode="none",
        extra={"stand": status, "datum": on_date.isoformat()},
    )
    locked.status, locked.status_on = status, on_date
    locked.version += 1
    locked.save(update_fields=["status", "status_on", "version"])
    return update
