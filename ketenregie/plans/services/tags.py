"""Writes of the tags of a goal or an action: the need it addresses and the intervention
used (ADR 24). Audited as values: ids of social-map records, never free text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from ketenregie.audit.writes import lock, save_audited
from ketenregie.plans.models import Action, Goal, Intervention, Need
from ketenregie.plans.services.common import _running
from ketenregie.plans.socialmap import tag_errors

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

_LABELS = {"need": "behoefte", "intervention": "interventie"}


@transaction.atomic
def set_goal_tags(
    goal: Goal, *, actor: User, need: Need | None, intervention: Intervention | None
) -> Goal:
    """Tag a goal with the need it addresses and the intervention used."""
    locked = lock(goal, related=["plan"])
    case = _running(locked.plan.case)
    errors = tag_errors(
        case,
        need,
        intervention,
        kept_need_id=locked.need_id,
        kept_intervention_id=locked.intervention_id,
    )
    if errors:
        raise ValidationError(errors)
    save_audited(
        locked,
        actor=actor,
        action="plan.goal_tagged",
        values={"need": need, "intervention": intervention},
        case_id=case.pk,
        labels=_LABELS,
    )
    return locked


@transaction.atomic
def set_action_tags(
    action: Action,
    *,
    actor: User,
    need: Need | None,
    intervention: Intervention | None,
    expected_version: int | None = None,
) -> Action:
    """Tag an action; an empty need means the action serves its goal's need."""
    locked = lock(action, expected_version=expected_version)
    case = _running(locked.case)
    goal_need = locked.goal.need if locked.goal is not None else None
    effective = need or goal_need
    errors = tag_errors(
        case,
        effective,
        intervention,
        kept_need_id=locked.need_id if need is not None else getattr(goal_need, "pk", None),
        kept_intervention_id=locked.intervention_id,
    )
    if errors:
        raise ValidationError(errors)
    save_audited(
        locked,
        actor=actor,
        action="action.tagged",
        values={"need": need, "intervention": intervention},
        case_id=case.pk,
        labels=_LABELS,
    )
    return locked
