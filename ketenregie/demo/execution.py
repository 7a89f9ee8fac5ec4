"""Demo data for the PGA after triage: start, case meetings, plan, actions, safety, closing.

`seed_execution(journeys)` runs after the ~150 demo cases exist (only in `load_demo`,
never at scale). The generator leaves every PGA case at "PGA gestart" and says where it is
headed (`generator.Journey`); this module plays each case's course out through the real
services (pga, plans, cases), so every row, status change and audit event is what real
use writes. It puts the cases in every state the journeys 4-8 pass through:

* PGA gestart: nothing recorded yet, informed (the mayor's letter handed over in person
  by the wijkagent), informing postponed (one review date already due), start
  conversation held, and one repeated non-response with the focus on enforcement.
* In uitvoering: no first meeting yet (for some an earlier one was cancelled), a first
  meeting planned with replies coming in, and running cases with meetings, minutes
  (sent within the week, pending, or late), an agreed casusregisseur, the plan with
  adopted versions, actions in every state with reports, a safety plan, signals and
  escalation between directors.
* Voorlopig afgesloten / afgesloten / opgeschaald: closing with a warm handover, the
  closing conversation, and a transfer of a local PGA case to a Zorg- en Veiligheidshuis
  (which, as in real use, opens a new referral there).

Each case's course is a *story*: a Python generator that yields the moment of its next
step and, when resumed, calls a service. `Timeline` resumes all stories in time order
under time-machine, so services stamp their rows and audit events with the historical
time and the audit chain grows in time order, as it does in real use.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections import defaultdict
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field

import time_machine
from django.db import models, transaction
from django.utils import timezone

from ketenregie.accounts.models import House, Organisation, RoleAssignment, User
from ketenregie.accounts.roles import Role
from ketenregie.cases.access import case_team
from ketenregie.cases.grounds import Necessity
from ketenregie.cases.models import Case, CaseMembership, CaseRole, LifeDomain, StatusChange
from ketenregie.cases.safety import in_household_scope, set_safety_concerns
from ketenregie.cases.workflow import EXECUTION_ENDED_STATUSES, Status
from ketenregie.core.mail import muted
from ketenregie.demo import hh_phases
from ketenregie.demo import texts as tx
from ketenregie.demo.generator import Journey
from ketenregie.demo.reference import LETTERS
from ketenregie.demo.socialmap import Tagger
from ketenregie.intake.models import LegalBasis
from ketenregie.pga import services as pga
from ketenregie.pga.models import Informing, Signal, StartConversation
from ketenregie.plans import services as plans
from ketenregie.plans.models import (
    Action,
    ActionReport,
    DirectorEscalation,
    Goal,
    Meeting,
    Participant,
    Plan,
    SafetyPlan,
    SignedHow,
    Statement,
)

# A story yields the moment of its next step; the timeline resumes it then.
Story = Generator[dt.datetime]

CLOSED = EXECUTION_ENDED_STATUSES
TEAM_ROLES = (CaseRole.CASUSREGISSEUR, CaseRole.BETROKKEN_PARTNER)
OWNER_ROLES = (CaseRole.CASUSREGISSEUR, CaseRole.BETROKKEN_PARTNER, CaseRole.PROCESREGISSEUR)

# The start phase, per procesregisseur: their PGA_GESTART cases (oldest code first) walk
# this list, so every regisseur has a due review task first.
START_STATES = ["review_due", "nothing", "informed", "held", "postponed", "held", "informed"]
# The running cases of a regisseur after their two freshest (no meeting / first planned).
TAILS = ["late", "upcoming", "none", "pending", "none", "upcoming", "late", "none"]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _workday(day: dt.date, lo: dt.date, hi: dt.date) -> dt.date:
    """The nearest weekday to `day` within [lo, hi] (earlier first); `day` if none."""
    for shift in (0, -1, -2, 1, 2):
        cand = day + dt.timedelta(days=shift)
        if lo <= cand <= hi and cand.weekday() < 5:
            return cand
    return day


class Timeline:
    """Runs stories interleaved in time order, with the clock set to each step's time.

    A step never goes back in time: a story that asks for a moment already passed runs
    at the current clock. Nothing runs at or after `limit` (the real now)."""

    def __init__(self, limit: dt.datetime) -> None:
        self.limit = limit - dt.timedelta(seconds=1)
        self.clock: dt.datetime | None = None
        self.heap: list[tuple[dt.datetime, int, Story]] = []
        self.counter = itertools.count()

    def _push(self, story: Story) -> None:
        try:
            when = next(story)
        except StopIteration:
            return
        when = min(when, self.limit)
        if self.clock is not None:
            when = max(when, self.clock)
        heapq.heappush(self.heap, (when, next(self.counter), story))

    def add(self, story: Story) -> None:
        """Start a story: it runs until its first yield (which must come before any write)."""
        self._push(story)

    def run(self) -> None:
        if not self.heap:
            return
        with time_machine.travel(self.heap[0][0], tick=False) as traveller:
            while self.heap:
                when, _n, story = heapq.heappop(self.heap)
                self.clock = when
                traveller.move_to(when)
                self._push(story)


@dataclass
class CaseInfo:
    case: Case
    regisseur: User
    journey: Journey | None
    pga_started: dt.datetime
    started: dt.datetime | None = None  # into execution
    ended: dt.datetime | None = None  # closed or escalated

    @property
    def target(self) -> Status:
        return self.journey.target if self.journey is not None else Status.PGA_GESTART

    @property
    def closed(self) -> bool:
        return self.target in CLOSED


@dataclass
class PlanState:
    plan: Plan
    scores: dict[int, int | None]  # domain id -> score
    problems: dict[int, str]
    goals: list[Goal]
    safety: bool = False
    second_person: str = ""


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] += n


def _version(plan: Plan) -> int:
    return Plan.objects.values_list("version", flat=True).get(pk=plan.pk)


class ExecutionSeeder:
    def __init__(self, seed: int, journeys: dict[int, Journey]) -> None:
        self.rng = random.Random(seed)
        self.journeys = journeys
        # Goals' needs and interventions (the needs matrix) from their own random stream.
        self.tagger = Tagger(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.timeline = Timeline(self.now)
        self.summary = Summary()
        self.domains = list(LifeDomain.objects.filter(is_active=True).order_by("order", "name"))
        users = User.objects.select_related("organisation").order_by("username")
        self.users = {u.username: u for u in users}
        roles = RoleAssignment.objects.filter(role=Role.PROFESSIONAL).select_related("user")
        self.advisers = sorted(
            {ra.user.username for ra in roles if "adviseur" in ra.user.job_title.lower()}
        )
        # Running cases' last held meeting, and every held meeting per case (with when).
        self.running_meetings: dict[int, Meeting] = {}
        self.held_meetings: dict[int, list[Meeting]] = defaultdict(list)
        # Actions that get a final report (done or impossible) at some point.
        self.settling: set[int] = set()
        self.involved_adviser_case: int | None = None
        self.weighty_done = False
        self.handover_orgs: list[Organisation] = []

    # --- helpers --------------------------------------------------------------------------

    def clamp(
        self,
        when: dt.datetime,
        limit: dt.datetime | None = None,
        floor: dt.datetime | None = None,
    ) -> dt.datetime:
        """Not later than just before `limit` (default: now), not earlier than `floor`."""
        bound = min(when, (limit or self.now) - dt.timedelta(seconds=1))
        return max(bound, floor) if floor is not None else bound

    def between(
        self, a: dt.datetime, b: dt.datetime, lo: float = 0.1, hi: float = 0.9
    ) -> dt.datetime:
        if b <= a:
            return a
        return a + (b - a) * self.rng.uniform(lo, hi)

    def load(self) -> list[CaseInfo]:
        cases = list(
            Case.objects.filter(status=Status.PGA_GESTART)
            .select_related("house", "person")
            .order_by("code")
        )
        ids = [c.pk for c in cases]
        started: dict[int, dt.datetime] = {}
        for sc in StatusChange.objects.filter(case_id__in=ids, to_status=Status.PGA_GESTART):
            started[sc.case_id] = sc.changed_at
        regisseurs = {
            m.case_id: m.user
            for m in CaseMembership.objects.filter(
                case_id__in=ids, role=CaseRole.PROCESREGISSEUR, user__isnull=False
            ).select_related("user", "user__organisation")
        }
        infos: list[CaseInfo] = []
        for case in cases:
            regisseur = regisseurs.get(case.pk)
            if regisseur is None or case.pk not in started:
                continue
            info = CaseInfo(case, regisseur, self.journeys.get(case.pk), started[case.pk])
            if info.journey is not None:
                self.times(info, info.journey)
            infos.append(info)
        return infos

    def times(self, info: CaseInfo, journey: Journey) -> None:
        """The moments into execution and out of it, squeezed in between the start of the
        PGA and now where the generated history left no room."""
        begin = info.pga_started
        room = self.now - begin
        started = journey.started
        if started - begin < dt.timedelta(hours=2) or started > self.now - dt.timedelta(hours=2):
            started = begin + room / 3
        info.started = started
        if journey.ended is not None:
            ended = journey.ended
            if ended - started < dt.timedelta(hours=2) or ended > self.now - dt.timedelta(hours=1):
                ended = started + (self.now - started) / 2
            info.ended = ended

    def team(
        self, case: Case, day: dt.date, roles: Iterable[str] | None = None
    ) -> list[CaseMembership]:
        qs = case_team(case.pk, day).select_related("user", "user__organisation", "organisation")
        if roles is not None:
            qs = qs.filter(role__in=list(roles))
        return list(qs.order_by("valid_from", "pk"))

    def casusregisseur(self, case: Case, day: dt.date) -> User | None:
        for m in self.team(case, day, [CaseRole.CASUSREGISSEUR]):
            if m.user is not None:
                return m.user
        return None

    # --- the start phase ----------------------------------------------------------------

    def informing(
        self,
        info: CaseInfo,
        *,
        postponed: bool = False,
        review: dt.date | None = None,
        method: str = Informing.Method.LETTER_IN_PERSON,
    ) -> None:
        """Record informing now (the clock is at the story's step)."""
        if postponed:
            record = pga.record_informing(
                info.case,
                actor=info.regisseur,
                kind=Informing.Kind.POSTPONED,
                postponed_reason=self.rng.choice(tx.POSTPONE_REASONS),
                review_date=review,
            )
        else:
            who: dict[str, str] = {
                Informing.Method.LETTER_IN_PERSON: "de wijkagent (politie)",
                Informing.Method.LETTER_POST: "de procesregisseur, per aangetekende post",
                Informing.Method.ORAL: "de casusregisseur, tijdens een huisbezoek",
            }
            record = pga.record_informing(
                info.case,
                actor=info.regisseur,
                kind=Informing.Kind.INFORMED,
                on_date=timezone.localdate(),
                by_whom=who.get(method, "Procesregisseur"),
                method=method,
                note=self.rng.choice(tx.INFORMING_NOTES)
                if method == Informing.Method.LETTER_IN_PERSON
                else "",
            )
        self.summary.add(f"informeren {record.kind}")

    def start_conversation(self, info: CaseInfo, *, no_response: bool = False) -> None:
        outcome = (
            StartConversation.Outcome.NO_RESPONSE if no_response else StartConversation.Outcome.HELD
        )
        record = pga.record_start_conversation(
            info.case,
            actor=info.regisseur,
            values={
                "outcome": outcome,
                "on_date": timezone.localdate(),
                "explained_why": not no_response,
                "explained_approach": not no_response,
                "explained_data": not no_response,
                "explained_rights": not no_response,
                "own_view": "" if no_response else self.rng.choice(tx.OWN_VIEWS),
                "attempts": 3 if no_response else self.rng.choice([1, 1, 2]),
            },
        )
        self.summary.add(f"startgesprek {record.outcome}")

    def start_story(self, info: CaseInfo, state: str) -> Story:
        start = info.pga_started
        span = self.now - start
        if state == "review_due":
            review = self.today - dt.timedelta(days=self.rng.randint(1, 4))
            recorded = self.clamp(
                max(start + dt.timedelta(hours=2), at(review, 10) - dt.timedelta(days=21)),
                at(review, 9),
            )
            if timezone.localdate(recorded) < review:
                yield recorded
                self.informing(info, postponed=True, review=review)
                return
            state = "postponed"
        if state == "postponed":
            review = self.today + dt.timedelta(days=self.rng.randint(5, 20))
            yield self.clamp(self.between(start, self.now, 0.5, 0.9))
            self.informing(info, postponed=True, review=review)
            return
        informed = self.clamp(start + min(span * 0.2, dt.timedelta(days=6)))
        method = (
            Informing.Method.LETTER_POST
            if state == "no_response"
            else Informing.Method.LETTER_IN_PERSON
        )
        yield informed
        self.informing(info, method=method)
        if state in ("held", "no_response"):
            yield self.clamp(informed + min(span * 0.3, dt.timedelta(days=14)))
            self.start_conversation(info, no_response=state == "no_response")

    def seed_start(self, infos: list[CaseInfo]) -> None:
        by_regisseur: dict[int, list[CaseInfo]] = defaultdict(list)
        for info in infos:
            if info.journey is None:
                by_regisseur[info.regisseur.pk].append(info)
        no_response_done = False
        for _pk, group in sorted(by_regisseur.items(), key=lambda kv: kv[1][0].case.code):
            for i, info in enumerate(group):
                state = START_STATES[i % len(START_STATES)]
                if state == "postponed" and not no_response_done:
                    state, no_response_done = "no_response", True
                if state == "nothing":
                    self.summary.add("start: nog niets vastgelegd")
                    continue
                self.timeline.add(self.start_story(info, state))

    def start_history(self, info: CaseInfo, index: int) -> Story:
        """Cases past the start phase were informed and had their start conversation, and
        the procesregisseur then started the execution."""
        start = info.pga_started
        assert info.started is not None
        end = info.started
        if index % 11 == 5:
            # Informing postponed, still running: a review date later on.
            review = max(self.today, timezone.localdate(info.ended or end)) + dt.timedelta(
                days=self.rng.randint(10, 30)
            )
            yield self.between(start, end, 0.1, 0.3)
            self.informing(info, postponed=True, review=review)
            yield self.between(start, end, 0.6, 0.9)
            self.start_conversation(info)
        else:
            no_response = index % 9 == 4
            method = (
                Informing.Method.LETTER_POST if no_response else Informing.Method.LETTER_IN_PERSON
            )
            if index % 7 == 3:
                method = Informing.Method.ORAL
                no_response = False
            yield self.between(start, end, 0.1, 0.3)
            self.informing(info, method=method)
            yield self.between(start, end, 0.6, 0.9)
            self.start_conversation(info, no_response=no_response)
        yield end
        pga.start_execution(info.case, actor=info.regisseur)
        info.case.status = Status.IN_UITVOERING

    # --- meetings -------------------------------------------------------------------------

    def schedule(
        self,
        info: CaseInfo,
        kind: str,
        day: dt.date,
        participants: list[tuple[User, str]],
        *,
        person_invited: bool = False,
        not_invited_reason: str = "",
    ) -> Meeting:
        """Plan a meeting now; `participants` are (user, capacity they will declare)."""
        first = kind == Meeting.Kind.FIRST
        starts = at(day, 10 if first else 14)
        meeting = plans.schedule_meeting(
            actor=info.regisseur,
            house=info.case.house,
            kind=kind,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=90 if first else 60),
            location=""
            if first
            else self.rng.choice([info.case.house.name, "Online (beveiligde videoverbinding)"]),
            participants=[u for u, _c in participants],
            case=info.case,
            person_invited=person_invited,
            person_not_invited_reason=not_invited_reason,
        )
        self.summary.add(f"overleg {kind}")
        return meeting

    def reply(
        self, info: CaseInfo, meeting: Meeting, user: User, answer: str, capacity: str
    ) -> None:
        participant = Participant.objects.get(meeting=meeting, user=user)
        plans.reply(participant, actor=user, answer=answer, capacity=capacity)
        if capacity == Participant.Capacity.ADVISER:
            if answer == Participant.Reply.YES:
                self.summary.add("adviseur via overleg")
            return
        on_team = (
            case_team(info.case.pk).filter(user_id=user.pk).exclude(role=CaseRole.ADVISEUR).exists()
        )
        if not on_team and answer == Participant.Reply.YES:
            # Declared involved without being on the team: the procesregisseur admits them.
            plans.admit_participant(participant, actor=info.regisseur)
            self.summary.add("lid via overleg betrokken")

    def invitees(self, info: CaseInfo, day: dt.date, first: bool) -> list[tuple[User, str]]:
        roles = [*TEAM_ROLES, CaseRole.ADVISEUR] + ([CaseRole.AANMELDER] if first else [])
        people: dict[int, tuple[User, str]] = {}
        for m in self.team(info.case, day, roles):
            if m.user is None or m.user_id == info.regisseur.pk:
                continue
            capacity = (
                Participant.Capacity.ADVISER
                if m.role == CaseRole.ADVISEUR
                else Participant.Capacity.INVOLVED
            )
            people.setdefault(m.user.pk, (m.user, capacity))
        if first and info.journey is not None:
            # The casusregisseur to be agreed on comes to the first meeting.
            casus = info.journey.casusregisseur
            people.setdefault(casus.pk, (casus, Participant.Capacity.INVOLVED))
        return list(people.values())

    def add_guest(
        self, info: CaseInfo, people: list[tuple[User, str]], index: int, involved: bool = False
    ) -> list[tuple[User, str]]:
        """Some first meetings invite the adviser, who declares at the invitation."""
        if not self.advisers:
            return people
        adviser = self.users[self.advisers[0]]
        known = CaseMembership.objects.filter(case=info.case, user=adviser).exists()
        if any(u.pk == adviser.pk for u, _c in people) or known:
            return people
        if involved and self.involved_adviser_case is None and index % 4 == 1:
            # Involved in this one case as a treating psychiatrist: full access here.
            self.involved_adviser_case = info.case.pk
            return [*people, (adviser, Participant.Capacity.INVOLVED)]
        if index % 3 == 0:
            return [*people, (adviser, Participant.Capacity.ADVISER)]
        return people

    def replies_before(
        self, info: CaseInfo, meeting: Meeting, participants: list[tuple[User, str]]
    ) -> Story:
        """Answers to the invitation, in time order, between invitation and start."""
        answers = []
        for j, (user, capacity) in enumerate(participants):
            answer = Participant.Reply.NO if j == 3 else Participant.Reply.YES
            when = self.between(meeting.created_at, meeting.starts_at, 0.1, 0.8)
            answers.append((when, j, user, answer, capacity))
        for when, _j, user, answer, capacity in sorted(answers, key=lambda a: (a[0], a[1])):
            yield when
            self.reply(info, meeting, user, answer, capacity)

    # --- plan, actions, safety ----------------------------------------------------------

    def start_plan(self, info: CaseInfo, safety: bool) -> PlanState:
        actor = info.regisseur
        plan = plans.plan_for(info.case, actor)
        plan = plans.save_plan_text(
            plan,
            actor=actor,
            values={
                "joint_goal": self.rng.choice(tx.JOINT_GOALS),
                "earlier_help": self.rng.choice(tx.EARLIER_HELP),
                "analysis": self.rng.choice(tx.ANALYSIS),
                "desired_result": self.rng.choice(tx.DESIRED_RESULTS),
            },
            expected_version=plan.version,
        )
        chosen = {d.pk for d in self.rng.sample(self.domains, k=min(6, len(self.domains)))}
        scores: dict[int, int | None] = {
            d.pk: self.rng.randint(1, 3) if d.pk in chosen else None for d in self.domains
        }
        problems = {
            d.pk: tx.DOMAIN_PROBLEMS.get(d.name, "") if d.pk in chosen else "" for d in self.domains
        }
        plans.save_domain_scores(
            plan,
            actor=actor,
            scores={pk: (scores[pk], problems[pk]) for pk in scores},
            expected_version=_version(plan),
        )
        said = self.rng.sample(tx.STRENGTHS, k=2) + self.rng.sample(tx.CONCERNS, k=2)
        for k, (text, by) in enumerate(said):
            kind = Statement.Kind.STRENGTH if k < 2 else Statement.Kind.CONCERN
            plans.add_statement(plan, actor=actor, kind=kind, text=text, said_by=by)
        goals = [
            self.add_goal(info, plan, text, good) for text, good in self.rng.sample(tx.GOALS, k=3)
        ]
        # Extra goals (housing, addiction care) are not in `goals`: the story of reaching
        # the plan's goals stays as it was; they only fill the needs matrix.
        for text, good in self.tagger.extra_goals():
            self.add_goal(info, plan, text, good)
        self.summary.add("plan")
        return PlanState(plan, scores, problems, goals)

    def add_goal(self, info: CaseInfo, plan: Plan, text: str, good: str) -> Goal:
        need = self.tagger.need_for(text)
        return plans.add_goal(
            plan,
            actor=info.regisseur,
            text=text,
            good_enough=good,
            need=need,
            intervention=self.tagger.intervention_for(need, info.case.house.region_id),
        )

    def safety_plan(self, info: CaseInfo, state: PlanState) -> None:
        actor = info.regisseur
        safety = plans.safety_plan_for(info.case, actor)
        signed = timezone.localdate()
        # Concerns about safety are recorded on the case: they make the safety plan required.
        set_safety_concerns(
            info.case,
            actor=actor,
            concerns=True,
            note=tx.SAFETY_CONCERNS_NOTE,
            expected_version=Case.objects.get(pk=info.case.pk).version,
        )
        values: dict[str, object] = dict(tx.SAFETY)
        values["evaluation_date"] = signed + dt.timedelta(days=self.rng.choice([42, 56, 90]))
        safety = plans.save_safety_plan(
            safety,
            actor=actor,
            values=values,
            expected_version=safety.version,
            contacts=tx.SAFETY_CONTACTS,
        )
        plans.save_signatures(
            safety,
            actor=actor,
            values={
                "client_signed_by": tx.SAFETY_SIGNED_BY,
                "client_signed_on": signed,
                "client_signed_how": SignedHow.PAPER,
                "professional_signed_by": actor.get_full_name(),
                "professional_signed_on": signed,
                "professional_signed_how": SignedHow.PAPER,
            },
            expected_version=safety.version,
        )
        for what, who, if_not in self.rng.sample(tx.SAFETY_AGREEMENTS, k=2):
            plans.add_safety_agreement(
                safety, actor=actor, what=what, who_checks=who, if_not_kept=if_not
            )
        state.safety = True
        state.second_person = self.rng.choice(tx.SAFETY_SECOND)
        self.summary.add("veiligheidsplan")

    def safety_scores(self, info: CaseInfo, state: PlanState, step: int) -> None:
        if not state.safety:
            return
        base = {"Betrokkene": 4, state.second_person: 2}
        for who, start in base.items():
            score = max(
                0, min(10, start + step * self.rng.choice([1, 1, 2]) - self.rng.randint(0, 1))
            )
            plans.add_safety_score(
                info.case, actor=info.regisseur, who=who, score=score, on_date=timezone.localdate()
            )
            self.summary.add("veiligheidsscore")

    def revise_plan(self, info: CaseInfo, state: PlanState, last: bool) -> None:
        """Between versions: scores move, goals get reached (or not), a new statement."""
        actor = info.regisseur
        for pk, score in state.scores.items():
            if score is not None:
                state.scores[pk] = max(1, min(5, score + self.rng.choice([0, 1, 1, 1, -1])))
        plans.save_domain_scores(
            state.plan,
            actor=actor,
            scores={pk: (state.scores[pk], state.problems[pk]) for pk in state.scores},
            expected_version=_version(state.plan),
        )
        for k, goal in enumerate(state.goals):
            if info.closed and last:
                target = Goal.Reached.NO if k == 2 and self.rng.random() < 0.3 else Goal.Reached.YES
            elif k == 0:
                target = Goal.Reached.YES
            elif k == 2 and last:
                target = Goal.Reached.NO
            else:
                continue
            state.goals[k] = plans.set_goal_reached(goal, actor=actor, reached=target)
        text, by = self.rng.choice(tx.STRENGTHS)
        plans.add_statement(
            state.plan, actor=actor, kind=Statement.Kind.STRENGTH, text=text, said_by=by
        )

    def adopt(self, info: CaseInfo, state: PlanState, meeting: Meeting) -> None:
        plans.adopt_plan(
            state.plan, actor=info.regisseur, expected_version=_version(state.plan), meeting=meeting
        )
        self.summary.add("planversie")

    def owners(self, info: CaseInfo, day: dt.date) -> list[tuple[User | None, Organisation]]:
        """Who can own an action: team members active on `day` who still are (or were
        until the end, for a closed case)."""
        out: list[tuple[User | None, Organisation]] = []
        final = self.today if not info.closed else day
        for m in self.team(info.case, day, OWNER_ROLES):
            if m.valid_to is not None and m.valid_to < final:
                continue
            if m.user is not None and m.user.organisation is not None:
                out.append((m.user, m.user.organisation))
            elif m.user is None:
                out.append((None, m.organisation))
        return out

    def action_text(self, org: Organisation) -> str:
        return self.rng.choice(tx.ACTIONS.get(org.domain) or tx.ACTIONS["sociaal_domein"])

    def add_action(
        self,
        info: CaseInfo,
        meeting: Meeting | None,
        owner: User | None,
        org: Organisation,
        due: dt.date,
        goal: Goal | None = None,
        what: str = "",
    ) -> Action:
        action = plans.add_action(
            info.case,
            actor=info.regisseur,
            what=what or self.action_text(org),
            owner_user=owner,
            owner_organisation=org,
            due_date=due,
            meeting=meeting,
            goal=goal,
        )
        self.summary.add("actie")
        return action

    def reporter(self, info: CaseInfo, action: Action, day: dt.date) -> User:
        if action.owner_user is not None:
            return action.owner_user
        for m in self.team(info.case, day):
            if m.user is not None and m.user.organisation_id == action.owner_organisation_id:
                return m.user
        return self.casusregisseur(info.case, day) or info.regisseur

    def plan_actions(
        self, info: CaseInfo, state: PlanState, meeting: Meeting, end: dt.datetime, n: int
    ) -> None:
        """Agreed actions, added now; each report on them is a story of its own."""
        day = timezone.localdate(meeting.starts_at)
        created = timezone.now()
        owners = self.owners(info, day)
        if not owners:
            return
        for k in range(n):
            owner, org = owners[(k + self.rng.randint(0, 3)) % len(owners)]
            if owner is not None and k % 3 == 2:
                owner = None  # the organisation as a whole
            due = day + dt.timedelta(days=self.rng.randint(10, 45))
            goal = state.goals[k % len(state.goals)] if state.goals else None
            action = self.add_action(info, meeting, owner, org, due, goal)
            r = self.rng.random()
            limit = min(at(due, 17), end)
            kind: str
            if info.closed:
                kind = ActionReport.Kind.IMPOSSIBLE if r < 0.1 else ActionReport.Kind.DONE
            elif due < self.today - dt.timedelta(days=60):
                # Long past its date: nearly always settled by now.
                kind = (
                    ActionReport.Kind.DONE
                    if r < 0.8
                    else ActionReport.Kind.IMPOSSIBLE
                    if r < 0.9
                    else ""
                )
            elif due < self.today:
                kind = (
                    ActionReport.Kind.DONE
                    if r < 0.45
                    else ActionReport.Kind.IMPOSSIBLE
                    if r < 0.55
                    else ""
                )
            else:
                kind = ActionReport.Kind.DONE if r < 0.15 else ""
            if not kind:
                if self.rng.random() < 0.5:
                    when = self.clamp(self.between(created, min(at(due, 12), self.now), 0.3, 0.7))
                    self.timeline.add(
                        self.outcome(info, action, ActionReport.Kind.REPORT, when, end)
                    )
                continue
            when = self.clamp(self.between(created, limit, 0.3, 0.95), end)
            self.settling.add(action.pk)
            self.timeline.add(self.outcome(info, action, kind, when, end))

    def outcome(
        self, info: CaseInfo, action: Action, kind: str, when: dt.datetime, end: dt.datetime
    ) -> Story:
        """A report on an action; 'cannot be done' raises a signal, often resolved later."""
        yield when
        by = self.reporter(info, action, timezone.localdate())
        reason = (
            self.rng.choice(tx.IMPOSSIBLE_REASONS) if kind == ActionReport.Kind.IMPOSSIBLE else ""
        )
        text = reason or (
            self.rng.choice(tx.PROGRESS_REPORTS) if kind == ActionReport.Kind.REPORT else ""
        )
        plans.report_on_action(action, actor=by, kind=kind, text=text)
        self.summary.add(f"terugmelding {kind}")
        if kind != ActionReport.Kind.IMPOSSIBLE:
            return
        signal = Signal.objects.filter(case=info.case, kind=Signal.Kind.ACTION_IMPOSSIBLE).latest(
            "raised_at", "pk"
        )
        resolve = when + dt.timedelta(days=self.rng.randint(1, 6))
        if info.closed or (resolve < self.now and self.rng.random() < 0.6):
            yield self.clamp(min(resolve, end), end)
            pga.resolve_signal(
                signal, actor=info.regisseur, resolution=tx.SIGNALS["impossible_resolution"]
            )
            self.summary.add(f"signaal {Signal.Kind.ACTION_IMPOSSIBLE} afgehandeld")
        else:
            self.summary.add(f"signaal {Signal.Kind.ACTION_IMPOSSIBLE} open")

    # --- one executed case ----------------------------------------------------------------

    def meeting_days(
        self, start: dt.date, end: dt.date, tail: str
    ) -> tuple[list[dt.date], dt.date | None, str]:
        """Days of meetings with minutes sent in time, the tail meeting's day and the tail."""
        tail_day: dt.date | None = None
        if tail == "late" and (end - start).days >= 10:
            tail_day = end - dt.timedelta(days=self.rng.randint(9, min(15, (end - start).days - 1)))
        elif tail in ("late", "pending") and (end - start).days >= 3:
            tail, tail_day = (
                "pending",
                end - dt.timedelta(days=self.rng.randint(1, min(5, (end - start).days - 1))),
            )
        elif tail in ("late", "pending"):
            tail = "none"
        if tail_day is not None:
            hi = end - dt.timedelta(days=9 if tail == "late" else 1)
            tail_day = _workday(tail_day, start + dt.timedelta(days=1), hi)
        window_end = (tail_day - dt.timedelta(days=9)) if tail_day else end - dt.timedelta(days=2)
        lo = start + dt.timedelta(days=1)
        days: list[dt.date] = []
        if window_end >= lo:
            first = min(lo + dt.timedelta(days=self.rng.randint(1, 8)), window_end)
            days.append(_workday(first, lo, window_end))
            room = (window_end - days[0]).days
            if room >= 30:
                mid = days[0] + dt.timedelta(days=room // 2 + self.rng.randint(-5, 5))
                days.append(_workday(mid, days[0] + dt.timedelta(days=10), window_end))
            if room >= 120:
                late = window_end - dt.timedelta(days=self.rng.randint(0, 14))
                days.append(_workday(late, days[-1] + dt.timedelta(days=20), window_end))
        return days, tail_day, tail

    def case_story(self, info: CaseInfo, index: int, mode: str, tail: str, safety: bool) -> Story:
        """The whole course of a case past the start: start history, then by `mode` no
        meeting yet ('fresh'), a first meeting planned ('planned') or meetings held
        ('execute'), and for a closed case the closing."""
        yield from self.start_history(info, index)
        if mode == "fresh":
            assert info.started is not None
            if (self.today - timezone.localdate(info.started)).days > 14:
                yield from self.cancelled(info)
            self.summary.add("nog geen eerste overleg")
        elif mode == "planned":
            yield from self.first_planned(info, index)
        else:
            yield from self.execute(info, index, tail, safety)
        if info.closed:
            yield from self.closing(info, index)

    def execute(self, info: CaseInfo, index: int, tail: str, safety: bool) -> Story:
        case = info.case
        assert info.started is not None
        start_dt = info.started
        end_dt = info.ended if info.ended is not None else self.now
        start, end = timezone.localdate(start_dt), timezone.localdate(end_dt)
        days, tail_day, tail = self.meeting_days(start, end, tail if not info.closed else "none")
        held = [(d, True) for d in days] + ([(tail_day, False)] if tail_day else [])
        state: PlanState | None = None
        previous = start_dt
        for n, (day, in_time) in enumerate(held):
            first = n == 0
            kind = Meeting.Kind.FIRST if first else Meeting.Kind.INCIDENTAL
            created = max(
                previous + dt.timedelta(hours=2),
                at(day - dt.timedelta(days=self.rng.randint(6, 12)), 9),
            )
            starts = at(day, 10 if first else 14)
            created = min(created, starts - dt.timedelta(hours=3))
            yield created
            people = self.invitees(info, day, first)
            if first:
                people = self.add_guest(info, people, index, involved=not info.closed)
            if not people:
                return
            person_invited = not first and self.rng.random() < 0.7
            meeting = self.schedule(
                info,
                kind,
                day,
                people,
                person_invited=person_invited,
                not_invited_reason="" if person_invited or first else tx.NOT_INVITED_REASONS[1],
            )
            yield from self.replies_before(info, meeting, people)
            # Attendance, then (after the meeting) the casusregisseur, plan and actions.
            yield meeting.ends_at + dt.timedelta(minutes=5)
            replied = {p.user_id: p.reply for p in Participant.objects.filter(meeting=meeting)}
            present = [
                u for u, _c in people if replied.get(u.pk) == "ja" and self.rng.random() > 0.1
            ]
            meeting = plans.record_attendance(
                meeting,
                actor=info.regisseur,
                present=[u.pk for u in present],
                expected_version=meeting.version,
            )
            yield meeting.ends_at + dt.timedelta(minutes=10)
            if first and info.journey is not None:
                casus = info.journey.casusregisseur
                plans.agree_casusregisseur(
                    case,
                    actor=info.regisseur,
                    casusregisseur=casus,
                    agreed_by=present or [casus],
                    meeting=meeting,
                )
                self.summary.add("casusregisseur afgesproken")
            elif n == 1 and info.journey is not None and info.journey.successor is not None:
                # The casusregisseur takes another job: the meeting agrees on a successor.
                successor = info.journey.successor
                plans.agree_casusregisseur(
                    case,
                    actor=info.regisseur,
                    casusregisseur=successor,
                    agreed_by=present or [successor],
                    meeting=meeting,
                )
                self.summary.add("casusregisseur overgedragen")
            if first:
                state = self.start_plan(info, safety)
                if safety:
                    yield meeting.ends_at + dt.timedelta(minutes=15)
                    self.safety_plan(info, state)
            else:
                assert state is not None
                self.revise_plan(info, state, last=n == len(held) - 1)
            assert state is not None
            yield meeting.ends_at + dt.timedelta(minutes=20)
            self.plan_actions(info, state, meeting, end_dt, 3 if first else 2)
            if in_time or first:
                yield meeting.ends_at + dt.timedelta(minutes=25)
                self.adopt(info, state, meeting)
            if state.safety:
                yield self.clamp(at(day, 16))
                self.safety_scores(info, state, n)
            # The minutes: sent within the week, or (the tail) pending or late.
            if in_time:
                latest = min(day + dt.timedelta(days=6), end - dt.timedelta(days=1))
                sent_day = day + dt.timedelta(days=self.rng.randint(1, max(1, (latest - day).days)))
                sent: dt.datetime | None = self.clamp(at(sent_day, 16), end_dt)
            else:
                sent = None
            if in_time or tail == "pending" or index % 2 == 0:
                saved = meeting.ends_at + dt.timedelta(hours=3)
                if sent is not None:
                    saved = min(saved, sent - dt.timedelta(minutes=30))
                yield saved
                meeting = plans.save_minutes(
                    meeting,
                    actor=info.regisseur,
                    minutes=tx.MINUTES[min(n, len(tx.MINUTES) - 1)],
                    decisions=self.rng.choice(tx.DECISIONS),
                    expected_version=meeting.version,
                )
            if sent is not None:
                yield sent
                plans.send_minutes(meeting, actor=info.regisseur)
                self.summary.add("verslag verstuurd")
            else:
                self.summary.add("verslag te laat" if tail == "late" else "verslag nog te sturen")
            previous = meeting.ends_at
            self.held_meetings[case.pk].append(meeting)
            if not info.closed:
                self.running_meetings[case.pk] = meeting
        if state is not None and not info.closed:
            recent = self.today - dt.timedelta(days=3)
            if state.safety and recent > timezone.localdate(previous):
                yield self.clamp(at(recent, 16))
                self.safety_scores(info, state, len(held))
        if tail == "upcoming" and state is not None and not info.closed:
            day = _workday(
                self.today + dt.timedelta(days=self.rng.randint(3, 12)),
                self.today + dt.timedelta(days=1),
                self.today + dt.timedelta(days=30),
            )
            created = self.clamp(
                max(previous + dt.timedelta(hours=2), self.now - dt.timedelta(days=2))
            )
            yield created
            people = self.invitees(info, day, False)
            if not people:
                return
            weighty = not self.weighty_done
            self.weighty_done = True
            meeting = self.schedule(
                info,
                Meeting.Kind.INCIDENTAL,
                day,
                people,
                person_invited=not weighty,
                not_invited_reason=tx.NOT_INVITED_REASONS[0] if weighty else "",
            )
            if weighty:
                self.summary.add("overleg zonder betrokkene")
            answers = sorted(
                self.clamp(self.between(created, self.now, 0.2, 0.9))
                for _p in people[: max(1, len(people) - 1)]
            )
            for when, (user, capacity) in zip(answers, people, strict=False):
                yield when
                self.reply(info, meeting, user, Participant.Reply.YES, capacity)

    def first_planned(self, info: CaseInfo, index: int) -> Story:
        """A first meeting planned (invitations out, some replies in); after an earlier one
        was cancelled when the case waits long."""
        assert info.started is not None
        start_dt = info.started
        start = timezone.localdate(start_dt)
        if (self.today - start).days > 14:
            yield from self.cancelled(info)
        created = self.clamp(
            max(start_dt + dt.timedelta(hours=1), self.now - dt.timedelta(days=3)),
            floor=start_dt + dt.timedelta(milliseconds=1),
        )
        day = _workday(
            self.today + dt.timedelta(days=self.rng.randint(2, 6)),
            self.today + dt.timedelta(days=1),
            self.today + dt.timedelta(days=14),
        )
        yield created
        people = self.add_guest(info, self.invitees(info, max(start, self.today), True), index)
        if not people:
            return
        meeting = self.schedule(info, Meeting.Kind.FIRST, day, people)
        answers = sorted(
            (self.clamp(self.between(created, self.now, 0.2, 0.9)), j)
            for j in range(len(people))
            if j % 3 != 2  # the third, sixth, ... have not replied yet
        )
        for when, j in answers:
            yield when
            user, capacity = people[j]
            self.reply(info, meeting, user, Participant.Reply.YES, capacity)
        self.summary.add("eerste overleg gepland")

    def cancelled(self, info: CaseInfo) -> Story:
        assert info.started is not None
        start_dt = info.started
        start = timezone.localdate(start_dt)
        if (self.today - start).days < 6:
            return
        day = _workday(
            start + dt.timedelta(days=min(5, (self.today - start).days - 1)),
            start + dt.timedelta(days=1),
            self.today - dt.timedelta(days=1),
        )
        created = start_dt + dt.timedelta(hours=1)
        yield created
        people = self.invitees(info, day, True)
        if not people:
            return
        meeting = self.schedule(info, Meeting.Kind.FIRST, day, people)
        yield max(min(meeting.starts_at - dt.timedelta(hours=20), self.now), created)
        plans.cancel_meeting(meeting, actor=info.regisseur, expected_version=meeting.version)
        self.summary.add("overleg vervallen")

    # --- closing --------------------------------------------------------------------------

    def closing(self, info: CaseInfo, k: int) -> Story:
        assert info.ended is not None
        when = info.ended
        case = info.case
        yield when
        if info.target == Status.OPGESCHAALD:
            self.transfer(info)
            return
        provisional = info.target == Status.VOORLOPIG_AFGESLOTEN
        handover = self.handover_orgs
        local = [o for o in handover if "Venlo" in o.name] if case.house.code == "VNL" else []
        org = (local or handover)[k % len(local or handover)]
        hh_phases.before_closing(case, actor=info.regisseur, organisation=org, rng=self.rng)
        pga.close_case(
            case,
            actor=info.regisseur,
            provisional=provisional,
            decided_with=self.rng.choice(tx.CLOSING_DECIDED_WITH),
            handover_organisation=org,
            handover_note=self.rng.choice(tx.HANDOVER_NOTES),
        )
        self.summary.add("afsluiting voorlopig" if provisional else "afsluiting")
        if (provisional and k % 2 == 1) or self.now - when < dt.timedelta(days=2):
            return  # the closing conversation is still to be held
        yield self.clamp(when + dt.timedelta(days=self.rng.randint(1, 12)))
        pga.record_closing_conversation(
            case,
            actor=info.regisseur,
            on_date=timezone.localdate(),
            reason_explained=True,
            feedback=self.rng.choice(tx.CLOSING_FEEDBACK),
        )
        self.summary.add("eindgesprek")

    def transfer(self, info: CaseInfo) -> None:
        """The local case goes to a Zorg- en Veiligheidshuis of its region: as in real
        use, that opens a new referral there for the same person."""
        houses = list(
            House.objects.filter(kind=House.Kind.ZVH).select_related("region").order_by("code")
        )
        same = [h for h in houses if h.region_id == info.case.house.region_id]
        if not (same or houses):
            return
        pga.escalate_to_zvh(
            info.case,
            actor=info.regisseur,
            to_house=(same or houses)[0],
            summary=f"Opgeschaald vanuit {info.case.house.name} (casus {info.case.code}). "
            "De lokale aanpak loopt vast; politie en justitie blijven zwaar betrokken.",
            purpose=tx.TRANSFER_PURPOSE,
            legal_basis=LegalBasis.PUBLIC_TASK,
            necessity=Necessity(
                proportional=True,
                proportionality_note=tx.TRANSFER_PROPORTIONALITY,
                subsidiary=True,
                subsidiarity_note=tx.TRANSFER_SUBSIDIARITY,
                person_informed=True,
            ),
        )
        self.summary.add("overdracht naar ZVH")

    # --- across cases: signals, escalations, 'Mijn acties', monitoring ---------------------

    def directors_story(self, infos: list[CaseInfo]) -> Story:
        """The last weeks: signals and escalations on running cases that had a meeting,
        open actions for everyone's 'Mijn acties', next week's monitoring meeting."""
        yield self.now - dt.timedelta(days=10)
        self.ensure_my_actions(infos)
        running = [
            i
            for i in infos
            if i.journey is not None and not i.closed and i.case.pk in self.running_meetings
        ]
        if running:
            yield from self.signals_and_escalations(running)
        yield self.now - dt.timedelta(days=4)
        self.seed_monitoring()

    def signals_and_escalations(self, running: list[CaseInfo]) -> Story:
        with_safety = [i for i in running if SafetyPlan.objects.filter(case=i.case).exists()]
        acute = (with_safety or running)[0]
        others = [i for i in running if i is not acute]
        events: list[tuple[dt.datetime, int, Story]] = []
        order = itertools.count()

        def signal(
            info: CaseInfo,
            kind: str,
            text: str,
            when: dt.datetime,
            resolved: dt.datetime | None = None,
            resolution: str = "",
        ) -> Story:
            yield when
            by = self.casusregisseur(info.case, timezone.localdate()) or info.regisseur
            record = pga.raise_signal(info.case, actor=by, kind=kind, text=text)
            if resolved is not None:
                yield resolved
                pga.resolve_signal(record, actor=info.regisseur, resolution=resolution)
            self.summary.add(f"signaal {kind}{' afgehandeld' if resolved else ' open'}")

        recent = self.clamp(self.now - dt.timedelta(days=1, hours=3))
        events.append(
            (
                recent,
                next(order),
                signal(acute, Signal.Kind.ACUTE_UNSAFETY, tx.SIGNALS["acute_open"], recent),
            )
        )
        if others:
            raised = self.now - dt.timedelta(days=6)
            events.append(
                (
                    raised,
                    next(order),
                    signal(
                        others[len(others) // 2],
                        Signal.Kind.ACUTE_UNSAFETY,
                        tx.SIGNALS["acute_resolved"],
                        raised,
                        resolved=raised + dt.timedelta(hours=20),
                        resolution=tx.SIGNALS["acute_resolution"],
                    ),
                )
            )
            changed = self.now - dt.timedelta(days=2)
            events.append(
                (
                    changed,
                    next(order),
                    signal(others[-1], Signal.Kind.CHANGE, tx.SIGNALS["change"], changed),
                )
            )
        # Casusregisseur -> procesregisseur: one open, one handled.
        done: set[str] = set()
        for info in running:
            casus = self.casusregisseur(info.case, self.today)
            if casus is None:
                continue
            house = info.case.house.code
            if house == "PKS" and "pr_open" not in done:
                when = self.escalation_time()
                events.append(
                    (
                        when,
                        next(order),
                        self.escalation(
                            info, DirectorEscalation.To.PROCESREGISSEUR, casus, "to_pr", when
                        ),
                    )
                )
                done.add("pr_open")
            elif house == "MHL" and "pr_handled" not in done:
                when = self.escalation_time()
                events.append(
                    (
                        when,
                        next(order),
                        self.escalation(
                            info,
                            DirectorEscalation.To.PROCESREGISSEUR,
                            casus,
                            "to_pr",
                            when,
                            handled=tx.ESCALATIONS["to_pr_handled"],
                        ),
                    )
                )
                done.add("pr_handled")
        # Procesregisseur -> manager, unhandled, in each house with a demo manager.
        managed = set(
            RoleAssignment.objects.filter(role=Role.MANAGER).values_list("house__code", flat=True)
        )
        for info in reversed(running):
            house = info.case.house.code
            if house in managed and f"mgr_{house}" not in done:
                reason = "to_manager_venlo" if house == "VNL" else "to_manager"
                when = self.escalation_time()
                events.append(
                    (
                        when,
                        next(order),
                        self.escalation(
                            info, DirectorEscalation.To.MANAGER, info.regisseur, reason, when
                        ),
                    )
                )
                done.add(f"mgr_{house}")
        for _when, _n, story in sorted(events, key=lambda e: (e[0], e[1])):
            self.timeline.add(story)
        return
        yield  # a generator that only schedules others

    def escalation_time(self) -> dt.datetime:
        return self.clamp(self.now - dt.timedelta(days=self.rng.randint(2, 6), hours=2))

    def escalation(
        self,
        info: CaseInfo,
        to: str,
        by: User,
        reason: str,
        when: dt.datetime,
        handled: str = "",
    ) -> Story:
        yield when
        if to == DirectorEscalation.To.PROCESREGISSEUR:
            # Whoever is casusregisseur by then (a successor may have taken over).
            by = self.casusregisseur(info.case, timezone.localdate()) or by
        record = plans.escalate(info.case, actor=by, to=to, reason=tx.ESCALATIONS[reason])
        if handled:
            yield self.clamp(when + dt.timedelta(days=1))
            plans.handle_escalation(record, actor=info.regisseur, note=handled)
        self.summary.add(f"opschaling naar {to}{' afgehandeld' if handled else ' open'}")

    def ensure_my_actions(self, infos: list[CaseInfo]) -> None:
        """Every demo procesregisseur and partner professional sees open actions in
        'Mijn acties': at least one over its date and one due later (added now)."""
        wanted = set(
            RoleAssignment.objects.filter(role__in=[Role.PROCESREGISSEUR, Role.PROFESSIONAL])
            .values_list("user_id", flat=True)
            .distinct()
        )
        by_case = {i.case.pk: i for i in infos}
        day = timezone.localdate()
        # Who is on each running case's team on the real today, looked up once.
        teams: dict[int, list[CaseMembership]] = defaultdict(list)
        for m in CaseMembership.objects.active_on(self.today).filter(
            case_id__in=list(self.running_meetings)
        ):
            teams[m.case_id].append(m)
        for user in sorted(
            (u for u in self.users.values() if u.pk in wanted), key=lambda u: u.username
        ):
            if user.organisation is None:
                continue
            eligible = [
                by_case[pk]
                for pk in self.running_meetings
                if pk in by_case and self.full_member(teams[pk], user)
            ]
            mine = (
                Action.objects.filter(
                    state=Action.State.OPEN, case_id__in=[i.case.pk for i in eligible]
                )
                .filter(models.Q(owner_user=user) | models.Q(owner_organisation=user.organisation))
                .exclude(pk__in=self.settling)
            )
            overdue = mine.filter(due_date__lt=self.today).exists()
            later = mine.filter(due_date__gte=self.today).exists()
            if overdue and later or not eligible:
                continue
            eligible.sort(key=lambda i: (self.running_meetings[i.case.pk].starts_at, i.case.code))
            if not overdue:
                info = eligible[-1]
                due = day + dt.timedelta(days=self.rng.randint(2, 6))
                self.add_action(
                    info,
                    self.running_meetings[info.case.pk],
                    user,
                    user.organisation,
                    due,
                    what=self.action_text(user.organisation),
                )
                self.summary.add("actie over datum (mijn acties)")
            if not later:
                info = eligible[-1]
                self.add_action(
                    info,
                    self.running_meetings[info.case.pk],
                    user,
                    user.organisation,
                    self.today + dt.timedelta(days=self.rng.randint(5, 25)),
                    what=self.action_text(user.organisation),
                )

    def full_member(self, active: list[CaseMembership], user: User) -> bool:
        """Active today, personally and not as adviser (what 'Mijn acties' requires)."""
        if any(m.user_id == user.pk and m.role == CaseRole.ADVISEUR for m in active):
            return False
        return any(m.user_id == user.pk and m.role != CaseRole.AANMELDER for m in active)

    def seed_monitoring(self) -> None:
        """A structural monitoring meeting per house, next week, all running cases."""
        for house in House.objects.order_by("code"):
            regisseur = (
                RoleAssignment.objects.filter(role=Role.PROCESREGISSEUR, house=house)
                .select_related("user")
                .order_by("user__username")
                .first()
            )
            running = Case.objects.filter(house=house, status=Status.IN_UITVOERING)
            if regisseur is None or not running.exists():
                continue
            day = _workday(
                self.today + dt.timedelta(days=7),
                self.today + dt.timedelta(days=5),
                self.today + dt.timedelta(days=12),
            )
            casus_ids = set(
                CaseMembership.objects.active_on(self.today)
                .filter(case__in=running, role=CaseRole.CASUSREGISSEUR, user__isnull=False)
                .values_list("user_id", flat=True)
            )
            people = [u for u in self.users.values() if u.pk in casus_ids]
            if not people:
                continue
            plans.schedule_meeting(
                actor=regisseur.user,
                house=house,
                kind=Meeting.Kind.MONITORING,
                starts_at=at(day, 9),
                ends_at=at(day, 11),
                location=house.name,
                participants=people,
            )
            self.summary.add("monitoringsoverleg")

    # --- the whole run --------------------------------------------------------------------

    def plan_stories(self, infos: list[CaseInfo]) -> None:
        executed = [i for i in infos if i.journey is not None]
        running = [i for i in executed if not i.closed]
        by_regisseur: dict[int, list[CaseInfo]] = defaultdict(list)
        for info in running:
            by_regisseur[info.regisseur.pk].append(info)
        index = 0
        for _pk, group in sorted(by_regisseur.items(), key=lambda kv: kv[1][0].case.code):
            # Freshest first: the newest case waits for its first meeting to be planned.
            group.sort(key=lambda i: (-(i.started or self.now).timestamp(), i.case.code))
            rest = group
            if len(group) >= 3:
                fresh, planned, rest = group[0], group[1], group[2:]
                self.timeline.add(self.case_story(fresh, index, "fresh", "none", False))
                index += 1
                self.timeline.add(self.case_story(planned, index, "planned", "none", False))
                index += 1
            for k, info in enumerate(sorted(rest, key=lambda i: i.case.code)):
                # A client system's case needs its safety plan before a plan is adopted.
                safety = (
                    info.case.escalation_level >= 4 or k % 3 == 0 or in_household_scope(info.case)
                )
                tail = TAILS[k % len(TAILS)]
                self.timeline.add(self.case_story(info, index, "execute", tail, safety))
                index += 1
        for info in executed:
            if info.closed:
                safety = info.case.escalation_level >= 4 or in_household_scope(info.case)
                self.timeline.add(self.case_story(info, index, "execute", "none", safety))
                index += 1
        self.timeline.add(self.directors_story(infos))

    def run(self) -> dict[str, int]:
        for house in House.objects.order_by("code"):
            pga.ensure_letter_template(house, values=LETTERS.get(house.code))
        orgs = Organisation.objects.order_by("name")
        self.handover_orgs = [
            o
            for o in orgs
            if o.domain in ("sociaal_domein", "zorg", "wonen") and "Veiligheidshuis" not in o.name
        ]
        infos = self.load()
        self.seed_start(infos)
        self.plan_stories(infos)
        with muted():
            self.timeline.run()
        return dict(self.summary.counts)


@transaction.atomic
def seed_execution(journeys: dict[int, Journey], seed: int = 2026) -> dict[str, int]:
    """Play the demo's PGA cases out through the services, into every state of the start,
    execution and closing. `journeys` comes from `generate_cases(..., journeys=...)`."""
    return ExecutionSeeder(seed, journeys).run()
