"""Reading a case's meldcode: its trajectories with steps, answer sets and reports, and
the progress meetings at which the decision questions are asked again. Callers pass a
case that came through the gate (`meldcode_access.meldcode_case` or the meeting view)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils import timezone

from ketenregie.plans.models import Meeting
from ketenregie.safeguarding.meldcode_models import (
    DecisionAnswers,
    MeldcodeStep,
    MeldcodeTrajectory,
    VeiligThuisReport,
    VeiligThuisUpdate,
)
from ketenregie.safeguarding.meldcode_rules import QUESTIONS, Decision, decide

if TYPE_CHECKING:
    from ketenregie.cases.models import Case

# The case meetings at which the decision questions are asked again (seed 4.6 item 7:
# "monitor de situatie door de afwegingsvragen steeds opnieuw te doorlopen"). Every case
# meeting after the start of the trajectory; the household variant's phases may name a
# progress-meeting kind of their own, which then joins (or replaces) these.
PROGRESS_MEETING_KINDS = (Meeting.Kind.FIRST, Meeting.Kind.INCIDENTAL)


def trajectories_of(case: Case) -> list[MeldcodeTrajectory]:
    """Every trajectory of the case, the open one first, with what hangs from it."""
    return list(
        MeldcodeTrajectory.objects.filter(case=case)
        .select_related("started_by", "ended_by")
        .prefetch_related(
            # A decision shows the answer set it rests on: joined, not a query per step.
            Prefetch("steps", MeldcodeStep.objects.select_related("taken_by", "answers")),
            Prefetch(
                "answer_sets", DecisionAnswers.objects.select_related("answered_by", "meeting")
            ),
            Prefetch(
                "vt_reports",
                VeiligThuisReport.objects.select_related("reported_by").prefetch_related(
                    Prefetch("updates", VeiligThuisUpdate.objects.select_related("recorded_by"))
                ),
            ),
        )
        .order_by("ended_on", "-started_at")
    )


def open_trajectory_of(case_id: int) -> MeldcodeTrajectory | None:
    return MeldcodeTrajectory.objects.filter(case_id=case_id, ended_on__isnull=True).first()


@dataclass(frozen=True)
class AnswerRow:
    """One decision question of an answer set, for display."""

    number: int
    question: str
    answer: bool | None
    note: str


@dataclass(frozen=True)
class AnswerSetView:
    row: DecisionAnswers
    decision: Decision
    questions: list[AnswerRow]


def answer_set_view(row: DecisionAnswers) -> AnswerSetView:
    return AnswerSetView(
        row=row,
        decision=decide(row.answer_tuple()),
        questions=[
            AnswerRow(n, str(QUESTIONS[n - 1]), row.answer_tuple()[n - 1], row.note_tuple()[n - 1])
            for n in range(1, len(QUESTIONS) + 1)
        ],
    )


def progress_meetings(
    trajectory: MeldcodeTrajectory,
) -> list[tuple[Meeting, DecisionAnswers | None]]:
    """The case meetings since the trajectory started (until it ended) that have begun
    and were not cancelled, each with the answer set recorded at it (None: not yet)."""
    start = timezone.localtime(trajectory.started_at).date()
    meetings = Meeting.objects.filter(
        case_id=trajectory.case_id,
        kind__in=PROGRESS_MEETING_KINDS,
        starts_at__date__gte=start,
        starts_at__lte=timezone.now(),
    ).exclude(state=Meeting.State.CANCELLED)
    if trajectory.ended_on is not None:
        meetings = meetings.filter(starts_at__date__lte=trajectory.ended_on)
    answered: dict[int, DecisionAnswers] = {}
    for row in trajectory.answer_sets.filter(meeting__isnull=False).order_by("recorded_at"):
        assert row.meeting_id is not None
        answered[row.meeting_id] = row  # the latest set recorded at each meeting
    return [(m, answered.get(m.pk)) for m in meetings.order_by("starts_at", "pk")]


def is_progress_meeting(meeting: Meeting, trajectory: MeldcodeTrajectory) -> bool:
    """The questions are asked at this meeting: a case meeting of the trajectory's case
    that has begun, not cancelled, on or after the day the trajectory started."""
    return (
        meeting.case_id == trajectory.case_id
        and meeting.kind in PROGRESS_MEETING_KINDS
        and not meeting.is_cancelled
        and meeting.has_begun
        and timezone.localtime(meeting.starts_at).date()
        >= timezone.localtime(trajectory.started_at).date()
    )


def answers_at_meeting(trajectory: MeldcodeTrajectory, meeting: Meeting) -> list[DecisionAnswers]:
    return list(
        trajectory.answer_sets.filter(meeting=meeting)
        .select_related("answered_by")
        .order_by("-recorded_at", "-pk")
    )
