"""Everything after the start of the PGA, written in bulk for cases that already exist.

For every case past "PGA gestart" the course the services would have written: informing
the person and the start conversation; case meetings (held with minutes sent, minutes
pending or late, the next one planned) with participants; the agreed casusregisseur;
the plan with life-domain scores, strengths and concerns, goals and one adopted version
per held meeting; the actions agreed at each meeting (open, overdue, done, cannot be
done) with reports and reminders; a safety plan where the escalation level calls for it;
signals (an action that cannot be done raises one, as in the service); escalation
between directors; closing with a warm handover and the closing conversation. Each row
comes with the audit event of the service that writes it (same action code and payload).

The team, the dates of the status changes and the level come from what the case
generator wrote, so the records agree with the status history and the memberships.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ketenregie.accounts.models import Organisation, User
from ketenregie.cases.models import Case, CaseMembership, CaseRole, LifeDomain, StatusChange
from ketenregie.cases.workflow import EXECUTION_ENDED_STATUSES, EXECUTION_STATUSES, Status
from ketenregie.core.bulk import RowBuffer
from ketenregie.demo import texts as tx
from ketenregie.demo.scale.sink import AuditSink
from ketenregie.pga.models import Closing, ClosingConversation, Informing, Signal, StartConversation
from ketenregie.plans.models import (
    Action,
    ActionReminder,
    ActionReport,
    CasusregisseurAgreement,
    DirectorEscalation,
    DomainScore,
    Goal,
    Meeting,
    Participant,
    Plan,
    PlanVersion,
    SafetyAgreement,
    SafetyContact,
    SafetyPlan,
    SafetyScore,
    SignedHow,
    Statement,
)

AgreedBy = CasusregisseurAgreement.agreed_by.through
TEAM = (CaseRole.CASUSREGISSEUR, CaseRole.BETROKKEN_PARTNER, CaseRole.ADVISEUR)
MEETING_GAP = (35, 75)  # days between case meetings
SAFETY_LEVEL = 4  # from this escalation level on a case has a safety plan


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class Clock:
    """Local dates and times in the current time zone, looked up once (the lookup per
    call is a measurable share of a run with millions of rows)."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), self.zone)

    def day(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone).date()


def label(model: type[Any]) -> str:
    return str(model._meta.label_lower)


@dataclass
class Team:
    """Who works on one case, from its memberships."""

    regisseur: int
    casus: int
    users: list[int]
    orgs: list[int]
    advisers: set[int] = field(default_factory=set)


@dataclass
class Course:
    """One case: its key facts and the dates of its status history."""

    pk: int
    house_id: int
    status: Status
    level: int
    times: dict[str, dt.datetime]
    team: Team

    @property
    def ended(self) -> dt.datetime | None:
        for status in EXECUTION_ENDED_STATUSES:
            if status in self.times:
                return self.times[status]
        return None


@dataclass
class HeldMeeting:
    pk: int
    starts_at: dt.datetime
    actions: list[dict[str, Any]] = field(default_factory=list)


