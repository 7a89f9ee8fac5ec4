"""Demo data for the PGA after triage: start, case meetings, plan, actions, safety, closing.

`seed_execution()` runs after the ~150 demo cases exist (only in `load_demo`, never at
scale). It walks the PGA cases in a fixed order with its own seeded random, so the same
seed gives the same states, and puts them in every state the journeys 4-8 pass through:

* PGA gestart: nothing recorded yet, informed (the mayor's letter handed over in person
  by the wijkagent), informing postponed (one review date already due), start
  conversation held, and one repeated non-response with the focus on enforcement.
* In uitvoering: no first meeting yet (for some an earlier one was cancelled), a first
  meeting planned with replies coming in, and running cases with meetings, minutes
  (sent within the week, pending, or late), an agreed casusregisseur, the plan with
  adopted versions, actions in every state with reports, a safety plan, signals and
  escalation between directors.
* Voorlopig afgesloten / afgesloten / opgeschaald: closing with a warm handover, the
  closing conversation, and a transfer of a local PGA case to a Zorg- en Veiligheidshuis.

Rows are written directly with their historical times; every change gets the audit event
the real service would write (same action and data shape), appended with `record_many`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from ketenregie.accounts.models import House, Organisation, RoleAssignment, User
from ketenregie.accounts.roles import Role
from ketenregie.audit.services import PendingEvent, record_many
from ketenregie.cases.models import (
    Case,
    CaseMembership,
    CaseRole,
    LifeDomain,
    Person,
    StatusChange,
)
from ketenregie.cases.services import membership_values
from ketenregie.cases.workflow import Status
from ketenregie.demo import texts as tx
from ketenregie.intake.models import LegalBasis, Referral
from ketenregie.pga.models import (
    Closing,
    ClosingConversation,
    Informing,
    Signal,
    StartConversation,
    Transfer,
)
from ketenregie.pga.services import letter_template_for
from ketenregie.plans.models import (
    Action,
    ActionReport,
    CasusregisseurAgreement,
    DirectorEscalation,
    DomainScore,
    Goal,
    Meeting,
    MonitoringItem,
    Participant,
    Plan,
    PlanVersion,
    SafetyAgreement,
    SafetyPlan,
    SafetyScore,
    Statement,
)
from ketenregie.plans.services import PLAN_TEXT_FIELDS, SAFETY_FIELDS, plan_content

EXECUTED = (
    Status.IN_UITVOERING,
    Status.VOORLOPIG_AFGESLOTEN,
    Status.AFGESLOTEN,
    Status.OPGESCHAALD,
)
CLOSED = (Status.VOORLOPIG_AFGESLOTEN, Status.AFGESLOTEN, Status.OPGESCHAALD)
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


@dataclass
class CaseInfo:
    case: Case
    changes: dict[str, dt.datetime]
    members: list[CaseMembership]
    regisseur: User

    def active(self, day: dt.date, roles: Iterable[str] | None = None) -> list[CaseMembership]:
        wanted = set(roles) if roles is not None else None
        return [
            m
            for m in self.members
            if m.valid_from <= day
            and (m.valid_to is None or m.valid_to >= day)
            and (wanted is None or m.role in wanted)
        ]

    def casusregisseur(self, day: dt.date) -> User | None:
        for m in self.active(day, [CaseRole.CASUSREGISSEUR]):
            if m.user is not None:
                return m.user
        return None


@dataclass
class PendingOutcome:
    action: Action
    kind: str  # ActionReport.Kind value
    when: dt.datetime
    by: User
    reason: str = ""


@dataclass
class PlanState:
    plan: Plan
    scores: dict[int, DomainScore]
    goals: list[Goal]
    versions: int = 0
    safety: SafetyPlan | None = None
    second_person: str = ""


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] += n


class ExecutionSeeder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.events: list[PendingEvent] = []
        self.summary = Summary()
        self.domains = list(LifeDomain.objects.filter(is_active=True).order_by("order", "name"))
        users = User.objects.select_related("organisation").order_by("username")
        self.users = {u.username: u for u in users}
        roles = RoleAssignment.objects.filter(role=Role.PROFESSIONAL).select_related("user")
        self.advisers = sorted(
            {ra.user.username for ra in roles if "adviseur" in ra.user.job_title.lower()}
        )
        self.org_users: dict[int, int] = defaultdict(int)
        for u in users:
            if u.organisation_id is not None and u.is_active:
                self.org_users[u.organisation_id] += 1
        self.outcomes: dict[int, list[PendingOutcome]] = defaultdict(list)
        self.running_meetings: dict[int, Meeting] = {}
        self.held_meetings: dict[int, list[Meeting]] = defaultdict(list)
        self.involved_adviser_case: int | None = None

    # --- helpers --------------------------------------------------------------------------

    def ev(
        self,
        action: str,
        actor: User | None,
        case: Case | None,
        obj: models.Model | None,
        when: dt.datetime,
        data: dict[str, Any] | None = None,
        purpose: str = "",
    ) -> None:
        self.events.append(
            PendingEvent(
                action=action,
                actor=actor,
                case_id=case.pk if case is not None else None,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                purpose=purpose,
                data=data or {},
                occurred_at=when,
            )
        )

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
        pga = [
            Status.PGA_GESTART,
            *EXECUTED,
        ]
        cases = list(
            Case.objects.filter(status__in=pga).select_related("house", "person").order_by("code")
        )
        ids = [c.pk for c in cases]
        changes: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
        for sc in StatusChange.objects.filter(case_id__in=ids).order_by("changed_at", "pk"):
            changes[sc.case_id][sc.to_status] = sc.changed_at
        members: dict[int, list[CaseMembership]] = defaultdict(list)
        qs = CaseMembership.objects.filter(case_id__in=ids).select_related(
            "user", "user__organisation", "organisation"
        )
        for m in qs.order_by("valid_from", "pk"):
            members[m.case_id].append(m)
        infos: list[CaseInfo] = []
        for case in cases:
            regisseur = next(
                (
                    m.user
                    for m in members[case.pk]
                    if m.role == CaseRole.PROCESREGISSEUR and m.user is not None
                ),
                None,
            )
            if regisseur is None or Status.PGA_GESTART not in changes[case.pk]:
                continue
            infos.append(CaseInfo(case, changes[case.pk], members[case.pk], regisseur))
        return infos

    # --- the start phase ----------------------------------------------------------------

    def informing(
        self,
        info: CaseInfo,
        when: dt.datetime,
        *,
        postponed: bool = False,
        review: dt.date | None = None,
        method: str = Informing.Method.LETTER_IN_PERSON,
    ) -> Informing:
        case = info.case
        if postponed:
            record = Informing.objects.create(
                case=case,
                kind=Informing.Kind.POSTPONED,
                postponed_reason=self.rng.choice(tx.POSTPONE_REASONS),
                review_date=review,
                recorded_by=info.regisseur,
                recorded_at=when,
            )
        else:
            who: dict[str, str] = {
                Informing.Method.LETTER_IN_PERSON: "De wijkagent (politie)",
                Informing.Method.LETTER_POST: "Procesregisseur, per aangetekende post",
                Informing.Method.ORAL: "Casusregisseur, tijdens een huisbezoek",
            }
            by_whom = who.get(method, "Procesregisseur")
            record = Informing.objects.create(
                case=case,
                kind=Informing.Kind.INFORMED,
                on_date=timezone.localdate(when),
                by_whom=by_whom,
                method=method,
                note=self.rng.choice(tx.INFORMING_NOTES)
                if method == Informing.Method.LETTER_IN_PERSON
                else "",
                recorded_by=info.regisseur,
                recorded_at=when,
            )
        self.ev(
            "pga.informing_recorded",
            info.regisseur,
            case,
            record,
            when,
            {
                "soort": record.kind,
                "methode": record.method,
                "herbeoordelen": record.review_date.isoformat() if record.review_date else None,
            },
            purpose="informeren betrokkene (WGS)",
        )
        self.summary.add(f"informeren {record.kind}")
        return record

    def start_conversation(
        self, info: CaseInfo, when: dt.datetime, *, no_response: bool = False
    ) -> StartConversation:
        record = StartConversation.objects.create(
            case=info.case,
            outcome=StartConversation.Outcome.NO_RESPONSE
            if no_response
            else StartConversation.Outcome.HELD,
            on_date=timezone.localdate(when),
            explained_why=not no_response,
            explained_approach=not no_response,
            explained_data=not no_response,
            explained_rights=not no_response,
            own_view="" if no_response else self.rng.choice(tx.OWN_VIEWS),
            attempts=3 if no_response else self.rng.choice([1, 1, 2]),
            enforcement_focus=no_response,
            recorded_by=info.regisseur,
            recorded_at=when,
        )
        self.ev(
            "pga.start_conversation_recorded",
            info.regisseur,
            info.case,
            record,
            when,
            {"uitkomst": record.outcome, "handhaving": record.enforcement_focus},
        )
        self.summary.add(f"startgesprek {record.outcome}")
        return record

    def seed_start(self, infos: list[CaseInfo]) -> None:
        by_regisseur: dict[int, list[CaseInfo]] = defaultdict(list)
        for info in infos:
            if info.case.status == Status.PGA_GESTART:
                by_regisseur[info.regisseur.pk].append(info)
        no_response_done = False
        for _pk, group in sorted(by_regisseur.items(), key=lambda kv: kv[1][0].case.code):
            for i, info in enumerate(group):
                state = START_STATES[i % len(START_STATES)]
                if state == "postponed" and not no_response_done:
                    state, no_response_done = "no_response", True
                start = info.changes[Status.PGA_GESTART]
                span = self.now - start
                if state == "nothing":
                    self.summary.add("start: nog niets vastgelegd")
                    continue
                if state == "review_due":
                    review = self.today - dt.timedelta(days=self.rng.randint(1, 4))
                    if review <= timezone.localdate(start):
                        state = "postponed"
                if state == "review_due":
                    recorded = self.clamp(
                        max(start + dt.timedelta(hours=2), at(review, 10) - dt.timedelta(days=21)),
                        at(review, 9),
                    )
                    self.informing(info, recorded, postponed=True, review=review)
                    continue
                if state == "postponed":
                    review = self.today + dt.timedelta(days=self.rng.randint(5, 20))
                    recorded = self.clamp(self.between(start, self.now, 0.5, 0.9))
                    self.informing(info, recorded, postponed=True, review=review)
                    continue
                informed = self.clamp(start + min(span * 0.2, dt.timedelta(days=6)))
                method = (
                    Informing.Method.LETTER_POST
                    if state == "no_response"
                    else Informing.Method.LETTER_IN_PERSON
                )
                self.informing(info, informed, method=method)
                if state in ("held", "no_response"):
                    talk = self.clamp(informed + min(span * 0.3, dt.timedelta(days=14)))
                    self.start_conversation(info, talk, no_response=state == "no_response")

    def seed_start_history(self, info: CaseInfo, index: int) -> None:
        """Cases past the start phase were informed and had their start conversation."""
        start = info.changes[Status.PGA_GESTART]
        end = info.changes[Status.IN_UITVOERING]
        if index % 11 == 5:
            # Informing postponed, still running: a review date later on.
            review = max(self.today, timezone.localdate(end)) + dt.timedelta(
                days=self.rng.randint(10, 30)
            )
            self.informing(info, self.between(start, end, 0.1, 0.3), postponed=True, review=review)
            self.start_conversation(info, self.between(start, end, 0.6, 0.9))
            return
        no_response = index % 9 == 4
        method = Informing.Method.LETTER_POST if no_response else Informing.Method.LETTER_IN_PERSON
        if index % 7 == 3:
            method = Informing.Method.ORAL
            no_response = False
        self.informing(info, self.between(start, end, 0.1, 0.3), method=method)
        self.start_conversation(info, self.between(start, end, 0.6, 0.9), no_response=no_response)

    # --- meetings -------------------------------------------------------------------------

    def schedule(
        self,
        info: CaseInfo,
        kind: str,
        day: dt.date,
        created: dt.datetime,
        participants: list[tuple[User, str]],
        *,
        person_invited: bool = False,
        not_invited_reason: str = "",
    ) -> Meeting:
        """Create a planned meeting; `participants` are (user, capacity they will declare)."""
        first = kind == Meeting.Kind.FIRST
        starts = at(day, 10 if first else 14)
        meeting = Meeting.objects.create(
            house=info.case.house,
            case=info.case,
            kind=kind,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=90 if first else 60),
            location=f"{info.case.house.name} (fysiek)"
            if first
            else self.rng.choice([info.case.house.name, "Online (beveiligde videoverbinding)"]),
            person_invited=person_invited,
            person_not_invited_reason=not_invited_reason,
            organiser=info.regisseur,
            created_at=created,
        )
        Participant.objects.bulk_create(
            [Participant(meeting=meeting, user=u, invited_at=created) for u, _c in participants]
        )
        self.ev(
            "meeting.scheduled",
            info.regisseur,
            info.case,
            meeting,
            created,
            {
                "soort": kind,
                "begint": meeting.starts_at.isoformat(),
                "deelnemers": [u.pk for u, _c in participants],
                "betrokkene_uitgenodigd": person_invited,
                "zwaarwegende_redenen_vastgelegd": bool(not_invited_reason),
            },
        )
        self.summary.add(f"overleg {kind}")
        return meeting

    def reply(
        self,
        info: CaseInfo,
        meeting: Meeting,
        participant: Participant,
        answer: str,
        capacity: str,
        when: dt.datetime,
    ) -> None:
        participant.reply, participant.capacity, participant.replied_at = answer, capacity, when
        participant.save(update_fields=["reply", "capacity", "replied_at"])
        user = participant.user
        meeting_day = timezone.localdate(meeting.starts_at)
        day = min(meeting_day, timezone.localdate(when))
        around = info.active(day) + info.active(meeting_day)
        has_access = any(m.user_id == user.pk for m in around) or any(
            m.user_id is None and m.organisation_id == user.organisation_id for m in around
        )
        if not has_access and user.organisation is not None:
            role = (
                CaseRole.ADVISEUR
                if capacity == Participant.Capacity.ADVISER
                else CaseRole.BETROKKEN_PARTNER
            )
            membership = CaseMembership.objects.create(
                case=info.case,
                user=user,
                organisation=user.organisation,
                role=role,
                valid_from=day,
                valid_to=info.active(day, [CaseRole.PROCESREGISSEUR])[0].valid_to
                if info.active(day, [CaseRole.PROCESREGISSEUR])
                else None,
                note=f"Verklaard bij {meeting.get_kind_display().lower()}",
            )
            info.members.append(membership)
            self.ev(
                "team.member_added",
                user,
                info.case,
                membership,
                when,
                {"na": membership_values(membership)},
            )
            self.summary.add(f"lid via overleg {role}")
        self.ev(
            "meeting.replied",
            user,
            info.case,
            meeting,
            when,
            {
                "deelnemer": user.pk,
                "voor": {"reply": "", "capacity": ""},
                "na": {"reply": answer, "capacity": capacity},
            },
        )

    def invitees(self, info: CaseInfo, day: dt.date, first: bool) -> list[tuple[User, str]]:
        roles = [*TEAM_ROLES, CaseRole.ADVISEUR] + ([CaseRole.AANMELDER] if first else [])
        people: dict[int, tuple[User, str]] = {}
        for m in info.active(day, roles):
            if m.user is None or m.user_id == info.regisseur.pk:
                continue
            capacity = (
                Participant.Capacity.ADVISER
                if m.role == CaseRole.ADVISEUR
                else Participant.Capacity.INVOLVED
            )
            people.setdefault(m.user.pk, (m.user, capacity))
        return list(people.values())

    def add_guest(
        self, info: CaseInfo, people: list[tuple[User, str]], index: int, involved: bool = False
    ) -> list[tuple[User, str]]:
        """Some first meetings invite the adviser, who declares at the invitation."""
        if not self.advisers:
            return people
        adviser = self.users[self.advisers[0]]
        if any(u.pk == adviser.pk for u, _c in people) or any(
            m.user_id == adviser.pk for m in info.members
        ):
            return people
        if involved and self.involved_adviser_case is None and index % 4 == 1:
            # Involved in this one case as a treating psychiatrist: full access here.
            self.involved_adviser_case = info.case.pk
            return [*people, (adviser, Participant.Capacity.INVOLVED)]
        if index % 3 == 0:
            return [*people, (adviser, Participant.Capacity.ADVISER)]
        return people

    def hold(
        self,
        info: CaseInfo,
        meeting: Meeting,
        participants: list[tuple[User, str]],
        *,
        minutes: str,
        sent: dt.datetime | None,
        write_minutes: bool = True,
    ) -> list[User]:
        """Replies before, attendance after, minutes saved and (maybe) sent."""
        present: list[User] = []
        rows = {p.user_id: p for p in meeting.participants.select_related("user")}
        for j, (user, capacity) in enumerate(participants):
            answer = Participant.Reply.NO if j == 3 else Participant.Reply.YES
            when = self.between(meeting.created_at, meeting.starts_at, 0.1, 0.8)
            self.reply(info, meeting, rows[user.pk], answer, capacity, when)
            attended = answer == Participant.Reply.YES and self.rng.random() > 0.1
            rows[user.pk].attended = attended
            rows[user.pk].save(update_fields=["attended"])
            if attended:
                present.append(user)
        meeting.state = Meeting.State.HELD
        meeting.version += 1
        done = meeting.ends_at + dt.timedelta(minutes=5)
        self.ev(
            "meeting.attendance_recorded",
            info.regisseur,
            info.case,
            meeting,
            done,
            {"aanwezig": sorted(u.pk for u in present)},
        )
        if write_minutes:
            meeting.minutes = minutes
            meeting.decisions = self.rng.choice(tx.DECISIONS)
            meeting.version += 1
            saved = meeting.ends_at + dt.timedelta(hours=3)
            if sent is not None:
                saved = min(saved, sent - dt.timedelta(minutes=30))
            self.ev(
                "meeting.minutes_saved",
                info.regisseur,
                info.case,
                meeting,
                saved,
                {"velden": ["minutes", "decisions"]},
            )
        if sent is not None:
            meeting.minutes_sent_at, meeting.minutes_sent_by = sent, info.regisseur
            self.ev(
                "meeting.minutes_sent",
                info.regisseur,
                info.case,
                meeting,
                sent,
                {
                    "ontvangers": self.recipients(info, timezone.localdate(sent)),
                    "op_tijd": timezone.localdate(sent) <= meeting.minutes_due,
                    "eerste_keer": True,
                },
            )
            self.summary.add("verslag verstuurd")
        meeting.save()
        return present

    def recipients(self, info: CaseInfo, day: dt.date) -> int:
        users: set[int] = set()
        n = 0
        for m in info.active(day):
            if m.user_id is not None:
                users.add(m.user_id)
            else:
                n += self.org_users.get(m.organisation_id, 0)
        return len(users) + n

    # --- plan, actions, safety ----------------------------------------------------------

    def start_plan(self, info: CaseInfo, when: dt.datetime, safety: bool) -> PlanState:
        actor = info.regisseur
        plan = Plan.objects.create(
            case=info.case,
            joint_goal=self.rng.choice(tx.JOINT_GOALS),
            earlier_help=self.rng.choice(tx.EARLIER_HELP),
            analysis=self.rng.choice(tx.ANALYSIS),
            desired_result=self.rng.choice(tx.DESIRED_RESULTS),
            safety_concerns=safety,
            updated_at=when,
            updated_by=actor,
            version=3,
        )
        self.ev(
            "plan.text_saved",
            actor,
            info.case,
            plan,
            when,
            {"velden": list(PLAN_TEXT_FIELDS), "zorgen_veiligheid": safety},
        )
        chosen = {d.pk for d in self.rng.sample(self.domains, k=min(6, len(self.domains)))}
        rows = [
            DomainScore(
                plan=plan,
                domain=d,
                score=self.rng.randint(1, 3) if d.pk in chosen else None,
                problem=tx.DOMAIN_PROBLEMS.get(d.name, "") if d.pk in chosen else "",
            )
            for d in self.domains
        ]
        DomainScore.objects.bulk_create(rows)
        scores = {r.domain_id: r for r in rows}
        self.ev(
            "plan.scores_saved",
            actor,
            info.case,
            plan,
            when + dt.timedelta(minutes=5),
            {
                "scores": {
                    r.domain.name: {"voor": None, "na": r.score}
                    for r in rows
                    if r.score is not None
                }
            },
        )
        said = self.rng.sample(tx.STRENGTHS, k=2) + self.rng.sample(tx.CONCERNS, k=2)
        for k, (text, by) in enumerate(said):
            kind = Statement.Kind.STRENGTH if k < 2 else Statement.Kind.CONCERN
            statement = Statement.objects.create(
                plan=plan, kind=kind, text=text, said_by=by, added_by=actor, added_at=when
            )
            self.ev("plan.statement_added", actor, info.case, statement, when, {"soort": kind})
        goals = []
        for text, good in self.rng.sample(tx.GOALS, k=3):
            goal = Goal.objects.create(plan=plan, text=text, good_enough=good)
            goals.append(goal)
            self.ev("plan.goal_added", actor, info.case, goal, when + dt.timedelta(minutes=10))
        state = PlanState(plan, scores, goals)
        if safety:
            self.safety_plan(info, state, when)
        self.summary.add("plan")
        return state

    def safety_plan(self, info: CaseInfo, state: PlanState, when: dt.datetime) -> None:
        actor = info.regisseur
        signed = timezone.localdate(when)
        values: dict[str, Any] = dict(tx.SAFETY)
        values["signed_on"] = signed
        values["evaluation_date"] = signed + dt.timedelta(days=self.rng.choice([42, 56, 90]))
        safety = SafetyPlan.objects.create(
            case=info.case, updated_at=when, updated_by=actor, version=2, **values
        )
        self.ev(
            "safety.saved",
            actor,
            info.case,
            safety,
            when + dt.timedelta(minutes=15),
            {
                "velden": list(SAFETY_FIELDS),
                "wijzigingen": {
                    f: {"voor": None, "na": values[f].isoformat()}
                    for f in ("signed_on", "evaluation_date")
                },
            },
        )
        for what, who, if_not in self.rng.sample(tx.SAFETY_AGREEMENTS, k=2):
            agreement = SafetyAgreement.objects.create(
                safety_plan=safety, what=what, who_checks=who, if_not_kept=if_not
            )
            self.ev(
                "safety.agreement_added",
                actor,
                info.case,
                agreement,
                when + dt.timedelta(minutes=20),
            )
        state.safety = safety
        state.second_person = self.rng.choice(tx.SAFETY_SECOND)
        self.summary.add("veiligheidsplan")

    def safety_scores(self, info: CaseInfo, state: PlanState, day: dt.date, step: int) -> None:
        if state.safety is None:
            return
        base = {"Betrokkene": 4, state.second_person: 2}
        when = self.clamp(at(day, 16))
        for who, start in base.items():
            score = max(
                0, min(10, start + step * self.rng.choice([1, 1, 2]) - self.rng.randint(0, 1))
            )
            record = SafetyScore.objects.create(
                case=info.case,
                who=who,
                score=score,
                on_date=timezone.localdate(when),
                recorded_by=info.regisseur,
                recorded_at=when,
            )
            self.ev(
                "safety.score_added",
                info.regisseur,
                info.case,
                record,
                when,
                {"score": score, "datum": record.on_date.isoformat()},
            )
            self.summary.add("veiligheidsscore")

    def revise_plan(self, info: CaseInfo, state: PlanState, when: dt.datetime, last: bool) -> None:
        """Between versions: scores move, goals get reached (or not), a new statement."""
        actor = info.regisseur
        changed: dict[str, Any] = {}
        for row in state.scores.values():
            if row.score is None:
                continue
            new = max(1, min(5, row.score + self.rng.choice([0, 1, 1, 1, -1])))
            if new != row.score:
                changed[row.domain.name] = {"voor": row.score, "na": new}
                row.score = new
                row.save(update_fields=["score"])
        self.ev("plan.scores_saved", actor, info.case, state.plan, when, {"scores": changed})
        closed = info.case.status in CLOSED
        for k, goal in enumerate(state.goals):
            if closed and last:
                target = Goal.Reached.NO if k == 2 and self.rng.random() < 0.3 else Goal.Reached.YES
            elif k == 0:
                target = Goal.Reached.YES
            elif k == 2 and last:
                target = Goal.Reached.NO
            else:
                continue
            if goal.reached != target:
                before = goal.reached
                goal.reached = target
                goal.save(update_fields=["reached"])
                self.ev(
                    "plan.goal_updated",
                    actor,
                    info.case,
                    goal,
                    when,
                    {"wijzigingen": {"bereikt": {"voor": before, "na": target}}},
                )
        text, by = self.rng.choice(tx.STRENGTHS)
        statement = Statement.objects.create(
            plan=state.plan,
            kind=Statement.Kind.STRENGTH,
            text=text,
            said_by=by,
            added_by=actor,
            added_at=when,
        )
        self.ev(
            "plan.statement_added",
            actor,
            info.case,
            statement,
            when,
            {"soort": Statement.Kind.STRENGTH},
        )
        state.plan.version += 2
        state.plan.updated_at = when
        state.plan.save(update_fields=["version", "updated_at"])

    def adopt(self, info: CaseInfo, state: PlanState, meeting: Meeting, when: dt.datetime) -> None:
        state.versions += 1
        version = PlanVersion.objects.create(
            plan=state.plan,
            number=state.versions,
            adopted_at=when,
            adopted_by=info.regisseur,
            meeting=meeting,
            content=plan_content(state.plan),
        )
        self.ev(
            "plan.adopted",
            info.regisseur,
            info.case,
            version,
            when,
            {"versie": version.number},
        )
        self.summary.add("planversie")

    def owners(self, info: CaseInfo, day: dt.date) -> list[tuple[User | None, Organisation]]:
        """Who can own an action: team members active on `day` who still are (or were
        until the end, for a closed case)."""
        out: list[tuple[User | None, Organisation]] = []
        final = self.today if info.case.status not in CLOSED else day
        for m in info.active(day, OWNER_ROLES):
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
        created: dt.datetime,
        owner: User | None,
        org: Organisation,
        due: dt.date,
        goal: Goal | None = None,
        what: str = "",
    ) -> Action:
        action = Action.objects.create(
            case=info.case,
            meeting=meeting,
            goal=goal,
            what=what or self.action_text(org),
            owner_user=owner,
            owner_organisation=org,
            due_date=due,
            created_by=info.regisseur,
            created_at=created,
        )
        self.ev(
            "action.added",
            info.regisseur,
            info.case,
            action,
            created,
            {
                "eigenaar": owner.pk if owner else None,
                "organisatie": org.pk,
                "uiterlijk": due.isoformat(),
                "overleg": meeting.pk if meeting else None,
            },
        )
        self.summary.add("actie")
        return action

    def reporter(self, info: CaseInfo, action: Action, day: dt.date) -> User:
        if action.owner_user is not None:
            return action.owner_user
        for m in info.active(day):
            if m.user is not None and m.user.organisation_id == action.owner_organisation_id:
                return m.user
        return info.casusregisseur(day) or info.regisseur

    def plan_actions(
        self, info: CaseInfo, state: PlanState, meeting: Meeting, end: dt.datetime, n: int
    ) -> None:
        day = timezone.localdate(meeting.starts_at)
        created = meeting.ends_at + dt.timedelta(minutes=20)
        owners = self.owners(info, day)
        if not owners:
            return
        closed = info.case.status in CLOSED
        for k in range(n):
            owner, org = owners[(k + self.rng.randint(0, 3)) % len(owners)]
            if owner is not None and k % 3 == 2:
                owner = None  # the organisation as a whole
            due = day + dt.timedelta(days=self.rng.randint(10, 45))
            goal = state.goals[k % len(state.goals)] if state.goals else None
            action = self.add_action(info, meeting, created, owner, org, due, goal)
            r = self.rng.random()
            limit = min(at(due, 17), end)
            kind: str
            if closed:
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
                    by = self.reporter(info, action, timezone.localdate(when))
                    self.outcomes[info.case.pk].append(
                        PendingOutcome(action, ActionReport.Kind.REPORT, when, by)
                    )
                continue
            when = self.clamp(self.between(created, limit, 0.3, 0.95), end)
            by = self.reporter(info, action, timezone.localdate(when))
            reason = (
                self.rng.choice(tx.IMPOSSIBLE_REASONS)
                if kind == ActionReport.Kind.IMPOSSIBLE
                else ""
            )
            self.outcomes[info.case.pk].append(PendingOutcome(action, kind, when, by, reason))

    def apply_outcomes(self, info: CaseInfo, before: dt.datetime, end: dt.datetime) -> None:
        """Reports (and the state changes they bring) that happened before `before`."""
        pending = self.outcomes[info.case.pk]
        due = sorted((o for o in pending if o.when < before), key=lambda o: o.when)
        self.outcomes[info.case.pk] = [o for o in pending if o.when >= before]
        for o in due:
            action = o.action
            ActionReport.objects.create(
                action=action,
                kind=o.kind,
                text=o.reason
                or (
                    self.rng.choice(tx.PROGRESS_REPORTS)
                    if o.kind == ActionReport.Kind.REPORT
                    else ""
                ),
                by=o.by,
                at=o.when,
            )
            before_state = action.state
            if o.kind == ActionReport.Kind.DONE:
                action.state, action.closed_at = Action.State.DONE, o.when
            elif o.kind == ActionReport.Kind.IMPOSSIBLE:
                action.state, action.state_reason = Action.State.IMPOSSIBLE, o.reason
                action.closed_at = o.when
            action.version += 1
            action.save(update_fields=["state", "state_reason", "closed_at", "version"])
            data: dict[str, Any] = {"soort": o.kind}
            if before_state != action.state:
                data["wijzigingen"] = {"stand": {"voor": before_state, "na": action.state}}
            self.ev("action.reported", o.by, info.case, action, o.when, data)
            self.summary.add(f"terugmelding {o.kind}")
            if o.kind == ActionReport.Kind.IMPOSSIBLE:
                resolve = o.when + dt.timedelta(days=self.rng.randint(1, 6))
                closed = info.case.status in CLOSED
                self.signal(
                    info,
                    Signal.Kind.ACTION_IMPOSSIBLE,
                    f"Actie ‘{action.what[:80]}’: {o.reason}",
                    o.by,
                    o.when,
                    resolved=self.clamp(min(resolve, end), end)
                    if closed or (resolve < self.now and self.rng.random() < 0.6)
                    else None,
                    resolution=tx.SIGNALS["impossible_resolution"],
                )

    def signal(
        self,
        info: CaseInfo,
        kind: str,
        text: str,
        by: User,
        when: dt.datetime,
        *,
        resolved: dt.datetime | None = None,
        resolution: str = "",
    ) -> Signal:
        signal = Signal.objects.create(
            case=info.case, kind=kind, text=text, raised_by=by, raised_at=when
        )
        self.ev("pga.signal_raised", by, info.case, signal, when, {"soort": kind})
        if resolved is not None:
            signal.resolution = resolution
            signal.resolved_by, signal.resolved_at = info.regisseur, resolved
            signal.save(update_fields=["resolution", "resolved_by", "resolved_at"])
            self.ev("pga.signal_resolved", info.regisseur, info.case, signal, resolved)
        self.summary.add(f"signaal {kind}{' afgehandeld' if resolved else ' open'}")
        return signal

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

    def execute(self, info: CaseInfo, index: int, tail: str, safety: bool) -> None:
        case = info.case
        start_dt = info.changes[Status.IN_UITVOERING]
        closed = case.status in CLOSED
        end_dt = info.changes[case.status] if closed else self.now
        start, end = timezone.localdate(start_dt), timezone.localdate(end_dt)
        days, tail_day, tail = self.meeting_days(start, end, tail if not closed else "none")
        held = [(d, True) for d in days] + ([(tail_day, False)] if tail_day else [])
        state: PlanState | None = None
        previous = start_dt
        last_meeting: Meeting | None = None
        for n, (day, in_time) in enumerate(held):
            first = n == 0
            kind = Meeting.Kind.FIRST if first else Meeting.Kind.INCIDENTAL
            created = max(
                previous + dt.timedelta(hours=2),
                at(day - dt.timedelta(days=self.rng.randint(6, 12)), 9),
            )
            people = self.invitees(info, day, first)
            if first:
                people = self.add_guest(info, people, index, involved=not closed)
            if not people:
                return
            starts = at(day, 10 if first else 14)
            created = min(created, starts - dt.timedelta(hours=3))
            person_invited = not first and self.rng.random() < 0.7
            meeting = self.schedule(
                info,
                kind,
                day,
                created,
                people,
                person_invited=person_invited,
                not_invited_reason="" if person_invited or first else tx.NOT_INVITED_REASONS[1],
            )
            self.apply_outcomes(info, meeting.starts_at, end_dt)
            if in_time:
                latest = min(day + dt.timedelta(days=6), end - dt.timedelta(days=1))
                sent_day = day + dt.timedelta(days=self.rng.randint(1, max(1, (latest - day).days)))
                sent: dt.datetime | None = self.clamp(at(sent_day, 16), end_dt)
            else:
                sent = None
            present = self.hold(
                info,
                meeting,
                people,
                minutes=tx.MINUTES[min(n, len(tx.MINUTES) - 1)],
                sent=sent,
                write_minutes=in_time or tail == "pending" or index % 2 == 0,
            )
            if not in_time:
                self.summary.add("verslag te laat" if tail == "late" else "verslag nog te sturen")
            after = meeting.ends_at + dt.timedelta(minutes=10)
            if first:
                casus = info.casusregisseur(day)
                if casus is not None:
                    agreement = CasusregisseurAgreement.objects.create(
                        case=case,
                        meeting=meeting,
                        casusregisseur=casus,
                        recorded_by=info.regisseur,
                        recorded_at=after,
                    )
                    agreed = present or [casus]
                    agreement.agreed_by.set(agreed)
                    self.ev(
                        "plan.casusregisseur_agreed",
                        info.regisseur,
                        case,
                        agreement,
                        after,
                        {"casusregisseur": casus.pk, "ingestemd": sorted(u.pk for u in agreed)},
                    )
                    self.summary.add("casusregisseur afgesproken")
                state = self.start_plan(info, after, safety)
            else:
                assert state is not None
                self.revise_plan(info, state, after, last=n == len(held) - 1)
            assert state is not None
            self.safety_scores(info, state, day, n)
            self.plan_actions(info, state, meeting, end_dt, 3 if first else 2)
            if in_time or first:
                self.adopt(info, state, meeting, after + dt.timedelta(minutes=15))
            previous = meeting.ends_at
            last_meeting = meeting
            self.held_meetings[case.pk].append(meeting)
        if state is not None and not closed:
            recent = self.today - dt.timedelta(days=3)
            if state.safety is not None and recent > timezone.localdate(previous):
                self.safety_scores(info, state, recent, len(held))
        self.apply_outcomes(info, end_dt, end_dt)
        if last_meeting is not None and not closed:
            self.running_meetings[case.pk] = last_meeting
        if tail == "upcoming" and state is not None and not closed:
            day = _workday(
                self.today + dt.timedelta(days=self.rng.randint(3, 12)),
                self.today + dt.timedelta(days=1),
                self.today + dt.timedelta(days=30),
            )
            weighty = self.summary.counts["overleg zonder betrokkene"] == 0
            created = self.clamp(
                max(previous + dt.timedelta(hours=2), self.now - dt.timedelta(days=2))
            )
            people = self.invitees(info, day, False)
            if people:
                meeting = self.schedule(
                    info,
                    Meeting.Kind.INCIDENTAL,
                    day,
                    created,
                    people,
                    person_invited=not weighty,
                    not_invited_reason=tx.NOT_INVITED_REASONS[0] if weighty else "",
                )
                if weighty:
                    self.summary.add("overleg zonder betrokkene")
                rows = list(meeting.participants.select_related("user"))
                for p in rows[: max(1, len(rows) - 1)]:
                    capacity = next(c for u, c in people if u.pk == p.user_id)
                    when = self.clamp(self.between(created, self.now, 0.2, 0.9))
                    self.reply(info, meeting, p, Participant.Reply.YES, capacity, when)

    def first_planned(self, info: CaseInfo, index: int, cancelled_first: bool) -> None:
        """A first meeting planned (invitations out, some replies in); sometimes after an
        earlier one was cancelled."""
        start_dt = info.changes[Status.IN_UITVOERING]
        start = timezone.localdate(start_dt)
        floor = start_dt + dt.timedelta(milliseconds=1)
        created = self.clamp(
            max(start_dt + dt.timedelta(hours=1), self.now - dt.timedelta(days=3)), floor=floor
        )
        if cancelled_first:
            self.cancelled(info, index)
            created = self.clamp(max(created, self.now - dt.timedelta(days=1)), floor=floor)
        day = _workday(
            self.today + dt.timedelta(days=self.rng.randint(2, 6)),
            self.today + dt.timedelta(days=1),
            self.today + dt.timedelta(days=14),
        )
        people = self.add_guest(info, self.invitees(info, max(start, self.today), True), index)
        if not people:
            return
        meeting = self.schedule(info, Meeting.Kind.FIRST, day, created, people)
        rows = {p.user_id: p for p in meeting.participants.select_related("user")}
        for j, (user, capacity) in enumerate(people):
            if j % 3 == 2:
                continue  # no reply yet
            when = self.clamp(self.between(created, self.now, 0.2, 0.9))
            self.reply(info, meeting, rows[user.pk], Participant.Reply.YES, capacity, when)
        self.summary.add("eerste overleg gepland")

    def cancelled(self, info: CaseInfo, index: int) -> None:
        start_dt = info.changes[Status.IN_UITVOERING]
        start = timezone.localdate(start_dt)
        if (self.today - start).days < 6:
            return
        day = _workday(
            start + dt.timedelta(days=min(5, (self.today - start).days - 1)),
            start + dt.timedelta(days=1),
            self.today - dt.timedelta(days=1),
        )
        people = self.invitees(info, day, True)
        if not people:
            return
        created = start_dt + dt.timedelta(hours=1)
        meeting = self.schedule(info, Meeting.Kind.FIRST, day, created, people)
        meeting.state = Meeting.State.CANCELLED
        meeting.version += 1
        meeting.save(update_fields=["state", "version"])
        when = min(meeting.starts_at - dt.timedelta(hours=20), self.now)
        self.ev("meeting.cancelled", info.regisseur, info.case, meeting, max(when, created))
        self.summary.add("overleg vervallen")

    # --- the whole run --------------------------------------------------------------------

    def seed_execution_phase(self, infos: list[CaseInfo]) -> None:
        executed = [
            i for i in infos if i.case.status in EXECUTED and Status.IN_UITVOERING in i.changes
        ]
        for index, info in enumerate(executed):
            self.seed_start_history(info, index)
        running = [i for i in executed if i.case.status == Status.IN_UITVOERING]
        by_regisseur: dict[int, list[CaseInfo]] = defaultdict(list)
        for info in running:
            by_regisseur[info.regisseur.pk].append(info)
        index = 0
        for _pk, group in sorted(by_regisseur.items(), key=lambda kv: kv[1][0].case.code):
            # Freshest first: the newest case waits for its first meeting to be planned.
            group.sort(key=lambda i: (-i.changes[Status.IN_UITVOERING].timestamp(), i.case.code))
            rest = group
            if len(group) >= 3:
                fresh, planned, rest = group[0], group[1], group[2:]
                if (self.today - timezone.localdate(fresh.changes[Status.IN_UITVOERING])).days > 14:
                    self.cancelled(fresh, index)
                self.summary.add("nog geen eerste overleg")
                age = (self.today - timezone.localdate(planned.changes[Status.IN_UITVOERING])).days
                self.first_planned(planned, index, cancelled_first=age > 14)
            rest = sorted(rest, key=lambda i: i.case.code)
            for k, info in enumerate(rest):
                safety = info.case.escalation_level >= 4 or k % 3 == 0
                self.execute(info, index, TAILS[k % len(TAILS)], safety)
                index += 1
        for info in executed:
            if info.case.status in CLOSED:
                self.execute(info, index, "none", info.case.escalation_level >= 4)
                index += 1

    def seed_closing(self, infos: list[CaseInfo]) -> None:
        orgs = {o.name: o for o in Organisation.objects.all()}
        handover = [
            o
            for o in orgs.values()
            if o.domain in ("sociaal_domein", "zorg", "wonen") and "Veiligheidshuis" not in o.name
        ]
        handover.sort(key=lambda o: o.name)
        for k, info in enumerate(i for i in infos if i.case.status in CLOSED):
            case = info.case
            when = info.changes[case.status]
            if case.status == Status.OPGESCHAALD:
                self.transfer(info, when)
                continue
            provisional = case.status == Status.VOORLOPIG_AFGESLOTEN
            local = [o for o in handover if "Venlo" in o.name] if case.house.code == "VNL" else []
            org = (local or handover)[k % len(local or handover)]
            Closing.objects.create(
                case=case,
                provisional=provisional,
                decided_with=self.rng.choice(tx.CLOSING_DECIDED_WITH),
                handover_organisation=org,
                handover_note=self.rng.choice(tx.HANDOVER_NOTES),
                closed_by=info.regisseur,
                closed_at=when,
            )
            self.ev(
                "pga.closed",
                info.regisseur,
                case,
                case,
                when,
                {"voorlopig": provisional, "overdracht_aan": org.pk},
            )
            self.summary.add("afsluiting voorlopig" if provisional else "afsluiting")
            if (provisional and k % 2 == 1) or self.now - when < dt.timedelta(days=2):
                continue  # the closing conversation is still to be held
            talk = self.clamp(when + dt.timedelta(days=self.rng.randint(1, 12)))
            conversation = ClosingConversation.objects.create(
                case=case,
                on_date=timezone.localdate(talk),
                reason_explained=True,
                feedback=self.rng.choice(tx.CLOSING_FEEDBACK),
                recorded_by=info.regisseur,
                recorded_at=talk,
            )
            self.ev("pga.closing_conversation_recorded", info.regisseur, case, conversation, talk)
            self.summary.add("eindgesprek")

    def transfer(self, info: CaseInfo, when: dt.datetime) -> None:
        """The local case went to a Zorg- en Veiligheidshuis: the receiving case is an
        existing demo case there, created after the transfer, that now concerns the same
        person (its own generated person, on no other case, is removed)."""
        used = set(Transfer.objects.values_list("to_case_id", flat=True))
        candidates = (
            Case.objects.filter(
                house__kind=House.Kind.ZVH,
                created_at__gte=when,
                household__isnull=True,
            )
            .exclude(status__in=[Status.CONCEPT, Status.AANGEMELD, Status.AFGESLOTEN])
            .exclude(pk__in=used)
            .select_related("person", "house")
            .order_by("created_at", "pk")
        )
        target = next((c for c in candidates if c.person.cases.count() == 1), None)
        if target is None:
            return
        old = target.person
        target.person = info.case.person
        target.save(update_fields=["person"])
        if not old.cases.exists() and not old.households.exists():
            Person.objects.filter(pk=old.pk).delete()
        Referral.objects.filter(case=target).update(
            reason=f"Opgeschaald vanuit {info.case.house.name} (casus {info.case.code}). "
            "De lokale aanpak loopt vast; politie en justitie blijven zwaar betrokken.",
            meeting_goal=tx.TRANSFER_PURPOSE,
        )
        record = Transfer.objects.create(
            from_case=info.case,
            to_case_id=target.pk,
            to_house=target.house,
            purpose=tx.TRANSFER_PURPOSE,
            legal_basis=LegalBasis.PUBLIC_TASK,
            transferred_by=info.regisseur,
            transferred_at=when,
        )
        self.ev(
            "pga.escalated_to_zvh",
            info.regisseur,
            info.case,
            info.case,
            when,
            {
                "naar_huis": target.house_id,
                "nieuwe_casus": target.pk,
                "grondslag": record.legal_basis,
            },
            purpose=tx.TRANSFER_PURPOSE[:120],
        )
        self.summary.add("overdracht naar ZVH")

    def seed_signals_and_escalations(self, infos: list[CaseInfo]) -> None:
        running = [
            i
            for i in infos
            if i.case.status == Status.IN_UITVOERING and i.case.pk in self.running_meetings
        ]
        if not running:
            return
        recent = self.clamp(self.now - dt.timedelta(days=1, hours=3))
        with_safety = [i for i in running if SafetyPlan.objects.filter(case=i.case).exists()]
        acute = (with_safety or running)[0]
        reporter = acute.casusregisseur(self.today) or acute.regisseur
        self.signal(acute, Signal.Kind.ACUTE_UNSAFETY, tx.SIGNALS["acute_open"], reporter, recent)
        others = [i for i in running if i is not acute]
        if others:
            info = others[len(others) // 2]
            raised = self.clamp(self.now - dt.timedelta(days=20))
            self.signal(
                info,
                Signal.Kind.ACUTE_UNSAFETY,
                tx.SIGNALS["acute_resolved"],
                info.casusregisseur(self.today) or info.regisseur,
                raised,
                resolved=raised + dt.timedelta(hours=20),
                resolution=tx.SIGNALS["acute_resolution"],
            )
            info = others[-1]
            self.signal(
                info,
                Signal.Kind.CHANGE,
                tx.SIGNALS["change"],
                info.casusregisseur(self.today) or info.regisseur,
                self.clamp(self.now - dt.timedelta(days=2)),
            )
        # Casusregisseur -> procesregisseur: one open, one handled.
        done: set[str] = set()
        for info in running:
            casus = info.casusregisseur(self.today)
            if casus is None:
                continue
            house = info.case.house.code
            if house == "PKS" and "pr_open" not in done:
                self.escalation(info, DirectorEscalation.To.PROCESREGISSEUR, casus, "to_pr")
                done.add("pr_open")
            elif house == "MHL" and "pr_handled" not in done:
                self.escalation(
                    info,
                    DirectorEscalation.To.PROCESREGISSEUR,
                    casus,
                    "to_pr",
                    handled=tx.ESCALATIONS["to_pr_handled"],
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
                self.escalation(info, DirectorEscalation.To.MANAGER, info.regisseur, reason)
                done.add(f"mgr_{house}")

    def escalation(self, info: CaseInfo, to: str, by: User, reason: str, handled: str = "") -> None:
        when = self.clamp(self.now - dt.timedelta(days=self.rng.randint(2, 6), hours=2))
        record = DirectorEscalation.objects.create(
            case=info.case, to=to, reason=tx.ESCALATIONS[reason], by=by, at=when
        )
        self.ev("case.director_escalated", by, info.case, record, when, {"naar": to})
        if handled:
            later = self.clamp(when + dt.timedelta(days=1))
            record.handled_note, record.handled_by, record.handled_at = (
                handled,
                info.regisseur,
                later,
            )
            record.save(update_fields=["handled_note", "handled_by", "handled_at"])
            self.ev("case.director_escalation_handled", info.regisseur, info.case, record, later)
        self.summary.add(f"opschaling naar {to}{' afgehandeld' if handled else ' open'}")

    def ensure_my_actions(self, infos: list[CaseInfo]) -> None:
        """Every demo procesregisseur and partner professional sees open actions in
        'Mijn acties': at least one over its date and one due later."""
        wanted = (
            RoleAssignment.objects.filter(role__in=[Role.PROCESREGISSEUR, Role.PROFESSIONAL])
            .values_list("user_id", flat=True)
            .distinct()
        )
        by_case = {i.case.pk: i for i in infos}
        for user in sorted(
            (u for u in self.users.values() if u.pk in set(wanted)), key=lambda u: u.username
        ):
            if user.organisation is None:
                continue
            mine = Action.objects.filter(
                state=Action.State.OPEN, case__status=Status.IN_UITVOERING
            ).filter(models.Q(owner_user=user) | models.Q(owner_organisation=user.organisation))
            eligible = [
                by_case[pk]
                for pk in self.running_meetings
                if pk in by_case and self.full_member(by_case[pk], user)
            ]
            mine = mine.filter(case_id__in=[i.case.pk for i in eligible])
            overdue = mine.filter(due_date__lt=self.today).exists()
            later = mine.filter(due_date__gte=self.today).exists()
            if overdue and later or not eligible:
                continue
            eligible.sort(key=lambda i: (self.running_meetings[i.case.pk].starts_at, i.case.code))
            limit = self.today - dt.timedelta(days=5)
            old = [
                (i, m)
                for i in eligible
                for m in self.held_meetings[i.case.pk]
                if timezone.localdate(m.starts_at) <= limit
            ]
            if not overdue and old:
                info, meeting = max(old, key=lambda im: (im[1].starts_at, im[0].case.code))
                day = timezone.localdate(meeting.starts_at)
                due = day + dt.timedelta(days=max(1, min(14, (self.today - day).days - 2)))
                self.add_action(
                    info,
                    meeting,
                    meeting.ends_at + dt.timedelta(minutes=25),
                    user,
                    user.organisation,
                    due,
                    what=self.action_text(user.organisation),
                )
                self.summary.add("actie over datum (mijn acties)")
            if not later:
                info = eligible[-1]
                meeting = self.running_meetings[info.case.pk]
                self.add_action(
                    info,
                    meeting,
                    meeting.ends_at + dt.timedelta(minutes=25),
                    user,
                    user.organisation,
                    self.today + dt.timedelta(days=self.rng.randint(5, 25)),
                    what=self.action_text(user.organisation),
                )

    def full_member(self, info: CaseInfo, user: User) -> bool:
        """Active today, personally and not as adviser (what 'Mijn acties' requires)."""
        active = info.active(self.today)
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
            running = list(
                Case.objects.filter(house=house, status=Status.IN_UITVOERING).order_by(
                    "escalation_level", "code"
                )
            )
            if regisseur is None or not running:
                continue
            day = _workday(
                self.today + dt.timedelta(days=7),
                self.today + dt.timedelta(days=5),
                self.today + dt.timedelta(days=12),
            )
            casus_ids = set(
                CaseMembership.objects.filter(
                    case__in=running, role=CaseRole.CASUSREGISSEUR, user__isnull=False
                )
                .exclude(valid_to__lt=self.today)
                .values_list("user_id", flat=True)
            )
            people = [u for u in self.users.values() if u.pk in casus_ids]
            created = self.clamp(self.now - dt.timedelta(days=4))
            meeting = Meeting.objects.create(
                house=house,
                case=None,
                kind=Meeting.Kind.MONITORING,
                starts_at=at(day, 9),
                ends_at=at(day, 11),
                location=house.name,
                organiser=regisseur.user,
                created_at=created,
            )
            Participant.objects.bulk_create(
                [Participant(meeting=meeting, user=u, invited_at=created) for u in people]
            )
            MonitoringItem.objects.bulk_create(
                [
                    MonitoringItem(meeting=meeting, case=c, position=k)
                    for k, c in enumerate(running, 1)
                ]
            )
            self.ev(
                "meeting.scheduled",
                regisseur.user,
                None,
                meeting,
                created,
                {
                    "soort": Meeting.Kind.MONITORING,
                    "begint": meeting.starts_at.isoformat(),
                    "deelnemers": [u.pk for u in people],
                    "betrokkene_uitgenodigd": False,
                    "zwaarwegende_redenen_vastgelegd": False,
                },
            )
            self.summary.add("monitoringsoverleg")

    def run(self) -> dict[str, int]:
        for house in House.objects.order_by("code"):
            letter_template_for(house)
        infos = self.load()
        self.seed_start(infos)
        self.seed_execution_phase(infos)
        self.seed_closing(infos)
        self.seed_signals_and_escalations(infos)
        self.ensure_my_actions(infos)
        self.seed_monitoring()
        self.events.sort(key=lambda e: e.occurred_at or self.now)
        record_many(self.events)
        return dict(self.summary.counts)


@transaction.atomic
def seed_execution(seed: int = 2026) -> dict[str, int]:
    """Put the demo's PGA cases in every state of the start, execution and closing."""
    return ExecutionSeeder(seed).run()
