"""Who may do what in the execution phase, on top of the one case gate (cases.access).

Every function takes a case that already came through `get_case_for`, so the need-to-know
rules (who sees the case, pseudonymised or not) are decided there and only there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import Http404

from ketenregie.accounts.access import can_work_with_cases, holds_role_at
from ketenregie.accounts.roles import Role
from ketenregie.cases.access import can_manage_case, personal_director_roles, visible_cases
from ketenregie.cases.models import CaseRole
from ketenregie.cases.workflow import RUNNING_STATUSES
from ketenregie.plans.models import DirectorEscalation, Meeting

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.cases.models import Case
    from ketenregie.plans.models import Action

# Who escalates to whom: the casusregisseur to the procesregisseur, the procesregisseur
# to the house's manager.
ESCALATION_STEP = {
    CaseRole.CASUSREGISSEUR: DirectorEscalation.To.PROCESREGISSEUR,
    CaseRole.PROCESREGISSEUR: DirectorEscalation.To.MANAGER,
}


def director_roles(user: User, case: Case) -> set[str]:
    """The viewer's personal director roles on a case seen through the gate."""
    if not case.full_access:
        return set()
    return personal_director_roles(user, case.pk)


def may_write_plan(user: User, case: Case) -> bool:
    """Plan, safety plan and action list are written by a director while the case runs
    (the services refuse other statuses too; this decides what the pages offer)."""
    return case.status in RUNNING_STATUSES and can_direct(user, case)


def escalation_steps(roles: set[str]) -> set[str]:
    """The escalation steps these director roles may take (both, when holding both)."""
    return {ESCALATION_STEP[CaseRole(r)] for r in roles if r in ESCALATION_STEP}


def can_handle_escalation(user: User, record: DirectorEscalation) -> bool:
    """An escalation to the manager is handled by a manager of the case's house; one to
    the procesregisseur by the case's active procesregisseur (through the gate)."""
    if record.to == DirectorEscalation.To.MANAGER:
        return holds_role_at(user, Role.MANAGER, record.case.house_id)
    case = visible_cases(user).filter(pk=record.case_id).first()
    return case is not None and can_manage_case(user, case)


def can_direct(user: User, case: Case) -> bool:
    """Plan, safety plan and action list are kept by the procesregisseur and casusregisseur."""
    return bool(director_roles(user, case))


def owns_action(user: User, action: Action) -> bool:
    """An action is the user's own, or their organisation's (then any colleague reports)."""
    return action.owner_user_id == user.pk or action.owner_organisation_id == user.organisation_id


@dataclass(frozen=True)
class MeetingView:
    """A meeting as one viewer may see it: the one decision of who sees which part.

    `case` comes through the gate (None when the viewer does not see the case); `full`
    says the viewer sees that case in full; `item_full` holds, for a monitoring meeting,
    the agenda cases the viewer sees in full (the rest shows as code only).
    """

    meeting: Meeting
    case: Case | None
    may_manage: bool
    full: bool
    item_full: frozenset[int]
    show_minutes: bool

    @property
    def show_actions(self) -> bool:
        return self.full or self.meeting.case_id is None


def get_meeting_for(user: User, meeting_id: Any) -> MeetingView:
    """The meeting if the user may see it (404 otherwise, as for cases): a participant,
    the organiser, anyone who sees the case through the gate, or a procesregisseur of the
    house for a monitoring meeting. Only the case's active procesregisseur runs a case
    meeting (not a former organiser)."""
    try:
        meeting = (
            Meeting.objects.select_related("house", "case", "organiser")
            .prefetch_related("items")
            .get(pk=int(meeting_id))
        )
    except (Meeting.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not can_work_with_cases(user):
        raise Http404
    case: Case | None = None
    if meeting.case_id is not None:
        case = (
            visible_cases(user).filter(pk=meeting.case_id).select_related("person", "house").first()
        )
    participant = meeting.participants.filter(user_id=user.pk).exists()
    organiser = meeting.organiser_id == user.pk
    if meeting.case_id is not None:
        allowed = case is not None or participant
        manage = case is not None and can_manage_case(user, case)
    else:
        house_director = holds_role_at(user, Role.PROCESREGISSEUR, meeting.house_id)
        allowed = participant or house_director or organiser
        manage = house_director or organiser
    if not allowed:
        raise Http404
    item_full: frozenset[int] = frozenset()
    if meeting.kind == Meeting.Kind.MONITORING:
        item_full = frozenset(
            visible_cases(user)
            .filter(Q(full_access=True), pk__in=[i.case_id for i in meeting.items.all()])
            .values_list("pk", flat=True)
        )
    full = bool(case is not None and case.full_access)
    if meeting.case_id is not None:
        show_minutes = full
    else:
        # Monitoring minutes may touch every case on the agenda: only the organiser and
        # who sees all of those cases in full read them.
        agenda = {i.case_id for i in meeting.items.all()}
        show_minutes = organiser or agenda <= item_full
    return MeetingView(
        meeting=meeting,
        case=case,
        may_manage=manage,
        full=full,
        item_full=item_full,
        show_minutes=show_minutes,
    )