class Writer:
    """Builds the rows and events of one batch of cases."""

    def __init__(self, rng: random.Random, sink: AuditSink, rows: RowBuffer) -> None:
        self.rng, self.sink, self.rows = rng, sink, rows
        self.now = timezone.now()
        self.clock = Clock()
        self.running_seen = 0
        self.today = timezone.localdate()
        self.domains = list(LifeDomain.objects.filter(is_active=True).order_by("order"))
        self.org_domain = dict(Organisation.objects.values_list("pk", "domain"))
        self.user_org: dict[int, int] = dict(User.objects.values_list("pk", "organisation_id"))

    def event(
        self,
        action: str,
        actor: int | None,
        c: Course,
        obj: tuple[type[Any], int],
        when: dt.datetime,
        data: dict[str, Any] | None = None,
        purpose: str = "",
    ) -> None:
        self.sink.add(action, actor, c.pk, (label(obj[0]), obj[1]), when, data, purpose)

    def clamp(self, when: dt.datetime, c: Course | None = None) -> dt.datetime:
        limit = (c.ended if c is not None else None) or self.now
        return min(when, limit)

    # The start of the PGA ------------------------------------------------------------
    def start_phase(self, c: Course, *, complete: bool) -> None:
        pga = c.times[Status.PGA_GESTART]
        pr = c.team.regisseur
        if complete or self.rng.random() < 0.6:
            when = self.clamp(pga + dt.timedelta(days=2), c)
            pk = self.rows.add(
                Informing,
                case_id=c.pk,
                kind=Informing.Kind.INFORMED,
                on_date=self.clock.day(when),
                by_whom="Wijkagent en procesregisseur",
                method=Informing.Method.LETTER_IN_PERSON,
                note=self.rng.choice(tx.INFORMING_NOTES),
                recorded_by_id=pr,
                recorded_at=when,
            )
            data: dict[str, Any] = {
                "soort": "geinformeerd",
                "methode": "brief_persoonlijk",
                "herbeoordelen": None,
            }
            self.event(
                "pga.informing_recorded",
                pr,
                c,
                (Informing, pk),
                when,
                data,
                purpose="informeren betrokkene (WGS)",
            )
        if complete or self.rng.random() < 0.4:
            when = self.clamp(pga + dt.timedelta(days=4), c)
            pk = self.rows.add(
                StartConversation,
                case_id=c.pk,
                outcome=StartConversation.Outcome.HELD,
                on_date=self.clock.day(when),
                explained_why=True,
                explained_approach=True,
                explained_data=True,
                explained_rights=True,
                own_view=self.rng.choice(tx.OWN_VIEWS),
                recorded_by_id=pr,
                recorded_at=when,
            )
            data = {"uitkomst": "gevoerd", "handhaving": False}
            self.event(
                "pga.start_conversation_recorded", pr, c, (StartConversation, pk), when, data
            )

    # Case meetings ---------------------------------------------------------------------
    def meetings(self, c: Course) -> list[HeldMeeting]:
        """The first meeting and the ones after it; returns the held ones."""
        started = c.times[Status.IN_UITVOERING]
        end = c.ended or self.now
        day = self.clock.day(started) + dt.timedelta(days=self.rng.randint(2, 9))
        held: list[HeldMeeting] = []
        kind = Meeting.Kind.FIRST
        while True:
            starts = self.clock.at(day, self.rng.choice([9, 10, 13, 14]))
            if starts >= end:
                if c.ended is None and self.rng.random() < 0.6:
                    self.meeting(c, kind, starts, held=False)
                break
            held.append(HeldMeeting(self.meeting(c, kind, starts, held=True), starts))
            kind = Meeting.Kind.INCIDENTAL
            day += dt.timedelta(days=self.rng.randint(*MEETING_GAP))
        return held

    def meeting(self, c: Course, kind: str, starts: dt.datetime, *, held: bool) -> int:
        pr = c.team.regisseur
        created = max(starts - dt.timedelta(days=10), c.times[Status.IN_UITVOERING])
        created = min(created, self.now)
        sent = self._minutes_sent(c, starts) if held else None
        invited = self.rng.random() < 0.8
        pk = self.rows.add(
            Meeting,
            house_id=c.house_id,
            case_id=c.pk,
            kind=kind,
            state=Meeting.State.HELD if held else Meeting.State.PLANNED,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1, minutes=30),
            location="Zorg- en Veiligheidshuis, overlegruimte 2",
            person_invited=invited,
            person_not_invited_reason="" if invited else self.rng.choice(tx.NOT_INVITED_REASONS),
            organiser_id=pr,
            created_at=created,
            minutes=self.rng.choice(tx.MINUTES) if held else "",
            decisions=self.rng.choice(tx.DECISIONS) if held else "",
            minutes_sent_at=sent,
            minutes_sent_by_id=pr if sent else None,
        )
        for user in c.team.users:
            adviser = user in c.team.advisers
            self.rows.add(
                Participant,
                meeting_id=pk,
                user_id=user,
                reply="ja" if held or self.rng.random() < 0.5 else "",
                replied_at=created if held else None,
                capacity=("adviseur" if adviser else "betrokken") if held else "",
                attended=True if held else None,
                invited_at=created,
            )
        data = {
            "soort": kind,
            "begint": starts.isoformat(),
            "deelnemers": list(c.team.users),
            "betrokkene_uitgenodigd": invited,
            "zwaarwegende_redenen_vastgelegd": not invited,
        }
        self.event("meeting.scheduled", pr, c, (Meeting, pk), created, data)
        if sent is not None:
            on_time = self.clock.day(sent) <= self.clock.day(starts) + dt.timedelta(days=7)
            data = {"ontvangers": len(c.team.users) + 1, "op_tijd": on_time, "eerste_keer": True}
            self.event("meeting.minutes_sent", pr, c, (Meeting, pk), sent, data)
        return pk

    def _minutes_sent(self, c: Course, starts: dt.datetime) -> dt.datetime | None:
        """Mostly within the week; for a recent meeting of a running case still pending,
        and now and then late."""
        sent = starts + dt.timedelta(days=self.rng.choice([1, 2, 3, 5, 6, 9]), hours=2)
        if c.ended is None and sent > self.now:
            return None if self.rng.random() < 0.7 else self.now - dt.timedelta(minutes=5)
        if c.ended is None and (self.now - starts).days < 30 and self.rng.random() < 0.15:
            return None  # late: the team is still waiting
        return self.clamp(sent, c)

    # The agreed casusregisseur and the plan --------------------------------------------
    def agreement(self, c: Course, first: HeldMeeting) -> None:
        when = first.starts_at + dt.timedelta(hours=1)
        pk = self.rows.add(
            CasusregisseurAgreement,
            case_id=c.pk,
            meeting_id=first.pk,
            casusregisseur_id=c.team.casus,
            recorded_by_id=c.team.regisseur,
            recorded_at=when,
        )
        for user in c.team.users:
            self.rows.add(AgreedBy, casusregisseuragreement_id=pk, user_id=user)
        data = {"casusregisseur": c.team.casus, "ingestemd": sorted(c.team.users)}
        self.event(
            "plan.casusregisseur_agreed",
            c.team.regisseur,
            c,
            (CasusregisseurAgreement, pk),
            when,
            data,
        )

    def plan(self, c: Course, held: list[HeldMeeting]) -> tuple[int, list[int], dict[str, Any]]:
        """The plan, its scores, statements and goals; returns its key, the goal keys and
        the content its versions start from."""
        rng, casus, first = self.rng, c.team.casus, held[0].starts_at
        text = {
            "joint_goal": rng.choice(tx.JOINT_GOALS),
            "earlier_help": rng.choice(tx.EARLIER_HELP),
            "analysis": rng.choice(tx.ANALYSIS),
            "desired_result": rng.choice(tx.DESIRED_RESULTS),
        }
        last = held[-1].starts_at + dt.timedelta(hours=2)
        plan = self.rows.add(
            Plan, case_id=c.pk, version=len(held) + 3, updated_at=last, updated_by_id=casus, **text
        )
        # A version keeps the case's safety concerns (Case.safety_concerns) under this key.
        kept: dict[str, Any] = {**text, "safety_concerns": c.level >= SAFETY_LEVEL}
        self.event("plan.created", casus, c, (Plan, plan), first)
        scores = {}
        for domain in self.domains:
            score = rng.randint(1, 5)
            problem = tx.DOMAIN_PROBLEMS.get(domain.name, "") if score <= 3 else ""
            scores[domain.name] = {"score": score, "problematiek": problem}
            self.rows.add(
                DomainScore, plan_id=plan, domain_id=domain.pk, score=score, problem=problem
            )
        said = []
        for kind, pool in (
            (Statement.Kind.STRENGTH, tx.STRENGTHS),
            (Statement.Kind.CONCERN, tx.CONCERNS),
        ):
            quote, who = rng.choice(pool)
            pk = self.rows.add(
                Statement,
                plan_id=plan,
                kind=kind,
                text=quote,
                said_by=who,
                added_by_id=casus,
                added_at=first,
            )
            said.append({"soort": kind, "tekst": quote, "door": who})
            self.event("plan.statement_added", casus, c, (Statement, pk), first)
        goals, goal_rows = [], []
        for goal_text, good_enough in rng.sample(tx.GOALS, k=2):
            reached = Goal.Reached.YES if c.ended and rng.random() < 0.7 else Goal.Reached.NOT_YET
            pk = self.rows.add(
                Goal, plan_id=plan, text=goal_text, good_enough=good_enough, reached=reached
            )
            goals.append(pk)
            goal_rows.append({"doel": goal_text, "goed_genoeg": good_enough, "bereikt": reached})
            self.event("plan.goal_added", casus, c, (Goal, pk), first)
        return plan, goals, {**kept, "domeinen": scores, "uitspraken": said, "doelen": goal_rows}

    def versions(
        self, c: Course, plan: int, held: list[HeldMeeting], content: dict[str, Any]
    ) -> None:
        """One adopted version per held meeting; the scores move as the case goes on."""
        actions: list[dict[str, Any]] = []
        for number, meeting in enumerate(held, start=1):
            when = meeting.starts_at + dt.timedelta(hours=2)
            actions = (actions + meeting.actions)[-12:]
            for row in content["domeinen"].values():
                row["score"] = min(5, row["score"] + (self.rng.random() < 0.3))
            version = {**content, "domeinen": {k: dict(v) for k, v in content["domeinen"].items()}}
            version["acties"] = list(actions)
            pk = self.rows.add(
                PlanVersion,
                plan_id=plan,
                number=number,
                adopted_at=when,
                adopted_by_id=c.team.casus,
                meeting_id=meeting.pk,
                content=version,
            )
            self.event("plan.adopted", c.team.casus, c, (PlanVersion, pk), when, {"versie": number})

    # Actions ---------------------------------------------------------------------------
    def actions(self, c: Course, held: list[HeldMeeting], goals: list[int]) -> None:
        """The actions agreed at each held meeting, with their course so far."""
        for meeting in held:
            for _ in range(self.rng.randint(2, 5)):
                self._action(c, meeting, self.rng.choice(goals))

    def _action(self, c: Course, meeting: HeldMeeting, goal: int) -> None:
        rng, casus = self.rng, c.team.casus
        owner = rng.choice(c.team.users) if rng.random() < 0.7 else None
        org = self.user_org[owner] if owner is not None else rng.choice(c.team.orgs)
        what = rng.choice(tx.ACTIONS.get(self.org_domain.get(org, ""), tx.ACTIONS["zorg"]))
        created = meeting.starts_at + dt.timedelta(hours=1, minutes=30)
        due = self.clock.day(meeting.starts_at) + dt.timedelta(days=rng.randint(10, 70))
        state, closed = self._outcome(c, created, due)
        reason = rng.choice(tx.IMPOSSIBLE_REASONS) if state == Action.State.IMPOSSIBLE else ""
        pk = self.rows.add(
            Action,
            case_id=c.pk,
            meeting_id=meeting.pk,
            goal_id=goal,
            what=what,
            owner_user_id=owner,
            owner_organisation_id=org,
            due_date=due,
            state=state,
            state_reason=reason,
            created_by_id=casus,
            created_at=created,
            closed_at=closed,
            version=1 if closed is None else 2,
        )
        meeting.actions.append(
            {
                "wat": what,
                "eigenaar": str(owner or org),
                "uiterlijk": due.isoformat(),
                "stand": state,
            }
        )
        data = {
            "eigenaar": owner,
            "organisatie": org,
            "uiterlijk": due.isoformat(),
            "overleg": meeting.pk,
        }
        self.event("action.added", casus, c, (Action, pk), created, data)
        reporter = owner or casus
        if closed is not None:
            self._report(c, pk, reporter, state, reason, closed)
        elif due < self.today:
            self.rows.add(
                ActionReminder, action_id=pk, on_date=self.today - dt.timedelta(days=1), sent_to=1
            )
            when = self.clock.at(self.today - dt.timedelta(days=1), 7)
            self.event(
                "action.reminder_sent",
                None,
                c,
                (Action, pk),
                when,
                {"datum": (self.today - dt.timedelta(days=1)).isoformat(), "ontvangers": 1},
            )
        elif rng.random() < 0.25:
            when = self.clamp(created + dt.timedelta(days=7), c)
            report = self.rows.add(
                ActionReport,
                action_id=pk,
                kind="terugmelding",
                text=rng.choice(tx.PROGRESS_REPORTS),
                by_id=reporter,
                at=when,
            )
            del report
            self.event(
                "action.reported",
                reporter,
                c,
                (Action, pk),
                when,
                {"velden": [], "wijzigingen": {}, "soort": "terugmelding"},
            )

    def _outcome(
        self, c: Course, created: dt.datetime, due: dt.date
    ) -> tuple[str, dt.datetime | None]:
        """Closed cases finished their actions; running ones keep some overdue open."""
        rng = self.rng
        if c.ended is None and due >= self.today:
            done = rng.random() < 0.15
        elif c.ended is None:
            done = rng.random() < (0.85 if (self.today - due).days > 21 else 0.4)
        else:
            done = True
        if not done:
            return Action.State.OPEN, None
        state = Action.State.IMPOSSIBLE if rng.random() < 0.03 else Action.State.DONE
        closed = self.clamp(self.clock.at(due, 11) - dt.timedelta(days=rng.randint(0, 9)), c)
        return state, min(max(closed, created + dt.timedelta(hours=1)), self.now)

    def _report(
        self, c: Course, action: int, by: int, state: str, reason: str, when: dt.datetime
    ) -> None:
        kind = "gedaan" if state == Action.State.DONE else "niet_uitvoerbaar"
        self.rows.add(ActionReport, action_id=action, kind=kind, text=reason, by_id=by, at=when)
        changed = ["state", "closed_at"] if not reason else ["state", "state_reason", "closed_at"]
        data = {
            "velden": changed,
            "wijzigingen": {"stand": {"voor": "open", "na": state}},
            "soort": kind,
        }
        self.event("action.reported", by, c, (Action, action), when, data)
        if reason:
            # As the service does: an action that cannot be done raises a signal.
            self._signal(c, Signal.Kind.ACTION_IMPOSSIBLE, reason, by, when)

    # Safety, signals, escalation, closing -------------------------------------------------
    def safety(self, c: Course, first: HeldMeeting) -> None:
        casus, when = c.team.casus, first.starts_at + dt.timedelta(days=3)
        signed = self.clock.day(when)
        pk = self.rows.add(
            SafetyPlan,
            case_id=c.pk,
            client_signed_by=tx.SAFETY_SIGNED_BY,
            client_signed_on=signed,
            client_signed_how=SignedHow.PAPER,
            evaluation_date=signed + dt.timedelta(days=90),
            updated_at=when,
            updated_by_id=casus,
            version=2,
            **tx.SAFETY,
        )
        self.event("safety.created", casus, c, (SafetyPlan, pk), when)
        for position, contact in enumerate(tx.SAFETY_CONTACTS):
            self.rows.add(SafetyContact, safety_plan_id=pk, position=position, email="", **contact)
        for what, who, if_not in self.rng.sample(tx.SAFETY_AGREEMENTS, k=2):
            agreement = self.rows.add(
                SafetyAgreement, safety_plan_id=pk, what=what, who_checks=who, if_not_kept=if_not
            )
            self.event("safety.agreement_added", casus, c, (SafetyAgreement, agreement), when)
        for who in ("Betrokkene", self.rng.choice(tx.SAFETY_SECOND)):
            score = self.rng.randint(2, 8)
            record = self.rows.add(
                SafetyScore,
                case_id=c.pk,
                who=who,
                score=score,
                on_date=signed,
                recorded_by_id=casus,
                recorded_at=when,
            )
            self.event(
                "safety.score_added",
                casus,
                c,
                (SafetyScore, record),
                when,
                {"score": score, "datum": signed.isoformat()},
            )

    def _signal(self, c: Course, kind: str, text: str, by: int, when: dt.datetime) -> None:
        resolve = c.ended is not None or self.rng.random() < 0.5
        resolved = (
            self.clamp(when + dt.timedelta(days=self.rng.randint(1, 10)), c) if resolve else None
        )
        resolution = (
            tx.SIGNALS["acute_resolution"]
            if kind == Signal.Kind.ACUTE_UNSAFETY
            else tx.SIGNALS["impossible_resolution"]
        )
        pk = self.rows.add(
            Signal,
            case_id=c.pk,
            kind=kind,
            text=text,
            raised_by_id=by,
            raised_at=when,
            resolution=resolution if resolved else "",
            resolved_by_id=c.team.regisseur if resolved else None,
            resolved_at=resolved,
        )
        self.event("pga.signal_raised", by, c, (Signal, pk), when, {"soort": kind})
        if resolved is not None:
            self.event("pga.signal_resolved", c.team.regisseur, c, (Signal, pk), resolved)

    def signals(self, c: Course, held: list[HeldMeeting]) -> None:
        if self.rng.random() < 0.2:
            acute = c.level >= SAFETY_LEVEL and self.rng.random() < 0.5
            kind = Signal.Kind.ACUTE_UNSAFETY if acute else Signal.Kind.CHANGE
            text = tx.SIGNALS["acute_resolved"] if acute else tx.SIGNALS["change"]
            when = held[-1].starts_at + dt.timedelta(days=self.rng.randint(3, 20))
            self._signal(c, kind, text, self.rng.choice(c.team.users), self.clamp(when, c))
        self.running_seen += c.ended is None
        if c.ended is None and self.running_seen % 25 == 1:  # one in 25 running cases
            when = self.clamp(held[-1].starts_at + dt.timedelta(days=5), c)
            handled = self.rng.random() < 0.5
            pk = self.rows.add(
                DirectorEscalation,
                case_id=c.pk,
                to=DirectorEscalation.To.PROCESREGISSEUR,
                reason=tx.ESCALATIONS["to_pr"],
                by_id=c.team.casus,
                at=when,
                handled_note=tx.ESCALATIONS["to_pr_handled"] if handled else "",
                handled_by_id=c.team.regisseur if handled else None,
                handled_at=self.clamp(when + dt.timedelta(days=2)) if handled else None,
            )
            self.event(
                "case.director_escalated",
                c.team.casus,
                c,
                (DirectorEscalation, pk),
                when,
                {"naar": "procesregisseur"},
            )

    def closing(self, c: Course) -> None:
        ended = c.ended
        if ended is None or c.status == Status.OPGESCHAALD:
            return
        provisional = c.status == Status.VOORLOPIG_AFGESLOTEN
        to = self.rng.choice(c.team.orgs)
        pk = self.rows.add(
            Closing,
            case_id=c.pk,
            provisional=provisional,
            decided_with=self.rng.choice(tx.CLOSING_DECIDED_WITH),
            handover_organisation_id=to,
            handover_note=self.rng.choice(tx.HANDOVER_NOTES),
            closed_by_id=c.team.regisseur,
            closed_at=ended,
        )
        del pk
        self.event(
            "pga.closed",
            c.team.regisseur,
            c,
            (Case, c.pk),
            ended,
            {"voorlopig": provisional, "overdracht_aan": to},
        )
        if not provisional and self.rng.random() < 0.7:
            talk = self.rows.add(
                ClosingConversation,
                case_id=c.pk,
                on_date=self.clock.day(ended),
                reason_explained=True,
                feedback=self.rng.choice(tx.CLOSING_FEEDBACK),
                recorded_by_id=c.team.casus,
                recorded_at=ended,
            )
            self.event(
                "pga.closing_conversation_recorded",
                c.team.casus,
                c,
                (ClosingConversation, talk),
                ended,
            )

    def case(self, c: Course) -> None:
        """The whole course of one case after the start of the PGA."""
        self.start_phase(c, complete=c.status in EXECUTION_STATUSES)
        if c.status not in EXECUTION_STATUSES:
            return
        held = self.meetings(c)
        if held:
            self.agreement(c, held[0])
            plan, goals, content = self.plan(c, held)
            self.actions(c, held, goals)
            self.versions(c, plan, held, content)
            if c.level >= SAFETY_LEVEL:
                self.safety(c, held[0])
            self.signals(c, held)
        self.closing(c)


