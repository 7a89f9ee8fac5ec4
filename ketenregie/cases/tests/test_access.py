"""visible_cases: members see, advisers see pseudonymised, others see nothing (404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.http import Http404

from ketenregie.accounts.roles import Role
from ketenregie.cases.access import get_case_for, visible_cases
from ketenregie.cases.models import CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.tests_support.factories import (
    CaseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_members_see_full_advisers_pseudonymised(case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    assert get_case_for(case_with_team["regisseur"], case.pk).full_access is True
    assert get_case_for(case_with_team["casus"], case.pk).full_access is True
    assert get_case_for(case_with_team["adviser"], case.pk).full_access is False


@pytest.mark.parametrize("who", ["former", "outsider"])
def test_former_members_and_outsiders_get_404(case_with_team: dict[str, Any], who: str) -> None:
    with pytest.raises(Http404):
        get_case_for(case_with_team[who], case_with_team["case"].pk)


def test_missing_case_and_forbidden_case_look_the_same(case_with_team: dict[str, Any]) -> None:
    outsider = case_with_team["outsider"]
    for case_id in (case_with_team["case"].pk, 999_999, "abc"):
        with pytest.raises(Http404):
            get_case_for(outsider, case_id)


def test_access_ends_after_the_last_day() -> None:
    case = CaseFactory()
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    last = today() + dt.timedelta(days=3)
    MembershipFactory(case=case, user=user, valid_to=last)
    assert visible_cases(user).filter(pk=case.pk).exists()
    with time_machine.travel(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(12))):
        assert not visible_cases(user).filter(pk=case.pk).exists()


def test_same_day_handover_moves_access_at_once() -> None:
    """Issue 12: a role given this morning can be handed over today. The former holder
    loses access at the handover (every form of the gate agrees), the successor has it,
    and the former holder's period ends today, not yesterday."""
    from ketenregie.cases import services
    from ketenregie.cases.access import full_case_ids, member_cases, seen_in_full
    from ketenregie.cases.models import Case

    case = CaseFactory()
    holder = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    successor = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=holder.organisation)
    m = services.add_membership(
        case,
        actor=holder,
        role=CaseRole.PROCESREGISSEUR,
        organisation=holder.organisation,
        user=holder,
        valid_from=today(),
    )
    assert get_case_for(holder, case.pk).full_access is True
    new = services.hand_over(m, actor=holder, successor=successor, from_date=today())
    m.refresh_from_db()
    assert (m.valid_from, m.valid_to, m.handed_over) == (today(), today(), True)
    assert m.is_past and not m.active_on(today()) and new.active_on(today())
    with pytest.raises(Http404):
        get_case_for(holder, case.pk)
    assert not member_cases(holder).exists() and not full_case_ids(holder).exists()
    assert not Case.objects.filter(seen_in_full(holder, "pk")).exists()
    assert get_case_for(successor, case.pk).full_access is True
    assert set(Case.objects.filter(seen_in_full(successor, "pk"))) == {case}


def test_future_membership_gives_no_access_yet() -> None:
    case = CaseFactory()
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    MembershipFactory(case=case, user=user, valid_from=today() + dt.timedelta(days=1))
    assert not visible_cases(user).exists()


def test_organisation_membership_covers_its_users() -> None:
    org = OrganisationFactory()
    case = CaseFactory()
    MembershipFactory(case=case, user=None, organisation=org)
    colleague = UserFactory(organisation=org, roles=[(Role.PROFESSIONAL, None)])
    assert visible_cases(colleague).get().pk == case.pk
    assert not visible_cases(UserFactory(roles=[(Role.PROFESSIONAL, None)])).exists()


def test_triage_chair_sees_referrals_of_own_house_only(house: Any) -> None:
    chair = UserFactory(roles=[(Role.TRIAGEVOORZITTER, house)])
    mine = CaseFactory(house=house, status=Status.AANGEMELD)
    CaseFactory(house=house, status=Status.CONCEPT)  # a draft stays with its author
    CaseFactory(house=house, status=Status.IN_UITVOERING)  # a running PGA: team only
    CaseFactory(status=Status.AANGEMELD)  # another house
    assert [c.pk for c in visible_cases(chair)] == [mine.pk]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.BELEID, Role.PRIVACY_OFFICER, Role.BEHEERDER])
def test_steering_roles_see_no_cases(role: Role, house: Any) -> None:
    CaseFactory(house=house)
    assert not visible_cases(UserFactory(roles=[(role, house)])).exists()


