"""URL map of Ketenregie."""

from django.urls import include, path, register_converter

from ketenregie.accounts import security_events
from ketenregie.accounts import views as accounts_views
from ketenregie.cases import views as case_views
from ketenregie.core import views as core_views
from ketenregie.core.converters import IdConverter
from ketenregie.dashboard import views as dashboard_views
from ketenregie.intake.views import additions as intake_additions_views
from ketenregie.intake.views import attachments as intake_attachments_views
from ketenregie.intake.views import enrichment as intake_enrichment_views
from ketenregie.intake.views import referral as intake_referral_views
from ketenregie.intake.views import screening as intake_screening_views
from ketenregie.intake.views import triage as intake_triage_views
from ketenregie.pga import views as pga_views
from ketenregie.plans.views import actions as plan_actions_views
from ketenregie.plans.views import case_meetings as plan_meetings_views
from ketenregie.plans.views import escalation as plan_escalation_views
from ketenregie.plans.views import plan as plan_plan_views
from ketenregie.plans.views import safety as plan_safety_views
from ketenregie.privacy import processing_views
from ketenregie.privacy import rights_views as privacy_rights
from ketenregie.privacy import views as privacy_views
from ketenregie.privacy import views_retention as retention_views
from ketenregie.reports import matrix_views as reports_matrix_views
from ketenregie.reports import mi_views as reports_mi_views

