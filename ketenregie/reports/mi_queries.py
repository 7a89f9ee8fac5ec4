"""The aggregate reads behind the management information (issue 14, ADR 22).

Each function answers one question for a `Scope` (houses and a period) with grouped SQL
on indexed columns and returns plain counts or durations; nothing here returns a case,
a person or a text. The small-number rule is applied afterwards (`reports.mi`), on these
raw figures. The rules are the domain's own: phases and status groups from
`cases.workflow`, "overdue" from `Action.objects.overdue()`, "minutes late" from the
meeting's one-week deadline, active team roles from `cases.models.active_on_q`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Count, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from ketenregie.cases.models import DIRECTOR_ROLES, Case, CaseMembership, StatusChange, active_on_q
from ketenregie.cases.workflow import (
    CLOSED_STATUSES,
    EXECUTION_ENDED_STATUSES,
    INTAKE_STATUSES,
    PGA_STATUSES,
    PHASE_OF,
    Phase,
    Status,
)
from ketenregie.core.timeutil import today
from ketenregie.intake.models import RejectionCount
from ketenregie.pga.models import Closing
from ketenregie.plans.models import Action, Goal, Meeting, PlanVersion


@dataclass(frozen=True)
class Scope:
    """Which houses, over which period (inclusive dates, local time)."""

    house_ids: tuple[int, ...]
    start: dt.date
    end: dt.date
    # The municipality the person lives in (Person.gemeente); empty: all.
    municipality: str = ""

    def cases(self, path: str = "") -> Q:
        """The condition "a case in this scope" for a model reached through `path`
        ("case__", "plan__case__", or "" for Case itself)."""
        condition = Q(**{f"{path}house_id__in": self.house_ids})
        if self.municipality:
            condition &= Q(**{f"{path}person__gemeente": self.municipality})
        return condition

    # Cached: the durations loop reads them once per case (50,000 times for a region at
    # national scale: a quarter of a second of make_aware).
    @cached_property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @cached_property
    def end_at(self) -> dt.datetime:
        """The first instant after the period."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(1), dt.time.min))

    @cached_property
    def months(self) -> list[dt.date]:
        """The first day of every month the period touches."""
        out, day = [], self.start.replace(day=1)
        while day <= self.end:
            out.append(day)
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return out


def municipalities(house_ids: Iterable[int]) -> list[str]:
    """The municipalities the persons of these houses' cases live in (for the filter)."""
    return list(
        Case.objects.filter(house_id__in=list(house_ids))
        .exclude(person__gemeente="")
        .order_by("person__gemeente")
        .values_list("person__gemeente", flat=True)
        .distinct()
    )


