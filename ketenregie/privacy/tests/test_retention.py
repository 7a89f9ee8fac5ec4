"""Retention: the one date rule, holds, the settings service, and the deletion job.

The deletion test plants a marker in every free-text field a case can have (and checks
that it did: a field added later without a marker fails the test), runs the job, and
searches every text column of every table and the attachment folder for the marker and
the person's name, BSN and street (SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone

from ketenregie.accounts.models import House, User
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import (
    Case,
    CaseMembership,
    CaseRole,
    Consent,
    CoordinationStart,
    DeletedCaseCount,
    EscalationChange,
    EscalationNotice,
    Household,
    HouseholdMember,
    HouseholdMemberVersion,
    LifeDomain,
    NetworkContact,
    Person,
    ProfileOverride,
    RegisseurPreference,
    SharingRecord,
    StatusChange,
)
from ketenregie.cases.services import update_person
from ketenregie.cases.workflow import Phase, Status
from ketenregie.core.bsn import reserved_test_bsns
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.timeutil import today
from ketenregie.intake.models import (
    AgendaItem,
    Attachment,
    CriteriaSet,
    Criterion,
    EnrichmentRequest,
    Feedback,
    Invitee,
    Referral,
    ReferralAddition,
    ReferralCriterion,
    ReferralProblem,
)
from ketenregie.intake.services import meeting_on
from ketenregie.pga.models import (
    AftercareAgreement,
    Closing,
    ClosingConversation,
    Informing,
    ProfessionalChange,
    Signal,
    StartConversation,
    TrajectoryEvaluation,
    Transfer,
)
from ketenregie.plans.models import (
    Action,
    ActionReminder,
    ActionReport,
    CasusregisseurAgreement,
    DirectorEscalation,
    DomainScore,
    Goal,
    Meeting,
    MonitoringItem,
    Participant,
    Plan,
    PlanVersion,
    SafetyAgreement,
    SafetyContact,
    SafetyPlan,
    SafetyScore,
    Statement,
)
from ketenregie.privacy import retention
from ketenregie.privacy.models import (
    Category,
    LegalHold,
    PrivacyRequest,
    RetentionPeriod,
    SubjectAccessReview,
    Withholding,
)
from ketenregie.safeguarding.meldcode_models import (
    DecisionAnswers,
    MeldcodeStep,
    MeldcodeTrajectory,
    VeiligThuisReport,
    VeiligThuisUpdate,
)
from ketenregie.safeguarding.vi_models import VerwijsindexMatch, VerwijsindexSignal
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MARK = "Qzxmarkeer"
NAME = "Zwartewaterklooster"
STREET = "Proefstraatje"
BSN = list(reserved_test_bsns())[-1]
NEEDLES = (MARK, NAME, STREET, BSN)

# Text columns that are not free text and cannot hold a marker: codes, choices-like
# labels, hashes, search keys derived from the name (checked through the name itself).
NOT_FREE_TEXT = {
    "cases.Case": {"code", "status"},
    # A name particle ("van der") and structured address parts are too short for it.
    "cases.Person": {
        "surname_key",
        "first_names_key",
        "tussenvoegsel",
        "postcode",
        "gemeente",
        "telefoon",
    },
    "intake.Attachment": {"content_type", "sha256"},
    "intake.Referral": {"urgency", "informed", "informed_how", "claimed_bsn", "referred_to"},
    "intake.Feedback": {"case_code"},
    "intake.EnrichmentRequest": {"legal_basis", "special_category", "secrecy_ground"},
    "pga.Transfer": {"legal_basis", "special_category", "secrecy_ground"},
    "plans.Meeting": {"kind", "state"},
    # The key of the withheld passage in the export, not its text.
    "privacy.Withholding": {"passage"},
    "plans.Participant": {"reply", "capacity"},
    "plans.Action": {"state"},
    "plans.Goal": {"reached"},
    # The life-domain scores of an adopted version ({domain: 1-5}), for management
    # information: numbers, no text.
    "plans.PlanVersion": {"scores"},
    "plans.Statement": {"kind"},
    # Issue 15, slice hh: the network contact's kinds of support (choice keys). (A
    # member's values at each version hold the profession or school since ADR 0031: a
    # marker is planted there.)
    "cases.NetworkContact": {"support_kinds"},
    "cases.SharingRecord": {
        "kind",
        "case_code",
        "actor_label",
        "from_label",
        "to_label",
        "legal_basis",
        "special_category",
        "secrecy_ground",
        "basis_source",
        # The article of law or covenant the basis rests on: kept with the row.
        "legal_reference",
    },
}


def _tables_containing(needle: str) -> list[str]:
    """Every model, in every app, with a row whose text-like column contains `needle`."""
    hits = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not text_fields:
            continue
        annotations = {f"_t_{n}": Cast(n, models.TextField()) for n in text_fields}
        cond = Q()
        for n in text_fields:
            cond |= Q(**{f"_t_{n}__icontains": needle})
        if model._default_manager.annotate(**annotations).filter(cond).exists():
            hits.append(model._meta.label)
    return hits


def _files_containing(root: Path, needle: str) -> list[Path]:
    return [
        p
        for p in root.rglob("*")
        if p.is_file() and (needle in p.name or needle.encode() in p.read_bytes())
    ]


def _first(model: type[models.Model], name: str) -> str:
    """The first choice of a choice field: any valid value."""
    choices = model._meta.get_field(name).choices
    assert choices
    return str(next(iter(choices))[0])


def _m(field: str) -> str:
    return f"{MARK} {field}"


def _closed_case(
    house: House, person: Person, *, closed: dt.datetime, code: str, staff: User
) -> Case:
    """A case that ran the whole PGA and closed at `closed`, with a marker in every
    free-text field of every row it can have."""
    org = staff.organisation
    household = Household.objects.create(name=_m("household.name") + f" {NAME}")
    mate = Person.objects.create(
        voornamen="Huisgenoot", achternaam=f"{NAME}-Huisgenoot", straat=f"{STREET} 12"
    )
    HouseholdMember.objects.create(
        household=household,
        person=person,
        relation="betrokkene",
        # ADR 0031: the support plan's 7.1 fields of a member.
        occupation=_m("member.occupation"),
    )
    HouseholdMember.objects.create(
        household=household, person=mate, relation="partner", occupation=_m("mate.occupation")
    )
    # Person data changed through the service: the old values go to PersonVersion.
    update_person(
        person,
        actor=staff,
        values={
            "voornamen": f"Gerritje {MARK}",
            "tussenvoegsel": "van",
            "achternaam": person.achternaam,
            "bsn": person.bsn,
            "geboortedatum": person.geboortedatum,
            "straat": person.straat,
            "woonplaats": f"{MARK}dorp",
            "email": "qzxmarkeer@example.org",
        },
        expected_version=person.version,
        case_id=None,
    )
    person.refresh_from_db()
    case = CaseFactory(
        house=house,
        person=person,
        household=household,
        code=code,
        status=Status.AFGESLOTEN,
        # Slice templates (issue 15).
        safety_concerns=True,
        safety_concerns_note=_m("case.safety_concerns_note"),
        created_at=closed - dt.timedelta(days=300),
        status_changed_at=closed,
    )
    # Issue 15, slice hh: the client system's network, consent and preference, and the
    # history of a member (deleted with the household).
    mate_member = HouseholdMember.objects.get(household=household, person=mate)
    HouseholdMemberVersion.objects.create(
        member=mate_member,
        version=1,
        values={"relation": "partner", "occupation": _m("member_version.occupation")},
        changed_at=closed,
        changed_by=staff,
    )
    NetworkContact.objects.create(
        case=case,
        name=_m("network.name") + f" {NAME}",
        relation="familie",
        support_kinds=["praktisch"],
        support_note=_m("network.support_note"),
        contact=_m("network.contact"),
        valid_from=closed.date(),
    )
    Consent.objects.create(
        case=case,
        subject="coordinatie",
        partners=_m("consent.partners"),
        given_by_member=mate_member,
        given_by_representative=_m("consent.representative"),
        given_on=closed.date(),
        form="mondeling",
        note=_m("consent.note"),
        withdrawn_on=closed.date(),
        withdrawn_by=_m("consent.withdrawn_by"),
        recorded_by=staff,
        recorded_at=closed,
    )
    RegisseurPreference.objects.create(
        case=case, preference=_m("preference"), recorded_by=staff, recorded_at=closed
    )
    # Issue 15, slice consent: a start without consent and its reason (one per case; the
    # RESTRICT link to a consent is taken along: intake's test_household_start).
    CoordinationStart.objects.create(
        case=case,
        consent=None,
        without_consent_reason=_m("coordination_start.reason"),
        decided_by=staff,
        decided_at=closed,
    )
    for frm, to in (
        ("", Status.AANGEMELD),
        (Status.AANGEMELD, Status.VERRIJKING),
        (Status.VERRIJKING, Status.GEAGENDEERD),
        (Status.GEAGENDEERD, Status.PGA_GESTART),
        (Status.PGA_GESTART, Status.IN_UITVOERING),
        (Status.IN_UITVOERING, Status.AFGESLOTEN),
    ):
        StatusChange.objects.create(
            case=case,
            from_status=frm,
            to_status=to,
            reason=_m("statuschange.reason"),
            changed_at=closed,
            changed_by=staff,
        )
    change = EscalationChange.objects.create(
        case=case,
        from_level=3,
        to_level=4,
        reason=_m("escalation.reason"),
        criteria=[_m("escalation.criteria")],
        decided_by=staff,
        decided_at=closed,
    )
    # Issue 15 (escmap): a competence override's reason and a level-change notice.
    ProfileOverride.objects.create(
        case=case,
        user=staff,
        role="procesregisseur",
        level=4,
        required="B+",
        held="B",
        reason=_m("profileoverride.reason"),
        decided_by=staff,
        decided_at=closed,
    )
    EscalationNotice.objects.create(
        case=case, change=change, user=staff, responsibility="regisseur", created_at=closed
    )
    CaseMembership.objects.create(
        case=case,
        user=staff,
        organisation=org,
        role=CaseRole.PROCESREGISSEUR,
        valid_from=closed.date() - dt.timedelta(days=300),
        note=_m("membership.note"),
    )
    # Intake.
    domain = LifeDomain.objects.get_or_create(name="Huisvesting")[0]
    criteria = CriteriaSet.objects.get_or_create(
        house=house, defaults={"name": "Criteria", "rule": CriteriaSet.Rule.AT_LEAST}
    )[0]
    criterion = Criterion.objects.create(criteria_set=criteria, number=1, text="Meervoudig")
    referral = Referral.objects.create(
        case=case,
        referrer=staff,
        reason=_m("referral.reason"),
        meeting_goal=_m("referral.meeting_goal"),
        suggested_partners=_m("referral.suggested_partners"),
        other_meetings=_m("referral.other_meetings"),
        proposed_level_reasoning=_m("referral.proposed_level_reasoning"),
    )
    ReferralAddition.objects.create(
        referral=referral, added_by=staff, added_at=closed, text=_m("addition.text")
    )
    ReferralProblem.objects.create(
        referral=referral, domain=domain, description=_m("problem.description")
    )
    ReferralCriterion.objects.create(
        referral=referral, criterion=criterion, explanation=_m("criterion.explanation")
    )
    attachment = Attachment(
        referral=referral,
        original_name=f"{NAME}-{MARK}.pdf",
        content_type="application/pdf",
        size=40,
        sha256="0" * 64,
        uploaded_by=staff,
        uploaded_at=closed,
    )
    attachment.file.save("bijlage", ContentFile(f"%PDF-1.4 {NAME} {MARK}".encode()), save=False)
    attachment.save()
    EnrichmentRequest.objects.create(
        referral=referral,
        organisation=org,
        requested_at=closed,
        deadline=closed,
        summary=_m("enrichment.summary"),
        purpose=_m("enrichment.purpose"),
        legal_reference=_m("enrichment.legal_reference"),
        proportionality_note=_m("enrichment.proportionality_note"),
        subsidiarity_note=_m("enrichment.subsidiarity_note"),
        not_informed_reason=_m("enrichment.not_informed_reason"),
    )
    triage = meeting_on(house, closed.date() - dt.timedelta(days=200))
    AgendaItem.objects.create(
        meeting=triage,
        referral=referral,
        position=1,
        advice=_m("agenda.advice"),
        note=_m("agenda.note"),
        outcome="pga",
    )
    Invitee.objects.create(
        case=case,
        organisation=org,
        justification="betrokken",
        explanation=_m("invitee.explanation"),
    )
    Feedback.objects.create(
        recipient=staff,
        case_id=case.pk,
        case_code=case.code,
        message=_m("feedback.message"),
        created_at=closed,
    )
    # Start of the PGA.
    Informing.objects.create(
        case=case,
        kind=_first(Informing, "kind"),
        recorded_by=staff,
        recorded_at=closed,
        by_whom=_m("informing.by_whom"),
        method=_m("informing.method"),
        postponed_reason=_m("informing.postponed_reason"),
        note=_m("informing.note"),
    )
    StartConversation.objects.create(
        case=case,
        outcome=_first(StartConversation, "outcome"),
        on_date=closed.date(),
        recorded_by=staff,
        recorded_at=closed,
        own_view=_m("start.own_view"),
    )
    Signal.objects.create(
        case=case,
        kind=_first(Signal, "kind"),
        text=_m("signal.text"),
        raised_by=staff,
        raised_at=closed,
        resolution=_m("signal.resolution"),
    )
    Closing.objects.create(
        case=case,
        decided_with=_m("closing.decided_with"),
        handover_organisation=org,
        handover_note=_m("closing.handover_note"),
        closed_by=staff,
        closed_at=closed,
    )
    ClosingConversation.objects.create(
        case=case,
        on_date=closed.date(),
        recorded_by=staff,
        recorded_at=closed,
        feedback=_m("closingconversation.feedback"),
    )
    # Issue 15, slice phases: aftercare, the trajectory's evaluation and phase 6a.
    AftercareAgreement.objects.create(
        case=case,
        organisation=org,
        who=_m("aftercare.who"),
        what=_m("aftercare.what"),
        starts_on=closed.date(),
        frequency=_m("aftercare.frequency"),
        recorded_by=staff,
        recorded_at=closed,
    )
    TrajectoryEvaluation.objects.create(
        case=case,
        held_on=closed.date(),
        with_client=True,
        with_professionals=True,
        went_well=_m("evaluation.went_well"),
        went_less_well=_m("evaluation.went_less_well"),
        goals_reached="ja",
        client_satisfaction=7,
        client_view=_m("evaluation.client_view"),
        lessons=_m("evaluation.lessons"),
        recorded_by=staff,
        recorded_at=closed,
    )
    ProfessionalChange.objects.create(
        case=case,
        role="casusregisseur",
        from_user=staff,
        on_date=closed.date(),
        handover_note=_m("professionalchange.handover_note"),
        recorded_by=staff,
        recorded_at=closed,
    )
    # A subject access review of the person, with a withheld passage and a name to black out.
    review = SubjectAccessReview.objects.create(
        person=person, opened_by=staff, opened_at=closed, other_persons=_m("review.other")
    )
    Withholding.objects.create(
        review=review,
        passage="case:1:item:1",
        reason=_m("withholding.reason"),
        decided_by=staff,
        decided_at=closed,
    )
    Transfer.objects.create(
        from_case=case,
        to_case_id=0,
        to_house=house,
        purpose=_m("transfer.purpose"),
        legal_basis="wettelijke_taak",
        legal_reference=_m("transfer.legal_reference"),
        proportionality_note=_m("transfer.proportionality_note"),
        subsidiarity_note=_m("transfer.subsidiarity_note"),
        not_informed_reason=_m("transfer.not_informed_reason"),
        transferred_by=staff,
        transferred_at=closed,
    )
    # Execution: meetings, minutes, plan and its versions, actions, safety plan.
    meeting = Meeting.objects.create(
        house=house,
        case=case,
        kind=Meeting.Kind.FIRST,
        state=Meeting.State.HELD,
        starts_at=closed - dt.timedelta(days=100),
        ends_at=closed - dt.timedelta(days=100),
        location=_m("meeting.location"),
        organiser=staff,
        person_not_invited_reason=_m("meeting.person_not_invited_reason"),
        minutes=_m("meeting.minutes"),
        decisions=_m("meeting.decisions"),
    )
    Participant.objects.create(meeting=meeting, user=staff)
    monitoring = Meeting.objects.create(
        house=house,
        case=None,
        kind=Meeting.Kind.MONITORING,
        state=Meeting.State.HELD,
        starts_at=closed - dt.timedelta(days=50),
        ends_at=closed - dt.timedelta(days=50),
        location="Stadhuis",
        organiser=staff,
    )
    MonitoringItem.objects.create(meeting=monitoring, case=case, note=_m("monitoring.note"))
    CasusregisseurAgreement.objects.create(
        case=case, meeting=meeting, casusregisseur=staff, recorded_by=staff, recorded_at=closed
    )
    plan = Plan.objects.create(
        case=case,
        joint_goal=_m("plan.joint_goal"),
        earlier_help=_m("plan.earlier_help"),
        analysis=_m("plan.analysis"),
        desired_result=_m("plan.desired_result"),
        # Slice templates (issue 15).
        reason=_m("plan.reason"),
        summary=_m("plan.summary"),
        residence_checked_by=_m("plan.residence_checked_by"),
        identity_checked_by=_m("plan.identity_checked_by"),
        client_signed_by=_m("plan.client_signed_by"),
        professional_signed_by=_m("plan.professional_signed_by"),
    )
    DomainScore.objects.create(plan=plan, domain=domain, problem=_m("domainscore.problem"))
    Statement.objects.create(
        plan=plan,
        kind=_first(Statement, "kind"),
        text=_m("statement.text"),
        said_by=_m("statement.said_by"),
        added_by=staff,
    )
    goal = Goal.objects.create(
        plan=plan,
        text=_m("goal.text"),
        good_enough=_m("goal.good_enough"),
        # Slice templates (issue 15).
        needed=_m("goal.needed"),
        own_part=_m("goal.own_part"),
        network_part=_m("goal.network_part"),
    )
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        adopted_at=closed,
        adopted_by=staff,
        meeting=meeting,
        content={"joint_goal": _m("planversion.content"), "person": NAME},
    )
    action = Action.objects.create(
        case=case,
        meeting=meeting,
        goal=goal,
        what=_m("action.what"),
        owner_organisation=org,
        due_date=closed.date(),
        created_by=staff,
        state_reason=_m("action.state_reason"),
    )
    ActionReport.objects.create(
        action=action,
        kind=_first(ActionReport, "kind"),
        by=staff,
        at=closed,
        text=_m("actionreport.text"),
    )
    ActionReminder.objects.create(action=action, on_date=closed.date())
    safety = SafetyPlan.objects.create(
        case=case,
        strengths=_m("safety.strengths"),
        concerns=_m("safety.concerns"),
        worst_case=_m("safety.worst_case"),
        complicating_factors=_m("safety.complicating"),
        earlier_contacts=_m("safety.earlier_contacts"),
        client_signed_by=_m("safety.client_signed_by"),
        # Slice templates (issue 15).
        professional_signed_by=_m("safety.professional_signed_by"),
        conditions=_m("safety.conditions"),
        first_incident=_m("safety.first_incident"),
        worst_incident=_m("safety.worst_incident"),
        last_incident=_m("safety.last_incident"),
        frequency=_m("safety.frequency"),
        harm=_m("safety.harm"),
    )
    # Slice planvi: the safety plan's contact rows.
    SafetyContact.objects.create(
        safety_plan=safety,
        name=_m("safetycontact.name"),
        role=_m("safetycontact.role"),
        phone=f"{MARK} 0612",
        email=f"{MARK.lower()}@example.invalid",
        when_to_call=_m("safetycontact.when_to_call"),
    )
    SafetyAgreement.objects.create(
        safety_plan=safety,
        what=_m("agreement.what"),
        who_checks=_m("agreement.who_checks"),
        if_not_kept=_m("agreement.if_not_kept"),
        who=_m("agreement.who"),
        when=_m("agreement.when"),
        needed=_m("agreement.needed"),
    )
    SafetyScore.objects.create(
        case=case,
        who=_m("safetyscore.who"),
        score=5,
        on_date=closed.date(),
        recorded_by=staff,
        note=_m("safetyscore.note"),
    )
    # Slice meldcode (issue 15): a trajectory with a step, an answer set at the meeting,
    # a report to Veilig Thuis and its follow-up.
    trajectory = MeldcodeTrajectory.objects.create(
        case=case,
        started_by=staff,
        ended_on=closed.date(),
        ended_by=staff,
        end_reason=MeldcodeTrajectory.EndReason.LASTING_SAFETY,
        end_note=_m("meldcode.end_note"),
    )
    answers = DecisionAnswers.objects.create(
        trajectory=trajectory,
        meeting=meeting,
        answered_on=closed.date(),
        answered_by=staff,
        q1=True,
        **{f"note{n}": _m(f"answers.note{n}") for n in range(1, 6)},
    )
    MeldcodeStep.objects.create(
        trajectory=trajectory,
        number=5,
        taken_on=closed.date(),
        taken_by=staff,
        note=_m("step.note"),
        instrument_other=_m("step.instrument_other"),
        order_reason=_m("step.order_reason"),
        answers=answers,
    )
    vt_report = VeiligThuisReport.objects.create(
        trajectory=trajectory,
        reported_on=closed.date(),
        reported_by=staff,
        reference=_m("vt.reference"),
        content=_m("vt.content"),
        answers=answers,
        status_on=closed.date(),
    )
    VeiligThuisUpdate.objects.create(
        report=vt_report,
        status=VeiligThuisReport.Status.CLOSED,
        on_date=closed.date(),
        note=_m("vtupdate.note"),
        recorded_by=staff,
    )
    DirectorEscalation.objects.create(
        case=case,
        to=DirectorEscalation.To.MANAGER,
        reason=_m("director.reason"),
        by=staff,
        at=closed,
        handled_note=_m("director.handled_note"),
    )
    # The register row of an exchange of this case, with the free texts people type.
    SharingRecord.objects.create(
        occurred_at=closed,
        kind=_first(SharingRecord, "kind"),
        case=case,
        case_code=case.code,
        house=house,
        actor_label=staff.username,
        from_label=org.name,
        to_label=org.name,
        purpose=_m("register.purpose"),
        legal_basis="wettelijke_taak",
        basis_source="huis",
        proportionality_note=_m("register.proportionality_note"),
        subsidiarity_note=_m("register.subsidiarity_note"),
        person_informed=False,
        not_informed_reason=_m("register.not_informed_reason"),
    )
    # Issue 15, slice vi: Verwijsindex signals on the case's person, and their match.
    vi_signals = [
        VerwijsindexSignal.objects.create(
            case=case,
            person=person,
            signaller=signaller,
            organisation=signaller.organisation,
            category="a",
            signalled_on=closed.date(),
            not_informed_reason=_m("vi.not_informed_reason"),
            expires_on=closed.date() + dt.timedelta(days=3650),
            created_at=closed,
            external_id=_m("vi.external_id"),
        )
        for signaller in (staff, UserFactory(organisation=org))
    ]
    VerwijsindexMatch.objects.create(
        first=vi_signals[0],
        second=vi_signals[1],
        matched_at=closed,
        consultation_due=closed.date(),
    )
    assert isinstance(case, Case)
    return case


def _case_models() -> list[type[models.Model]]:
    """Every model whose rows belong to a case or a person (a relation to them, directly
    or through one parent)."""
    roots = {Case, Person, apps.get_model("cases", "Household")}
    direct = {
        m
        for m in apps.get_models()
        if any(f.is_relation and f.related_model in roots for f in m._meta.concrete_fields)
    }
    second = {
        m
        for m in apps.get_models()
        if any(
            f.is_relation and f.related_model in direct - {CaseMembership}
            for f in m._meta.concrete_fields
        )
    }
    # Text-free or house-level: the monitoring meeting's row is the house's; its per-case
    # part (MonitoringItem) is the case's. The chain head and tallies hold no case data.
    # A person's request under the AVG (PrivacyRequest) is the house's proof that it
    # answered a right (art. 5(2), accountability): it is kept by its own rule, not the
    # case's, and loses only its link to the deleted person (SET_NULL).
    kept_by_own_rule = {PrivacyRequest}
    return sorted((roots | direct | second) - kept_by_own_rule, key=lambda m: m._meta.label)


def _assert_every_free_text_field_planted() -> None:
    missing = []
    for model in _case_models():
        label = model._meta.label
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.CharField | models.TextField | models.JSONField):
                continue
            if f.name in NOT_FREE_TEXT.get(label, set()) or getattr(f, "choices", None):
                continue
            found = model._default_manager.annotate(_t=Cast(f.name, models.TextField())).filter(
                Q(_t__icontains=MARK) | Q(_t__icontains=NAME) | Q(_t__icontains=STREET)
            )
            if model in (Person,) and f.name == "bsn":
                continue
            if not found.exists():
                missing.append(f"{label}.{f.name}")
    assert missing == [], f"no marker planted in: {missing}"


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    house = HouseFactory(code="RET")
    staff = UserFactory(roles=[(Role.PROCESREGISSEUR, house)], organisation=OrganisationFactory())
    person = PersonFactory(
        voornamen="Gerritje",
        achternaam=NAME,
        bsn=BSN,
        straat=f"{STREET} 12",
    )
    return {"house": house, "staff": staff, "person": person, "root": tmp_path}


def _long_ago(years: int = 6) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=365 * years)


def test_retention_date_is_closing_plus_the_house_period(world: dict[str, Any]) -> None:
    case = CaseFactory(house=world["house"], status=Status.IN_UITVOERING)
    assert retention.retention_date_for_case(case) is None  # running: no date
    closed = dt.datetime(2024, 1, 31, 15, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    case.status, case.status_changed_at = Status.AFGESLOTEN, closed
    case.save()
    assert retention.retention_date_for_case(case) == dt.date(2029, 1, 31)  # default 5 y
    RetentionPeriod.objects.create(
        house=world["house"],
        category=Category.PGA_CLOSED,
        months=13,
        legal_reference="Test",
        changed_by=world["staff"],
        changed_at=timezone.now(),
    )
    assert retention.retention_date_for_case(case) == dt.date(2025, 2, 28)  # month end
    case.status = Status.OPGESCHAALD
    assert retention.retention_date_for_case(case) == dt.date(2025, 1, 31)  # default 1 y
    case.status = Status.VOORLOPIG_AFGESLOTEN
    assert retention.retention_date_for_case(case) is None  # may still be reopened


def test_reopened_case_starts_again(world: dict[str, Any]) -> None:
    case = CaseFactory(
        house=world["house"], status=Status.AFGESLOTEN, status_changed_at=_long_ago()
    )
    assert retention.due_cases(house_ids=[world["house"].pk], until=today())
    from ketenregie.cases.services import change_status

    change_status(case, to=Status.IN_UITVOERING, actor=world["staff"], reason="Nieuwe zorgen")
    change_status(case, to=Status.AFGESLOTEN, actor=world["staff"])
    case.refresh_from_db()
    assert retention.retention_date_for_case(case) == retention.add_months(today(), 60)
    assert retention.due_cases(house_ids=[world["house"].pk], until=today()) == []
    assert retention.apply_retention().deleted == []
    assert Case.objects.filter(pk=case.pk).exists()


def test_deletion_leaves_no_personal_data(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    house, staff, person, root = world["house"], world["staff"], world["person"], world["root"]
    # The register outlives the case here (10 years), to show what stays of its row.
    retention.set_period(
        actor=staff,
        house=house,
        category=Category.SHARING_REGISTER,
        months=120,
        legal_reference="Verantwoording",
        expected_version=0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = _closed_case(house, person, closed=_long_ago(), code="RET-2019-00001", staff=staff)
        # A hold placed and lifted again through the services: its reasons are free text.
        hold = retention.place_hold(actor=staff, case=case, reason=_m("hold.reason"))
        retention.lift_hold(actor=staff, hold=hold, reason=_m("hold.lift_reason"))
    _assert_every_free_text_field_planted()
    for needle in NEEDLES:
        assert _tables_containing(needle), needle
    assert _files_containing(root, MARK)
    case_id = case.pk

    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention")

    for needle in NEEDLES:
        assert _tables_containing(needle) == [], needle
        assert _files_containing(root, needle) == [], needle
    assert not Case.objects.filter(pk=case_id).exists()
    assert not Person.objects.filter(achternaam__contains=NAME).exists()
    count = DeletedCaseCount.objects.get(house=house)
    assert (count.year, count.phase_reached, count.outcome, count.count) == (
        timezone.localdate(_long_ago()).year,
        Phase.CASUISTIEK,
        Status.AFGESLOTEN,
        1,
    )
    # The register keeps the exchange, without its free texts; the trail keeps the case
    # by its code and stays verifiable.
    row = SharingRecord.objects.get(case_code="RET-2019-00001")
    assert row.case_id is None and row.legal_basis == "wettelijke_taak"
    event = AuditEvent.objects.get(action="retention.case_deleted", case_id=case_id)
    assert event.data["casusnummer"] == "RET-2019-00001" and event.actor_id is None
    call_command("verify_audit")

    # A second run changes nothing.
    before = (AuditEvent.objects.count(), DeletedCaseCount.objects.get(house=house).count)
    with django_capture_on_commit_callbacks(execute=True):
        run = retention.apply_retention()
    assert (run.deleted, run.rows) == ([], {})
    assert (AuditEvent.objects.count(), DeletedCaseCount.objects.get(house=house).count) == before


def test_person_stays_for_a_live_case(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    house, staff, person = world["house"], world["staff"], world["person"]
    old = _closed_case(house, person, closed=_long_ago(), code="RET-2019-00002", staff=staff)
    live = CaseFactory(house=house, person=person, status=Status.IN_UITVOERING)
    with django_capture_on_commit_callbacks(execute=True):
        run = retention.apply_retention()
    assert [d.case.code for d in run.deleted] == ["RET-2019-00002"]
    assert not Case.objects.filter(pk=old.pk).exists()
    assert Case.objects.filter(pk=live.pk).exists()
    person.refresh_from_db()
    assert person.achternaam == NAME and person.bsn == BSN
    # Only the person's own row (and its history) still holds the name; the old case's
    # contents are gone.
    for needle in (NAME, MARK):
        # What is about the person, not the deleted case, stays with the person: their
        # data and its versions, and the review of their subject access request.
        assert set(_tables_containing(needle)) <= {
            "cases.Person",
            "cases.PersonVersion",
            "privacy.SubjectAccessReview",
            "privacy.Withholding",
        }
    call_command("verify_audit")


def test_held_case_stays_until_the_hold_is_lifted(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    house, staff = world["house"], world["staff"]
    case = CaseFactory(house=house, status=Status.AFGESLOTEN, status_changed_at=_long_ago())
    hold = retention.place_hold(actor=staff, case=case, reason="Klacht loopt")
    assert retention.retention_date_for_case(case) is None
    with pytest.raises(ValidationError):
        retention.place_hold(actor=staff, case=case, reason="Nog een keer")
    run = retention.apply_retention()
    assert run.deleted == [] and [d.case.pk for d in run.held] == [case.pk]
    assert Case.objects.filter(pk=case.pk).exists()
    assert AuditEvent.objects.filter(action="retention.hold_placed", case_id=case.pk).exists()
    retention.lift_hold(actor=staff, hold=hold, reason="Klacht afgehandeld")
    with pytest.raises(ValidationError):
        retention.lift_hold(actor=staff, hold=hold, reason="Nog een keer")
    with django_capture_on_commit_callbacks(execute=True):
        run = retention.apply_retention()
    assert [d.case.pk for d in run.deleted] == [case.pk]
    assert not LegalHold.objects.filter(case_id=case.pk).exists()


def test_dry_run_changes_nothing(world: dict[str, Any], capsys: Any) -> None:
    case = CaseFactory(
        house=world["house"],
        status=Status.GEEN_PGA,
        status_changed_at=_long_ago(2),
        code="RET-2024-00009",
    )
    events = AuditEvent.objects.count()
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "RET-2024-00009" in out and "wordt verwijderd" in out
    assert Case.objects.filter(pk=case.pk).exists()
    assert AuditEvent.objects.count() == events


def test_a_failing_case_leaves_no_half_state(
    world: dict[str, Any], monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The deletion of one case is all or nothing, and the next case still goes."""
    house, staff = world["house"], world["staff"]
    bad = _closed_case(
        house, world["person"], closed=_long_ago(), code="RET-2019-00003", staff=staff
    )
    good = CaseFactory(house=house, status=Status.AFGESLOTEN, status_changed_at=_long_ago())
    real = retention.delete_referral_data

    def failing(case: Case) -> None:
        case_id = case.pk  # delete() clears it
        real(case)
        if case_id == bad.pk:
            raise RuntimeError("schijf vol")

    monkeypatch.setattr(retention, "delete_referral_data", failing)
    with django_capture_on_commit_callbacks(execute=True):
        run = retention.apply_retention()
    assert [code for code, _error in run.failed] == ["RET-2019-00003"], run
    assert [d.case.pk for d in run.deleted] == [good.pk]
    assert Case.objects.filter(pk=bad.pk).exists()
    assert Plan.objects.filter(case=bad).exists() and Feedback.objects.filter(case_id=bad.pk)
    assert _files_containing(world["root"], MARK)
    assert not AuditEvent.objects.filter(action="retention.case_deleted", case_id=bad.pk)
    assert DeletedCaseCount.objects.get(house=house).count == 1


