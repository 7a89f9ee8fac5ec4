"""Intake pages: refer, follow my referrals, screen, enrich, run the weekly triage.

Each submodule holds one part; config/urls.py imports them directly, and this package
re-exports the views for other callers.
"""

from ketenregie.intake.views.attachments import (
    attachment_download,
)
from ketenregie.intake.views.enrichment import (
    enrichment_answer,
    enrichment_list,
)
from ketenregie.intake.views.referral import (
    criteria_check,
    feedback_read,
    my_referrals,
    referral_create,
    referral_detail,
    referral_edit,
    referral_start,
)
from ketenregie.intake.views.screening import (
    referral_agenda,
    referral_screen,
    screening_list,
)
from ketenregie.intake.views.triage import (
    triage_attendance,
    triage_cancel,
    triage_cancel_date,
    triage_detail,
    triage_list,
    triage_outcome,
)

__all__ = [
    "attachment_download",
    "criteria_check",
    "enrichment_answer",
    "enrichment_list",
    "feedback_read",
    "my_referrals",
    "referral_agenda",
    "referral_create",
    "referral_detail",
    "referral_edit",
    "referral_screen",
    "referral_start",
    "screening_list",
    "triage_attendance",
    "triage_cancel",
    "triage_cancel_date",
    "triage_detail",
    "triage_list",
    "triage_outcome",
]
