"""`generate_scale`: every record kind, sane relations, realistic numbers, a valid chain,
and the pages of a generated case open for its procesregisseur."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.models import RoleAssignment, User
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.audit.verify import verify_chain
from ketenregie.cases.models import Case, CaseMembership, CaseRole
from ketenregie.cases.workflow import (
    EXECUTION_ENDED_STATUSES,
    EXECUTION_STATUSES,
    STARTED_STATUSES,
    Status,
)
from ketenregie.demo.scale.run import COUNTED, status_weights
from ketenregie.intake.models import EnrichmentRequest
from ketenregie.pga.models import Closing, Signal
from ketenregie.plans.models import Action, ActionReport, Meeting, PlanVersion, SafetyPlan

pytestmark = pytest.mark.django_db

CASES = 400


@pytest.fixture
def generated() -> str:
    out = io.StringIO()
    call_command(
        "generate_scale", "--cases", str(CASES), "--audit-events", "50", "-v", "0", stdout=out
    )
    return out.getvalue()


def test_every_record_kind_with_a_valid_chain_and_a_summary(generated: str) -> None:
    assert Case.objects.count() == CASES
    empty = [name for name in COUNTED if not apps.get_model(name).objects.exists()]
    assert empty == []
    checked, problem = verify_chain()
    assert problem is None and checked == AuditEvent.objects.count()
    assert AuditEvent.objects.filter(action="case.viewed").count() == 50
    assert "Seconden per stap" in generated and "plans.Action" in generated
    assert f"{checked:,} events".replace(",", ".") in generated


def test_records_belong_where_the_services_would_put_them(generated: str) -> None:
    executed = [s.value for s in EXECUTION_STATUSES]
    assert not PlanVersion.objects.exclude(plan__case__status__in=executed).exists()
    assert not Action.objects.exclude(case__status__in=executed).exists()
    # Actions hang on a meeting and a goal of their own case's plan.
    assert not Action.objects.exclude(meeting__case=F("case")).exists()
    assert not Action.objects.exclude(goal__plan__case=F("case")).exists()
    # Open actions only in running cases; closed cases finished theirs.
    assert not Action.objects.open().exclude(case__status=Status.IN_UITVOERING).exists()
    assert Action.objects.overdue().exists()
    assert Action.objects.filter(state=Action.State.DONE).exists()
    assert (
        not ActionReport.objects.exclude(action__state__in=["gedaan", "niet_uitvoerbaar"])
        .exclude(kind="terugmelding")
        .exists()
    )
    ended = [s.value for s in EXECUTION_ENDED_STATUSES]
    assert not Closing.objects.exclude(case__status__in=ended).exists()
    assert not Signal.objects.exclude(case__status__in=[s.value for s in STARTED_STATUSES]).exists()
    assert not SafetyPlan.objects.filter(case__escalation_level__lt=4).exists()
    # Plans have several versions; meetings are held with minutes and planned.
    assert PlanVersion.objects.values("plan").annotate(n=Count("pk")).filter(n__gte=2).exists()
    assert Meeting.objects.filter(state="gehouden", minutes_sent_at__isnull=False).exists()
    assert Meeting.objects.filter(state="gepland").exists()
    # Memberships with history: a former casusregisseur handed over.
    running = Case.objects.filter(status=Status.IN_UITVOERING)
    assert CaseMembership.objects.filter(
        case__in=running, role=CaseRole.CASUSREGISSEUR, valid_to__isnull=False
    ).exists()


def test_realistic_numbers_per_house_and_per_procesregisseur() -> None:
    weights = dict(status_weights(100_000, 3))
    # Tens of referrals in screening per house, not thousands; most cases closed.
    assert 3 * 10 <= weights[Status.AANGEMELD] <= 3 * 60
    closed = weights[Status.AFGESLOTEN] + weights[Status.GEEN_PGA]
    assert closed > 0.6 * sum(weights.values())


def test_pages_of_a_generated_case_open_for_its_procesregisseur(generated: str) -> None:
    case = (
        Case.objects.filter(status=Status.IN_UITVOERING, plan__isnull=False)
        .order_by("-escalation_level", "pk")
        .first()
    )
    assert case is not None
    regisseur = CaseMembership.objects.get(
        case=case, role=CaseRole.PROCESREGISSEUR, valid_to__isnull=True
    ).user
    assert regisseur is not None
    directed = CaseMembership.objects.filter(
        user=regisseur, role=CaseRole.PROCESREGISSEUR, valid_to__isnull=True
    ).count()
    assert directed <= 100
    urls = [
        reverse("dashboard"),
        reverse("case_list"),
        reverse("case_detail", args=[case.pk]),
        reverse("plan", args=[case.pk]),
        reverse("plan_version", args=[case.pk, 1]),
        reverse("meetings"),
        reverse("my_actions"),
    ]
    if SafetyPlan.objects.filter(case=case).exists():
        urls.append(reverse("safety_plan", args=[case.pk]))
    _all_open(regisseur, urls)


def test_intake_pages_open_for_chair_referrer_and_partner(generated: str) -> None:
    # A referrer who can log in: generated colleagues have no password and no second factor.
    case = (
        Case.objects.filter(status=Status.AANGEMELD, created_by__is_demo=True)
        .select_related("created_by")
        .first()
    )
    assert case is not None and case.created_by is not None
    chair = RoleAssignment.objects.get(role=Role.TRIAGEVOORZITTER, house=case.house).user
    _all_open(chair, [reverse("screening_list"), reverse("triage_list")])
    _all_open(case.created_by, [reverse("my_referrals")])
    request = EnrichmentRequest.objects.filter(answer="").first()
    assert request is not None
    partner = User.objects.filter(
        organisation=request.organisation_id, role_assignments__role=Role.PROFESSIONAL
    ).first()
    assert partner is not None
    _all_open(partner, [reverse("enrichment_list")])


def _all_open(user: User, urls: list[str]) -> None:
    client = Client()
    client.force_login(user)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_household_variant_house_has_client_systems_where_the_services_put_them(
    generated: str,
) -> None:
    """Issue 15 at scale: one house in the variant; its client systems carry members with
    custody and history, children, network, consent, meldcode, Verwijsindex signals only
    on members under 23 (matched across organisations), notices and aftercare."""
    from ketenregie.accounts.models import House
    from ketenregie.cases.household_models import Consent, NetworkContact
    from ketenregie.cases.models import HouseholdMember, HouseholdMemberVersion
    from ketenregie.pga.aftercare_models import AftercareAgreement
    from ketenregie.safeguarding.meldcode_models import DecisionAnswers, MeldcodeStep
    from ketenregie.safeguarding.vi_models import VerwijsindexMatch, VerwijsindexSignal
    from ketenregie.safeguarding.vi_rules import AGE_LIMIT, add_years

    variant = list(House.objects.filter(household_variant=True))
    assert len(variant) == 1
    systems = Case.objects.filter(house__in=variant, household__isnull=False)
    assert systems.exists() and "Huishoudvariant" in generated
    members = HouseholdMember.objects.filter(household__cases__in=systems)
    assert not members.filter(valid_from__isnull=True).exists()
    assert members.filter(relation="kind", custody="nee").exists()
    assert not members.exclude(pk__in=HouseholdMemberVersion.objects.values("member_id")).exists()
    # The support plan's 7.1 fields (ADR 0031): every member has a profession or school.
    assert not members.filter(occupation="").exists()
    assert members.filter(relation="kind", occupation__contains="basisschool").exists() or (
        members.filter(relation="kind", occupation__contains="havo").exists()
    )
    started = [s.value for s in STARTED_STATUSES]
    for model in (NetworkContact, Consent, AftercareAgreement):
        assert model.objects.exists()
        assert not model.objects.exclude(case__in=systems.filter(status__in=started)).exists()
    assert not AftercareAgreement.objects.exclude(
        case__status__in=["afgesloten", "voorlopig_afgesloten"]
    ).exists()
    # Steps 5 rest on an answer set; signals on the young only, by the signaller's own
    # organisation; a match joins two organisations on one young person.
    assert not MeldcodeStep.objects.filter(number=5, answers__isnull=True).exists()
    assert DecisionAnswers.objects.filter(meeting__case=F("trajectory__case")).exists()
    assert (
        not DecisionAnswers.objects.exclude(meeting=None)
        .exclude(meeting__case=F("trajectory__case"))
        .exists()
    )
    # A child is young enough to be the client's.
    for child in members.filter(relation="kind").select_related("person")[:200]:
        client = Case.objects.get(household_id=child.household_id, house__in=variant).person
        assert child.person.geboortedatum is not None and client.geboortedatum is not None
        assert (child.person.geboortedatum - client.geboortedatum).days > 16 * 365
    for signal in VerwijsindexSignal.objects.select_related("person", "signaller"):
        assert signal.person.geboortedatum is not None
        assert signal.signalled_on < add_years(signal.person.geboortedatum, AGE_LIMIT)
        assert signal.organisation_id == signal.signaller.organisation_id
    for match in VerwijsindexMatch.objects.select_related("first", "second"):
        assert match.first.person_id == match.second.person_id
        assert match.first.organisation_id != match.second.organisation_id


def test_household_pages_of_a_generated_client_system_open_for_its_procesregisseur(
    generated: str,
) -> None:
    from ketenregie.safeguarding.meldcode_models import MeldcodeTrajectory

    case = (
        Case.objects.filter(
            house__household_variant=True,
            household__isnull=False,
            status__in=[Status.PGA_GESTART, Status.IN_UITVOERING, Status.VOORLOPIG_AFGESLOTEN],
        )
        .order_by("-status", "-escalation_level", "pk")
        .first()
    )
    assert case is not None
    regisseur = CaseMembership.objects.get(
        case=case, role=CaseRole.PROCESREGISSEUR, valid_to__isnull=True
    ).user
    assert regisseur is not None
    urls = [
        reverse("household", args=[case.pk]),
        reverse("vi_list", args=[case.pk]),
        reverse("case_escalation_map", args=[case.pk]),
        reverse("pga_aftercare", args=[case.pk]),
        reverse("plan", args=[case.pk]),
    ]
    if MeldcodeTrajectory.objects.filter(case=case).exists():
        urls.append(reverse("meldcode", args=[case.pk]))
    _all_open(regisseur, urls)
