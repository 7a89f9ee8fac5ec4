"""Writes of the execution phase: meetings and minutes, the plan and its versions, goals,
actions and reports, the safety plan, escalation between directors.

Each submodule holds one part; this package re-exports their public names so callers
keep writing `services.schedule_meeting`. Patch a name in the submodule that looks it
up, not here.
"""

from ketenregie.plans.services.actions import (
    add_action,
    my_actions_filter,
    report_on_action,
    send_reminders,
)
from ketenregie.plans.services.escalation import (
    escalate,
    handle_escalation,
    house_managers,
)
from ketenregie.plans.services.meetings import (
    add_participant,
    admit_participant,
    agree_casusregisseur,
    cancel_meeting,
    forget_casusregisseur_agreements,
    mark_held,
    procesregisseur_ids,
    record_attendance,
    reply,
    save_minutes,
    schedule_meeting,
    send_minutes,
)
from ketenregie.plans.services.plan import (
    PLAN_TEXT_FIELDS,
    add_goal,
    add_statement,
    adopt_plan,
    domain_rows,
    plan_content,
    plan_for,
    save_domain_scores,
    save_plan_text,
    set_goal_reached,
)
from ketenregie.plans.services.safety import (
    CONTACT_FIELDS,
    SAFETY_FIELDS,
    add_safety_agreement,
    add_safety_score,
    safety_plan_for,
    save_safety_plan,
)
from ketenregie.plans.services.signatures import save_signatures
from ketenregie.plans.services.tags import set_action_tags, set_goal_tags

__all__ = [
    "forget_casusregisseur_agreements",
    "set_action_tags",
    "set_goal_tags",
    "PLAN_TEXT_FIELDS",
    "CONTACT_FIELDS",
    "SAFETY_FIELDS",
    "add_action",
    "add_goal",
    "add_participant",
    "add_safety_agreement",
    "add_safety_score",
    "add_statement",
    "admit_participant",
    "adopt_plan",
    "agree_casusregisseur",
    "cancel_meeting",
    "mark_held",
    "domain_rows",
    "escalate",
    "handle_escalation",
    "house_managers",
    "my_actions_filter",
    "plan_content",
    "procesregisseur_ids",
    "plan_for",
    "record_attendance",
    "reply",
    "report_on_action",
    "safety_plan_for",
    "save_domain_scores",
    "save_minutes",
    "save_plan_text",
    "save_safety_plan",
    "save_signatures",
    "schedule_meeting",
    "send_minutes",
    "send_reminders",
    "set_goal_reached",
]
