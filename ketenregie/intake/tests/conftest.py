"""A house with fixed partners, a referrer, a chair and partner users, and a helper to refer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ketenregie.accounts.models import Domain, HousePartner
from ketenregie.accounts.roles import Role
from ketenregie.cases.defaults import ensure_life_domains
from ketenregie.cases.models import LifeDomain
from ketenregie.intake import services
from ketenregie.intake.criteria import ensure_default_criteria
from ketenregie.tests_support.factories import HouseFactory, OrganisationFactory, UserFactory


@pytest.fixture
def intake(db: None) -> dict[str, Any]:
    # Seeded by a migration, but a transactional test's flush may have removed them.
    ensure_life_domains()
    house = HouseFactory()
    police = OrganisationFactory(name="Politie test", domain=Domain.VEILIGHEID)
    care = OrganisationFactory(name="GGZ test", domain=Domain.ZORG)
    for org in (police, care):
        HousePartner.objects.create(house=house, organisation=org, is_fixed_triage_partner=True)
    cset = ensure_default_criteria(house)
    referrer = UserFactory(
        organisation=police,
        roles=[(Role.AANMELDER, None), (Role.PROFESSIONAL, None)],
        email="agent@example.invalid",
    )
    chair = UserFactory(roles=[(Role.TRIAGEVOORZITTER, house)], email="chair@example.invalid")
    regisseur = UserFactory(roles=[(Role.PROCESREGISSEUR, house)])
    care_user = UserFactory(
        organisation=care, roles=[(Role.PROFESSIONAL, None)], email="ggz@example.invalid"
    )
    police_user = UserFactory(organisation=police, roles=[(Role.PROFESSIONAL, None)])
    return {
        "house": house,
        "police": police,
        "care": care,
        "criteria": list(cset.criteria.all()),
        "referrer": referrer,
        "chair": chair,
        "regisseur": regisseur,
        "care_user": care_user,
        "police_user": police_user,
    }


def referral_input(ctx: dict[str, Any], **person: Any) -> services.ReferralInput:
    domain = LifeDomain.objects.order_by("order").first()
    assert domain is not None
    crit = ctx["criteria"]
    return services.ReferralInput(
        person={
            "voornamen": "Bartholomeus",
            "tussenvoegsel": "",
            "achternaam": "Zwartewaterklooster",
            "geboortedatum": dt.date(1984, 2, 29),
            "bsn": "999990019",
            "straat": "Proefstraat 1",
            "woonplaats": "Teststad",
            "gemeente": "Teststad",
            **person,
        },
        household=[
            {
                "voornamen": "Gerritje",
                "tussenvoegsel": "",
                "achternaam": "Zwartewaterklooster",
                "geboortedatum": dt.date(2012, 6, 1),
                "relation": "kind",
            }
        ],
        values={
            "reason": "Overlast en zorgen.",
            "urgency": "normaal",
            "meeting_goal": "Eén plan.",
            "suggested_partners": "",
            "other_meetings": "",
            "informed": "ja",
            "informed_how": "Mondeling.",
        },
        problems={domain.pk: "Schulden."},
        criteria={crit[0].pk: "a", crit[1].pk: "b", crit[2].pk: "c"},
    )


@pytest.fixture
def submitted(intake: dict[str, Any]) -> Any:
    referral = services.save_referral(
        actor=intake["referrer"],
        house=intake["house"],
        data=referral_input(intake),
        submit=True,
        confirmed=True,
    )
    return referral
