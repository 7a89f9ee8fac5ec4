"""factory-boy factories with lifecycle traits, used by the tests (not by demo data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from allauth.mfa.models import Authenticator
from django.utils import timezone

from ketenregie.accounts.models import Domain, House, Organisation, Region, RoleAssignment, User
from ketenregie.accounts.roles import Role
from ketenregie.cases.grounds import Necessity
from ketenregie.cases.models import Case, CaseMembership, CaseRole, Person, StatusChange
from ketenregie.cases.workflow import Status
from ketenregie.core.bsn import reserved_test_bsns
from ketenregie.core.timeutil import today

# Tests write a few BSNs literally (the 99999000x block: the intake conftest's 999990019,
# 999990032, ...) and pick others from the end of the range (the retention test, the plans
# conftest). The factory's sequence stays in between: under xdist with a random order its
# counter can reach any index, and a literal BSN handed out twice failed the triage test
# with a duplicate BSN on PostgreSQL.
FACTORY_BSN_RANGE = ("999991000", "999999000")
_BSNS = [b for b in reserved_test_bsns() if FACTORY_BSN_RANGE[0] <= b < FACTORY_BSN_RANGE[1]]


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Regio {n}")


class HouseFactory(factory.django.DjangoModelFactory[House]):
    class Meta:
        model = House

    name = factory.Sequence(lambda n: f"Zorg- en Veiligheidshuis Test {n}")
    code = factory.Sequence(lambda n: f"T{n:03d}")
    kind = House.Kind.ZVH
    region = factory.SubFactory(RegionFactory)

    class Params:
        local_pga = factory.Trait(kind=House.Kind.LOCAL_PGA)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Ketenpartner {n}")
    domain = Domain.ZORG

    class Params:
        police = factory.Trait(domain=Domain.VEILIGHEID)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("Test-wachtwoord-123!")

    class Params:
        # One role, at `role_house` for the roles that belong to a house. A trait names the
        # role and makes a house for it; pass role_house=... to use one you have.
        role = None
        role_house = None
        aanmelder = factory.Trait(role=Role.AANMELDER)
        professional = factory.Trait(role=Role.PROFESSIONAL)
        procesregisseur = factory.Trait(
            role=Role.PROCESREGISSEUR, role_house=factory.SubFactory(HouseFactory)
        )
        triagevoorzitter = factory.Trait(
            role=Role.TRIAGEVOORZITTER, role_house=factory.SubFactory(HouseFactory)
        )
        manager = factory.Trait(role=Role.MANAGER, role_house=factory.SubFactory(HouseFactory))
        beheerder = factory.Trait(role=Role.BEHEERDER)
        privacy_officer = factory.Trait(role=Role.PRIVACY_OFFICER)

    role_assignment = factory.Maybe(
        "role",
        yes_declaration=factory.RelatedFactory(
            "ketenregie.tests_support.factories.RoleAssignmentFactory",
            factory_related_name="user",
            role=factory.SelfAttribute("..role"),
            house=factory.SelfAttribute("..role_house"),
        ),
    )

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for role, house in extracted or []:
            RoleAssignment.objects.create(user=self, role=role, house=house)

    @factory.post_generation
    def totp(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        # Every real user has TOTP; pass totp=False for a user who has not set it up.
        if extracted is not False:
            Authenticator.objects.create(
                user=self,
                type=Authenticator.Type.TOTP,
                data={"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"},
            )

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        if kwargs.get("organisation") is None:
            kwargs["organisation"] = OrganisationFactory()
        user: User = super()._create(model_class, *args, **kwargs)
        return user


class RoleAssignmentFactory(factory.django.DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.PROFESSIONAL
    house = None

    class Params:
        procesregisseur = factory.Trait(
            role=Role.PROCESREGISSEUR, house=factory.SubFactory(HouseFactory)
        )
        triagevoorzitter = factory.Trait(
            role=Role.TRIAGEVOORZITTER, house=factory.SubFactory(HouseFactory)
        )
        manager = factory.Trait(role=Role.MANAGER, house=factory.SubFactory(HouseFactory))


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    voornamen = "Jan"
    tussenvoegsel = "van der"
    achternaam = factory.Sequence(lambda n: f"Testpersoon{n}")
    geboortedatum = dt.date(1990, 5, 17)
    bsn = factory.Sequence(lambda n: _BSNS[n % len(_BSNS)])
    gemeente = "Heerlen"
    woonplaats = "Heerlen"

    class Params:
        # No BSN: never clashes with another person's (the sequence cycles through them).
        without_bsn = factory.Trait(bsn=None)


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TST-2026-{n:05d}")
    house = factory.SubFactory(HouseFactory)
    person = factory.SubFactory(PersonFactory)
    status = Status.IN_UITVOERING
    escalation_level = 3
    created_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.LazyFunction(timezone.now)

    class Params:
        # One trait per stage of the case's life (workflow.Status); the default is running.
        draft = factory.Trait(status=Status.CONCEPT)
        in_intake = factory.Trait(status=Status.AANGEMELD)  # submitted, with the chair
        referral = factory.Trait(status=Status.AANGEMELD)  # older name of in_intake
        enrichment = factory.Trait(status=Status.VERRIJKING)
        on_agenda = factory.Trait(status=Status.GEAGENDEERD)
        pga_started = factory.Trait(status=Status.PGA_GESTART)
        in_execution = factory.Trait(status=Status.IN_UITVOERING)
        provisionally_closed = factory.Trait(status=Status.VOORLOPIG_AFGESLOTEN)
        closed = factory.Trait(status=Status.AFGESLOTEN)
        escalated = factory.Trait(status=Status.OPGESCHAALD)

    @factory.post_generation
    def history(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        StatusChange.objects.create(
            case=self, from_status="", to_status=self.status, changed_at=self.created_at
        )


class MembershipFactory(factory.django.DjangoModelFactory[CaseMembership]):
    class Meta:
        model = CaseMembership

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.user.organisation if o.user else None)
    role = CaseRole.BETROKKEN_PARTNER
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    valid_to = None

    class Params:
        procesregisseur = factory.Trait(role=CaseRole.PROCESREGISSEUR)
        casusregisseur = factory.Trait(role=CaseRole.CASUSREGISSEUR)
        adviser = factory.Trait(role=CaseRole.ADVISEUR)
        aanmelder = factory.Trait(role=CaseRole.AANMELDER)
        # Ended yesterday: a former member, who no longer sees the case.
        ended = factory.Trait(
            valid_from=factory.LazyFunction(lambda: today() - dt.timedelta(days=60)),
            valid_to=factory.LazyFunction(lambda: today() - dt.timedelta(days=1)),
        )
        # Starts next week: not on the team yet.
        future = factory.Trait(
            valid_from=factory.LazyFunction(lambda: today() + dt.timedelta(days=7))
        )
        # The whole organisation is on the team, no named user.
        organisation_only = factory.Trait(
            user=None, organisation=factory.SubFactory(OrganisationFactory)
        )


# The necessity checks of a lawful exchange, answered: for tests that share data through
# the real services (`NECESSARY`) or post the forms that ask them (`NECESSITY_POST`).
NECESSARY = Necessity(
    proportional=True,
    proportionality_note="Alleen wat de triage nodig heeft.",
    subsidiary=True,
    subsidiarity_note="Zonder deze gegevens is de aanpak niet te beoordelen.",
    person_informed=True,
)

NECESSITY_POST = {
    "proportional": "on",
    "proportionality_note": NECESSARY.proportionality_note,
    "subsidiary": "on",
    "subsidiarity_note": NECESSARY.subsidiarity_note,
    "person_informed": "ja",
}


def in_household_variant(house: House) -> House:
    """Switch a house to the household variant (issue 15), on the row and the object, so
    its cases with a household are client systems (`cases.client_system`)."""
    House.objects.filter(pk=house.pk).update(household_variant=True)
    house.household_variant = True
    return house
