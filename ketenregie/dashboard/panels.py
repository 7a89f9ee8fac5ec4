"""The dashboard's panels: who gets each one and the one query function that fills it.

A panel returns the template variables it owns; the view merges the panels that apply
to the user. Every read of case content goes through the gate (`visible_cases` and the
plans, pga and intake queries built on it). Counts are bounded (`bounded_count`): a
panel says "meer dan 1.000" rather than count a large set exactly on every visit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count

from ketenregie.accounts.access import (
    MANAGEMENT_INFO_ROLES,
    PRIVACY_ROLES,
    houses_where,
    management_house_ids,
    works_with_cases,
)
from ketenregie.accounts.roles import Role
from ketenregie.cases.access import member_cases, visible_cases
from ketenregie.cases.escalation_map import next_steps_for, open_notices_for
from ketenregie.cases.workflow import INTAKE_STATUSES, PHASE_OF, Phase
from ketenregie.core.paging import bounded_count
from ketenregie.core.timeutil import today
from ketenregie.intake.access import visible_requests
from ketenregie.intake.models import Feedback
from ketenregie.intake.queries import last_weeks, rejection_totals
from ketenregie.pga.queries import aftercare_follow_ups, due_informing_reviews
from ketenregie.plans import queries as plan_queries
from ketenregie.reports.mi import headlines
from ketenregie.reports.mi_forms import default_period
from ketenregie.safeguarding.vi_queries import open_matches

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

type Context = dict[str, object]


def referrer_panel(user: User) -> Context:
    """Aanmelder: unread feedback on their referrals."""
    return {"unread_feedback": bounded_count(Feedback.objects.filter(recipient=user, read_at=None))}


def director_panel(user: User) -> Context:
    """Procesregisseur: postponed informing to review, late minutes, overdue actions and
    escalations from casusregisseurs on the cases they direct."""
    return {
        "due_reviews": due_informing_reviews(user),
        # Issue 15 (phases): aftercare agreements whose follow-up date comes due.
        "aftercare_follow_ups": aftercare_follow_ups(user),
        "late_minutes": list(plan_queries.late_minutes_for_director(user)[:20]),
        "director_overdue": list(plan_queries.directed_overdue_actions(user)[:10]),
        "director_escalations": list(plan_queries.open_escalations_for_director(user)[:20]),
    }


def manager_panel(user: User) -> Context:
    """Manager: escalations, late minutes and overdue actions in the houses they manage,
    and the anonymous counts of referrals not put on the agenda (last four weeks)."""
    managed = houses_where(user, Role.MANAGER)
    return {
        "manager_rejections": rejection_totals(managed, *last_weeks(today(), 4)),
        "manager_late_minutes": list(plan_queries.late_minutes_for_manager(user)[:50]),
        "manager_escalations": list(plan_queries.open_escalations_for_manager(user)[:50]),
        "manager_overdue": plan_queries.overdue_actions_per_house(user),
    }


def steering_panel(user: User) -> Context:
    """Manager, PGA expert, policy: headline figures of the management information (the
    last twelve months, the houses they may read), each a link to its page."""
    return {"steering": headlines(list(management_house_ids(user)), *default_period())}


def enrichment_panel(user: User) -> Context:
    """Ketenpartner professional: open enrichment requests for their organisation."""
    return {"open_requests": bounded_count(visible_requests(user).filter(answer=""))}


def chair_panel(user: User) -> Context:
    """Triagevoorzitter: referrals waiting in screening, enrichment or triage."""
    return {"to_screen": bounded_count(visible_cases(user).filter(status__in=INTAKE_STATUSES))}


def signals_panel(user: User) -> Context:
    """Case work: unresolved signals on the cases the user directs."""
    return {"open_signals": list(plan_queries.open_signals_for_director(user)[:20])}


def vi_panel(user: User) -> Context:
    """Case work (issue 15, slice vi): Verwijsindex matches of the user's own signals whose
    consultation is still to be held."""
    return {"vi_matches": open_matches(user)}


def actions_panel(user: User) -> Context:
    """Case work: the user's and their organisation's open actions."""
    open_actions = plan_queries.my_open_actions(user)
    return {
        "my_actions": list(open_actions[:5]),
        "my_actions_open": bounded_count(open_actions),
        "my_actions_overdue": bounded_count(open_actions.overdue()),
    }


def cases_panel(user: User) -> Context:
    """Case work: the user's own cases per phase and the ten changed most recently."""
    mine = member_cases(user).select_related("person", "house").order_by("-status_changed_at")
    per_status = dict(mine.order_by().values_list("status").annotate(n=Count("pk")))
    per_phase = dict.fromkeys(Phase, 0)
    for status, n in per_status.items():
        per_phase[PHASE_OF[status]] += n
    return {
        "my_cases": list(mine[:10]),
        "phase_counts": [(p.label, p.value, per_phase[p]) for p in Phase],
    }


def privacy_panel(user: User) -> Context:
    """FG and privacy contact: their work starts on the privacy dashboard."""
    return {"privacy_landing": True}


def escalation_notices_panel(user: User) -> Context:
    """Anyone the escalation map named at a level change (issue 15): the case code, the
    levels and the map's next step; no case content."""
    notices = list(open_notices_for(user)[:20])
    steps = next_steps_for(notices)
    return {
        "escalation_notices": [
            (n, steps.get((n.case.house_id, n.change.to_level), "")) for n in notices
        ]
    }


def _has(role: Role) -> Callable[[frozenset[str]], bool]:
    return lambda roles: role in roles


@dataclass(frozen=True)
class Panel:
    shown_to: Callable[[frozenset[str]], bool]
    build: Callable[[User], Context]


# In the order they are filled; the template decides the order on the page.
PANELS: tuple[Panel, ...] = (
    Panel(_has(Role.AANMELDER), referrer_panel),
    Panel(_has(Role.PROCESREGISSEUR), director_panel),
    Panel(_has(Role.MANAGER), manager_panel),
    Panel(lambda roles: bool(roles & set(MANAGEMENT_INFO_ROLES)), steering_panel),
    Panel(_has(Role.PROFESSIONAL), enrichment_panel),
    Panel(works_with_cases, signals_panel),
    Panel(works_with_cases, vi_panel),
    Panel(works_with_cases, actions_panel),
    Panel(works_with_cases, cases_panel),
    # CASE_WORK_ROLES holds the chair, so the count lands next to "Mijn casussen".
    Panel(_has(Role.TRIAGEVOORZITTER), chair_panel),
    Panel(lambda roles: bool(roles & set(PRIVACY_ROLES)), privacy_panel),
    # Whom the escalation map can name: regisseurs (case work), managers, PGA experts.
    Panel(
        lambda roles: works_with_cases(roles) or bool(roles & {Role.MANAGER, Role.PGA_EXPERT}),
        escalation_notices_panel,
    ),
)


def panels_for(user: User, roles: frozenset[str]) -> Context:
    """The template variables of every panel this user's roles call for."""
    context: Context = {}
    for panel in PANELS:
        if panel.shown_to(roles):
            context.update(panel.build(user))
    return context
