"""Query counts of the household variant's pages (issue 15) do not grow with the client system.

Each page of a client system's case is opened twice by its procesregisseur: once with a
small household (2 members, 1 network contact and consent, 1 Verwijsindex signal, 1
meldcode step, 1 level change and aftercare agreement), once with a large one (6 members,
5 of each). The number of queries must be the same: a page that queries per member, per
signal or per step would cost more with every family and is an N+1 to fix. Speed itself
is the benchmark's (bench/), never a timed test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.models import CompetenceProfile
from ketenregie.accounts.roles import Role
from ketenregie.cases.escalation_map import ensure_escalation_map
from ketenregie.cases.escalation_models import EscalationNotice
from ketenregie.cases.household_models import Consent, NetworkContact
from ketenregie.cases.models import (
    CaseRole,
    EscalationChange,
    Household,
    HouseholdMember,
    HouseholdMemberVersion,
)
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.pga.aftercare_models import AftercareAgreement, TrajectoryEvaluation
from ketenregie.plans.models import Goal, Plan
from ketenregie.safeguarding.meldcode_models import (
    DecisionAnswers,
    MeldcodeStep,
    MeldcodeTrajectory,
)
from ketenregie.safeguarding.vi_models import (
    RiskCategory,
    TransportState,
    VerwijsindexMatch,
    VerwijsindexSignal,
)
from ketenregie.safeguarding.vi_rules import add_years, consultation_due, expiry_date
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    in_household_variant,
)

pytestmark = pytest.mark.django_db

SMALL = {"members": 2, "items": 1}
LARGE = {"members": 6, "items": 5}


def _professional(house: Any = None) -> Any:
    """A professional of an organisation of their own, with contact details (a signal
    needs them)."""
    roles = [(Role.PROCESREGISSEUR, house)] if house is not None else [(Role.PROFESSIONAL, None)]
    return UserFactory(roles=roles, organisation=OrganisationFactory(), phone="06-12345678")


def _members(household: Household, n: int) -> list[HouseholdMember]:
    """`n` members: the mother (the primary client) and children of 3 to 17."""
    now = timezone.now()
    since = today() - dt.timedelta(days=400)
    members = []
    for i in range(n):
        adult = i == 0
        person = PersonFactory(
            voornamen="Moeder" if adult else f"Kind{i}",
            geboortedatum=add_years(today(), -38 if adult else -(3 + 3 * i % 15)),
            without_bsn=True,
        )
        member = HouseholdMember.objects.create(
            household=household,
            person=person,
            relation="betrokkene" if adult else "kind",
            custody="ja" if adult else "nee",
            valid_from=since,
        )
        for version in (1, 2):
            HouseholdMemberVersion.objects.create(
                member=member,
                version=version,
                values={"relation": member.relation, "custody": member.custody},
                changed_at=now,
            )
        members.append(member)
    return members


def _safeguarding(case: Any, child: Any, users: list[Any], items: int) -> None:
    """A meldcode trajectory with `items` steps and answer sets, `items` Verwijsindex
    signals on the child by different professionals (consecutive ones matched)."""
    now, day = timezone.now(), today()
    trajectory = MeldcodeTrajectory.objects.create(case=case, started_by=users[0])
    answers = None
    for n in range(items):
        answers = DecisionAnswers.objects.create(
            trajectory=trajectory,
            answered_on=day,
            answered_by=users[0],
            q1=True,
            q2=False,
            q3=True,
            q4=True,
            q5=False,
        )
        # Weighing and deciding, again and again (seed 4.7): each decision rests on its
        # answer set, so the large trajectory has three decisions to show, the small one.
        decide = n % 2 == 0
        MeldcodeStep.objects.create(
            trajectory=trajectory,
            number=MeldcodeStep.Number.DECIDE if decide else MeldcodeStep.Number.WEIGH,
            taken_on=day,
            taken_by=users[n % len(users)],
            note="Stap gezet.",
            answers=answers if decide else None,
        )
    signals = []
    for n in range(items):
        signaller = users[n]
        signals.append(
            VerwijsindexSignal.objects.create(
                case=case,
                person=child.person,
                signaller=signaller,
                organisation=signaller.organisation,
                category=RiskCategory.GEWELD,
                signalled_on=day,
                informed_on=day,
                expires_on=expiry_date(day, child.person.geboortedatum),
                created_at=now,
                state=TransportState.ACCEPTED,
            )
        )
    for first, second in zip(signals, signals[1:], strict=False):
        VerwijsindexMatch.objects.create(
            first=first, second=second, matched_at=now, consultation_due=consultation_due(day)
        )


def _world(members: int, items: int) -> dict[str, Any]:
    """A running client system's case at level 4 in a house in the household variant,
    directed by the user the pages are opened as."""
    house = in_household_variant(HouseFactory())
    ensure_escalation_map(house)
    regisseur = _professional(house)
    CompetenceProfile.objects.create(user=regisseur, profile="B+", since=today())
    household = Household.objects.create(name="Gezin")
    people = _members(household, members)
    case = CaseFactory(
        house=house,
        person=people[0].person,
        household=household,
        status=Status.IN_UITVOERING,
        escalation_level=4,
    )
    MembershipFactory(case=case, user=regisseur, role=CaseRole.PROCESREGISSEUR)
    users = [regisseur]
    for _ in range(items):
        partner = _professional()
        MembershipFactory(case=case, user=partner, role=CaseRole.BETROKKEN_PARTNER)
        users.append(partner)
    now, day = timezone.now(), today()
    for n in range(items):
        NetworkContact.objects.create(
            case=case, name=f"Netwerk {n}", relation="familie", valid_from=day
        )
        Consent.objects.create(
            case=case,
            subject="coordinatie",
            given_by_member=people[n % members],
            given_on=day,
            form="schriftelijk",
            recorded_by=regisseur,
            recorded_at=now,
        )
        change = EscalationChange.objects.create(
            case=case,
            from_level=3,
            to_level=4,
            reason="Zorgen",
            decided_by=regisseur,
            decided_at=now,
        )
        for user in users:
            EscalationNotice.objects.create(
                case=case, change=change, user=user, responsibility="regisseur", created_at=now
            )
        AftercareAgreement.objects.create(
            case=case,
            organisation=users[n + 1].organisation,
            what="Vinger aan de pols",
            starts_on=day,
            frequency="maandelijks",
            follow_up_on=day + dt.timedelta(days=30),
            recorded_by=regisseur,
            recorded_at=now,
        )
        TrajectoryEvaluation.objects.create(
            case=case,
            held_on=day,
            went_well="Goed",
            went_less_well="Minder",
            goals_reached="deels",
            client_satisfaction=7,
            recorded_by=regisseur,
            recorded_at=now,
        )
    plan = Plan.objects.create(case=case, joint_goal="Veilig opgroeien", updated_by=regisseur)
    for member in people:
        Goal.objects.create(plan=plan, member=member, text=f"Doel {member.pk}")
    _safeguarding(case, people[1], users, items)
    return {"user": regisseur, "case": case}


PAGES = {
    "household": "household",
    "plan": "plan",
    "meldcode": "meldcode",
    "verwijsindex": "vi_list",
    "escalation_map": "case_escalation_map",
    "aftercare": "pga_aftercare",
}


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_is_flat_with_the_size_of_the_client_system(client: Client, page: str) -> None:
    counts = []
    for size in (SMALL, LARGE):
        world = _world(**size)
        client.force_login(world["user"])
        client.get(reverse("dashboard"))  # settle the session's MFA check
        url = reverse(PAGES[page], args=[world["case"].pk])
        client.get(url)  # caches filled once per process do not count
        counts.append(_count(client, url))
        client.logout()
    print(f"{page}: {counts[0]} queries small, {counts[1]} large")
    assert counts[0] == counts[1], counts


def test_dashboard_query_count_is_flat_with_client_systems(client: Client) -> None:
    """The regisseur's dashboard with the variant's panels (escalation notices, matches
    whose consultation is due, aftercare to follow up) for one case and for five."""
    counts = []
    for n in (1, 5):
        worlds = [_world(**SMALL) for _ in range(n)]
        user = worlds[0]["user"]
        for world in worlds[1:]:
            MembershipFactory(case=world["case"], user=user, role=CaseRole.PROCESREGISSEUR)
        client.force_login(user)
        client.get(reverse("dashboard"))
        counts.append(_count(client, reverse("dashboard")))
        client.logout()
    print(f"dashboard: {counts[0]} queries with one client system, {counts[1]} with five")
    assert counts[0] == counts[1], counts
