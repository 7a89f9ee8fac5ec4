"""Reads of the execution phase for dashboards: overdue actions, late minutes, escalations;
and for the needs matrix (reports), aggregate counts of tagged needs and the social map.

Case content goes only through the gate (visible_cases); a manager, who sees no case
pages, gets case codes, dates and the escalation reason written for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ketenregie.accounts.access import houses_where
from ketenregie.accounts.roles import Role
from ketenregie.cases.access import directed_case_ids, seen_in_full
from ketenregie.cases.models import DIRECTOR_ROLES
from ketenregie.cases.phases import PhaseFacts
from ketenregie.plans.models import (
    Action,
    ActionQuerySet,
    DirectorEscalation,
    Goal,
    Intervention,
    Meeting,
    Need,
)
from ketenregie.plans.services import my_actions_filter

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.cases.models import Case


def my_actions(user: User) -> ActionQuerySet:
    """The user's and their organisation's actions on cases they see in full ("Mijn
    acties"); through the gate, so never an action of a case they may not see. The gate's
    rule is checked per action (`seen_in_full`): the list reads actions in date order
    and stops at a page, instead of first collecting every case the user sees."""
    return (
        Action.objects.filter(my_actions_filter(user), seen_in_full(user))
        .select_related("case", "owner_user", "owner_organisation")
        .order_by("due_date", "pk")
    )


def my_open_actions(user: User) -> ActionQuerySet:
    return my_actions(user).open()


def directed_overdue_actions(user: User) -> QuerySet[Action]:
    """Overdue open actions on the cases this procesregisseur directs."""
    return (
        Action.objects.overdue()
        .filter(case_id__in=directed_case_ids(user))
        .select_related("case", "owner_user", "owner_organisation")
        .order_by("due_date", "pk")
    )


def late_minutes_for_director(user: User) -> QuerySet[Meeting]:
    houses = houses_where(user, Role.PROCESREGISSEUR)
    meetings = Meeting.objects.filter(
        Q(case_id__in=directed_case_ids(user)) | Q(case__isnull=True, house_id__in=houses)
    )
    return meetings.minutes_late().select_related("case", "house").order_by("starts_at")


def late_minutes_for_manager(user: User) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(house_id__in=houses_where(user, Role.MANAGER))
        .minutes_late()
        .select_related("case", "house", "organiser")
        .order_by("starts_at")
    )


def open_escalations_for_manager(user: User) -> QuerySet[DirectorEscalation]:
    return (
        DirectorEscalation.objects.filter(
            to=DirectorEscalation.To.MANAGER,
            handled_at__isnull=True,
            case__house_id__in=houses_where(user, Role.MANAGER),
        )
        .select_related("case", "by")
        .order_by("at")
    )


def open_escalations_for_director(user: User) -> QuerySet[DirectorEscalation]:
    return (
        DirectorEscalation.objects.filter(
            to=DirectorEscalation.To.PROCESREGISSEUR,
            handled_at__isnull=True,
            case_id__in=directed_case_ids(user),
        )
        .select_related("case", "by")
        .order_by("at")
    )


def overdue_actions_per_house(user: User) -> list[tuple[str, int]]:
    """For a manager: how many open actions are past their date, per managed house."""
    from django.db.models import Count

    rows = (
        Action.objects.overdue()
        .filter(case__house_id__in=houses_where(user, Role.MANAGER))
        .values_list("case__house__name")
        .annotate(n=Count("pk"))
        .order_by("case__house__name")
    )
    return [(name, n) for name, n in rows]


def open_signals_for_director(user: User) -> QuerySet[Any]:
    """Unresolved signals on the cases this user directs (procesregisseur or casusregisseur)."""
    from ketenregie.pga.models import Signal

    return (
        Signal.objects.filter(
            case_id__in=directed_case_ids(user, DIRECTOR_ROLES), resolved_at__isnull=True
        )
        .select_related("case", "raised_by")
        .order_by("-raised_at")
    )


def closing_goals(case: Case) -> dict[str, Any]:
    """For the closing page (pga): closing follows the plan's goals, so show them there."""
    return {"goals": list(Goal.objects.filter(plan__case=case))}


def household_phase_facts(case: Case) -> PhaseFacts:
    """The meeting facts that split a status into the household phases (cases.phases):
    the start meeting planned, held and its minutes sent; a later meeting ahead, or held
    with its minutes still to send. A case read through the gate; three small queries."""
    first = Meeting.objects.first_of(case.pk).order_by("-starts_at", "-pk").first()
    if first is None:
        return PhaseFacts()
    now = timezone.now()
    later = (
        Meeting.objects.live()
        .filter(Q(case_id=case.pk) | Q(items__case_id=case.pk), starts_at__gt=first.starts_at)
        .exclude(pk=first.pk)
    )
    return PhaseFacts(
        start_meeting_planned=True,
        start_meeting_held=first.is_held or first.has_begun,
        start_minutes_sent=first.minutes_sent_at is not None,
        progress_meeting_planned=later.filter(starts_at__gt=now).exists(),
        progress_meeting_held=later.filter(
            starts_at__lte=now, minutes_sent_at__isnull=True
        ).exists(),
    )


def plan_records_for_subject(case: Case) -> dict[str, Any]:
    """The execution records of a case for the subject access export (privacy): the plan
    with its scores, statements and goals, the safety plan with its agreements and
    contacts, meetings, monitoring notes and actions with their reports. A fixed number
    of queries per case."""
    from ketenregie.plans.models import MonitoringItem, Plan, SafetyPlan

    return {
        "plan": Plan.objects.filter(case=case)
        .prefetch_related("domain_scores__domain", "statements", "goals")
        .first(),
        "safety_plan": SafetyPlan.objects.filter(case=case)
        .prefetch_related("agreements", "contacts")
        .first(),
        "meetings": list(Meeting.objects.filter(case=case).order_by("starts_at", "pk")),
        "monitoring": list(
            MonitoringItem.objects.filter(case=case).select_related("meeting").order_by("pk")
        ),
        "actions": list(
            Action.objects.filter(case=case)
            .select_related("owner_user", "owner_organisation")
            .prefetch_related("reports")
            .order_by("pk")
        ),
    }


@dataclass(frozen=True)
class NeedCounts:
    """Running cases per need and intervention in one area (aggregates only, ADR 24).

    `per_need`: need id -> (cases with the need, of those with any intervention for it);
    `cells`: (need id, intervention id) -> cases with the need that got that intervention;
    `running`: all running cases in the area, tagged or not.
    """

    per_need: dict[int, tuple[int, int]]
    cells: dict[tuple[int, int], int]
    running: int


def _sql(qs: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    compiler = qs.order_by().query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()
    return sql, tuple(params)


def need_counts(*, region_id: int, house_id: int | None = None) -> NeedCounts:
    """How many running cases of a region (or one house in it) need what, and which
    intervention they got: one grouped query, whatever the number of needs and
    interventions. A case counts once per need, also when several of its goals and actions
    carry it; an action without its own need serves its goal's."""
    from django.db import connections
    from django.db.models import F
    from django.db.models.functions import Coalesce

    from ketenregie.cases.models import Case
    from ketenregie.cases.workflow import RUNNING_STATUSES

    where: dict[str, Any] = {"status__in": sorted(RUNNING_STATUSES), "house__region_id": region_id}
    if house_id is not None:
        where["house_id"] = house_id
    cases = Case.objects.filter(**where)
    # Annotations only, in one order: the SQL's column order is then the order given here.
    goal_tags = (
        Goal.objects.filter(plan__case__in=cases.values("pk"), need__isnull=False)
        .annotate(tag_case=F("plan__case_id"), tag_need=F("need"), tag_int=F("intervention"))
        .values_list("tag_case", "tag_need", "tag_int")
    )
    action_tags = (
        Action.objects.filter(case__in=cases.values("pk"))
        .annotate(
            tag_case=F("case_id"),
            tag_need=Coalesce("need", "goal__need"),
            tag_int=F("intervention"),
        )
        .filter(tag_need__isnull=False)
        .values_list("tag_case", "tag_need", "tag_int")
    )
    goal_sql, goal_params = _sql(goal_tags)
    action_sql, action_params = _sql(action_tags)
    case_sql, case_params = _sql(cases.values("pk"))
    sql = f"""
        WITH tags (case_id, need_id, intervention_id) AS ({goal_sql} UNION {action_sql})
        SELECT 'n', need_id, NULL, COUNT(*), SUM(has_any) FROM (
            SELECT case_id, need_id,
                   MAX(CASE WHEN intervention_id IS NULL THEN 0 ELSE 1 END) AS has_any
            FROM tags GROUP BY case_id, need_id
        ) per_case GROUP BY need_id
        UNION ALL
        SELECT 'c', need_id, intervention_id, COUNT(DISTINCT case_id), 0 FROM tags
        WHERE intervention_id IS NOT NULL GROUP BY need_id, intervention_id
        UNION ALL
        SELECT 't', NULL, NULL, COUNT(*), 0 FROM ({case_sql}) running
    """  # noqa: S608 - the parts are Django's own SQL with parameters
    per_need: dict[int, tuple[int, int]] = {}
    cells: dict[tuple[int, int], int] = {}
    running = 0
    with connections[Goal.objects.db].cursor() as cursor:
        cursor.execute(sql, goal_params + action_params + case_params)
        for kind, need_id, intervention_id, n, with_any in cursor.fetchall():
            if kind == "n":
                per_need[int(need_id)] = (int(n), int(with_any or 0))
            elif kind == "c":
                cells[(int(need_id), int(intervention_id))] = int(n)
            else:
                running = int(n)
    return NeedCounts(per_need, cells, running)


def social_map(region_id: int) -> tuple[list[Need], list[Intervention]]:
    """The needs and the region's interventions (with the ids of the needs each meets):
    what the needs matrix sets the counts against. Inactive ones come along so a tag on
    them still has its row or column; the matrix says they are switched off."""
    needs = list(Need.objects.select_related("domain"))
    interventions = list(
        Intervention.objects.filter(region_id=region_id)
        .prefetch_related("needs")
        .order_by("name", "provider", "pk")
    )
    return needs, interventions