def load_courses(cases: list[tuple[int, int, str, int]]) -> list[Course]:
    """The status dates and the team of a batch of cases, in two queries."""
    ids = [c[0] for c in cases]
    times: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    for case_id, status, when in StatusChange.objects.filter(case_id__in=ids).values_list(
        "case_id", "to_status", "changed_at"
    ):
        times[case_id][status] = when
    members: dict[int, list[tuple[int | None, int, str, dt.date | None]]] = defaultdict(list)
    for case_id, user, org, role, valid_to in (
        CaseMembership.objects.filter(case_id__in=ids)
        .order_by("valid_from", "pk")
        .values_list("case_id", "user_id", "organisation_id", "role", "valid_to")
    ):
        members[case_id].append((user, org, role, valid_to))
    return [
        Course(pk, house, Status(status), level, times[pk], _team(members[pk]))
        for pk, house, status, level in cases
    ]


def _team(members: list[tuple[int | None, int, str, dt.date | None]]) -> Team:
    regisseur = next((u for u, _o, r, _t in members if r == CaseRole.PROCESREGISSEUR and u), None)
    casus = [u for u, _o, r, _t in members if r == CaseRole.CASUSREGISSEUR and u]
    users = sorted({u for u, _o, r, _t in members if r in TEAM and u})
    fallback = regisseur or next(u for u, *_r in members if u)
    return Team(
        regisseur=regisseur or fallback,
        # The latest casusregisseur ran the case; an earlier one handed over.
        casus=casus[-1] if casus else (users[0] if users else fallback),
        users=users or [fallback],
        orgs=sorted({o for _u, o, r, _t in members if r != CaseRole.AANMELDER}) or [members[0][1]],
        advisers={u for u, _o, r, _t in members if r == CaseRole.ADVISEUR and u},
    )


def write_execution(
    rng: random.Random,
    sink: AuditSink,
    rows: RowBuffer,
    *,
    batch: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the course after "PGA gestart" of every case past it; returns the cases done."""
    writer = Writer(rng, sink, rows)
    statuses = [Status.PGA_GESTART, *EXECUTION_STATUSES]
    last, done = 0, 0
    while True:
        cases = list(
            Case.objects.filter(status__in=statuses, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "house_id", "status", "escalation_level")[:batch]
        )
        if not cases:
            return done
        with transaction.atomic():
            for course in load_courses(cases):
                writer.case(course)
            rows.flush()
            sink.flush()
        last, done = cases[-1][0], done + len(cases)
        if progress:
            progress(len(cases))
