"""Reading Verwijsindex signals and matches for pages, the dashboard and the subject
access export. What a match shows of the other side is decided here, once: the other
signaller's name, organisation and contact details, never their case, house or category."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ketenregie.cases.models import HouseholdMember, Person
from ketenregie.core.timeutil import today
from ketenregie.safeguarding.vi_access import vi_active_matches, vi_matches_on_case
from ketenregie.safeguarding.vi_models import VerwijsindexMatch, VerwijsindexSignal

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.cases.models import Case


@dataclass(frozen=True)
class OtherSide:
    """All a signaller learns of the other professional in a match."""

    name: str
    organisation: str
    email: str
    phone: str
    job_title: str


@dataclass(frozen=True)
class MatchView:
    match: VerwijsindexMatch
    own: VerwijsindexSignal
    other: OtherSide

    @property
    def is_overdue(self) -> bool:
        return self.match.consultation_held_on is None and self.match.consultation_due < today()


def signal_candidates(case: Case) -> list[Person]:
    """The people a signal on this case may be about: the case's person and the members
    of its household (the age rule is the service's, with its own message)."""
    people = {case.person_id: case.person}
    if case.household_id:
        day = today()
        for member in HouseholdMember.objects.filter(household_id=case.household_id).select_related(
            "person"
        ):
            # A member who has left the household is no longer one of this case's young.
            if member.is_current(day):
                people.setdefault(member.person_id, member.person)
    return sorted(people.values(), key=lambda p: (p.geboortedatum or dt.date.max, p.pk))


def case_signals(case: Case) -> list[VerwijsindexSignal]:
    return list(
        VerwijsindexSignal.objects.filter(case=case).select_related(
            "person", "signaller", "organisation", "withdrawn_by"
        )
    )


def _side(signal: VerwijsindexSignal) -> OtherSide:
    user = signal.signaller
    return OtherSide(
        name=user.get_full_name() or user.username,
        organisation=signal.organisation.name,
        email=user.email,
        phone=user.phone,
        job_title=user.job_title,
    )


_RELATED = (
    "first__signaller",
    "first__organisation",
    "first__person",
    "second__signaller",
    "second__organisation",
    "second__person",
)


def _views(user: User, matches: list[VerwijsindexMatch]) -> list[MatchView]:
    views = []
    for match in matches:
        own, other = (
            (match.first, match.second)
            if match.first.signaller_id == user.pk
            else (match.second, match.first)
        )
        views.append(MatchView(match=match, own=own, other=_side(other)))
    return views


def matches_on_case(user: User, case: Case) -> list[MatchView]:
    """The user's own active matches through their signals on this case."""
    rows = vi_matches_on_case(user, case).select_related(*_RELATED)
    return _views(user, list(rows))


def open_matches(user: User, limit: int = 20) -> list[MatchView]:
    """Dashboard: the user's active matches whose consultation is not recorded yet."""
    rows = (
        vi_active_matches(user)
        .filter(consultation_held_on__isnull=True)
        .select_related(*_RELATED)
        .order_by("consultation_due", "pk")[:limit]
    )
    return _views(user, list(rows))


@dataclass(frozen=True)
class PersonSignal:
    """A signal as the person's own export shows it: that it exists, who, when."""

    pk: int
    signaller: str
    organisation: str
    signalled_on: dt.date
    informed_on: dt.date | None
    expires_on: dt.date
    withdrawn: bool


def signals_about(person_id: int, case_id: int | None = None) -> list[PersonSignal]:
    """The signals about a person (on one case, with `case_id`), for their own export."""
    rows = VerwijsindexSignal.objects.filter(person_id=person_id)
    if case_id is not None:
        rows = rows.filter(case_id=case_id)
    return [
        PersonSignal(
            pk=s.pk,
            signaller=s.signaller.get_full_name() or s.signaller.username,
            organisation=s.organisation.name,
            signalled_on=s.signalled_on,
            informed_on=s.informed_on,
            expires_on=s.expires_on,
            withdrawn=s.is_withdrawn,
        )
        for s in rows.select_related("signaller", "organisation").order_by("signalled_on", "pk")
    ]
