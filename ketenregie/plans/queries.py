"""Reads of the execution phase for dashboards: overdue actions, late minutes, escalations.

Case content goes only through the gate (visible_cases); a manager, who sees no case
pages, gets case codes, dates and the escalation reason written for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from ketenregie.accounts.access import houses_where
from ketenregie.accounts.roles import Role
from ketenregie.cases.access import directed_case_ids, seen_in_full
from ketenregie.cases.models import DIRECTOR_ROLES
from ketenregie.plans.models import Action, ActionQuerySet, DirectorEscalation, Goal, Meeting
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


def plan_records_for_subject(case: Case) -> dict[str, Any]:
    """The execution records of a case for the subject access export (privacy): the plan
    with its scores, statements and goals, the safety plan with its agreements, meetings,
    monitoring notes and actions with their reports. A fixed number of queries per case."""
    from ketenregie.plans.models import MonitoringItem, Plan, SafetyPlan

    return {
        "plan": Plan.objects.filter(case=case)
        .prefetch_related("domain_scores__domain", "statements", "goals")
        .first(),
        "safety_plan": SafetyPlan.objects.filter(case=case).prefetch_related("agreements").first(),
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