# allauth answers too many requests with this view (allauth.core.internal.ratelimit):
# audited and in Dutch.
handler429 = security_events.rate_limited
# Every id in a path is <id:...>: beyond 2^63 - 1 (or 0) the URL does not match (404).
register_converter(IdConverter, "id")

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("sessie/", core_views.session_status, name="session_status"),
    # MFA is mandatory (ADR 11): in front of allauth's own "deactivate TOTP".
    path("accounts/2fa/totp/deactivate/", accounts_views.mfa_deactivate_refused),
    path("accounts/", include("allauth.urls")),
    path("account-instellen/<str:token>/", accounts_views.account_setup, name="account_setup"),
    path("", dashboard_views.dashboard, name="dashboard"),
    path("casussen/", case_views.case_list, name="case_list"),
    path("sturing/behoeften/", reports_matrix_views.needs_matrix, name="needs_matrix"),
    path("sturing/behoeften/csv/", reports_matrix_views.needs_matrix_csv, name="needs_matrix_csv"),
    path("sturing/behoeften/pdf/", reports_matrix_views.needs_matrix_pdf, name="needs_matrix_pdf"),
    path("casussen/<id:case_id>/", case_views.case_detail, name="case_detail"),
    path("casussen/<id:case_id>/betrokkene/", case_views.person_edit, name="person_edit"),
    path("casussen/<id:case_id>/team/nieuw/", case_views.team_add, name="team_add"),
    path(
        "casussen/<id:case_id>/team/<id:membership_id>/beeindigen/",
        case_views.team_end,
        name="team_end",
    ),
    path("aanmelden/", intake_referral_views.referral_start, name="referral_start"),
    path("aanmelden/<id:house_id>/", intake_referral_views.referral_create, name="referral_create"),
    path(
        "aanmelden/<id:house_id>/criteria/",
        intake_referral_views.criteria_check,
        name="criteria_check",
    ),
    path("aanmeldingen/", intake_referral_views.my_referrals, name="my_referrals"),
    path(
        "aanmeldingen/terugmeldingen-gelezen/",
        intake_referral_views.feedback_read,
        name="feedback_read",
    ),
    path(
        "aanmeldingen/<id:case_id>/", intake_referral_views.referral_detail, name="referral_detail"
    ),
    path(
        "aanmeldingen/<id:case_id>/wijzigen/",
        intake_referral_views.referral_edit,
        name="referral_edit",
    ),
    path(
        "aanmeldingen/<id:case_id>/screenen/",
        intake_screening_views.referral_screen,
        name="referral_screen",
    ),
    path(
        "aanmeldingen/<id:case_id>/koppelen/",
        intake_screening_views.referral_link,
        name="referral_link",
    ),
    path(
        "aanmeldingen/<id:case_id>/aanvullen/",
        intake_additions_views.referral_add,
        name="referral_add",
    ),
    path(
        "aanmeldingen/<id:case_id>/agenderen/",
        intake_screening_views.referral_agenda,
        name="referral_agenda",
    ),
    path(
        "bijlagen/<id:attachment_id>/",
        intake_attachments_views.attachment_download,
        name="attachment_download",
    ),
    path("screening/", intake_screening_views.screening_list, name="screening_list"),
    path("bekendheidscheck/", intake_enrichment_views.enrichment_list, name="enrichment_list"),
    path(
        "bekendheidscheck/<id:request_id>/",
        intake_enrichment_views.enrichment_answer,
        name="enrichment_answer",
    ),
    path("triage/", intake_triage_views.triage_list, name="triage_list"),
    path("triage/<id:meeting_id>/", intake_triage_views.triage_detail, name="triage_detail"),
    path(
        "triage/<id:meeting_id>/vervalt/", intake_triage_views.triage_cancel, name="triage_cancel"
    ),
    path(
        "triage/huis/<id:house_id>/<str:day>/vervalt/",
        intake_triage_views.triage_cancel_date,
        name="triage_cancel_date",
    ),
    path(
        "triage/agendapunt/<id:item_id>/aanwezigheid/",
        intake_triage_views.triage_attendance,
        name="triage_attendance",
    ),
    path(
        "triage/agendapunt/<id:item_id>/uitkomst/",
        intake_triage_views.triage_outcome,
        name="triage_outcome",
    ),
    path(
        "casussen/<id:case_id>/team/<id:membership_id>/overdragen/",
        case_views.team_handover,
        name="team_handover",
    ),
    path("casussen/<id:case_id>/start/", pga_views.informing_page, name="pga_informing"),
    path(
        "casussen/<id:case_id>/start/informeren/",
        pga_views.informing_record,
        name="pga_informing_record",
    ),
    path(
        "casussen/<id:case_id>/start/startgesprek/",
        pga_views.start_conversation_record,
        name="pga_start_conversation",
    ),
    path("casussen/<id:case_id>/start/uitvoering/", pga_views.pga_execute, name="pga_execute"),
    path("casussen/<id:case_id>/informatiebrief.pdf", pga_views.letter, name="pga_letter"),
    path("casussen/<id:case_id>/afsluiten/", pga_views.closing_page, name="pga_closing"),
    path("casussen/<id:case_id>/signaal/", pga_views.signal_raise, name="pga_signal"),
    path(
        "casussen/<id:case_id>/signaal/<id:signal_id>/afhandelen/",
        pga_views.signal_resolve,
        name="pga_signal_resolve",
    ),
    path("casussen/<id:case_id>/afsluiten/besluit/", pga_views.close, name="pga_close"),
    path(
        "casussen/<id:case_id>/afsluiten/eindgesprek/",
        pga_views.closing_conversation,
        name="pga_closing_conversation",
    ),
    path("casussen/<id:case_id>/heropenen/", pga_views.reopen, name="pga_reopen"),
    path("casussen/<id:case_id>/opschalen/", pga_views.escalate, name="pga_escalate"),
    path("casussen/<id:case_id>/escalatieniveau/", case_views.escalation, name="case_escalation"),
    path("casussen/<id:case_id>/plan/", plan_plan_views.plan_page, name="plan"),
    path("casussen/<id:case_id>/plan/starten/", plan_plan_views.plan_start, name="plan_start"),
    path("casussen/<id:case_id>/plan/tekst/", plan_plan_views.plan_text, name="plan_text"),
    path("casussen/<id:case_id>/plan/scores/", plan_plan_views.plan_scores, name="plan_scores"),
    path(
        "casussen/<id:case_id>/plan/uitspraak/",
        plan_plan_views.plan_statement,
        name="plan_statement",
    ),
    path("casussen/<id:case_id>/plan/doel/", plan_plan_views.plan_goal, name="plan_goal"),
    path(
        "casussen/<id:case_id>/plan/doel/<id:goal_id>/bereikt/",
        plan_plan_views.plan_goal_reached,
        name="plan_goal_reached",
    ),
    path(
        "casussen/<id:case_id>/plan/doel/<id:goal_id>/behoefte/",
        plan_plan_views.plan_goal_tags,
        name="plan_goal_tags",
    ),
    path("casussen/<id:case_id>/plan/actie/", plan_plan_views.plan_action, name="plan_action"),
    path(
        "casussen/<id:case_id>/plan/actie/<id:action_id>/behoefte/",
        plan_plan_views.plan_action_tags,
        name="plan_action_tags",
    ),
    path("casussen/<id:case_id>/plan/vaststellen/", plan_plan_views.plan_adopt, name="plan_adopt"),
    path(
        "casussen/<id:case_id>/plan/casusregisseur/",
        plan_plan_views.plan_casusregisseur,
        name="plan_casusregisseur",
    ),
    path(
        "casussen/<id:case_id>/plan/versie/<id:number>/",
        plan_plan_views.plan_version,
        name="plan_version",
    ),
    path("casussen/<id:case_id>/plan-van-aanpak.pdf", plan_plan_views.plan_pdf, name="plan_pdf"),
    path(
        "casussen/<id:case_id>/veiligheidsplan/", plan_safety_views.safety_page, name="safety_plan"
    ),
    path(
        "casussen/<id:case_id>/veiligheidsplan/starten/",
        plan_safety_views.safety_start,
        name="safety_start",
    ),
    path(
        "casussen/<id:case_id>/veiligheidsplan/opslaan/",
        plan_safety_views.safety_save,
        name="safety_save",
    ),
    path(
        "casussen/<id:case_id>/veiligheidsplan/afspraak/",
        plan_safety_views.safety_agreement,
        name="safety_agreement",
    ),
    path(
        "casussen/<id:case_id>/veiligheidsplan/schaalvraag/",
        plan_safety_views.safety_score,
        name="safety_score",
    ),
    path(
        "casussen/<id:case_id>/veiligheidsplan.pdf",
        plan_safety_views.safety_pdf,
        name="safety_pdf",
    ),
    path(
        "casussen/<id:case_id>/overleg/nieuw/", plan_meetings_views.meeting_new, name="meeting_new"
    ),
    path(
        "casussen/<id:case_id>/regie-opschalen/",
        plan_escalation_views.escalate,
        name="director_escalate",
    ),
    path(
        "opschalingen/<id:escalation_id>/afhandelen/",
        plan_escalation_views.escalation_handle,
        name="escalation_handle",
    ),
    path("overleggen/", plan_meetings_views.meetings, name="meetings"),
    path("overleggen/monitoring/nieuw/", plan_meetings_views.monitoring_new, name="monitoring_new"),
    path("overleggen/<id:meeting_id>/", plan_meetings_views.meeting_detail, name="meeting_detail"),
    path(
        "overleggen/<id:meeting_id>/antwoord/",
        plan_meetings_views.meeting_reply,
        name="meeting_reply",
    ),
    path(
        "overleggen/<id:meeting_id>/aanwezigheid/",
        plan_meetings_views.meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "overleggen/<id:meeting_id>/verslag/",
        plan_meetings_views.meeting_minutes,
        name="meeting_minutes",
    ),
    path(
        "overleggen/<id:meeting_id>/versturen/",
        plan_meetings_views.meeting_send,
        name="meeting_send",
    ),
    path(
        "overleggen/<id:meeting_id>/vervalt/",
        plan_meetings_views.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "overleggen/<id:meeting_id>/deelnemer/",
        plan_meetings_views.meeting_participant,
        name="meeting_participant",
    ),
    path(
        "overleggen/<id:meeting_id>/actie/",
        plan_meetings_views.meeting_action,
        name="meeting_action",
    ),
    path(
        "overleggen/<id:meeting_id>/deelnemer/<id:participant_id>/opnemen/",
        plan_meetings_views.meeting_admit,
        name="meeting_admit",
    ),
    path("acties/", plan_actions_views.my_actions, name="my_actions"),
    path("acties/<id:action_id>/melden/", plan_actions_views.action_report, name="action_report"),
    path("privacy/", privacy_rights.privacy_dashboard, name="privacy_dashboard"),
    path("privacy/verzoeken/", privacy_rights.request_list, name="privacy_requests"),
    path("privacy/verzoeken/nieuw/", privacy_rights.request_new, name="privacy_request_new"),
    path(
        "privacy/verzoeken/<id:request_id>/",
        privacy_rights.request_detail,
        name="privacy_request_detail",
    ),
    path(
        "privacy/verzoeken/<id:request_id>/koppelen/",
        privacy_rights.request_link,
        name="privacy_request_link",
    ),
    path(
        "privacy/verzoeken/<id:request_id>/verlengen/",
        privacy_rights.request_extend,
        name="privacy_request_extend",
    ),
    path(
        "privacy/verzoeken/<id:request_id>/afhandelen/",
        privacy_rights.request_close,
        name="privacy_request_close",
    ),
    path(
        "privacy/afgewezen-aanmeldingen/",
        privacy_rights.rejection_counts,
        name="rejection_counts",
    ),
    path("audittrail/", privacy_views.audit_search, name="audit_search"),
    path("inzageverzoek/", privacy_views.subject_access, name="subject_access"),
    path(
        "inzageverzoek/<id:pk>/",
        privacy_views.subject_access_review,
        name="subject_access_review",
    ),
    path(
        "inzageverzoek/<id:pk>/vrijgeven/",
        privacy_views.subject_access_release,
        name="subject_access_release",
    ),
    path("register-gegevensdeling/", privacy_views.sharing_register, name="sharing_register"),
    path(
        "register-gegevensdeling/vaste-grondslagen/",
        privacy_views.exchange_bases,
        name="exchange_bases",
    ),
    path(
        "register-gegevensdeling/vaste-grondslagen/<id:house_id>/<slug:kind>/",
        privacy_views.exchange_basis_edit,
        name="exchange_basis_edit",
    ),
    path(
        "register-gegevensdeling/export.csv",
        privacy_views.sharing_register_csv,
        name="sharing_register_csv",
    ),
    path("bewaartermijnen/", retention_views.retention_page, name="retention"),
    path(
        "bewaartermijnen/<int:house_id>/<str:category>/",
        retention_views.retention_period,
        name="retention_period",
    ),
    path(
        "bewaartermijnen/casus/<int:case_id>/blokkeren/",
        retention_views.hold_case,
        name="retention_hold",
    ),
    path(
        "bewaartermijnen/blokkade/<int:hold_id>/opheffen/",
        retention_views.lift_hold,
        name="retention_lift",
    ),
    # The processing register (AVG art. 30) per house, versioned.
    path("verwerkingsregister/", processing_views.registers, name="processing_registers"),
    path(
        "verwerkingsregister/<id:house_id>/",
        processing_views.register_detail,
        name="processing_register",
    ),
    path(
        "verwerkingsregister/<id:house_id>/starten/",
        processing_views.register_start,
        name="processing_register_start",
    ),
    path(
        "verwerkingsregister/<id:house_id>/algemeen/",
        processing_views.edit_general,
        name="processing_general",
    ),
    path(
        "verwerkingsregister/<id:house_id>/verwerkingen/nieuw/",
        processing_views.add_processing,
        name="processing_add",
    ),
    path(
        "verwerkingsregister/<id:house_id>/verwerkingen/<slug:key>/",
        processing_views.edit_processing,
        name="processing_edit",
    ),
    path(
        "verwerkingsregister/<id:house_id>/verwerkingen/<slug:key>/verwijderen/",
        processing_views.remove_processing,
        name="processing_remove",
    ),
    path(
        "verwerkingsregister/<id:house_id>/versies/<id:number>/",
        processing_views.version_detail,
        name="processing_version",
    ),
    path(
        "verwerkingsregister/<id:house_id>/versies/<id:number>/pdf/",
        processing_views.version_pdf,
        name="processing_version_pdf",
    ),
    path(
        "verwerkingsregister/<id:house_id>/vergelijken/",
        processing_views.compare,
        name="processing_compare",
    ),
    path(
        "verwerkingsregister/<id:house_id>/pdf/",
        processing_views.register_pdf,
        name="processing_register_pdf",
    ),
    path("pga-scan/", include("ketenregie.reports.scan_urls")),
    # Issue 15, the household variant: each part keeps its own URL module.
    path("", include("ketenregie.cases.household_urls")),
    path("", include("ketenregie.cases.escalation_urls")),
    path("", include("ketenregie.plans.household_urls")),
    path("", include("ketenregie.pga.aftercare_urls")),
    path("", include("ketenregie.safeguarding.meldcode_urls")),
    path("", include("ketenregie.safeguarding.vi_urls")),
    path("sturing/", reports_mi_views.management_info, name="management_info"),
    path("sturing/<slug:topic>/", reports_mi_views.management_info, name="management_info_topic"),
    path(
        "sturing/<slug:topic>/export.csv",
        reports_mi_views.management_info_csv,
        name="management_info_csv",
    ),
    path(
        "sturing/<slug:topic>/export.pdf",
        reports_mi_views.management_info_pdf,
        name="management_info_pdf",
    ),
    path("beheer/", accounts_views.manage_index, name="manage_index"),
    path("beheer/gebruikers/rolaanvragen/", accounts_views.grant_requests, name="grant_requests"),
    path(
        "beheer/gebruikers/rolaanvragen/<id:pk>/",
        accounts_views.grant_decide,
        name="grant_decide",
    ),
    path(
        "beheer/gebruikers/<id:pk>/instellink/",
        accounts_views.manage_setup_link,
        name="manage_setup_link",
    ),
    path(
        "beheer/gebruikers/<id:pk>/mfa-resetten/",
        accounts_views.manage_mfa_reset,
        name="manage_mfa_reset",
    ),
    path("beheer/<slug:kind>/", accounts_views.manage_list, name="manage_list"),
    path("beheer/<slug:kind>/nieuw/", accounts_views.manage_edit, name="manage_create"),
    path("beheer/<slug:kind>/<id:pk>/", accounts_views.manage_edit, name="manage_edit"),
]