def test_adviser_and_partner_on_same_case_gets_full_access() -> None:
    case = CaseFactory()
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    MembershipFactory(case=case, user=user, role=CaseRole.ADVISEUR)
    MembershipFactory(case=case, user=user, role=CaseRole.BETROKKEN_PARTNER)
    assert visible_cases(user).get().full_access is True
    assert visible_cases(user).count() == 1


def test_inactive_user_sees_nothing(case_with_team: dict[str, Any]) -> None:
    user = case_with_team["regisseur"]
    user.is_active = False
    assert not visible_cases(user).exists()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.BELEID, Role.PRIVACY_OFFICER, Role.BEHEERDER])
def test_steering_roles_see_nothing_even_when_their_organisation_is_on_the_team(
    role: Role, house: Any
) -> None:
    org = OrganisationFactory()
    case = CaseFactory(house=house)
    MembershipFactory(case=case, user=None, organisation=org)
    assert not visible_cases(UserFactory(roles=[(role, house)], organisation=org)).exists()


def test_personal_adviser_role_wins_over_organisation_membership() -> None:
    org = OrganisationFactory()
    case = CaseFactory()
    adviser = UserFactory(organisation=org, roles=[(Role.PROFESSIONAL, None)])
    MembershipFactory(case=case, user=None, organisation=org)
    MembershipFactory(case=case, user=adviser, role=CaseRole.ADVISEUR)
    assert visible_cases(adviser).get().full_access is False
    colleague = UserFactory(organisation=org, roles=[(Role.PROFESSIONAL, None)])
    assert visible_cases(colleague).get().full_access is True


def _gate_world(house: Any) -> dict[str, Any]:
    """Every road into a case at once: personal, organisation-wide, a personal adviser
    inside an organisation on the team, an organisation-wide adviser, a former member, a
    chair (also on a team), and a case-work user without any case."""
    org, other_org = OrganisationFactory(), OrganisationFactory()
    work = [(Role.PROFESSIONAL, None)]
    users = {
        "personal": UserFactory(roles=work),
        "colleague": UserFactory(organisation=org, roles=work),
        "adviser": UserFactory(organisation=org, roles=work),
        "other": UserFactory(organisation=other_org, roles=work),
        "chair": UserFactory(roles=[(Role.TRIAGEVOORZITTER, house)]),
        "nobody": UserFactory(roles=work),
    }
    cases = [CaseFactory(house=house, status=s) for s in (Status.AANGEMELD, Status.IN_UITVOERING)]
    cases += [CaseFactory(house=house, status=Status.PGA_GESTART) for _ in range(3)]
    MembershipFactory(case=cases[0], user=users["personal"], role=CaseRole.BETROKKEN_PARTNER)
    MembershipFactory(case=cases[1], user=users["personal"], role=CaseRole.ADVISEUR)
    for case in cases[1:4]:
        MembershipFactory(case=case, user=None, organisation=org)
    MembershipFactory(case=cases[2], user=users["adviser"], role=CaseRole.ADVISEUR)
    MembershipFactory(case=cases[3], user=None, organisation=other_org, role=CaseRole.ADVISEUR)
    MembershipFactory(case=cases[1], user=users["chair"], role=CaseRole.PROCESREGISSEUR)
    MembershipFactory(
        case=cases[4],
        user=users["personal"],
        valid_from=today() - dt.timedelta(days=30),
        valid_to=today() - dt.timedelta(days=1),
    )
    return users


def test_every_form_of_the_gate_agrees(house: Any) -> None:
    """The gate states its rule as a set (lists, subqueries) and per row (`full_access`,
    `seen_in_full`); the forms must give the same answer for every road in."""
    from ketenregie.cases.access import full_case_ids, member_cases, seen_in_full
    from ketenregie.cases.models import Case

    expected_full = {
        "personal": 1,
        "colleague": 3,
        "adviser": 2,
        "other": 0,
        "chair": 2,
        "nobody": 0,
    }
    for name, user in _gate_world(house).items():
        seen = {c.pk: c.full_access for c in visible_cases(user)}
        full = {pk for pk, is_full in seen.items() if is_full}
        assert set(full_case_ids(user).values_list("pk", flat=True)) == full, name
        assert set(Case.objects.filter(seen_in_full(user, "pk")).values_list("pk", flat=True)) == (
            full
        ), name
        assert {c.pk: c.full_access for c in member_cases(user)}.items() <= seen.items(), name
        assert len(full) == expected_full[name], name
        assert visible_cases(user).count() == len(seen), name
