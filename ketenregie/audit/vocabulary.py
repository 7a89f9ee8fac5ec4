"""The audit vocabulary: every action code the product writes, with its Dutch label.

`services.record` refuses a code that is not declared here, so each new kind of event
gets its label, its kind and its visibility for advisers in the same change. The case
timeline and the privacy officer's audit search read all three from this table.

Kinds:
- read: someone looked at or took out data (page views, lists, searches, downloads);
  hidden on the timeline unless "show reads" is ticked.
- change: everything else the trail records, including sign-ins and system events.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(enum.StrEnum):
    READ = "read"
    CHANGE = "change"


@dataclass(frozen=True)
class AuditAction:
    code: str
    label: str | Promise
    kind: Kind = Kind.CHANGE
    # Shown on the pseudonymised (adviser) timeline: only who joined the team, and when.
    for_advisers: bool = False


class UnknownAuditAction(ValueError):
    """An action code that is not in the vocabulary: a programming error, not user input."""


R = Kind.READ

_ACTIONS = (
    # Signing in and out.
    AuditAction("auth.login", _("Ingelogd")),
    AuditAction("auth.logout", _("Uitgelogd")),
    AuditAction("auth.login_failed", _("Inlogpoging mislukt")),
    AuditAction("auth.mfa_failed", _("Verificatiecode bij inloggen afgewezen")),
    # Security events (ADR 13). Those that come in floods are counted per account (or
    # address) and minute: `aantal` in the data says how many attempts a row stands for.
    AuditAction("auth.locked_out", _("Inloggen tijdelijk geblokkeerd na te veel pogingen")),
    AuditAction("auth.login_blocked", _("Inlogpoging geweigerd tijdens blokkade")),
    AuditAction("auth.rate_limited", _("Verzoek geweigerd: te veel verzoeken in korte tijd")),
    AuditAction("auth.csrf_failed", _("Formulier geweigerd: beveiligingscontrole mislukt")),
    AuditAction("auth.session_expired", _("Sessie beëindigd: maximale duur bereikt")),
    AuditAction("upload.refused", _("Bijlage geweigerd: schadelijke of actieve inhoud")),
    AuditAction("access.denied", _("Toegang geweigerd (pagina of casus niet toegestaan)")),
    # Management of users, regions, organisations and houses.
    AuditAction("user.created", _("Gebruiker aangemaakt")),
    AuditAction("user.updated", _("Gebruiker gewijzigd")),
    AuditAction("user.roles_changed", _("Rollen van gebruiker gewijzigd")),
    AuditAction("user.role_grant_requested", _("Toekenning van rol aangevraagd")),
    AuditAction("user.role_grant_approved", _("Toekenning van rol goedgekeurd")),
    AuditAction("user.role_grant_rejected", _("Toekenning van rol afgewezen")),
    AuditAction("user.setup_link_issued", _("Instellink voor account aangemaakt")),
    AuditAction("user.setup_completed", _("Account ingesteld met instellink")),
    AuditAction("user.mfa_reset", _("Tweestapsverificatie van gebruiker gereset")),
    AuditAction("region.created", _("Regio aangemaakt")),
    AuditAction("region.updated", _("Regio gewijzigd")),
    AuditAction("organisation.created", _("Organisatie aangemaakt")),
    AuditAction("organisation.updated", _("Organisatie gewijzigd")),
    AuditAction("house.created", _("Zorg- en Veiligheidshuis aangemaakt")),
    AuditAction("house.updated", _("Zorg- en Veiligheidshuis gewijzigd")),
    AuditAction("house.partners_changed", _("Ketenpartners van het huis gewijzigd")),
    AuditAction("lettertemplate.created", _("Informatiebrief van het huis aangemaakt")),
    AuditAction("lettertemplate.updated", _("Informatiebrief van het huis gewijzigd")),
    # The social map (needs and interventions) and the needs matrix (issue 14, ADR 24).
    AuditAction("need.created", _("Behoefte op de sociale kaart aangemaakt")),
    AuditAction("need.updated", _("Behoefte op de sociale kaart gewijzigd")),
    AuditAction("intervention.created", _("Interventie op de sociale kaart aangemaakt")),
    AuditAction("intervention.updated", _("Interventie op de sociale kaart gewijzigd")),
    AuditAction("matrix.viewed", _("Matrix behoeften en interventies ingezien"), R),
    AuditAction("matrix.exported", _("Matrix behoeften en interventies geëxporteerd"), R),
    # The audit trail itself and generated data.
    AuditAction("audit.searched", _("Audittrail doorzocht"), R),
    # A subject access export hands the person's data to the person (AVG art. 15).
    AuditAction("privacy.subject_access_exported", _("Inzageverzoek betrokkene uitgevoerd"), R),
    # The review before release: opened (a read of everything about the person) and the
    # passages withheld with a reason, or the other persons' names to black out (a change).
    AuditAction("privacy.subject_access_review_opened", _("Inzageverzoek betrokkene geopend")),
    AuditAction("privacy.subject_access_reviewed", _("Inzageverzoek betrokkene beoordeeld"), R),
    AuditAction(
        "privacy.subject_access_withheld", _("Inzageverzoek: passages weggelaten of hersteld")
    ),
    AuditAction("register.viewed", _("Register van gegevensdeling ingezien"), R),
    AuditAction("register.exported", _("Register van gegevensdeling geëxporteerd (CSV)"), R),
    # Retention (issue 13): the periods, legal holds and the daily deletion job. A
    # deleted case keeps its events; the deletion event names the case by its code.
    AuditAction("retention.viewed", _("Bewaartermijnen ingezien"), R),
    AuditAction("retention.period_set", _("Bewaartermijn vastgesteld")),
    AuditAction("retention.hold_placed", _("Casus geblokkeerd voor verwijdering (bewaarplicht)")),
    AuditAction("retention.hold_lifted", _("Blokkade voor verwijdering opgeheven")),
    AuditAction("retention.case_deleted", _("Casus verwijderd na bewaartermijn")),
    AuditAction("retention.rows_deleted", _("Verlopen gegevens verwijderd na bewaartermijn")),
    # The person's requests (AVG art. 15-21): logged, extended once, answered.
    AuditAction("privacy.request_logged", _("Verzoek van betrokkene vastgelegd")),
    AuditAction("privacy.request_linked", _("Verzoek van betrokkene gekoppeld aan betrokkene")),
    AuditAction("privacy.request_extended", _("Termijn van verzoek van betrokkene verlengd")),
    AuditAction("privacy.request_closed", _("Verzoek van betrokkene afgehandeld")),
    AuditAction("privacy.requests_listed", _("Verzoeken van betrokkenen bekeken"), R),
    AuditAction("privacy.request_viewed", _("Verzoek van betrokkene ingezien"), R),
    AuditAction("register.basis_set", _("Vaste grondslag van een uitwisseling vastgesteld")),
    # The processing register (AVG art. 30) of a house: each save is a new version.
    AuditAction("processing_register.started", _("Verwerkingsregister gestart met het model")),
    AuditAction("processing_register.saved", _("Verwerkingsregister gewijzigd (nieuwe versie)")),
    AuditAction(
        "processing_register.pdf_downloaded", _("Verwerkingsregister als PDF gedownload"), R
    ),
    AuditAction("demo.reference_loaded", _("Demogegevens geladen")),
    # Cases, persons and case teams.
    AuditAction("case.created", _("Casus aangemaakt"), for_advisers=True),
    AuditAction("case.viewed", _("Casus ingezien"), R),
    AuditAction("case.list_viewed", _("Casuslijst ingezien"), R),
    AuditAction("case.searched", _("Casussen doorzocht"), R),
    AuditAction("case.status_changed", _("Status gewijzigd")),
    AuditAction("case.escalation_changed", _("Escalatieniveau gewijzigd")),
    AuditAction("case.director_escalated", _("Opgeschaald binnen de regie")),
    AuditAction("case.director_escalation_handled", _("Opschaling afgehandeld")),
    AuditAction("person.created", _("Persoonsgegevens vastgelegd")),
    AuditAction("person.updated", _("Persoonsgegevens gewijzigd")),
    AuditAction("person.viewed", _("Persoonsgegevens ingezien"), R),
    AuditAction("household.member_added", _("Huisgenoot toegevoegd")),
    AuditAction("team.member_added", _("Teamlid toegevoegd"), for_advisers=True),
    AuditAction("team.member_ended", _("Teamlidmaatschap beëindigd"), for_advisers=True),
    AuditAction("team.handed_over", _("Rol overgedragen"), for_advisers=True),
    # Intake: referral, bekendheidscheck and integrale triage.
    AuditAction("feedback.read", _("Terugmeldingen als gelezen gemarkeerd")),
    AuditAction("referral.created", _("Aanmelding aangemaakt")),
    AuditAction("referral.updated", _("Aanmelding gewijzigd")),
    AuditAction("referral.content_saved", _("Inhoud aanmelding opgeslagen")),
    AuditAction("referral.attachment_added", _("Bijlage bij aanmelding toegevoegd")),
    AuditAction("referral.attachment_downloaded", _("Bijlage bij aanmelding gedownload"), R),
    AuditAction(
        "referral.upload_received",
        _("Bijlage ontvangen en gecontroleerd (bewaard tot de aanmelding is opgeslagen)"),
    ),
    AuditAction(
        "referral.draft_upload_expired",
        _("Niet gebruikte bewaarde bijlage van een aanmelding verwijderd"),
    ),
    AuditAction("referral.submitted", _("Aanmelding ingediend")),
    AuditAction("referral.acute_alerted", _("Triagevoorzitters gewaarschuwd: acute aanmelding")),
    AuditAction("referral.viewed", _("Aanmelding ingezien"), R),
    AuditAction(
        "referral.approved_for_enrichment", _("Aanmelding doorgezet naar bekendheidscheck")
    ),
    AuditAction("referral.rejected_and_deleted", _("Aanmelding afgewezen en verwijderd")),
    AuditAction("referral.put_on_agenda", _("Aanmelding geagendeerd voor integrale triage")),
    AuditAction("intake.duplicates_viewed", _("Mogelijke dubbele registraties bekeken"), R),
    AuditAction("referral.linked_to_case", _("Aanmelding gekoppeld aan eerdere casus")),
    AuditAction("case.referral_linked", _("Nieuwe aanmelding gekoppeld aan deze casus")),
    AuditAction("referral.addition_added", _("Aanmelding aangevuld door de aanmelder")),
    AuditAction("enrichment.answered", _("Bekendheidscheck beantwoord")),
    AuditAction("enrichment.viewed", _("Antwoorden bekendheidscheck ingezien"), R),
    AuditAction("enrichment.list_viewed", _("Verzoeken bekendheidscheck ingezien"), R),
    AuditAction("enrichment.request_viewed", _("Verzoek bekendheidscheck ingezien"), R),
    AuditAction("triage.agenda_viewed", _("Agenda integrale triage ingezien"), R),
    AuditAction("triage.attendance_recorded", _("Aanwezigheid aanmelder bij triage vastgelegd")),
    AuditAction("triage.moved", _("Verplaatst naar een volgende triage")),
    AuditAction("triage.cancelled", _("Integrale triage vervallen")),
    AuditAction("triage.ad_hoc_planned", _("Extra integrale triage gepland")),
    AuditAction("triage.outcome", _("Uitkomst integrale triage vastgelegd")),
    # Persoonsgerichte aanpak: start and closing.
    AuditAction("pga.informing_viewed", _("Informeren betrokkene ingezien"), R),
    AuditAction("pga.informing_recorded", _("Informeren betrokkene vastgelegd")),
    # The letter is a step of informing the person, recorded as such, not a look at data.
    AuditAction("pga.letter_downloaded", _("Informatiebrief gedownload")),
    AuditAction("pga.start_conversation_recorded", _("Startgesprek vastgelegd")),
    AuditAction("pga.signal_raised", _("Signaal afgegeven")),
    AuditAction("pga.signal_resolved", _("Signaal afgehandeld")),
    AuditAction("pga.closing_viewed", _("Afsluiting PGA ingezien"), R),
    AuditAction("pga.closing_conversation_recorded", _("Eindgesprek vastgelegd")),
    AuditAction("pga.closed", _("Casus afgesloten")),
    AuditAction("pga.escalated_to_zvh", _("Opgeschaald naar Zorg- en Veiligheidshuis")),
    # Case meetings.
    AuditAction("meeting.scheduled", _("Casusoverleg gepland")),
    AuditAction("meeting.viewed", _("Casusoverleg ingezien"), R),
    AuditAction("meeting.participant_invited", _("Deelnemer uitgenodigd voor casusoverleg")),
    AuditAction("meeting.replied", _("Antwoord op uitnodiging casusoverleg")),
    AuditAction("meeting.attendance_recorded", _("Aanwezigheid casusoverleg vastgelegd")),
    AuditAction("meeting.cancelled", _("Casusoverleg vervallen")),
    AuditAction("meeting.minutes_saved", _("Verslag casusoverleg opgeslagen")),
    AuditAction("meeting.case_note_saved", _("Notitie bij casus in monitoringsoverleg")),
    AuditAction("meeting.minutes_sent", _("Verslag en actielijst verstuurd")),
    # Plan van aanpak, actions and safety plan.
    AuditAction("plan.casusregisseur_agreed", _("Casusregisseur afgesproken")),
    AuditAction("plan.created", _("Plan van aanpak aangemaakt")),
    AuditAction("plan.viewed", _("Plan van aanpak ingezien"), R),
    AuditAction("plan.version_viewed", _("Eerdere versie plan van aanpak ingezien"), R),
    AuditAction("plan.text_saved", _("Plan van aanpak bijgewerkt")),
    AuditAction("plan.scores_saved", _("Scores leefgebieden bijgewerkt")),
    AuditAction("plan.statement_added", _("Kracht of zorg toegevoegd")),
    AuditAction("plan.goal_added", _("Doel toegevoegd")),
    AuditAction("plan.goal_updated", _("Doel bijgewerkt")),
    AuditAction("plan.goal_tagged", _("Behoefte of interventie van doel gewijzigd")),
    AuditAction("plan.adopted", _("Plan van aanpak vastgesteld")),
    AuditAction("plan.pdf_downloaded", _("Plan van aanpak als PDF gedownload"), R),
    AuditAction("action.added", _("Actie toegevoegd")),
    AuditAction("action.tagged", _("Behoefte of interventie van actie gewijzigd")),
    AuditAction("action.reported", _("Terugmelding op actie")),
    AuditAction("action.reminder_sent", _("Herinnering actie verstuurd")),
    AuditAction("action.list_viewed", _("Eigen actielijst ingezien"), R),
    AuditAction("safety.created", _("Veiligheidsplan aangemaakt")),
    AuditAction("safety.viewed", _("Veiligheidsplan ingezien"), R),
    AuditAction("safety.saved", _("Veiligheidsplan bijgewerkt")),
    AuditAction("safety.agreement_added", _("Veiligheidsafspraak toegevoegd")),
    AuditAction("safety.score_added", _("Schaalvraag veiligheid vastgelegd")),
    AuditAction("safety.pdf_downloaded", _("Veiligheidsplan als PDF gedownload"), R),
    # The PGA-scan (issue 14, reports): the answers themselves never enter the trail.
    AuditAction("scanstatement.created", _("Stelling PGA-scan aangemaakt")),
    AuditAction("scanstatement.updated", _("Stelling PGA-scan gewijzigd")),
    AuditAction("scan.round_opened", _("Ronde PGA-scan geopend")),
    AuditAction("scan.participants_invited", _("Deelnemers PGA-scan uitgenodigd")),
    AuditAction("scan.reminders_sent", _("Herinnering PGA-scan verstuurd")),
    AuditAction("scan.answers_saved", _("Antwoorden PGA-scan tussentijds opgeslagen")),
    AuditAction("scan.submitted", _("PGA-scan ingevuld en verstuurd")),
    AuditAction("scan.round_closed", _("Ronde PGA-scan gesloten")),
    AuditAction("scan.results_viewed", _("Uitkomsten PGA-scan ingezien"), R),
    AuditAction("scan.pdf_downloaded", _("Uitkomsten PGA-scan als PDF gedownload"), R),
    AuditAction("scan.conversation_recorded", _("Gesprek over de PGA-scan vastgelegd")),
    # Management information (issue 14): figures only; the data names topic and filters.
    AuditAction("reports.mi_viewed", _("Managementinformatie ingezien"), R),
    AuditAction("reports.mi_csv_exported", _("Managementinformatie als CSV geëxporteerd"), R),
    AuditAction("reports.mi_pdf_exported", _("Managementinformatie als PDF geëxporteerd"), R),
    # Issue 15, slice phases: aftercare, the trajectory's evaluation and phase 6a.
    AuditAction("pga.aftercare_viewed", _("Nazorg en evaluatie ingezien"), R),
    AuditAction("pga.aftercare_added", _("Nazorgafspraak vastgelegd")),
    AuditAction("pga.aftercare_changed", _("Nazorgafspraak gewijzigd")),
    AuditAction("pga.aftercare_removed", _("Nazorgafspraak verwijderd")),
    AuditAction("pga.evaluation_recorded", _("Evaluatie van het traject vastgelegd")),
    AuditAction("pga.evaluation_changed", _("Evaluatie van het traject gewijzigd")),
    AuditAction("pga.professional_change_viewed", _("Wisselingen professionals ingezien"), R),
    # Advisers see the team's comings and goings through the team.* events it writes.
    AuditAction(
        "pga.professional_change_recorded",
        _("Wisseling professional of procesregie vastgelegd (fase 6a)"),
    ),
    # Issue 15, slice hh: the client system (household variant). Member, network and
    # consent events name fields and versions, never the free text or names.
    AuditAction("household.viewed", _("Huishouden ingezien"), R),
    AuditAction("household.member_changed", _("Gezinslid gewijzigd")),
    AuditAction("household.member_ended", _("Gezinslid uit het huishouden")),
    AuditAction("household.network_added", _("Netwerkcontact toegevoegd")),
    AuditAction("household.network_changed", _("Netwerkcontact gewijzigd")),
    AuditAction("household.network_ended", _("Netwerkcontact beëindigd")),
    AuditAction("household.consent_recorded", _("Toestemming vastgelegd")),
    AuditAction("household.consent_withdrawn", _("Toestemming ingetrokken")),
    AuditAction("household.preference_recorded", _("Voorkeur procesregisseur vastgelegd")),
    AuditAction(
        "referral.started_without_triage", _("Coördinatie gestart zonder triage (huishouden)")
    ),
    # Slice templates (issue 15): support plan and safety plan per seed 002 7.1 / 7.2.
    AuditAction("case.safety_concerns_set", _("Zorgen over basiszorg of veiligheid vastgelegd")),
    AuditAction("plan.signed", _("Ondertekening plan van aanpak vastgelegd")),
    AuditAction("safety.signed", _("Ondertekening veiligheidsplan vastgelegd")),
    # Issue 15, slice escmap: the escalation map, competence profiles and the check.
    AuditAction("escalationmaplevel.created", _("Niveau van de escalatiekaart aangemaakt")),
    AuditAction("escalationmaplevel.updated", _("Niveau van de escalatiekaart gewijzigd")),
    AuditAction("competenceprofile.created", _("Competentieprofiel vastgelegd")),
    AuditAction("competenceprofile.updated", _("Competentieprofiel gewijzigd")),
    AuditAction("case.escalation_notified", _("Geïnformeerd volgens de escalatiekaart")),
    AuditAction("case.escalation_notice_seen", _("Melding escalatiekaart gezien")),
    AuditAction(
        "team.profile_override", _("Regisseur toegewezen onder het vereiste competentieprofiel")
    ),
    # Slice meldcode (issue 15): the meldcode trajectory, its five steps, the decision
    # questions (afwegingsvragen) and reports to Veilig Thuis with their follow-up.
    AuditAction("meldcode.viewed", _("Meldcode ingezien"), R),
    AuditAction("meldcode.started", _("Meldcodetraject gestart")),
    AuditAction("meldcode.step_recorded", _("Stap van de meldcode vastgelegd")),
    AuditAction("meldcode.acute_changed", _("Acuut gevaar (meldcode) gewijzigd")),
    AuditAction("meldcode.answers_recorded", _("Afwegingsvragen meldcode beantwoord")),
    AuditAction("meldcode.ended", _("Meldcodetraject afgesloten")),
    AuditAction("meldcode.vt_reported", _("Melding bij Veilig Thuis vastgelegd")),
    AuditAction("meldcode.vt_followup", _("Reactie van Veilig Thuis vastgelegd")),
    # Verwijsindex signals (issue 15, slice vi): the risk category is the signal's legal
    # ground and enters the trail as its letter; the facts stay in the case.
    AuditAction("vi.viewed", _("Verwijsindex-signalen bij casus ingezien"), R),
    AuditAction("vi.signal_recorded", _("Signaal in de Verwijsindex afgegeven")),
    AuditAction("vi.signal_informed", _("Informeren jongere of ouders over signaal vastgelegd")),
    AuditAction("vi.signal_withdrawn", _("Signaal in de Verwijsindex ingetrokken")),
    AuditAction("vi.match_made", _("Match in de Verwijsindex ontstaan")),
    AuditAction("vi.consultation_recorded", _("Afstemming na match in de Verwijsindex vastgelegd")),
    AuditAction("vi.signal_expired", _("Signaal in de Verwijsindex verlopen en verwijderd")),
    # Issue 15, slice consent: the footing of the start; a meeting recorded as held.
    AuditAction(
        "household.coordination_started",
        _("Start coördinatie vastgelegd (met of zonder toestemming)"),
    ),
    AuditAction("meeting.marked_held", _("Overleg als gehouden vastgelegd")),
    # Slice planvi (issue 15): the safety plan's contacts as rows (seed 002 7.2).
    AuditAction("safety.contact_added", _("Contactpersoon veiligheidsplan toegevoegd")),
    AuditAction("safety.contact_changed", _("Contactpersoon veiligheidsplan gewijzigd")),
    AuditAction("safety.contact_removed", _("Contactpersoon veiligheidsplan verwijderd")),
)

ACTIONS: dict[str, AuditAction] = {a.code: a for a in _ACTIONS}

READ_CODES: frozenset[str] = frozenset(c for c, a in ACTIONS.items() if a.kind is Kind.READ)
ADVISER_CODES: frozenset[str] = frozenset(c for c, a in ACTIONS.items() if a.for_advisers)


def check(code: str) -> AuditAction:
    """The declared action, or UnknownAuditAction for a code nobody declared."""
    try:
        return ACTIONS[code]
    except KeyError:
        raise UnknownAuditAction(
            f"Onbekende auditcode {code!r}: neem haar op in ketenregie/audit/vocabulary.py"
        ) from None


def label(code: str) -> str:
    """The Dutch label; a code from before the vocabulary existed shows as itself."""
    action = ACTIONS.get(code)
    return str(action.label) if action else code


def kind(code: str) -> Kind:
    action = ACTIONS.get(code)
    return action.kind if action else Kind.CHANGE
