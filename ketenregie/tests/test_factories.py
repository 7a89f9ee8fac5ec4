"""Every test factory, bare and with each of its traits, builds an object that validates.

The traits are found on the factories themselves, so a trait added later is checked too.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import factory
import pytest
from django.db import models

from ketenregie.accounts.models import Domain, House, RoleAssignment
from ketenregie.accounts.roles import Role
from ketenregie.cases.models import CaseRole, StatusChange
from ketenregie.cases.workflow import Status
from ketenregie.core.bsn import reserved_test_bsns
from ketenregie.core.timeutil import today
from ketenregie.tests_support import factories as f

FACTORIES: list[Any] = [
    f.RegionFactory,
    f.HouseFactory,
    f.OrganisationFactory,
    f.UserFactory,
    f.RoleAssignmentFactory,
    f.PersonFactory,
    f.CaseFactory,
    f.MembershipFactory,
]


def _traits(factory_class: Any) -> list[str]:
    return [
        name
        for name, declaration in factory_class._meta.parameters.items()
        if isinstance(declaration, factory.Trait)
    ]


VARIANTS = [(fc, None) for fc in FACTORIES] + [
    (fc, trait) for fc in FACTORIES for trait in _traits(fc)
]


def test_every_factory_is_listed() -> None:
    declared = {
        obj
        for obj in vars(f).values()
        if isinstance(obj, type)
        and issubclass(obj, factory.django.DjangoModelFactory)
        and obj.__module__ == f.__name__
    }
    assert declared == set(FACTORIES)


def test_the_traits_tests_rely_on_exist() -> None:
    assert {"draft", "in_intake", "in_execution", "closed"} <= set(_traits(f.CaseFactory))
    assert {"ended", "adviser", "organisation_only"} <= set(_traits(f.MembershipFactory))
    assert {"procesregisseur", "triagevoorzitter", "manager"} <= set(_traits(f.UserFactory))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory_class", "trait"),
    VARIANTS,
    ids=[f"{fc.__name__}-{trait or 'plain'}" for fc, trait in VARIANTS],
)
def test_factory_builds_a_valid_saved_object(factory_class: Any, trait: str | None) -> None:
    obj = factory_class(**({trait: True} if trait else {}))
    assert isinstance(obj, models.Model) and obj.pk is not None
    obj.full_clean()
    # What was saved is what the factory returned (no field lost on the way).
    stored = type(obj).objects.get(pk=obj.pk)
    for field in type(obj)._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(obj, field.attname), field.name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trait", "status"),
    [
        ("draft", Status.CONCEPT),
        ("in_intake", Status.AANGEMELD),
        ("referral", Status.AANGEMELD),
        ("enrichment", Status.VERRIJKING),
        ("on_agenda", Status.GEAGENDEERD),
        ("pga_started", Status.PGA_GESTART),
        ("in_execution", Status.IN_UITVOERING),
        ("provisionally_closed", Status.VOORLOPIG_AFGESLOTEN),
        ("closed", Status.AFGESLOTEN),
        ("escalated", Status.OPGESCHAALD),
    ],
)
def test_case_traits_set_the_status_and_its_history(trait: str, status: Status) -> None:
    case = f.CaseFactory(**{trait: True})
    assert case.status == status
    history = StatusChange.objects.get(case=case)
    assert (history.from_status, history.to_status) == ("", status)


@pytest.mark.django_db
def test_membership_traits() -> None:
    ended = f.MembershipFactory(ended=True)
    assert ended.valid_to == today() - dt.timedelta(days=1) and ended.valid_from < ended.valid_to
    future = f.MembershipFactory(future=True)
    assert future.valid_from > today() and future.valid_to is None
    assert f.MembershipFactory(adviser=True).role == CaseRole.ADVISEUR
    assert f.MembershipFactory(procesregisseur=True).role == CaseRole.PROCESREGISSEUR
    assert f.MembershipFactory(casusregisseur=True).role == CaseRole.CASUSREGISSEUR
    org_only = f.MembershipFactory(organisation_only=True)
    assert org_only.user is None and org_only.organisation is not None
    # A named user brings their own organisation.
    named = f.MembershipFactory()
    assert named.organisation == named.user.organisation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trait", "role", "at_house"),
    [
        ("aanmelder", Role.AANMELDER, False),
        ("professional", Role.PROFESSIONAL, False),
        ("procesregisseur", Role.PROCESREGISSEUR, True),
        ("triagevoorzitter", Role.TRIAGEVOORZITTER, True),
        ("manager", Role.MANAGER, True),
        ("beheerder", Role.BEHEERDER, False),
        ("privacy_officer", Role.PRIVACY_OFFICER, False),
    ],
)
def test_user_role_traits(trait: str, role: Role, at_house: bool) -> None:
    user = f.UserFactory(**{trait: True})
    (assignment,) = RoleAssignment.objects.filter(user=user)
    assert assignment.role == role
    assert (assignment.house is not None) == at_house
    assert user.authenticator_set.filter(type="totp").exists()


@pytest.mark.django_db
def test_user_role_trait_at_a_given_house_and_with_more_roles() -> None:
    house = f.HouseFactory()
    user = f.UserFactory(procesregisseur=True, role_house=house, roles=[(Role.PROFESSIONAL, None)])
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", "house")) == {
        (Role.PROCESREGISSEUR, house.pk),
        (Role.PROFESSIONAL, None),
    }
    # Without a trait or roles a user holds no role at all.
    assert not RoleAssignment.objects.filter(user=f.UserFactory()).exists()


@pytest.mark.django_db
def test_smaller_traits() -> None:
    assert f.HouseFactory(local_pga=True).kind == House.Kind.LOCAL_PGA
    assert f.OrganisationFactory(police=True).domain == Domain.VEILIGHEID
    assert f.PersonFactory(without_bsn=True).bsn is None
    for trait, role in (
        ("procesregisseur", Role.PROCESREGISSEUR),
        ("triagevoorzitter", Role.TRIAGEVOORZITTER),
        ("manager", Role.MANAGER),
    ):
        assignment = f.RoleAssignmentFactory(**{trait: True})
        assert assignment.role == role and assignment.house is not None
    assert f.RoleAssignmentFactory().house is None


def test_person_factory_never_hands_out_a_bsn_tests_write_literally() -> None:
    """A BSN written in a test (the 99999000x block) or picked from the end of the range
    must never come out of the factory's sequence, whatever index a worker's counter has
    reached: a random order under xdist made the triage test meet its own fixture's BSN."""
    root = Path(__file__).resolve().parents[1]
    literal = {
        m
        for path in [*root.rglob("test*.py"), *root.rglob("conftest.py")]
        for m in re.findall(r"\b9999[0-9]{5}\b", path.read_text(encoding="utf-8"))
    }
    from_the_end = set(list(reserved_test_bsns())[-50:])
    handed_out = {f.PersonFactory.build().bsn for _ in range(2 * len(f._BSNS))}
    assert literal, "the scan found the tests' literal BSNs"
    assert not handed_out & (literal | from_the_end)
