"""Pages of the execution phase: case meetings, the plan, the safety plan, "Mijn acties",
escalation between directors. Every case is read through cases.access.get_case_for.

Each submodule holds one part; config/urls.py imports them directly, and this package
re-exports the views for other callers.
"""

from ketenregie.plans.views.actions import (
    action_report,
    my_actions,
)
from ketenregie.plans.views.case_meetings import (
    meeting_action,
    meeting_admit,
    meeting_attendance,
    meeting_cancel,
    meeting_detail,
    meeting_minutes,
    meeting_new,
    meeting_participant,
    meeting_reply,
    meeting_send,
    meetings,
    monitoring_new,
)
from ketenregie.plans.views.escalation import (
    escalate,
    escalation_handle,
)
from ketenregie.plans.views.plan import (
    plan_action,
    plan_adopt,
    plan_casusregisseur,
    plan_goal,
    plan_goal_reached,
    plan_page,
    plan_pdf,
    plan_scores,
    plan_start,
    plan_statement,
    plan_text,
    plan_version,
)
from ketenregie.plans.views.safety import (
    safety_agreement,
    safety_page,
    safety_pdf,
    safety_save,
    safety_score,
    safety_start,
)

__all__ = [
    "action_report",
    "escalate",
    "escalation_handle",
    "meeting_action",
    "meeting_admit",
    "meeting_attendance",
    "meeting_cancel",
    "meeting_detail",
    "meeting_minutes",
    "meeting_new",
    "meeting_participant",
    "meeting_reply",
    "meeting_send",
    "meetings",
    "monitoring_new",
    "my_actions",
    "plan_action",
    "plan_adopt",
    "plan_casusregisseur",
    "plan_goal",
    "plan_goal_reached",
    "plan_page",
    "plan_pdf",
    "plan_scores",
    "plan_start",
    "plan_statement",
    "plan_text",
    "plan_version",
    "safety_agreement",
    "safety_page",
    "safety_pdf",
    "safety_save",
    "safety_score",
    "safety_start",
]
