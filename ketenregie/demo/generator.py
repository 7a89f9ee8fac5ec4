"""Builds the demo data set and scale data through one generator.

`load_demo` makes the reference data (regions, houses, partners, demo users with real
TOTP) and about 150 cases; `generate_scale` reuses the same case generator with bulk
inserts for 100,000+ cases. Everything is fictitious; BSNs come only from the RvIG
test range and stay empty once that range is used up.

For the small demo, `generate_cases(..., journeys={})` stops every PGA case at "PGA
gestart" and notes where it is headed (a `Journey`); `demo.execution` then takes it
there through the real services. At scale the whole status history is written in bulk.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from ketenregie.accounts.models import (
    House,
    HousePartner,
    Organisation,
    Region,
    RoleAssignment,
    User,
)
from ketenregie.accounts.roles import Role
from ketenregie.audit.services import PendingEvent, record_many
from ketenregie.audit.writes import snapshot
from ketenregie.cases.defaults import ensure_escalation_criteria, ensure_life_domains
from ketenregie.cases.models import (
    Case,
    CaseMembership,
    CaseNumber,
    CaseRole,
    Household,
    HouseholdMember,
    LifeDomain,
    Person,
    PersonVersion,
    StatusChange,
)
from ketenregie.cases.services import PERSON_FIELDS, add_membership, membership_values
from ketenregie.cases.workflow import (
    EXECUTION_ENDED_STATUSES,
    EXECUTION_STATUSES,
    STARTED_STATUSES,
    Status,
)
from ketenregie.core.bsn import reserved_test_bsns
from ketenregie.core.bulk import insert_rows, reserve_ids
from ketenregie.demo import reference as ref
from ketenregie.demo.socialmap import load_social_map
from ketenregie.intake import schedule
from ketenregie.intake.criteria import ensure_default_criteria
from ketenregie.intake.models import (
    AgendaItem,
    Criterion,
    EnrichmentRequest,
    Feedback,
    Referral,
    ReferralCriterion,
    ReferralProblem,
    RejectionCount,
    TriageMeeting,
)
from ketenregie.intake.services import meeting_on

# The path each status is reached by, from a draft referral.
PATHS: dict[Status, list[Status]] = {
    Status.CONCEPT: [Status.CONCEPT],
    Status.AANGEMELD: [Status.CONCEPT, Status.AANGEMELD],
    Status.VERRIJKING: [Status.CONCEPT, Status.AANGEMELD, Status.VERRIJKING],
    Status.GEAGENDEERD: [Status.CONCEPT, Status.AANGEMELD, Status.VERRIJKING, Status.GEAGENDEERD],
    Status.DOORVERWEZEN: [Status.CONCEPT, Status.AANGEMELD, Status.DOORVERWEZEN],
}
_pga = [Status.CONCEPT, Status.AANGEMELD, Status.VERRIJKING, Status.GEAGENDEERD]
PATHS[Status.GEEN_PGA] = [*_pga, Status.GEEN_PGA]
PATHS[Status.PGA_GESTART] = [*_pga, Status.PGA_GESTART]
PATHS[Status.IN_UITVOERING] = [*PATHS[Status.PGA_GESTART], Status.IN_UITVOERING]
PATHS[Status.VOORLOPIG_AFGESLOTEN] = [*PATHS[Status.IN_UITVOERING], Status.VOORLOPIG_AFGESLOTEN]
PATHS[Status.AFGESLOTEN] = [*PATHS[Status.IN_UITVOERING], Status.AFGESLOTEN]
PATHS[Status.OPGESCHAALD] = [*PATHS[Status.IN_UITVOERING], Status.OPGESCHAALD]

# Where a referral that belongs elsewhere goes, and the triage's advice when no PGA starts:
# the status reason, the referral and the referrer's feedback say the same.
REFERRED_TO = "het lopende multidisciplinaire overleg huiselijk geweld (MDA++) van de regio"
NO_PGA_ADVICE = "Aanmelden bij het lokale wijkteam voor schuldhulp."
REASONS = {
    Status.GEEN_PGA: NO_PGA_ADVICE,
    Status.DOORVERWEZEN: REFERRED_TO,
    Status.OPGESCHAALD: "Lokale aanpak loopt vast; politie en justitie blijven zwaar betrokken.",
}

# Weighted spread of statuses so every phase is well represented.
STATUS_WEIGHTS: list[tuple[Status, int]] = [
    (Status.CONCEPT, 4),
    (Status.AANGEMELD, 8),
    (Status.VERRIJKING, 7),
    (Status.GEAGENDEERD, 7),
    (Status.GEEN_PGA, 6),
    (Status.DOORVERWEZEN, 4),
    (Status.PGA_GESTART, 12),
    (Status.IN_UITVOERING, 35),
    (Status.VOORLOPIG_AFGESLOTEN, 6),
    (Status.AFGESLOTEN, 8),
    (Status.OPGESCHAALD, 3),
]
RECENT_STATUSES = {Status.CONCEPT, Status.AANGEMELD, Status.VERRIJKING, Status.GEAGENDEERD}
AFTER_TRIAGE = {
    Status.GEEN_PGA,
    Status.PGA_GESTART,
    Status.IN_UITVOERING,
    Status.VOORLOPIG_AFGESLOTEN,
    Status.AFGESLOTEN,
    Status.OPGESCHAALD,
}
REFERRAL_REASONS = [
    "Herhaaldelijk meldingen van overlast en bedreiging van buren; zorgen over verwaarlozing.",
    "Escalerende ruzies thuis, politie meerdere keren ter plaatse; kinderen in het gezin.",
    "Verward gedrag in de openbare ruimte, zorg wordt afgehouden, dreigende huisuitzetting.",
    "Jongere betrokken bij diefstallen en drugsrunnen; school meldt langdurig verzuim.",
    "Na detentie geen woonplek en geen inkomen; eerder geweld richting hulpverleners.",
]
# Problems per life domain (cases.defaults.ZRM_DOMAINS): a referral's problem reads like
# its domain. A domain without texts here gets none in the demo.
PROBLEM_TEXTS: dict[str, list[str]] = {
    "Financiën": [
        "Forse schulden, beslaglegging op inkomen.",
        "Betalingsachterstanden bij zorgverzekeraar en energieleverancier.",
    ],
    "Werk & opleiding": [
        "Langdurig schoolverzuim, dreigende uitschrijving.",
        "Baan verloren na conflicten; geen startkwalificatie.",
    ],
    "Tijdsbesteding": ["Geen dagbesteding; hangt overdag op straat rond."],
    "Huisvesting": [
        "Dreigende ontruiming wegens huurachterstand en overlast.",
        "Zwerft tussen vrienden en de nachtopvang, geen vaste woonplek.",
    ],
    "Huiselijke relaties": [
        "Herhaald huiselijk geweld; tijdelijk huisverbod opgelegd.",
        "Ernstige spanningen tussen ouders; kinderen getuige van ruzies.",
    ],
    "Geestelijke gezondheid": [
        "Wisselend contact met de GGZ, geen vaste behandelaar.",
        "Psychotische klachten, stopt steeds met medicatie.",
    ],
    "Lichamelijke gezondheid": ["Onbehandelde diabetes; mist afspraken bij de huisarts."],
    "Middelengebruik": [
        "Dagelijks middelengebruik, eerder afgebroken behandeling.",
        "Alcoholgebruik loopt op, vooral in het weekend.",
    ],
    "Basale ADL": ["Verzorgt zichzelf slecht; woning vervuilt."],
    "Instrumentele ADL": ["Opent geen post; regelt boodschappen en financiën niet."],
    "Sociaal netwerk": ["Weinig steunend netwerk; contact met familie verbroken."],
    "Maatschappelijke participatie": ["Trekt zich terug; wantrouwt instanties."],
    "Justitie": [
        "Meerdere politiecontacten, lopende zaken bij het OM.",
        "Voorwaardelijke straf met reclasseringstoezicht.",
    ],
}
# Past the start of the PGA: with `journeys` these are reached through the services.
EXECUTED = EXECUTION_STATUSES
CLOSED = EXECUTION_ENDED_STATUSES
PGA_STATUSES = STARTED_STATUSES


@dataclass
class Journey:
    """Where a case held at "PGA gestart" goes next, for `demo.execution` to play out.

    `casusregisseur` is the partner professional the first case meeting will agree on;
    `successor` takes the role over at a later meeting (None: no handover).
    """

    target: Status
    started: dt.datetime  # when the case goes into execution
    ended: dt.datetime | None  # when it is closed or escalated (None: still running)
    casusregisseur: User
    successor: User | None = None


def load_reference_data() -> dict[str, str]:
    """Create regions, houses, organisations and demo users; return {username: secret}."""
    ensure_life_domains()
    ensure_escalation_criteria()
    regions = {name: Region.objects.create(name=name) for name in ref.REGIONS}
    houses: dict[str, House] = {}
    for code, name, kind, region, _places in ref.HOUSES:
        houses[code] = House.objects.create(code=code, name=name, kind=kind, region=regions[region])
    orgs: dict[str, Organisation] = {}
    for key, name, domain, org_region, fixed_at in ref.ORGANISATIONS:
        org = Organisation.objects.create(
            name=name, domain=domain, region=regions[org_region] if org_region else None
        )
        orgs[key] = org
        for code, house in houses.items():
            in_region = org_region is None or house.region.name == org_region
            if code in fixed_at or in_region:
                HousePartner.objects.create(
                    house=house, organisation=org, is_fixed_triage_partner=code in fixed_at
                )
    secrets: dict[str, str] = {}
    for username, first, last, org_key, title, roles in ref.USERS:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.ketenregie.invalid",
            organisation=orgs[org_key],
            job_title=title,
            is_demo=True,
        )
        user.set_password(ref.DEMO_PASSWORD)
        user.save()
        for role, house_code in roles:
            RoleAssignment.objects.create(
                user=user, role=role, house=houses[house_code] if house_code else None
            )
        secret = generate_totp_secret()
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
        )
        secrets[username] = secret
    # The social map of the demo regions (ADR 24).
    load_social_map()
    record_many(
        PendingEvent(action="demo.reference_loaded", data={"gebruikers": len(secrets)})
        for _ in range(1)
    )
    return secrets


@dataclass(frozen=True)
class Timing:
    """How far back cases go and how long the execution of the PGA lasts.

    The demo keeps two years and short steps; at scale (`execution_days`) a PGA runs for
    months before it closes, and cases running now started within `running_days`.
    """

    history_days: int = 720
    execution_days: tuple[int, int] | None = None
    running_days: int | None = None

    def start_and_step(
        self, rng: random.Random, status: Status, steps: int, now: dt.datetime
    ) -> tuple[dt.datetime, dt.timedelta]:
        longest = steps * 30 + (self.execution_days[1] if self.execution_days else 0)
        oldest = self.history_days
        if self.running_days and status in (Status.PGA_GESTART, Status.IN_UITVOERING):
            oldest = self.running_days
        days = rng.randint(steps * 7, max(oldest, steps * 7 + 1))
        if self.execution_days and status in CLOSED:
            days = rng.randint(longest, max(oldest, longest + 1))
        return now - dt.timedelta(days=days, hours=rng.randint(0, 9)), dt.timedelta(
            days=rng.randint(1, 30)
        )

    def gap(self, rng: random.Random, status: Status, step: dt.timedelta) -> dt.timedelta:
        """The time before `status` is reached from the one before it."""
        if self.execution_days and status in CLOSED:
            return dt.timedelta(days=rng.randint(*self.execution_days))
        return step


@dataclass
class Cast:
    """Who works where, looked up once per generation run."""

    houses: list[House]
    places: dict[int, list[str]]
    procesregisseurs: dict[int, list[User]]
    referrers: list[User]
    professionals: list[User]
    advisers: list[User]
    org_partners: dict[int, list[Organisation]]
    domains: list[LifeDomain] = field(default_factory=list)
    criteria: dict[int, list[Criterion]] = field(default_factory=dict)
    fixed: dict[int, list[int]] = field(default_factory=dict)
    meetings: dict[tuple[int, dt.date], TriageMeeting] = field(default_factory=dict)
    positions: dict[int, int] = field(default_factory=dict)
    # house id -> the usernames' houses that limit who works there (ref.LOCAL_USERS)
    codes: dict[int, str] = field(default_factory=dict)

    def works_at(self, user: User, house_id: int) -> bool:
        houses = ref.LOCAL_USERS.get(user.username)
        return houses is None or self.codes.get(house_id) in houses

    def referrers_at(self, house_id: int) -> list[User]:
        return [u for u in self.referrers if self.works_at(u, house_id)] or self.referrers

    def professionals_at(self, house_id: int) -> list[User]:
        local = [u for u in self.professionals if self.works_at(u, house_id)]
        return local if len(local) >= 3 else self.professionals

    def meeting(self, house: House, day: dt.date) -> TriageMeeting:
        key = (house.pk, day)
        if key not in self.meetings:
            self.meetings[key] = meeting_on(house, day)
        return self.meetings[key]

    def next_position(self, meeting: TriageMeeting) -> int:
        if meeting.pk not in self.positions:
            last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"]
            self.positions[meeting.pk] = last or 0
        self.positions[meeting.pk] += 1
        return self.positions[meeting.pk]

    @classmethod
    def load(cls) -> Cast:
        houses = list(House.objects.select_related("region").order_by("code"))
        by_code = {code: places for code, _n, _k, _r, places in ref.HOUSES}
        roles = list(RoleAssignment.objects.select_related("user", "user__organisation"))
        pr: dict[int, list[User]] = {h.pk: [] for h in houses}
        referrers: list[User] = []
        professionals: list[User] = []
        for ra in roles:
            if ra.role == Role.PROCESREGISSEUR and ra.house_id:
                pr[ra.house_id].append(ra.user)
            elif ra.role == Role.AANMELDER:
                referrers.append(ra.user)
            elif ra.role == Role.PROFESSIONAL:
                professionals.append(ra.user)
        advisers = [u for u in professionals if "adviseur" in u.job_title.lower()]
        professionals = [u for u in professionals if u not in advisers]
        org_partners: dict[int, list[Organisation]] = {h.pk: [] for h in houses}
        # Another house's own organisation is a neighbour, not a partner on this house's cases.
        house_names = {h.name for h in houses}
        for link in HousePartner.objects.select_related("organisation", "house"):
            if link.organisation.name in house_names and link.organisation.name != link.house.name:
                continue
            org_partners[link.house_id].append(link.organisation)
        criteria = {h.pk: list(ensure_default_criteria(h).criteria.all()) for h in houses}
        fixed: dict[int, list[int]] = {h.pk: [] for h in houses}
        for link in HousePartner.objects.filter(is_fixed_triage_partner=True):
            fixed[link.house_id].append(link.organisation_id)
        return cls(
            codes={h.pk: h.code for h in houses},
            domains=list(LifeDomain.objects.filter(is_active=True)),
            criteria=criteria,
            fixed=fixed,
            houses=houses,
            places={h.pk: by_code.get(h.code, ["Heerlen"]) for h in houses},
            procesregisseurs=pr,
            referrers=sorted(referrers, key=lambda u: u.username),
            professionals=sorted(professionals, key=lambda u: u.username),
            advisers=advisers,
            org_partners=org_partners,
        )


def _org(user: User) -> int:
    assert user.organisation_id is not None, "demo users always work for an organisation"
    return user.organisation_id


def _intake_records(
    cases: list[Case],
    timings: list[list[dt.datetime]],
    rng: random.Random,
    cast: Cast,
    now: dt.datetime,
    today: dt.date,
) -> None:
    """Referral, criteria, problems, enrichment, agenda and feedback behind every case."""
    referrals: list[Referral] = []
    for case, times in zip(cases, timings, strict=True):
        status = Status(case.status)
        submitted = times[1] if len(times) > 1 else None
        meeting = None
        if submitted is not None:
            day = schedule.first_triage_date(case.house, submitted)
            if status in RECENT_STATUSES:
                while day < today:
                    day += dt.timedelta(days=7)
            meeting = cast.meeting(case.house, day)
        after = status in AFTER_TRIAGE or status == Status.GEAGENDEERD
        referrals.append(
            Referral(
                case=case,
                referrer=case.created_by,
                reason=rng.choice(REFERRAL_REASONS),
                urgency=rng.choice(["normaal", "normaal", "hoog"]),
                meeting_goal="Gezamenlijk beeld en één plan van aanpak.",
                suggested_partners="Wijkteam, GGZ",
                other_meetings="",
                informed=rng.choice(["ja", "nee"]),
                informed_how="Mondeling door de wijkagent."
                if rng.random() < 0.6
                else "Nog niet: eerst afstemmen met de procesregisseur.",
                meets_criteria=rng.random() < 0.85,
                submitted_at=submitted,
                accountability_confirmed_at=submitted,
                accountability_confirmed_by=case.created_by if submitted else None,
                triage_meeting=meeting,
                screened_at=times[2] if len(times) > 2 else None,
                referred_to=REFERRED_TO if status == Status.DOORVERWEZEN else "",
                proposed_level=case.escalation_level if after else None,
                proposed_level_reasoning="Meerdere partners bekend; ketenbrede aanpak nodig."
                if after
                else "",
            )
        )
    _save_new(Referral, referrals)
    problems: list[ReferralProblem] = []
    ticks: list[ReferralCriterion] = []
    requests: list[EnrichmentRequest] = []
    items: list[AgendaItem] = []
    feedback: list[Feedback] = []
    for referral, times in zip(referrals, timings, strict=True):
        case = referral.case
        status = Status(case.status)
        described = [d for d in cast.domains if d.name in PROBLEM_TEXTS]
        for domain in rng.sample(described, k=min(3, len(described))):
            problems.append(
                ReferralProblem(
                    referral=referral,
                    domain=domain,
                    description=rng.choice(PROBLEM_TEXTS[domain.name]),
                )
            )
        criteria = cast.criteria.get(case.house_id, [])
        chosen = criteria[:3] if referral.meets_criteria else criteria[:1]
        for criterion in chosen:
            ticks.append(
                ReferralCriterion(
                    referral=referral, criterion=criterion, explanation="Zie aanleiding."
                )
            )
        if referral.submitted_at is None:
            continue
        feedback.append(
            Feedback(
                recipient_id=referral.referrer_id,
                case_id=case.pk,
                case_code=case.code,
                message="Uw aanmelding is ontvangen.",
                created_at=referral.submitted_at,
            )
        )
        # The decision is told to the referrer, as the services do (intake.services).
        decided = {
            Status.DOORVERWEZEN: f"Uw aanmelding is doorverwezen naar: {REFERRED_TO}.",
            Status.GEEN_PGA: f"De triage start geen PGA. Advies: {NO_PGA_ADVICE}",
        }.get(status)
        if decided:
            feedback.append(
                Feedback(
                    recipient_id=referral.referrer_id,
                    case_id=case.pk,
                    case_code=case.code,
                    message=decided,
                    created_at=times[-1],
                )
            )
        enriched = (
            status == Status.VERRIJKING or status == Status.GEAGENDEERD or (status in AFTER_TRIAGE)
        )
        if enriched and referral.triage_meeting is not None:
            deadline = referral.triage_meeting.starts_at - dt.timedelta(hours=24)
            for org_id in cast.fixed.get(case.house_id, []):
                answered = status != Status.VERRIJKING or rng.random() < 0.5
                known = rng.random() < 0.6
                requests.append(
                    EnrichmentRequest(
                        referral=referral,
                        organisation_id=org_id,
                        requested_at=referral.screened_at or referral.submitted_at,
                        deadline=deadline,
                        answer=("bekend" if known else "niet_bekend") if answered else "",
                        summary="Bekend sinds vorig jaar; contact loopt moeizaam."
                        if answered and known
                        else "",
                        legal_basis="publieke_taak" if answered and known else "",
                        special_category="zwaarwegend_algemeen_belang"
                        if answered and known
                        else "",
                        answered_at=now if answered else None,
                    )
                )
        if referral.triage_meeting is not None and (
            status == Status.GEAGENDEERD or status in AFTER_TRIAGE
        ):
            meeting = referral.triage_meeting
            position = cast.next_position(meeting)
            outcome = ""
            if status == Status.GEEN_PGA:
                outcome = AgendaItem.Outcome.NO_PGA
            elif status in AFTER_TRIAGE:
                outcome = AgendaItem.Outcome.START_PGA
            items.append(
                AgendaItem(
                    meeting=meeting,
                    referral=referral,
                    position=position,
                    referrer_present=True if outcome else None,
                    outcome=outcome,
                    advice=NO_PGA_ADVICE if outcome == AgendaItem.Outcome.NO_PGA else "",
                    decided_at=meeting.starts_at if outcome else None,
                )
            )
    insert_rows(ReferralProblem, problems)
    insert_rows(ReferralCriterion, ticks)
    insert_rows(EnrichmentRequest, requests)
    insert_rows(AgendaItem, items)
    insert_rows(Feedback, feedback)


def _first_versions(persons: list[Person], now: dt.datetime) -> None:
    insert_rows(
        PersonVersion,
        (
            PersonVersion(person=p, version=1, values=snapshot(p, PERSON_FIELDS), changed_at=now)
            for p in persons
        ),
    )


def _bsn_supply() -> Iterator[str | None]:
    used = set(Person.objects.exclude(bsn=None).values_list("bsn", flat=True))
    for bsn in reserved_test_bsns():
        if bsn not in used:
            yield bsn
    while True:
        yield None


def _person(rng: random.Random, bsn: str | None, place: str, today: dt.date) -> Person:
    birth = today - dt.timedelta(days=rng.randint(16 * 365, 70 * 365))
    return Person(
        voornamen=rng.choice(ref.FIRST_NAMES),
        tussenvoegsel=rng.choice(ref.PREFIXES),
        achternaam=rng.choice(ref.LAST_NAMES),
        geboortedatum=birth,
        bsn=bsn,
        straat=f"{rng.choice(ref.STREETS)} {rng.randint(1, 180)}",
        postcode=f"{rng.randint(6000, 6499)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
        f"{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}",
        woonplaats=place,
        gemeente=place,
        telefoon=f"06-{rng.randint(10000000, 99999999)}",
    )


class _Counters(dict[tuple[int, int], int]):
    """The last case number per (house, year), continuing after what the database holds."""

    def next(self, house: House, year: int) -> int:
        key = (house.pk, year)
        if key not in self:
            prefix = f"{house.code}-{year}-"
            last = Case.objects.filter(code__startswith=prefix).aggregate(m=Max("code"))["m"]
            used = CaseNumber.objects.filter(house=house, year=year).values_list("last", flat=True)
            self[key] = max([int(last.rsplit("-", 1)[1]) if last else 0, *used])
        self[key] += 1
        return self[key]


def generate_cases(
    n: int,
    *,
    seed: int = 2026,
    chunk: int = 2000,
    progress: Callable[[int], None] | None = None,
    with_households: bool = True,
    journeys: dict[int, Journey] | None = None,
    status_weights: list[tuple[Status, float]] | None = None,
    record: Callable[[list[PendingEvent]], object] = record_many,
    timing: Timing | None = None,
) -> int:
    """Generate `n` cases with persons, teams, status histories and audit events.

    With `journeys` (a dict to fill) PGA cases headed further stop at "PGA gestart"
    without a casusregisseur, and their further course is added to the dict by case id.
    """
    rng = random.Random(seed)
    cast = Cast.load()
    bsns = _bsn_supply()
    now = timezone.now()
    today = timezone.localdate()
    spread = status_weights or STATUS_WEIGHTS
    statuses = [s for s, _w in spread]
    weights = [float(w) for _s, w in spread]
    # Case numbers per house and year: a case made last year carries last year's number.
    counters = _Counters()
    done = 0
    while done < n:
        size = min(chunk, n - done)
        with transaction.atomic():
            _generate_chunk(
                size,
                rng,
                cast,
                bsns,
                now,
                today,
                statuses,
                weights,
                counters,
                with_households,
                journeys,
                record,
                timing or Timing(),
            )
        done += size
        if progress:
            progress(size)
    # The product's own numbering continues after the generated codes.
    for (house_id, year), last in counters.items():
        CaseNumber.objects.update_or_create(house_id=house_id, year=year, defaults={"last": last})
    return done


def _generate_chunk(
    size: int,
    rng: random.Random,
    cast: Cast,
    bsns: Iterator[str | None],
    now: dt.datetime,
    today: dt.date,
    statuses: list[Status],
    weights: list[float],
    counters: _Counters,
    with_households: bool,
    journeys: dict[int, Journey] | None = None,
    record: Callable[[list[PendingEvent]], object] = record_many,
    timing: Timing | None = None,
) -> None:
    timing = timing or Timing()
    plans = []
    persons = []
    for _ in range(size):
        house = rng.choice(cast.houses)
        status = rng.choices(statuses, weights)[0]
        if status == Status.OPGESCHAALD and house.kind != House.Kind.LOCAL_PGA:
            status = Status.AFGESLOTEN
        place = rng.choice(cast.places[house.pk])
        persons.append(_person(rng, next(bsns), place, today))
        plans.append((house, status))
    _save_new(Person, persons)
    _first_versions(persons, now)

    cases: list[Case] = []
    timings: list[list[dt.datetime]] = []
    targets: list[tuple[Status, list[dt.datetime]] | None] = []
    for (house, status), person in zip(plans, persons, strict=True):
        path = PATHS[status]
        if status in RECENT_STATUSES:
            # Referrals still in intake were made in the last days: they wait for the
            # coming triage.
            start = now - dt.timedelta(hours=rng.randint(len(path) * 6, 24 * 8))
            step = dt.timedelta(hours=rng.randint(1, 12))
        else:
            start, step = timing.start_and_step(rng, status, len(path), now)
        times = [start]
        for st in path[1:]:
            times.append(min(times[-1] + timing.gap(rng, st, step), now))
        if journeys is not None and status in EXECUTED:
            # Held at the start of the PGA: the rest is played out through the services.
            targets.append((status, times))
            status = Status.PGA_GESTART
            times = times[: len(PATHS[status])]
        else:
            targets.append(None)
        year = timezone.localdate(times[0]).year
        number = counters.next(house, year)
        level = rng.choice([3, 3, 3, 4, 4, 5]) if status in PGA_STATUSES else rng.randint(1, 5)
        cases.append(
            Case(
                code=f"{house.code}-{year}-{number:05d}",
                house=house,
                person=person,
                status=status,
                escalation_level=level,
                created_at=times[0],
                status_changed_at=times[-1],
                created_by=None,
            )
        )
        timings.append(times)
    # Keys up front: the rows are written once referrer and household are known.
    _give_ids(Case, cases)

    changes: list[StatusChange] = []
    members: list[CaseMembership] = []
    events: list[PendingEvent] = []
    households: list[tuple[Household, list[HouseholdMember]]] = []
    adders: list[User | None] = []
    for case, times, target in zip(cases, timings, targets, strict=True):
        first_member = len(members)
        status = Status(case.status)
        path = PATHS[status]
        referrer = rng.choice(cast.referrers_at(case.house_id))
        regisseurs = cast.procesregisseurs.get(case.house_id) or [referrer]
        regisseur = rng.choice(regisseurs)
        case.created_by = referrer
        start_day = timezone.localdate(times[0])
        members.append(
            CaseMembership(
                case=case,
                user=referrer,
                organisation_id=_org(referrer),
                role=CaseRole.AANMELDER,
                valid_from=start_day,
            )
        )
        events.append(
            PendingEvent(
                action="case.created",
                actor=referrer,
                case_id=case.pk,
                object_type="cases.case",
                object_id=str(case.pk),
                occurred_at=times[0],
            )
        )
        prev = ""
        for st, when in zip(path, times, strict=True):
            actor = referrer if st in (Status.CONCEPT, Status.AANGEMELD) else regisseur
            reason = REASONS.get(st, "")
            changes.append(
                StatusChange(
                    case=case,
                    from_status=prev,
                    to_status=st,
                    reason=reason,
                    changed_at=when,
                    changed_by=actor,
                )
            )
            if prev:
                events.append(
                    PendingEvent(
                        action="case.status_changed",
                        actor=actor,
                        case_id=case.pk,
                        object_type="cases.case",
                        object_id=str(case.pk),
                        occurred_at=when,
                        data={
                            "wijzigingen": {"status": {"voor": prev, "na": st.value}},
                            "reden": reason,
                        },
                    )
                )
            prev = st.value
        if status in PGA_STATUSES:
            pga_start = timezone.localdate(times[path.index(Status.PGA_GESTART)])
            closed = status in (Status.AFGESLOTEN, Status.OPGESCHAALD)
            end = timezone.localdate(times[-1]) if closed else None
            pool = cast.professionals_at(case.house_id)
            team_users = rng.sample(pool, k=min(3, len(pool)))
            members.append(
                CaseMembership(
                    case=case,
                    user=regisseur,
                    organisation_id=_org(regisseur),
                    role=CaseRole.PROCESREGISSEUR,
                    valid_from=pga_start,
                    valid_to=end,
                )
            )
            casus: User | None = team_users[0]
            handover = (
                (target[0] if target else status) == Status.IN_UITVOERING
                and (today - pga_start).days >= 4
                and rng.random() < 0.25
            )
            if journeys is not None and target is not None:
                # The first case meeting agrees on the casusregisseur (and a later one on
                # a successor); until then they are on the team as partners.
                full = target[1]
                journeys[case.pk] = Journey(
                    target=target[0],
                    started=full[PATHS[target[0]].index(Status.IN_UITVOERING)],
                    ended=full[-1] if target[0] in CLOSED else None,
                    casusregisseur=team_users[0],
                    successor=team_users[1] if handover and len(team_users) > 1 else None,
                )
                handover = False
                casus = None
            if handover and casus is not None:
                # A casusregisseur who left and handed over to a successor.
                switch = pga_start + (today - pga_start) // 2
                members.append(
                    CaseMembership(
                        case=case,
                        user=casus,
                        organisation_id=_org(casus),
                        role=CaseRole.CASUSREGISSEUR,
                        valid_from=pga_start,
                        valid_to=switch - dt.timedelta(days=1),
                        note="Rol overgedragen wegens andere functie.",
                    )
                )
                casus = team_users[1]
                pga_start_casus = switch
            else:
                pga_start_casus = pga_start
            if casus is not None:
                members.append(
                    CaseMembership(
                        case=case,
                        user=casus,
                        organisation_id=_org(casus),
                        role=CaseRole.CASUSREGISSEUR,
                        valid_from=pga_start_casus,
                        valid_to=end,
                    )
                )
            partners = team_users if casus is None else team_users[1:]
            for partner in partners if not handover else team_users[2:]:
                members.append(
                    CaseMembership(
                        case=case,
                        user=partner,
                        organisation_id=_org(partner),
                        role=CaseRole.BETROKKEN_PARTNER,
                        valid_from=pga_start,
                        valid_to=end,
                    )
                )
            partner_orgs = cast.org_partners.get(case.house_id) or []
            if partner_orgs and rng.random() < 0.5:
                org = rng.choice(partner_orgs)
                members.append(
                    CaseMembership(
                        case=case,
                        user=None,
                        organisation_id=org.pk,
                        role=CaseRole.BETROKKEN_PARTNER,
                        valid_from=pga_start,
                        valid_to=end,
                    )
                )
            if cast.advisers and rng.random() < 0.3:
                adviser = rng.choice(cast.advisers)
                members.append(
                    CaseMembership(
                        case=case,
                        user=adviser,
                        organisation_id=_org(adviser),
                        role=CaseRole.ADVISEUR,
                        valid_from=pga_start,
                        valid_to=end,
                    )
                )
        # The referrer is on the team from the referral; the procesregisseur adds the rest.
        adders.append(referrer)
        adders.extend([regisseur] * (len(members) - first_member - 1))
        if with_households and rng.random() < 0.3:
            hh = Household(name=f"Huishouden {case.code}")
            extra = [
                _person(rng, None, case.person.woonplaats, today) for _ in range(rng.randint(1, 3))
            ]
            households.append(
                (
                    hh,
                    [HouseholdMember(person=case.person, relation="betrokkene")]
                    + [
                        HouseholdMember(
                            person=p,
                            relation=rng.choice(["partner", "kind", "kind", "ouder", "huisgenoot"]),
                        )
                        for p in extra
                    ],
                )
            )
            case.household = hh
    insert_rows(StatusChange, changes)
    _save_new(CaseMembership, members)
    for m, added_by in zip(members, adders, strict=True):
        events.append(
            PendingEvent(
                action="team.member_added",
                actor=added_by,
                case_id=m.case.pk,
                object_type="cases.casemembership",
                object_id=str(m.pk),
                # Never in the future: a member who joins today was added before now.
                occurred_at=min(
                    timezone.make_aware(dt.datetime.combine(m.valid_from, dt.time(9, 0))), now
                ),
                data={"na": membership_values(m)},
            )
        )
    if households:
        _save_new(Household, [hh for hh, _m in households])
        extra_people = [m.person for _hh, ms in households for m in ms[1:]]
        _save_new(Person, extra_people)
        _first_versions(extra_people, now)
        rows: list[HouseholdMember] = []
        for hh, ms in households:
            for hm in ms:
                hm.household = hh
                rows.append(hm)
        insert_rows(HouseholdMember, rows)
    insert_rows(Case, cases, with_pk=True)
    _intake_records(cases, timings, rng, cast, now, today)
    record(events)


def _give_ids[M: Model](model: type[M], objs: list[M]) -> None:
    for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
        obj._state.adding = False


def _save_new[M: Model](model: type[M], objs: list[M]) -> None:
    """Insert new rows with keys taken up front (no RETURNING round trip per batch)."""
    _give_ids(model, objs)
    insert_rows(model, objs, with_pk=True)


def plant_possible_duplicates() -> int:
    """Make some new referrals look like earlier persons, as screeners meet them daily.

    Per house, the first two referrals in screening get the date of birth of a person with
    a closed case there, and a Dutch variant of that name (prefix fused, ij as y).
    """
    planted = 0
    for house in House.objects.all():
        earlier = list(
            Case.objects.filter(house=house, status=Status.AFGESLOTEN)
            .select_related("person")
            .order_by("pk")[:2]
        )
        fresh = list(
            Case.objects.filter(house=house, status=Status.AANGEMELD)
            .select_related("person")
            .order_by("pk")[:2]
        )
        for old, new in zip(earlier, fresh, strict=False):
            person = new.person
            surname = f"{old.person.tussenvoegsel}{old.person.achternaam}".replace(" ", "")
            person.voornamen = old.person.voornamen
            person.tussenvoegsel = ""
            person.achternaam = surname[:1].upper() + surname[1:].replace("ij", "y")
            person.geboortedatum = old.person.geboortedatum
            person.bsn = None
            person.save(
                update_fields=["voornamen", "tussenvoegsel", "achternaam", "geboortedatum", "bsn"]
            )
            PersonVersion.objects.filter(person=person).update(
                values=snapshot(person, PERSON_FIELDS)
            )
            planted += 1
    return planted


def plant_rejection_counts(seed: int = 2026, weeks: int = 16) -> int:
    """The anonymous counts that referrals not put on the agenda leave behind (the
    referrals themselves are deleted), for the last `weeks` weeks per house: what the FG
    and the manager see on the rejected-referral page."""
    rng = random.Random(seed)
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    rows = [
        RejectionCount(
            house=house, week=monday - dt.timedelta(weeks=back), category=category, count=n
        )
        for house in House.objects.order_by("pk")
        for back in range(weeks)
        for category in Referral.RejectCategory.values
        if (n := rng.choice((0, 0, 0, 1, 1, 2, 3))) > 0
    ]
    RejectionCount.objects.bulk_create(rows)
    return len(rows)


def plant_case_reads(seed: int = 2026) -> int:
    """Reads of the cases of persons with more than one case, as the case page records
    them ("case.viewed": who, when, full or pseudonymised view): so the subject access
    export of such a person (journey 9) lists real views, an adviser's among them.

    Each member with a personal role reads the case a few times while the role lasts;
    the events go through the audit service's bulk path with their historic times."""
    from django.db.models import Count

    rng = random.Random(seed)
    now = timezone.now()
    persons = (
        Case.objects.values("person_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values_list("person_id", flat=True)
    )
    events: list[PendingEvent] = []
    cases = Case.objects.filter(person_id__in=list(persons)).order_by("pk")
    # Each such person gets an adviser on the latest case if none advises yet (through
    # the team service, as a procesregisseur adds one): whose views are pseudonymised.
    adviser = (
        User.objects.filter(job_title__icontains="adviseur", organisation__isnull=False)
        .exclude(role_assignments__role=Role.BELEID)
        .order_by("username")
        .first()
    )
    for person_id in persons:
        own = [c for c in cases if c.person_id == person_id]
        advised = CaseMembership.objects.filter(case__in=own, role=CaseRole.ADVISEUR).exists()
        if adviser is not None and adviser.organisation is not None and not advised:
            latest = own[-1]
            add_membership(
                latest,
                actor=None,
                role=CaseRole.ADVISEUR,
                organisation=adviser.organisation,
                user=adviser,
                valid_from=timezone.localtime(latest.created_at).date(),
                note="Advies over de aanpak",
            )
    for case in cases:
        rows = CaseMembership.objects.filter(case=case, user__isnull=False).select_related("user")
        for membership in rows.order_by("pk"):
            start = timezone.make_aware(dt.datetime.combine(membership.valid_from, dt.time(9, 0)))
            end = (
                timezone.make_aware(dt.datetime.combine(membership.valid_to, dt.time(17, 0)))
                if membership.valid_to
                else now
            )
            end = min(end, now)  # a role that runs on: read until today, never later
            if end <= start:
                continue
            span = (end - start).total_seconds()
            pseudonymised = membership.role == CaseRole.ADVISEUR
            for _ in range(rng.randint(2, 4)):
                events.append(
                    PendingEvent(
                        "case.viewed",
                        actor=membership.user,
                        case_id=case.pk,
                        object_type="cases.case",
                        object_id=str(case.pk),
                        purpose="casusregie",
                        data={"weergave": "gepseudonimiseerd" if pseudonymised else "volledig"},
                        occurred_at=start + dt.timedelta(seconds=rng.uniform(0, span)),
                    )
                )
    events.sort(key=lambda e: e.occurred_at or now)
    return record_many(events)
