"""The meldcode and the Verwijsindex of generated client systems (issue 15, `household`).

The part of a client system's course that the safeguarding app keeps: a meldcode
trajectory with its steps and the answers to the decision questions, and Verwijsindex
signals on the young members with their matches. `SafeguardingWriter` is the base of
`household.HouseholdWriter`, which calls these for the cases that get them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from ketenregie.cases.workflow import Status
from ketenregie.core.bulk import RowBuffer
from ketenregie.demo.scale.execution import Clock, Course, label
from ketenregie.demo.scale.sink import AuditSink
from ketenregie.safeguarding.meldcode_models import (
    DecisionAnswers,
    MeldcodeStep,
    MeldcodeTrajectory,
)
from ketenregie.safeguarding.vi_models import (
    ConsultationOutcome,
    RiskCategory,
    TransportState,
    VerwijsindexMatch,
    VerwijsindexSignal,
    WithdrawalReason,
)
from ketenregie.safeguarding.vi_rules import consultation_due, expiry_date, is_young

Step = MeldcodeStep.Number
STEP_NOTES = {
    Step.SIGNALS: "Signalen in kaart gebracht: spanningen thuis, kinderen stil op school.",
    Step.CONSULT: "Overlegd met de aandachtsfunctionaris en Veilig Thuis (advies).",
    Step.TALK: "Gesprek met moeder gevoerd; zij herkent de zorgen.",
    Step.WEIGH: "Onveiligheid gewogen met het afwegingskader.",
    Step.DECIDE: "Besloten: hulp in het gezin is mogelijk en wordt ingezet.",
}
INSTRUMENTS = (
    MeldcodeStep.Instrument.LIRIK,
    MeldcodeStep.Instrument.ARIJ,
    MeldcodeStep.Instrument.VT_CONSULTATION,
)
# Decision answers (seed 4.6): help possible (report not needed), and lasting safety.
HELP_POSSIBLE = (True, False, True, True, False)
LASTING_SAFETY = (True, False, True, True, True)
ANSWER_NOTES = ("Signalen bevestigd.", "", "Gezin werkt mee.", "Hulp is ingezet.", "")
CATEGORIES = (
    RiskCategory.GEWELD,
    RiskCategory.SCHOOLVERZUIM,
    RiskCategory.OPGROEIEN,
    RiskCategory.OUDERS,
    RiskCategory.PSYCHISCH,
)


@dataclass
class Member:
    pk: int
    person: int
    relation: str
    birth: dt.date | None


@dataclass
class Household:
    """One client system's case: the case's course and its household."""

    course: Course
    household: int
    person: int
    surname: tuple[str, str, str]  # tussenvoegsel, achternaam, woonplaats
    members: list[Member] = field(default_factory=list)
    meetings: list[tuple[int, dt.datetime]] = field(default_factory=list)  # held, in order


class SafeguardingWriter:
    """Rows and events of one batch of client systems: the shared helpers, the meldcode
    and the Verwijsindex."""

    def __init__(self, rng: random.Random, sink: AuditSink, rows: RowBuffer) -> None:
        self.rng, self.sink, self.rows = rng, sink, rows
        self.clock = Clock()
        self.now = timezone.now()
        self.today = timezone.localdate()

    def event(
        self,
        action: str,
        actor: int | None,
        h: Household,
        obj: tuple[type[Any], int],
        when: dt.datetime,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.sink.add(action, actor, h.course.pk, (label(obj[0]), obj[1]), when, data)

    def start(self, h: Household) -> dt.datetime:
        """When the household was first known: the referral."""
        return min(h.course.times.values(), default=self.now)

    def pga(self, h: Household) -> dt.datetime:
        return h.course.times.get(Status.PGA_GESTART) or self.start(h)

    def when(self, h: Household, moment: dt.datetime, days: int) -> dt.datetime:
        """`days` after `moment`, never after the case ended nor after now."""
        return min(moment + dt.timedelta(days=days), h.course.ended or self.now, self.now)

    # The meldcode ------------------------------------------------------------------------
    def meldcode(self, h: Household) -> None:
        rng, c = self.rng, h.course
        actor = c.team.casus
        started = self.when(h, self.pga(h), rng.randint(3, 30))
        closed = c.ended is not None
        acute = not closed and c.level >= 4 and rng.random() < 0.3
        trajectory = self.rows.add(
            MeldcodeTrajectory,
            case_id=c.pk,
            started_at=started,
            started_by_id=actor,
            acute_danger=acute,
            acute_changed_at=started if acute else None,
            ended_on=self.clock.day(c.ended) if closed and c.ended else None,
            ended_by_id=actor if closed else None,
            end_reason=MeldcodeTrajectory.EndReason.LASTING_SAFETY if closed else "",
            end_note="Afspraken worden nagekomen; de kinderen zijn veilig." if closed else "",
        )
        self.event("meldcode.started", actor, h, (MeldcodeTrajectory, trajectory), started)
        steps = 5 if closed else rng.randint(1, 5)
        day = self.clock.day(started)
        answers: int | None = None
        for number in range(1, steps + 1):
            taken = min(day + dt.timedelta(days=(number - 1) * rng.randint(2, 6)), self.today)
            when = self.when(h, self.clock.at(taken, 16), 0)
            if number == Step.WEIGH:
                answers = self._answers(h, trajectory, taken, HELP_POSSIBLE, when)
            pk = self.rows.add(
                MeldcodeStep,
                trajectory_id=trajectory,
                number=number,
                taken_on=taken,
                taken_by_id=actor,
                recorded_at=when,
                note=STEP_NOTES[Step(number)],
                vt_consulted=number == Step.CONSULT,
                instrument=rng.choice(INSTRUMENTS) if number == Step.WEIGH else "",
                instrument_other="",
                order_reason="",
                answers_id=answers if number == Step.DECIDE else None,
            )
            data = {"stap": number, "datum": taken.isoformat(), "afwijkende_volgorde": False}
            self.event("meldcode.step_recorded", actor, h, (MeldcodeStep, pk), when, data)
        # The questions are asked again at each progress meeting (seed 4.6), the last four.
        end = c.ended or self.now
        asked = [(pk, t) for pk, t in h.meetings if started <= t <= end][-4:]
        for n, (meeting, starts) in enumerate(asked, start=1):
            answers_now = LASTING_SAFETY if closed and n == len(asked) else HELP_POSSIBLE
            when = starts + dt.timedelta(hours=1)
            self._answers(h, trajectory, self.clock.day(starts), answers_now, when, meeting)
        if closed and c.ended is not None:
            ended = self.clock.day(c.ended)
            self._answers(h, trajectory, ended, LASTING_SAFETY, c.ended)
            data = {"reden": MeldcodeTrajectory.EndReason.LASTING_SAFETY}
            self.event("meldcode.ended", actor, h, (MeldcodeTrajectory, trajectory), c.ended, data)

    def _answers(
        self,
        h: Household,
        trajectory: int,
        on: dt.date,
        answers: tuple[bool | None, ...],
        when: dt.datetime,
        meeting: int | None = None,
    ) -> int:
        actor = h.course.team.casus
        pk = self.rows.add(
            DecisionAnswers,
            trajectory_id=trajectory,
            meeting_id=meeting,
            answered_on=on,
            answered_by_id=actor,
            recorded_at=when,
            **{f"q{n}": answers[n - 1] for n in range(1, 6)},
            **{f"note{n}": ANSWER_NOTES[n - 1] for n in range(1, 6)},
        )
        data = {"overleg": meeting, "datum": on.isoformat()}
        self.event("meldcode.answers_recorded", actor, h, (DecisionAnswers, pk), when, data)
        return pk

    # The Verwijsindex --------------------------------------------------------------------
    def verwijsindex(self, h: Household, orgs: dict[int, int | None]) -> None:
        rng, c = self.rng, h.course
        signallers = [(u, orgs.get(u)) for u in c.team.users if orgs.get(u) is not None]
        if not signallers:
            return
        for member in h.members:
            signalled = self.clock.day(self.when(h, self.pga(h), rng.randint(5, 60)))
            if not is_young(member.birth, signalled) or rng.random() < 0.4:
                continue
            assert member.birth is not None
            by = rng.sample(signallers, k=min(len(signallers), 2 if rng.random() < 0.35 else 1))
            if len({org for _u, org in by}) < len(by):
                by = by[:1]
            pks = []
            for n, (user, org) in enumerate(by):
                on = min(signalled + dt.timedelta(days=n * rng.randint(3, 40)), self.today)
                pks.append(self._signal(h, member, user, org, on))
            if len(pks) == 2:
                self._match(h, pks, by, signalled)

    def _signal(self, h: Household, member: Member, user: int, org: int | None, on: dt.date) -> int:
        rng, c = self.rng, h.course
        assert member.birth is not None
        created = self.clock.at(on, 11)
        expires = expiry_date(on, member.birth)
        withdrawn = None
        if c.ended is not None and expires > self.clock.day(c.ended):
            withdrawn = c.ended
            expires = self.clock.day(c.ended)
        informed = rng.random() < 0.85
        category = rng.choice(CATEGORIES)
        pk = self.rows.add(
            VerwijsindexSignal,
            case_id=c.pk,
            person_id=member.person,
            signaller_id=user,
            organisation_id=org,
            category=category,
            signalled_on=on,
            informed_on=on if informed else None,
            not_informed_reason="" if informed else "Eerst overleg met Veilig Thuis.",
            expires_on=expires,
            withdrawn_at=withdrawn,
            withdrawn_by_id=user if withdrawn else None,
            withdrawal_reason=WithdrawalReason.INVOLVEMENT_ENDED if withdrawn else "",
            created_at=created,
            external_id="",
            sent_at=created,
            state=TransportState.ACCEPTED,
        )
        data = {
            "betrokkene": member.person,
            "risico": category,
            "geinformeerd_op": on.isoformat() if informed else None,
            "vervalt_op": expires.isoformat(),
        }
        self.event("vi.signal_recorded", user, h, (VerwijsindexSignal, pk), created, data)
        if withdrawn is not None:
            data = {"reden": WithdrawalReason.INVOLVEMENT_ENDED}
            self.event("vi.signal_withdrawn", user, h, (VerwijsindexSignal, pk), withdrawn, data)
        return pk

    def _match(
        self, h: Household, pks: list[int], by: list[tuple[int, int | None]], on: dt.date
    ) -> None:
        rng = self.rng
        matched = self.clock.at(on, 11, 5)
        due = consultation_due(on)
        held = due < self.today or rng.random() < 0.5
        held_on = min(on + dt.timedelta(days=rng.randint(1, 5)), self.today) if held else None
        first, second = sorted(pks)
        pk = self.rows.add(
            VerwijsindexMatch,
            first_id=first,
            second_id=second,
            matched_at=matched,
            consultation_due=due,
            consultation_held_on=held_on,
            consultation_outcome=rng.choice(ConsultationOutcome.values) if held else "",
            consultation_by_id=by[0][0] if held else None,
        )
        if held_on is not None:
            data = {"datum": held_on.isoformat()}
            at = self.clock.at(held_on, 14)
            self.event("vi.consultation_recorded", by[0][0], h, (VerwijsindexMatch, pk), at, data)