def _month_of(value: dt.datetime | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def _per_month(rows: Iterable[tuple[Any, ...]]) -> dict[tuple[Any, ...], int]:
    """Rows (month, *keys, n) of a TruncMonth grouping, with the month as a date."""
    out: dict[tuple[Any, ...], int] = Counter()
    for month, *keys, n in rows:
        out[(_month_of(month), *keys)] += n
    return out


# Referrals in and their outcome -----------------------------------------------------


class Outcome:
    STARTED = "gestart"
    NO_PGA = "geen_pga"
    REFERRED = "doorverwezen"
    PENDING = "lopend"


def _outcome(status: str) -> str:
    if status in INTAKE_STATUSES:
        return Outcome.PENDING
    if status == Status.GEEN_PGA:
        return Outcome.NO_PGA
    if status == Status.DOORVERWEZEN:
        return Outcome.REFERRED
    return Outcome.STARTED


def referrals(scope: Scope) -> dict[str, Any]:
    """Referrals that came in during the period: per current outcome, the anonymous
    rejection counts per category (referrals not put on the agenda leave only those),
    and both per month."""
    cases = Case.objects.filter(
        scope.cases(),
        created_at__gte=scope.start_at,
        created_at__lt=scope.end_at,
    ).exclude(status=Status.CONCEPT)
    outcome: Counter[str] = Counter()
    monthly: Counter[dt.date] = Counter()
    rows = (
        cases.annotate(m=TruncMonth("created_at"))
        .order_by()
        .values_list("m", "status")
        .annotate(n=Count("pk"))
    )
    for (month, status), n in _per_month(rows).items():
        outcome[_outcome(status)] += n
        monthly[month] += n
    # Rejected referrals leave no person, so no municipality: only per house.
    rejected = RejectionCount.objects.filter(
        house_id__in=scope.house_ids if not scope.municipality else (),
        week__gte=scope.start,
        week__lte=scope.end,
    )
    per_category: Counter[str] = Counter()
    for month, category, n in (
        rejected.annotate(m=TruncMonth("week"))
        .order_by()
        .values_list("m", "category")
        .annotate(n=Count("pk"))
        .values_list("m", "category", "count")
    ):
        per_category[category] += n
        monthly[_month_of(month)] += n
    return {"outcome": outcome, "rejected": per_category, "monthly": monthly}


# Cases per phase and escalation level -------------------------------------------------


def phases_now(scope: Scope) -> dict[tuple[str, int], int]:
    """Cases now, per phase of their status and escalation level (drafts left out)."""
    rows = (
        Case.objects.filter(scope.cases())
        .exclude(status=Status.CONCEPT)
        .order_by()
        .values_list("status", "escalation_level")
        .annotate(n=Count("pk"))
    )
    out: Counter[tuple[str, int]] = Counter()
    for status, level, n in rows:
        out[(PHASE_OF[Status(status)].value, level)] += n
    return out


def phase_inflow(scope: Scope) -> dict[tuple[dt.date, str], int]:
    """Per month: how many cases entered each phase (a status change into it)."""
    rows = (
        StatusChange.objects.filter(
            scope.cases("case__"),
            changed_at__gte=scope.start_at,
            changed_at__lt=scope.end_at,
        )
        .annotate(m=TruncMonth("changed_at"))
        .order_by()
        .values_list("m", "from_status", "to_status")
        .annotate(n=Count("pk"))
    )
    out: Counter[tuple[dt.date, str]] = Counter()
    for (month, old, new), n in _per_month(rows).items():
        # A change within a phase (screening to enrichment) is no entry into it.
        phase = PHASE_OF[Status(new)]
        if not old or PHASE_OF[Status(old)] != phase:
            out[(month, phase.value)] += n
    return out


# Phase durations --------------------------------------------------------------------

# The milestones of a case; each step runs from one to the next.
STEPS = (
    ("referral", "triage"),
    ("triage", "start"),
    ("start", "first_meeting"),
    ("first_meeting", "plan"),
    ("start", "closed"),
    ("referral", "closed"),
)


def milestones(scope: Scope) -> dict[int, dict[str, dt.datetime]]:
    """Per case that reached a milestone in the period: when it reached each one.

    referral: the case came in; triage: it left the intake phase (a decision); start:
    execution began (in uitvoering); first meeting: the first case meeting that was not
    cancelled; plan: the first adopted version; closed: execution ended.
    """
    moved = StatusChange.objects.filter(
        scope.cases("case__"),
        changed_at__gte=scope.start_at,
        changed_at__lt=scope.end_at,
    ).values("case_id")
    # One row per case: the first moment of each milestone, by conditional MIN.
    decided = [s for s, phase in PHASE_OF.items() if phase != Phase.AANMELDING]
    firsts = (
        StatusChange.objects.filter(case_id__in=moved)
        .order_by()
        .values_list("case_id")
        .annotate(
            referral=Min("changed_at", filter=Q(to_status=Status.AANGEMELD)),
            triage=Min(
                "changed_at",
                filter=Q(to_status__in=decided) & ~Q(to_status=Status.IN_UITVOERING),
            ),
            start=Min("changed_at", filter=Q(to_status=Status.IN_UITVOERING)),
            closed=Min("changed_at", filter=Q(to_status__in=EXECUTION_ENDED_STATUSES)),
        )
    )
    out: dict[int, dict[str, dt.datetime]] = {}
    keys = ("referral", "triage", "start", "closed")
    for case_id, *moments in firsts:
        out[case_id] = {k: at for k, at in zip(keys, moments, strict=True) if at is not None}

    def first(case_id: int, key: str, at: dt.datetime) -> None:
        marks = out.get(case_id)
        if marks is not None and (key not in marks or at < marks[key]):
            marks[key] = at

    meetings = (
        Meeting.objects.live()
        .filter(case_id__in=moved, kind=Meeting.Kind.FIRST)
        .order_by()
        .values_list("case_id")
        .annotate(at=Min("starts_at"))
    )
    for case_id, at in meetings:
        first(case_id, "first_meeting", at)
    plans = (
        PlanVersion.objects.filter(plan__case_id__in=moved)
        .order_by()
        .values_list("plan__case_id")
        .annotate(at=Min("adopted_at"))
    )
    for case_id, at in plans:
        first(case_id, "plan", at)
    return out


def durations(scope: Scope) -> dict[tuple[str, str], list[float]]:
    """Per step, the days it took, for steps that ended within the period."""
    out: dict[tuple[str, str], list[float]] = {step: [] for step in STEPS}
    for marks in milestones(scope).values():
        for begin, end in STEPS:
            if begin in marks and end in marks:
                ended = marks[end]
                if scope.start_at <= ended < scope.end_at and ended >= marks[begin]:
                    out[(begin, end)].append((ended - marks[begin]).total_seconds() / 86400)
    return out


# Minutes within a week ------------------------------------------------------------------


def minutes_in_time(scope: Scope) -> dict[dt.date, tuple[int, int]]:
    """Per month of the meeting: (minutes sent within the week, meetings whose minutes
    were due). Meetings whose week has not passed and whose minutes are not sent yet
    are not counted yet."""
    due_by = timezone.make_aware(dt.datetime.combine(today() - dt.timedelta(days=7), dt.time.min))
    meetings = (
        Meeting.objects.live()
        .filter(
            Q(house_id__in=scope.house_ids)
            & (scope.cases("case__") if scope.municipality else Q()),
            starts_at__gte=scope.start_at,
            starts_at__lt=min(scope.end_at, due_by),
        )
        .annotate(day=TruncDate("starts_at"), sent=TruncDate("minutes_sent_at"))
        .order_by()
        .values_list("day", "sent")
        .annotate(n=Count("pk"))
    )
    # One row per (meeting day, sending day): the rule is applied to days, not meetings.
    out: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for day, sent, n in meetings:
        row = out[_month_of(day)]
        row[1] += n
        if Meeting.minutes_in_time(day, sent):
            row[0] += n
    return {month: (a, b) for month, (a, b) in out.items()}


# Overdue actions ------------------------------------------------------------------------


def overdue_now_per_organisation(scope: Scope) -> list[tuple[str, int, int]]:
    """Per partner organisation owning open actions: (name, overdue, open)."""
    base = Action.objects.filter(scope.cases("case__"))
    open_rows = dict(
        base.open()
        .order_by()
        .values_list("owner_organisation__name")
        .annotate(n=Count("pk"))
        .values_list("owner_organisation__name", "n")
    )
    overdue_rows = dict(
        base.overdue()
        .order_by()
        .values_list("owner_organisation__name")
        .annotate(n=Count("pk"))
        .values_list("owner_organisation__name", "n")
    )
    return [(name, overdue_rows.get(name, 0), n) for name, n in sorted(open_rows.items())]


def overdue_trend(scope: Scope) -> dict[dt.date, tuple[int, int]]:
    """At the end of each month: (overdue, open) actions, from the actions' own dates
    (created, due, closed): an action was open at a moment if it was created before and
    not closed by then, and overdue if its due date had passed (`Action.overdue_on`)."""
    aggregates: dict[str, Any] = {}
    ends: dict[dt.date, dt.date] = {}
    for i, month in enumerate(scope.months):
        end = min((month + dt.timedelta(days=32)).replace(day=1), scope.end + dt.timedelta(1))
        end = min(end, today() + dt.timedelta(1))
        ends[month] = end
        moment = timezone.make_aware(dt.datetime.combine(end, dt.time.min))
        open_then = Q(created_at__lt=moment) & (
            Q(closed_at__isnull=True, state=Action.State.OPEN) | Q(closed_at__gte=moment)
        )
        aggregates[f"open{i}"] = Count("pk", filter=open_then)
        aggregates[f"late{i}"] = Count("pk", filter=open_then & Q(due_date__lt=end))
    if not aggregates:
        return {}
    # Only actions that can have been open at some moment of the period.
    row = (
        Action.objects.filter(scope.cases("case__"), created_at__lt=scope.end_at)
        .exclude(closed_at__lt=scope.start_at)
        .aggregate(**aggregates)
    )
    return {m: (row[f"late{i}"], row[f"open{i}"]) for i, m in enumerate(scope.months)}


# Caseload ---------------------------------------------------------------------------------


def caseload(scope: Scope) -> dict[str, dict[int, int]]:
    """Per directing role: per user holding it today, on how many running cases."""
    rows = (
        CaseMembership.objects.filter(
            active_on_q(today()),
            scope.cases("case__"),
            role__in=DIRECTOR_ROLES,
            user__isnull=False,
            case__status__in=PGA_STATUSES,
        )
        .order_by()
        .values_list("role", "user_id")
        .annotate(n=Count("case_id", distinct=True))
    )
    out: dict[str, dict[int, int]] = {role: {} for role in DIRECTOR_ROLES}
    for role, user_id, n in rows:
        out[role][user_id] = n
    return out


# Outcomes at closing --------------------------------------------------------------------


def closing_outcomes(scope: Scope) -> dict[str, int]:
    """Cases whose execution ended in the period: closed with a warm handover, escalated
    to a Zorg- en Veiligheidshuis, reopened within a year of closing; and the goals of
    the plans of the cases closed, per answer to "reached"."""
    in_period = Q(changed_at__gte=scope.start_at, changed_at__lt=scope.end_at)
    changes = StatusChange.objects.filter(in_period, scope.cases("case__"))
    closed_ids = changes.filter(to_status=Status.AFGESLOTEN).values("case_id")
    handover = (
        Closing.objects.filter(
            case_id__in=closed_ids,
            provisional=False,
            closed_at__gte=scope.start_at,
            closed_at__lt=scope.end_at,
        )
        .values("case_id")
        .distinct()
        .count()
    )
    escalated = changes.filter(to_status=Status.OPGESCHAALD).values("case_id").distinct().count()
    # Reopened within a year: a closing in the period followed by a reopening.
    closings = changes.filter(to_status__in=CLOSED_STATUSES).values_list("case_id", "changed_at")
    first_close: dict[int, dt.datetime] = {}
    for case_id, at in closings:
        first_close[case_id] = min(at, first_close.get(case_id, at))
    reopened = 0
    reopenings = StatusChange.objects.filter(
        case_id__in=changes.filter(to_status__in=CLOSED_STATUSES).values("case_id"),
        from_status__in=CLOSED_STATUSES,
        to_status=Status.IN_UITVOERING,
    ).values_list("case_id", "changed_at")
    seen: set[int] = set()
    for case_id, at in reopenings:
        closed_at = first_close.get(case_id)
        if (
            case_id not in seen
            and closed_at is not None
            and closed_at < at <= closed_at + dt.timedelta(days=365)
        ):
            seen.add(case_id)
            reopened += 1
    goals = dict(
        Goal.objects.filter(plan__case_id__in=closed_ids)
        .order_by()
        .values_list("reached")
        .annotate(n=Count("pk"))
        .values_list("reached", "n")
    )
    return {
        "handover": handover,
        "escalated": escalated,
        "reopened": reopened,
        **{f"goal_{k}": goals.get(k, 0) for k in Goal.Reached.values},
    }


# Life-domain scores -------------------------------------------------------------------


def domain_change(scope: Scope, domains: list[str]) -> dict[str, Counter[str]]:
    """Per life domain: how many cases improved, stayed the same or got worse between
    their first and their last adopted plan (plans with a version adopted in the period
    and at least two versions).

    Reads only the first and the last version of each plan, and of those only their
    scores (`PlanVersion.scores`, a few numbers kept beside the snapshot), never the
    snapshot with its texts.
    """
    plans = PlanVersion.objects.filter(
        scope.cases("plan__case__"),
        adopted_at__gte=scope.start_at,
        adopted_at__lt=scope.end_at,
    ).values("plan_id")
    last = (
        PlanVersion.objects.filter(plan_id=OuterRef("plan_id"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = (
        PlanVersion.objects.filter(plan_id__in=plans)
        .annotate(last=Subquery(last))
        .filter(Q(number=1) | Q(number=F("last")))
        .exclude(last=1)
        .order_by("plan_id", "number")
        .values_list("plan_id", "number", "scores")
    )
    wanted = set(domains)
    first: dict[int, dict[str, Any]] = {}
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for plan_id, number, snapshot in versions:
        if number == 1:
            first[plan_id] = snapshot or {}
            continue
        before = first.pop(plan_id, None)
        if before is None:
            continue
        for name, after in (snapshot or {}).items():
            was = before.get(name)
            if name not in wanted or was is None or after is None:
                continue
            # Scores run 1 (acute problems) to 5 (fully self-reliant): higher is better.
            key = "beter" if after > was else "slechter" if after < was else "gelijk"
            out[name][key] += 1
    return out
