"""The Verwijsindex line in the support plan's "overige gegevens" (issue 15, slice planvi;
seed 002 7.1): per member of the client system whether a signal is active, given when, by
which organisation and until when; never the risk category; an expired or withdrawn
signal is no active signal; an adviser's view names no one; the query count is flat."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdf
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.cases.access import get_case_for
from ketenregie.cases.models import CaseRole, Household, HouseholdMember
from ketenregie.cases.queries import household_of
from ketenregie.core.templatetags.dates import long_date
from ketenregie.core.timeutil import age_band, today
from ketenregie.plans import pdf
from ketenregie.plans import services as plans
from ketenregie.plans.plan_details import PlanHead, plan_details_for
from ketenregie.safeguarding import vi_services as services
from ketenregie.safeguarding.vi_models import RiskCategory, VerwijsindexSignal, WithdrawalReason
from ketenregie.safeguarding.vi_plan import plan_signal_detail
from ketenregie.safeguarding.vi_rules import add_years
from ketenregie.tests_support.factories import (
    CaseFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _born(years: int) -> dt.date:
    return add_years(today(), -years)


@pytest.fixture
def family() -> dict[str, Any]:
    """A running household case: mother (the person), two children; a professional of
    Jeugdteam Oost on the team with the plan started, and an adviser."""
    household = Household.objects.create(name="Gezin")
    mother = PersonFactory(
        voornamen="Moeder", achternaam="Brinkhorst", geboortedatum=_born(41), tussenvoegsel=""
    )
    noor = PersonFactory(
        voornamen="Noor", achternaam="Brinkhorst", geboortedatum=_born(15), tussenvoegsel=""
    )
    sem = PersonFactory(
        voornamen="Sem", achternaam="Brinkhorst", geboortedatum=_born(9), tussenvoegsel=""
    )
    HouseholdMember.objects.create(household=household, person=mother, relation="betrokkene")
    HouseholdMember.objects.create(household=household, person=noor, relation="kind")
    HouseholdMember.objects.create(household=household, person=sem, relation="kind")
    case = CaseFactory(person=mother, household=household)
    worker = UserFactory(
        roles=[(Role.PROFESSIONAL, None)],
        organisation=OrganisationFactory(name="Jeugdteam Oost"),
        email="jeugd@oost.invalid",
        phone="06-11112222",
        first_name="Iris",
        last_name="Signaleerder",
    )
    MembershipFactory(case=case, user=worker, role=CaseRole.PROCESREGISSEUR)
    adviser = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    MembershipFactory(case=case, user=adviser, role=CaseRole.ADVISEUR)
    plans.plan_for(case, actor=worker)
    return {
        "case": case,
        "worker": worker,
        "adviser": adviser,
        "mother": mother,
        "noor": noor,
        "sem": sem,
    }


def _signal(family: dict[str, Any], person: Any) -> VerwijsindexSignal:
    return services.record_signal(
        family["case"],
        actor=family["worker"],
        person_id=person.pk,
        category=RiskCategory.SCHOOLVERZUIM,
        informed_on=today(),
        not_informed_reason="",
    )


def _plan_page(user: Any, case: Any) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(reverse("plan", args=[case.pk]))


def _line(page: str) -> str:
    """The Verwijsindex block of the plan page."""
    start = page.index('id="plan-detail-verwijsindex"')
    return page[start : page.index("</div>", start)]


def test_active_signal_shown_per_member_with_date_organisation_and_expiry(
    family: dict[str, Any],
) -> None:
    signal = _signal(family, family["noor"])
    response = _plan_page(family["worker"], family["case"])
    assert response.status_code == 200
    block = _line(response.content.decode())
    assert "Er is een signaal in de Verwijsindex Risicojongeren afgegeven" in block
    assert "Noor Brinkhorst (kind): <strong>ja</strong>" in block
    assert f"afgegeven {long_date(signal.signalled_on)} door Jeugdteam Oost" in block
    assert f"vervalt {long_date(signal.expires_on)}" in block
    assert "Sem Brinkhorst (kind): <strong>nee</strong>" in block
    assert "Moeder Brinkhorst (betrokkene zelf): <strong>nee</strong>" in block
    # Never the ground of the signal, nor the signaller's name: the VI page keeps those.
    assert str(RiskCategory.SCHOOLVERZUIM.label) not in response.content.decode()
    assert "Signaleerder" not in block
    assert reverse("vi_list", args=[family["case"].pk]) in block


def test_expired_and_withdrawn_signals_are_not_active(family: dict[str, Any]) -> None:
    withdrawn = _signal(family, family["noor"])
    services.withdraw_signal(
        withdrawn, actor=family["worker"], reason=WithdrawalReason.CONCERNS_GONE
    )
    expired = _signal(family, family["sem"])
    # Past its end, not yet removed by the nightly retention run.
    VerwijsindexSignal.objects.filter(pk=expired.pk).update(expires_on=today())
    block = _line(_plan_page(family["worker"], family["case"]).content.decode())
    assert "Noor Brinkhorst (kind): <strong>nee</strong>" in block
    assert "Sem Brinkhorst (kind): <strong>nee</strong>" in block
    assert "<strong>ja</strong>" not in block and "afgegeven op" not in block
    assert "vervalt" not in block


def test_signal_of_a_member_who_left_stays_visible(family: dict[str, Any]) -> None:
    signal = _signal(family, family["noor"])
    HouseholdMember.objects.filter(person=family["noor"]).update(
        valid_to=today() - dt.timedelta(days=1)
    )
    block = _line(_plan_page(family["worker"], family["case"]).content.decode())
    assert "Noor Brinkhorst (geen gezinslid meer): <strong>ja</strong>" in block
    assert long_date(signal.signalled_on) in block


def test_adviser_view_names_no_one(family: dict[str, Any]) -> None:
    _signal(family, family["noor"])
    # The plan page itself is for full access only: an adviser gets 403 (the gate).
    assert _plan_page(family["adviser"], family["case"]).status_code == 403
    # What the provider gives a pseudonymised view: role in the family and age band.
    case = get_case_for(family["adviser"], family["case"].pk)
    assert case.full_access is False
    head = PlanHead(case=case, full=case.full_access, household=household_of(case, full=False))
    detail = plan_signal_detail(family["adviser"], head)
    shown = " ".join(f"{line.who} {line.answer} {' '.join(line.details)}" for line in detail.lines)
    assert "Brinkhorst" not in shown and "Noor" not in shown and "Moeder" not in shown
    assert [line.who for line in detail.lines] == [
        f"Betrokkene zelf, {age_band(family['mother'].geboortedatum)}",
        "Kind, 12-17 jaar",
        "Kind, 0-11 jaar",
    ]
    assert [line.answer for line in detail.lines] == ["nee", "ja", "nee"]
    assert detail.url == ""  # no link to a page the adviser may not open


def test_a_case_without_household_asks_about_the_person(family: dict[str, Any]) -> None:
    young = PersonFactory(
        voornamen="Kay", achternaam="Zonderhuis", geboortedatum=_born(19), tussenvoegsel=""
    )
    case = CaseFactory(person=young)
    MembershipFactory(case=case, user=family["worker"], role=CaseRole.PROCESREGISSEUR)
    plans.plan_for(case, actor=family["worker"])
    services.record_signal(
        case,
        actor=family["worker"],
        person_id=young.pk,
        category=RiskCategory.ARBEID,
        informed_on=today(),
        not_informed_reason="",
    )
    block = _line(_plan_page(family["worker"], case).content.decode())
    assert "Kay Zonderhuis (betrokkene zelf): <strong>ja</strong>" in block


def test_the_registry_serves_the_plan_pdf(family: dict[str, Any]) -> None:
    signal = _signal(family, family["noor"])
    case = get_case_for(family["worker"], family["case"].pk)
    head = PlanHead(case=case, full=True, household=household_of(case))
    assert [d.key for d in plan_details_for(family["worker"], head)] == ["verwijsindex"]
    data = pdf.plan_pdf(case, family["worker"])
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    text = " ".join(text.split())
    assert "Er is een signaal in de Verwijsindex Risicojongeren afgegeven" in text
    assert "Noor Brinkhorst (kind): ja" in text
    assert long_date(signal.expires_on) in text
    assert str(RiskCategory.SCHOOLVERZUIM.label) not in text


def test_query_count_does_not_grow_with_members_or_signals(family: dict[str, Any]) -> None:
    case = family["case"]

    def count() -> int:
        client = Client()
        client.force_login(family["worker"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("plan", args=[case.pk])).status_code == 200
        return len(queries)

    _signal(family, family["noor"])
    before = count()
    for n in range(4):
        child = PersonFactory(voornamen=f"Kind{n}", geboortedatum=_born(5 + n))
        HouseholdMember.objects.create(household=case.household, person=child, relation="kind")
        _signal(family, child)
    assert count() == before
