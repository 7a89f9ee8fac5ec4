"""Demo data for the meldcode (issue 15, slice meldcode), played out through the real
services under time-machine after the PGA's execution (`seed_execution`), on running demo
cases that have a household (signals of domestic violence in the family):

* one trajectory with steps 1-4, the decision questions answered at two held case
  meetings (the first: report and help; the second: help leading to lasting safety, so
  the casusregisseur can end it), and a report to Veilig Thuis with its follow-up
  (received, under investigation);
* one trajectory with "acuut onveilig" marked at step 1, so its page shows the immediate
  steps first;
* one trajectory ended as "duurzaam veilig" after its answers at a meeting.

Fictitious texts only; the people are the demo's own fictitious persons.
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from ketenregie.accounts.models import User
from ketenregie.cases.access import case_team
from ketenregie.cases.models import Case, CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.mail import muted
from ketenregie.plans.models import Meeting
from ketenregie.safeguarding import meldcode_services as meldcode
from ketenregie.safeguarding.meldcode_models import (
    MeldcodeStep,
    MeldcodeTrajectory,
    VeiligThuisReport,
)

# Answer sets: yes, no, or not asked (seed 4.6's scheme).
REPORT_AND_HELP = [True, True, True, True, False]
LASTING = [True, False, True, True, True]


def _casusregisseur(case: Case, day: dt.date) -> User | None:
    row = (
        case_team(case.pk, day)
        .filter(role__in=[CaseRole.CASUSREGISSEUR, CaseRole.PROCESREGISSEUR], user__isnull=False)
        .order_by("role")  # casusregisseur before procesregisseur
        .select_related("user")
        .first()
    )
    return row.user if row is not None else None


def _held(case: Case) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            case=case,
            state=Meeting.State.HELD,
            kind__in=[Meeting.Kind.FIRST, Meeting.Kind.INCIDENTAL],
        ).order_by("starts_at")
    )


def _at(moment: dt.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


def _steps(trajectory: MeldcodeTrajectory, actor: User, start: dt.datetime, upto: int) -> None:
    notes = {
        1: "Moeder vertelt over harde ruzies waar de kinderen bij zijn; de school meldt dat "
        "de jongste vaak moe en stil is. Signalenkaart gebruikt.",
        2: "Overlegd met de aandachtsfunctionaris huiselijk geweld; anoniem advies gevraagd "
        "over de signalen bij de kinderen.",
        3: "Gesprek met moeder: zij herkent de signalen en wil hulp voor haar en de kinderen.",
        4: "Weging met de LIRIK samen met de gedragswetenschapper.",
    }
    for n in range(1, upto + 1):
        with _at(start + dt.timedelta(days=n, hours=2)):
            meldcode.record_step(
                trajectory,
                actor=actor,
                number=n,
                taken_on=timezone.localdate(),
                note=notes[n],
                vt_consulted=n == 2,
                instrument=MeldcodeStep.Instrument.LIRIK if n == 4 else "",
            )


def _answers(
    trajectory: MeldcodeTrajectory, actor: User, meeting: Meeting, answers: list[bool]
) -> None:
    with _at(meeting.starts_at + dt.timedelta(minutes=40)):
        meldcode.record_answers(
            trajectory,
            actor=actor,
            answers=answers,
            notes=["Besproken in het overleg.", "", "", "", ""],
            answered_on=timezone.localdate(),
            meeting=meeting,
        )


def seed_meldcode() -> dict[str, int]:
    """Play the meldcode out on three running household cases; the counts for load_demo."""
    candidates = [
        c
        for c in Case.objects.filter(household__isnull=False, status=Status.IN_UITVOERING).order_by(
            "code"
        )
    ]
    with_two = [c for c in candidates if len(_held(c)) >= 2]
    with_one = [c for c in candidates if len(_held(c)) == 1]
    counts = {"meldcode: trajecten": 0, "meldcode: meldingen Veilig Thuis": 0}
    with muted():
        if with_two:
            _full_story(with_two[0], counts)
        if len(with_two) > 1:
            _ended_story(with_two[1], counts)
        acute = next((c for c in with_one + candidates if c not in with_two[:2]), None)
        if acute is not None:
            _acute_story(acute, counts)
    return counts


def _full_story(case: Case, counts: dict[str, int]) -> None:
    first, second = _held(case)[-2:]
    start = first.starts_at - dt.timedelta(days=12)
    actor = _casusregisseur(case, start.date())
    if actor is None:
        return
    with _at(start):
        trajectory = meldcode.start_trajectory(case, actor=actor)
    _steps(trajectory, actor, start, 4)
    _answers(trajectory, actor, first, REPORT_AND_HELP)
    reported = first.starts_at + dt.timedelta(days=1)
    with _at(reported):
        report = meldcode.report_to_veilig_thuis(
            trajectory,
            actor=actor,
            reported_on=timezone.localdate(),
            reference="VT-LIM-2026-0412",
            content="Signalen van partnergeweld waar de kinderen getuige van zijn; afspraken "
            "in het veiligheidsplan worden niet nagekomen.",
            person_informed=True,
        )
    for days, status, note in (
        (2, VeiligThuisReport.Status.RECEIVED, "Ontvangst bevestigd door Veilig Thuis."),
        (
            9,
            VeiligThuisReport.Status.INVESTIGATING,
            "Veilig Thuis doet onderzoek; terugkoppeling volgt.",
        ),
    ):
        with _at(reported + dt.timedelta(days=days)):
            report.refresh_from_db()
            meldcode.follow_up_report(
                report,
                actor=actor,
                status=status,
                on_date=timezone.localdate(),
                note=note,
                expected_version=report.version,
            )
    _answers(trajectory, actor, second, LASTING)
    counts["meldcode: trajecten"] += 1
    counts["meldcode: meldingen Veilig Thuis"] += 1


def _ended_story(case: Case, counts: dict[str, int]) -> None:
    meetings = _held(case)
    start = meetings[-2].starts_at - dt.timedelta(days=10)
    actor = _casusregisseur(case, start.date())
    if actor is None:
        return
    with _at(start):
        trajectory = meldcode.start_trajectory(case, actor=actor)
    _steps(trajectory, actor, start, 4)
    _answers(trajectory, actor, meetings[-2], [True, True, True, True, True])
    with _at(meetings[-2].starts_at + dt.timedelta(hours=3)):
        trajectory.refresh_from_db()
        meldcode.end_trajectory(
            trajectory,
            actor=actor,
            reason="duurzaam_veilig",
            ended_on=timezone.localdate(),
            note="Afspraken met school en huisarts over het volgen van nieuwe signalen.",
            expected_version=trajectory.version,
        )
    counts["meldcode: trajecten"] += 1


def _acute_story(case: Case, counts: dict[str, int]) -> None:
    start = timezone.now() - dt.timedelta(days=2)
    actor = _casusregisseur(case, start.date())
    if actor is None:
        return
    with _at(start):
        trajectory = meldcode.start_trajectory(case, actor=actor, acute_danger=True)
        meldcode.record_step(
            trajectory,
            actor=actor,
            number=1,
            taken_on=timezone.localdate(),
            note="Politie belde na een melding van buren: vader dreigde moeder iets aan te "
            "doen. 112 gebeld; de kinderen zijn bij oma.",
        )
    counts["meldcode: trajecten"] += 1
