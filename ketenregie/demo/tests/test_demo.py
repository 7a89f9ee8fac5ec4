"""The demo data set: coverage of roles, houses, statuses and levels; fictitious BSNs."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from ketenregie.accounts.models import House, Region, RoleAssignment, User
from ketenregie.accounts.roles import Role
from ketenregie.audit.verify import verify_chain
from ketenregie.cases.models import Case, CaseMembership, CaseRole, HouseholdMember, Person
from ketenregie.cases.workflow import Status
from ketenregie.core.bsn import is_valid_bsn
from ketenregie.demo.generator import PROBLEM_TEXTS
from ketenregie.demo.hh_hh import EXTRA_CASES
from ketenregie.demo.reference import LOCAL_USERS
from ketenregie.intake.models import Feedback, Referral, ReferralProblem
from ketenregie.pga.models import Transfer
from ketenregie.reports.models import ScanRound
from ketenregie.reports.scan_results import compute

pytestmark = pytest.mark.django_db


def test_load_demo_covers_everything() -> None:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Region.objects.count() == 2
    assert sorted(House.objects.values_list("kind", flat=True)) == ["local_pga", "zvh", "zvh"]
    # The reference logins and the PGA-scan's eight respondents (demo.scan).
    assert 20 <= User.objects.count() <= 40
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == {r.value for r in Role}
    # Each transfer of a local PGA case opens a new referral at a Zorg- en Veiligheidshuis.
    # Issue 15, slice hh: the household demo refers one family of its own.
    assert Case.objects.count() == 150 + Transfer.objects.count() + EXTRA_CASES
    assert set(Case.objects.values_list("status", flat=True)) == {s.value for s in Status}
    assert set(Case.objects.values_list("escalation_level", flat=True)) == {1, 2, 3, 4, 5}
    assert set(CaseMembership.objects.values_list("role", flat=True)) == {r.value for r in CaseRole}
    assert CaseMembership.objects.filter(valid_to__isnull=False).exists()  # team changes
    assert HouseholdMember.objects.exists()
    bsns = list(Person.objects.exclude(bsn=None).values_list("bsn", flat=True))
    assert bsns and all(b.startswith("99999") and is_valid_bsn(b) for b in bsns)
    checked, problem = verify_chain()
    assert problem is None and checked > 500
    # Opgeschaald exists only for the local PGA.
    assert not Case.objects.filter(status=Status.OPGESCHAALD, house__kind="zvh").exists()
    _reads_like_a_real_region()
    _has_a_completed_scan_round()


def _has_a_completed_scan_round() -> None:
    """Issue 14: a closed PGA-scan round with several partners, the conversation recorded,
    and a previous round to compare with."""
    autumn = ScanRound.objects.get(title="PGA-scan najaar")
    results = compute(autumn)
    assert results.enough and len(results.groups) >= 3
    assert results.comparison is not None
    assert autumn.conversation_on is not None and autumn.follow_up
    assert ScanRound.objects.count() == 3


def _reads_like_a_real_region() -> None:
    """Issue 12: problems match their life domain, local professionals stay in their part
    of the province, case numbers follow their year, referred-elsewhere referrals (and
    those without a PGA) have their feedback."""
    problems = ReferralProblem.objects.select_related("domain")
    assert problems.exists()
    for problem in problems:
        assert problem.description in PROBLEM_TEXTS[problem.domain.name], problem.description
    for m in CaseMembership.objects.filter(user__isnull=False).select_related("user", "case"):
        houses = LOCAL_USERS.get(m.user.username)
        assert houses is None or m.case.code.split("-")[0] in houses, (m.user, m.case.code)
    # No house's own organisation on another house's case.
    for m in CaseMembership.objects.filter(
        organisation__name__in=[h.name for h in House.objects.all()]
    ):
        assert m.organisation.name == m.case.house.name, (m.organisation, m.case.code)
    for referral in Referral.objects.select_related("referrer", "case"):
        houses = LOCAL_USERS.get(referral.referrer.username)
        assert houses is None or referral.case.code.split("-")[0] in houses
    years = {
        int(code.split("-")[1]) == timezone.localdate(created).year
        for code, created in Case.objects.values_list("code", "created_at")
    }
    assert years == {True}
    # Last year's cases exist, so numbering per year is actually exercised.
    assert Case.objects.filter(code__contains=f"-{timezone.localdate().year - 1}-").exists()
    told = set(Feedback.objects.values_list("case_id", "message"))
    for status, words in ((Status.DOORVERWEZEN, "doorverwezen"), (Status.GEEN_PGA, "geen PGA")):
        cases = list(Case.objects.filter(status=status).values_list("pk", flat=True))
        assert cases
        for pk in cases:
            assert any(c == pk and words in message for c, message in told), (status, pk)


def test_demo_logins_print_otpauth_for_every_user() -> None:
    call_command("load_demo", "--cases", "5", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert text.count("otpauth://totp/Ketenregie:") == User.objects.count()


def test_load_demo_refuses_a_non_empty_database_unless_if_empty() -> None:
    call_command("load_demo", "--cases", "3", stdout=io.StringIO())
    call_command("load_demo", "--if-empty", stdout=io.StringIO())
    assert Case.objects.count() == 3 + EXTRA_CASES
    with pytest.raises(SystemExit):
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())


def test_generate_scale_adds_cases_with_a_valid_chain() -> None:
    call_command(
        "generate_scale", "--cases", "1200", "--chunk", "500", "-v", "0", stdout=io.StringIO()
    )
    assert Case.objects.count() == 1200
    assert verify_chain()[1] is None
    assert Case.objects.values("code").distinct().count() == 1200


def test_demo_has_intake_in_every_state_and_a_coming_triage_agenda() -> None:
    from ketenregie.core.timeutil import today
    from ketenregie.intake.matching import duplicates_for
    from ketenregie.intake.models import AgendaItem, EnrichmentRequest, Referral

    call_command("load_demo", stdout=io.StringIO())
    assert Referral.objects.count() == Case.objects.count()
    for status in (Status.CONCEPT, Status.AANGEMELD, Status.VERRIJKING, Status.GEAGENDEERD):
        assert Referral.objects.filter(case__status=status).exists(), status
    assert EnrichmentRequest.objects.filter(answer="").exists()
    assert EnrichmentRequest.objects.exclude(answer="").exists()
    coming = AgendaItem.objects.filter(meeting__date__gte=today(), outcome="")
    assert coming.exists()
    fresh = [
        c.person for c in Case.objects.filter(status=Status.AANGEMELD).select_related("person")
    ]
    assert duplicates_for(fresh), "the demo shows screeners a possible duplicate"
