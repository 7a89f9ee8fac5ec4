"""Every intake write: referral drafts and submission, screening, enrichment, triage.

Each submodule holds one part; this package re-exports their public names so callers
keep writing `services.save_referral`. Patch a name in the submodule that looks it up,
not here.
"""

from ketenregie.intake.grounds import PUBLIC_DOMAINS
from ketenregie.intake.services.enrichment import (
    SLOT_MINUTES,
    answer_enrichment,
    put_on_agenda,
    slot_of,
)
from ketenregie.intake.services.feedback import (
    format_meeting,
    mark_feedback_read,
    tell_referrer_closed,
)
from ketenregie.intake.services.household_start import start_without_triage
from ketenregie.intake.services.meeting_dates import (
    coming_ad_hoc_meetings,
    meeting_for_submission,
    meeting_on,
    next_meeting_after_now,
    next_open_meeting,
    submission_date,
    upcoming_meetings,
)
from ketenregie.intake.services.referral import (
    REFERRAL_FIELDS,
    ReferralInput,
    add_to_referral,
    check_attachments,
    keep_uploads,
    kept_uploads,
    remove_expired_draft_uploads,
    save_referral,
)
from ketenregie.intake.services.screening import (
    approve_for_enrichment,
    delete_referral_data,
    earlier_cases,
    link_to_earlier_case,
    refer_elsewhere,
    reject_referral,
)
from ketenregie.intake.services.triage import (
    IncidentalInvitee,
    cancel_meeting,
    cancel_meeting_on,
    decide_outcome,
    record_attendance,
)

__all__ = [
    "IncidentalInvitee",
    "PUBLIC_DOMAINS",
    "REFERRAL_FIELDS",
    "ReferralInput",
    "SLOT_MINUTES",
    "answer_enrichment",
    "approve_for_enrichment",
    "cancel_meeting",
    "cancel_meeting_on",
    "check_attachments",
    "keep_uploads",
    "kept_uploads",
    "remove_expired_draft_uploads",
    "coming_ad_hoc_meetings",
    "decide_outcome",
    "delete_referral_data",
    "earlier_cases",
    "link_to_earlier_case",
    "format_meeting",
    "tell_referrer_closed",
    "mark_feedback_read",
    "meeting_for_submission",
    "meeting_on",
    "next_meeting_after_now",
    "next_open_meeting",
    "put_on_agenda",
    "record_attendance",
    "refer_elsewhere",
    "reject_referral",
    "add_to_referral",
    "save_referral",
    "slot_of",
    "start_without_triage",
    "submission_date",
    "upcoming_meetings",
]
