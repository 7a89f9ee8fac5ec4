"""The needs-vs-interventions matrix (issue 14, ADR 24): the grouped count, the gaps, the
small-number rule with its protection against subtraction, the area of each role, and
the page and exports, which show no name, BSN, case code or free text."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Case, LifeDomain
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.plans.models import Action, Goal, Intervention, Need, Plan
from ketenregie.plans.queries import need_counts
from ketenregie.plans.socialmap import ensure_domain_needs
from ketenregie.reports.matrix import Figure, Row, _gap, _protect, matrix_for
from ketenregie.reports.matrix_access import chosen_area, matrix_areas
from ketenregie.reports.smallnumbers import count_text
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Free text with a marker: it must never reach the matrix, its CSV or its PDF.
SECRET = "GEHEIMEVRIJETEKST"


def _need(domain: str, name: str = "") -> Need:
    ensure_domain_needs()
    need, _created = Need.objects.get_or_create(
        domain=LifeDomain.objects.get(name=domain), name=name
    )
    return need


def _intervention(
    region: Any, name: str, needs: list[Need], capacity: int, wait: int
) -> Intervention:
    intervention = Intervention.objects.create(
        name=name,
        provider=f"Aanbieder {name}",
        region=region,
        capacity=capacity,
        waiting_weeks=wait,
    )
    intervention.needs.set(needs)
    return intervention


def _case(
    house: Any, *tags: tuple[Need, Intervention | None], status: str = Status.IN_UITVOERING
) -> Case:
    """A case with one goal per tag (free text carries the marker)."""
    case: Case = CaseFactory.create(house=house, status=status)
    plan = Plan.objects.create(case=case, joint_goal=SECRET)
    for need, intervention in tags:
        Goal.objects.create(
            plan=plan, text=SECRET, good_enough=SECRET, need=need, intervention=intervention
        )
    return case


@pytest.fixture
def region_world() -> dict[str, Any]:
    region = RegionFactory(name="Regio Test-Zuid")
    house = HouseFactory(region=region)
    neighbour = HouseFactory(region=region)
    elsewhere = HouseFactory()
    housing = _need("Huisvesting", "woonplek")
    debts = _need("Financiën", "schuldhulp")
    addiction = _need("Middelengebruik", "verslavingszorg")
    shelter = _intervention(region, "Beschermd wonen", [housing], capacity=3, wait=30)
    credit = _intervention(region, "Schuldhulpverlening", [debts], capacity=50, wait=4)
    budget = _intervention(region, "Budgetbeheer", [debts], capacity=20, wait=2)
    # Eight housing cases, two with a place; debts: six with credit, one waiting.
    for k in range(8):
        _case(house if k % 2 else neighbour, (housing, shelter if k < 2 else None))
    for _ in range(6):
        _case(house, (debts, credit))
    _case(house, (debts, None))
    # Six addiction cases and no supply at all: a gap.
    for _ in range(6):
        _case(neighbour, (addiction, None))
    # Not counted: a closed case, and a case of another region.
    _case(house, (housing, None), status=Status.AFGESLOTEN)
    _case(elsewhere, (housing, None))
    return {
        "region": region,
        "house": house,
        "neighbour": neighbour,
        "housing": housing,
        "debts": debts,
        "addiction": addiction,
        "shelter": shelter,
        "credit": credit,
        "budget": budget,
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_suppress_small_shows_zero_and_hides_one_to_four() -> None:
    assert [count_text(n) for n in (0, 1, 4, 5, 12)] == ["0", "< 5", "< 5", "5", "12"]


def test_a_lone_small_part_hides_a_second_figure_so_it_cannot_be_subtracted() -> None:
    total, with_any, without = Figure(12), Figure(9), Figure(3)
    assert _protect(total, [with_any, without])
    assert without.shown == "< 5" and with_any.shown == "x" and total.shown == "12"
    # Two secrets already: nothing more to hide.
    assert not _protect(total, [with_any, without])
    # A hidden total whose parts all show would be their sum: a part goes too.
    hidden_total, cells = Figure(13), [Figure(6), Figure(7)]
    hidden_total.hidden = True
    assert _protect(hidden_total, cells)
    assert cells[0].shown == "x"


def test_counts_are_one_grouped_query_per_area(region_world: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as queries:
        counts = need_counts(region_id=region_world["region"].pk)
    assert len(queries) == 1
    housing, debts = region_world["housing"].pk, region_world["debts"].pk
    assert counts.per_need[housing] == (8, 2)
    assert counts.per_need[debts] == (7, 6)
    assert counts.cells[(housing, region_world["shelter"].pk)] == 2
    assert counts.cells[(debts, region_world["credit"].pk)] == 6
    # 8 + 7 + 6 running cases in the region; the closed one and the other region's not.
    assert counts.running == 21
    # One house only (the PGA expert): its four housing cases and seven debt cases.
    own = need_counts(region_id=region_world["region"].pk, house_id=region_world["house"].pk)
    assert own.per_need[housing] == (4, 1) and own.per_need[debts] == (7, 6)


def test_a_case_counts_once_per_need_and_an_action_serves_its_goals_need(
    region_world: dict[str, Any],
) -> None:
    housing, shelter = region_world["housing"], region_world["shelter"]
    case = _case(region_world["house"], (housing, None), (housing, None))
    goal = Goal.objects.filter(plan__case=case).first()
    assert goal is not None
    Action.objects.create(
        case=case,
        goal=goal,
        what=SECRET,
        owner_organisation=OrganisationFactory(),
        due_date=today(),
        created_by=UserFactory(),
        intervention=shelter,
    )
    counts = need_counts(region_id=region_world["region"].pk)
    # Nine cases with the need now, three with a place (the action's intervention).
    assert counts.per_need[housing.pk] == (9, 3)
    assert counts.cells[(housing.pk, shelter.pk)] == 3


def test_gaps_no_supply_too_few_places_and_long_waits(region_world: dict[str, Any]) -> None:
    area = chosen_area(UserFactory(roles=[(Role.MANAGER, region_world["house"])]), "")
    assert area is not None
    matrix = matrix_for(area)
    rows = {r.need.pk: r for r in matrix.rows}
    addiction = rows[region_world["addiction"].pk]
    assert addiction.gap == "geen" and addiction.capacity == 0
    housing = rows[region_world["housing"].pk]
    # Eight cases, three places, thirty weeks' wait: too little on both counts.
    assert housing.gap == "te_weinig" and len(housing.gap_reasons) == 2
    debts = rows[region_world["debts"].pk]
    assert debts.gap == "" and debts.capacity == 70 and debts.waiting == "2-4"
    # The one waiting debt case is small, and so is shown as such; the figure that would
    # give it away (7 - 6) is hidden.
    assert debts.without.shown == "< 5" and debts.with_any.shown == "x"
    assert debts.total.shown == "7"


def test_areas_per_role(region_world: dict[str, Any]) -> None:
    region = region_world["region"]
    manager = UserFactory(roles=[(Role.MANAGER, region_world["house"])])
    assert [a.key for a in matrix_areas(manager)] == [f"r{region.pk}"]
    local_policy = UserFactory(
        roles=[(Role.BELEID, None)], organisation=OrganisationFactory(region=region)
    )
    assert [a.key for a in matrix_areas(local_policy)] == [f"r{region.pk}"]
    national = UserFactory(roles=[(Role.BELEID, None)], organisation=OrganisationFactory())
    assert {a.region_id for a in matrix_areas(national)} >= {region.pk}
    expert = UserFactory(roles=[(Role.PGA_EXPERT, region_world["house"])])
    [area] = matrix_areas(expert)
    assert area.house_id == region_world["house"].pk and area.region_id == region.pk
    # A key for an area the user may not read falls back to their own.
    other = HouseFactory()
    assert chosen_area(expert, f"r{other.region_id}") == area
    assert matrix_areas(UserFactory(roles=[(Role.PROCESREGISSEUR, region_world["house"])])) == []


def _no_personal_data(text: str, cases: Any) -> None:
    assert SECRET not in text
    for case in cases:
        assert case.code not in text
        assert case.person.achternaam not in text
        assert case.person.voornamen not in text
        if case.person.bsn:
            assert case.person.bsn not in text


def test_page_and_exports_show_aggregates_only_and_are_audited(
    region_world: dict[str, Any],
) -> None:
    manager = UserFactory(roles=[(Role.MANAGER, region_world["house"])])
    client = _client(manager)
    cases = list(Case.objects.select_related("person"))
    page = client.get(reverse("needs_matrix"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Huisvesting: woonplek" in html and "Beschermd wonen" in html
    assert "Geen aanbod" in html and "Te weinig aanbod" in html
    _no_personal_data(html, cases)
    export = client.get(reverse("needs_matrix_csv"))
    assert export.status_code == 200
    text = export.content.decode("utf-8-sig")
    _no_personal_data(text, cases)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    housing = next(r for r in rows if r and r[0] == "Huisvesting: woonplek")
    assert housing[1:4] == ["8", "< 5", "x"] or housing[1:4] == ["8", "x", "< 5"]
    pdf = client.get(reverse("needs_matrix_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    actions = list(
        AuditEvent.objects.filter(actor=manager, action__startswith="matrix.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["matrix.viewed", "matrix.exported", "matrix.exported"]


def test_only_steering_roles_read_the_matrix(region_world: dict[str, Any]) -> None:
    for role in (Role.PROCESREGISSEUR, Role.PROFESSIONAL, Role.BEHEERDER, Role.PRIVACY_OFFICER):
        user = UserFactory(
            roles=[(role, region_world["house"] if role == Role.PROCESREGISSEUR else None)]
        )
        for name in ("needs_matrix", "needs_matrix_csv", "needs_matrix_pdf"):
            assert _client(user).get(reverse(name)).status_code == 403


def test_the_pga_expert_sees_only_the_own_house(region_world: dict[str, Any]) -> None:
    expert = UserFactory(roles=[(Role.PGA_EXPERT, region_world["house"])])
    text = _client(expert).get(reverse("needs_matrix_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    # Four of the region's eight housing cases are the own house's: a small number.
    housing = next(r for r in rows if r and r[0] == "Huisvesting: woonplek")
    assert housing[1] == "< 5"
    assert ["Lopende casussen in dit gebied", "11"] in rows


def test_a_small_count_is_not_set_against_the_places() -> None:
    need = Need(domain=LifeDomain(name="Huisvesting"), name="woonplek")

    def row(total: int, capacity: int, wait: int) -> Row:
        r = Row(need, Figure(total), Figure(0), Figure(total), [], capacity, wait, wait, 1)
        _gap(r)
        return r

    # Three cases and two places: saying "too few" next to "< 5" would tell 3 or 4.
    assert row(3, 2, 4).gap == ""
    assert row(6, 2, 4).gap == "te_weinig"
    # A long wait is a gap whatever the count.
    assert row(3, 20, 12).gap_reasons == ["wachttijd overal langer dan 8 weken"]