def test_rows_with_their_own_period(world: dict[str, Any]) -> None:
    staff = world["staff"]
    old = timezone.now() - dt.timedelta(days=200)
    Feedback.objects.create(
        recipient=staff,
        case_id=None,
        case_code="RET-2026-00001",
        message="Afgewezen: x",
        created_at=old,
    )
    Feedback.objects.create(
        recipient=staff,
        case_id=None,
        case_code="RET-2026-00002",
        message="Afgewezen: y",
        created_at=timezone.now(),
    )
    Feedback.objects.create(
        recipient=staff,
        case_id=None,
        case_code="ANDER-2026-00001",
        message="Ander huis",
        created_at=old,
    )
    run = retention.apply_retention()
    assert sorted(Feedback.objects.values_list("case_code", flat=True)) == [
        "ANDER-2026-00001",
        "RET-2026-00002",
    ]
    assert sum(run.rows.values()) == 1
    assert AuditEvent.objects.filter(action="retention.rows_deleted").count() == 1


def test_set_period_checks_input_and_version(world: dict[str, Any]) -> None:
    house, staff = world["house"], world["staff"]
    with pytest.raises(ValidationError) as error:
        retention.set_period(
            actor=staff,
            house=house,
            category=Category.PGA_CLOSED,
            months=0,
            legal_reference=" ",
            expected_version=0,
        )
    assert set(error.value.message_dict) == {"amount", "legal_reference"}
    row = retention.set_period(
        actor=staff,
        house=house,
        category=Category.PGA_CLOSED,
        months=24,
        legal_reference="Convenant art. 12",
        expected_version=0,
    )
    assert retention.period_months(house.pk, Category.PGA_CLOSED) == 24
    with pytest.raises(ConcurrentEditError):  # the form still showed the default
        retention.set_period(
            actor=staff,
            house=house,
            category=Category.PGA_CLOSED,
            months=36,
            legal_reference="x",
            expected_version=0,
        )
    retention.set_period(
        actor=staff,
        house=house,
        category=Category.PGA_CLOSED,
        months=36,
        legal_reference="Convenant art. 12",
        expected_version=row.version,
    )
    with pytest.raises(ConcurrentEditError):
        retention.set_period(
            actor=staff,
            house=house,
            category=Category.PGA_CLOSED,
            months=48,
            legal_reference="x",
            expected_version=row.version,
        )
    events = AuditEvent.objects.filter(action="retention.period_set").order_by("pk")
    assert [e.data["wijzigingen"]["maanden"] for e in events] == [
        {"voor": 60, "na": 24},
        {"voor": 24, "na": 36},
    ]


def test_phase_reached_from_the_history(world: dict[str, Any]) -> None:
    house = world["house"]

    def case_with(*statuses: str) -> Case:
        case = CaseFactory(house=house, status=statuses[-1], status_changed_at=_long_ago())
        for status in statuses:
            StatusChange.objects.create(case=case, to_status=status, changed_at=_long_ago())
        assert isinstance(case, Case)
        return case

    assert retention.phase_reached(case_with(Status.AANGEMELD, Status.GEEN_PGA)) == (
        Phase.AANMELDING
    )
    assert retention.phase_reached(case_with(Status.PGA_GESTART, Status.AFGESLOTEN)) == (
        Phase.VOORTRAJECT
    )
    assert retention.phase_reached(
        case_with(Status.PGA_GESTART, Status.IN_UITVOERING, Status.OPGESCHAALD)
    ) == (Phase.CASUISTIEK)
