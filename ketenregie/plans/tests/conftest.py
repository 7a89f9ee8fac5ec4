"""A running case with a named person, a team with e-mail addresses and a house manager,
and small helpers to plan and hold a case meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import CaseRole, Person
from ketenregie.cases.workflow import Status
from ketenregie.core.bsn import reserved_test_bsns
from ketenregie.core.timeutil import today
from ketenregie.plans import services
from ketenregie.plans.models import Meeting
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

AMS = ZoneInfo("Europe/Amsterdam")

# The person of the case: distinctive values, so a leak in a mail or the audit trail
# cannot hide behind a common word.
PERSON = {
    "voornamen": "Bartholomeus Hendrikus",
    "tussenvoegsel": "van der",
    "achternaam": "Zwartewaterklooster",
    "geboortedatum": dt.date(1984, 2, 29),
    "straat": "Proefstraat 17",
    "postcode": "6411 XK",
    "woonplaats": "Heerlen",
    "gemeente": "Heerlen",
}


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware datetime on the Amsterdam wall clock."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


def _free_bsn() -> str:
    """A reserved test BSN that no person holds yet (the factory cycles through them)."""
    used = set(Person.objects.exclude(bsn=None).values_list("bsn", flat=True))
    return next(b for b in reversed(list(reserved_test_bsns())) if b not in used)


def other_case(house: Any, **kw: Any) -> Any:
    """Another case of a house, for a person without a BSN (no clash with the team's)."""
    return CaseFactory(house=house, person__bsn=None, **kw)


def build_team(house: Any = None) -> dict[str, Any]:
    """A running case and its team, valid from 60 days before the (possibly travelled) today."""
    house = house or HouseFactory()
    org = OrganisationFactory(name="Wijkteam Noord")
    person = PersonFactory(**PERSON, bsn=_free_bsn())
    case = CaseFactory(house=house, person=person, status=Status.IN_UITVOERING)
    regisseur = UserFactory(roles=[(Role.PROCESREGISSEUR, house)], email="pr@example.invalid")
    casus = UserFactory(
        roles=[(Role.PROFESSIONAL, None)], organisation=org, email="cr@example.invalid"
    )
    partner = UserFactory(roles=[(Role.PROFESSIONAL, None)], email="partner@example.invalid")
    adviser = UserFactory(roles=[(Role.PROFESSIONAL, None)], email="adviseur@example.invalid")
    former = UserFactory(roles=[(Role.PROFESSIONAL, None)], email="oud@example.invalid")
    outsider = UserFactory(roles=[(Role.PROFESSIONAL, None)], email="buiten@example.invalid")
    manager = UserFactory(roles=[(Role.MANAGER, house)], email="manager@example.invalid")
    other_manager = UserFactory(
        roles=[(Role.MANAGER, HouseFactory())], email="andere-manager@example.invalid"
    )
    start = today() - dt.timedelta(days=60)
    MembershipFactory(case=case, user=regisseur, role=CaseRole.PROCESREGISSEUR, valid_from=start)
    MembershipFactory(case=case, user=casus, role=CaseRole.CASUSREGISSEUR, valid_from=start)
    MembershipFactory(case=case, user=partner, role=CaseRole.BETROKKEN_PARTNER, valid_from=start)
    MembershipFactory(case=case, user=adviser, role=CaseRole.ADVISEUR, valid_from=start)
    MembershipFactory(
        case=case,
        user=former,
        role=CaseRole.BETROKKEN_PARTNER,
        valid_from=start,
        valid_to=today() - dt.timedelta(days=1),
    )
    return {
        "house": house,
        "case": case,
        "person": person,
        "org": org,
        "regisseur": regisseur,
        "casus": casus,
        "partner": partner,
        "adviser": adviser,
        "former": former,
        "outsider": outsider,
        "manager": manager,
        "other_manager": other_manager,
    }


@pytest.fixture
def team(db: None, house: Any) -> dict[str, Any]:
    return build_team(house)


def schedule(
    team: dict[str, Any],
    *,
    kind: str = Meeting.Kind.FIRST,
    starts_at: dt.datetime | None = None,
    participants: list[Any] | None = None,
    **kw: Any,
) -> Meeting:
    """Plan a meeting for the team's case (or the house, for monitoring)."""
    start = starts_at or (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    return services.schedule_meeting(
        actor=team["regisseur"],
        house=team["house"],
        kind=kind,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        location=kw.pop("location", ""),
        participants=participants
        if participants is not None
        else [team["regisseur"], team["casus"], team["partner"]],
        case=None if kind == Meeting.Kind.MONITORING else kw.pop("case", team["case"]),
        **kw,
    )


def held(team: dict[str, Any], **kw: Any) -> Meeting:
    """A first meeting that started an hour ago, with its attendance recorded."""
    meeting = schedule(team, starts_at=kw.pop("starts_at", timezone.now() - dt.timedelta(hours=1)))
    return services.record_attendance(
        meeting,
        actor=team["regisseur"],
        present=[team["regisseur"].pk, team["casus"].pk],
        expected_version=meeting.version,
    )
