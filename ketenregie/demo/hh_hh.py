"""Demo data of issue 15, slice hh: the local PGA team of Venlo works in the household
variant (1Gezin1Plan1Regisseur), with its household criteria, and household cases in
every phase (from referral to closed), each with a family (parents and children of
several ages, custody, who lives in the home, and the support plan's 7.1 fields: gender,
marital status, profession or school, a member's own address, phone and e-mail), an
informal network and consent.

Everything is written through the household services (audited, with history) on cases
the generator already made; the names are fictitious and nobody gets a BSN.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Q

from ketenregie.accounts.models import House, User
from ketenregie.accounts.roles import Role
from ketenregie.cases import household_services as hs
from ketenregie.cases.models import Case, CaseMembership, CaseRole, HouseholdMember, LifeDomain
from ketenregie.cases.phases import HouseholdPhase, household_phase, phase_facts
from ketenregie.cases.workflow import CLOSED_STATUSES, Status
from ketenregie.core.mail import muted
from ketenregie.core.timeutil import today
from ketenregie.demo import reference as ref
from ketenregie.demo.generator import PROBLEM_TEXTS
from ketenregie.intake import services as intake_services
from ketenregie.intake.criteria import ensure_default_criteria
from ketenregie.intake.models import Criterion, Referral, ReferralCriterion
from ketenregie.pga import services as pga_services

# Cases this module adds to the generated ones: issue 15's family, referred fresh.
EXTRA_CASES = 1

# The statuses a household case is shown in, referral to closed.
PHASES = (
    Status.AANGEMELD,
    Status.VERRIJKING,
    Status.GEAGENDEERD,
    Status.PGA_GESTART,
    Status.IN_UITVOERING,
    Status.VOORLOPIG_AFGESLOTEN,
    Status.AFGESLOTEN,
)

SURNAMES = ("Kwakkenbos", "Verheijden", "Janssen-Oyen", "Peulen", "Hermkens", "Smeets")
PARENTS = ("Ruud", "Marco", "Bas", "Dennis", "Frank", "Luc")
CHILDREN = ("Lotte", "Daan", "Mila", "Sem", "Noor", "Finn", "Evi", "Luuk", "Julia", "Teun")
NETWORK = (
    ("Oma Truus", "familie", ["kinderopvang", "emotioneel"], "Haalt de kinderen uit school."),
    ("Buurvrouw Anja", "buur", ["praktisch", "veiligheid"], "Opvangadres als het thuis escaleert."),
    ("Huisarts Van Rens", "huisarts", ["advies"], "Kent het gezin al jaren."),
    ("Vriendin Esther", "vriend", ["emotioneel"], "Gaat mee naar afspraken."),
)


def _born(years: int, rng: random.Random) -> dt.date:
    return today() - dt.timedelta(days=years * 365 + rng.randint(10, 300))


def _actor(case: Case, chair: User) -> User:
    """The case's procesregisseur (on an active or past membership), else the chair."""
    membership = (
        CaseMembership.objects.filter(case=case, role=CaseRole.PROCESREGISSEUR, user__isnull=False)
        .select_related("user")
        .order_by("-valid_from")
        .first()
    )
    return membership.user if membership and membership.user else chair


# ADR 0031: the support plan's 7.1 fields of the members (fictitious schools and jobs).
JOBS = ("Vrachtwagenchauffeur", "Magazijnmedewerker", "Monteur", "Werkzoekend", "Kok")
CLIENT_JOBS = ("Kassamedewerker", "Medewerker thuiszorg", "Werkzoekend", "Schoonmaker")
WOMEN = set(ref.FIRST_NAMES[ref.FIRST_NAMES.index("Emma") :])
M = HouseholdMember


def school_for(years: int) -> str:
    if years >= 12:
        return f"{years - 11} havo, scholengemeenschap De Maasoever"
    if years >= 4:
        return f"Groep {years - 3}, basisschool De Wilgenhof"
    return "Kinderdagverblijf 't Kwekske"


def _address(case: Case) -> dict[str, str]:
    """The client's address: the children live with them."""
    p = case.person
    return {"straat": p.straat, "postcode": p.postcode, "woonplaats": p.woonplaats}


def _family(case: Case, actor: User, rng: random.Random, n: int) -> None:
    surname = SURNAMES[n % len(SURNAMES)]
    since = today() - dt.timedelta(days=rng.randint(200, 2000))
    father_home = n % 3 == 0
    # A random source of its own for the 7.1 values, so the rest of the demo is unchanged.
    extra = random.Random(n)
    father = PARENTS[n % len(PARENTS)]
    hs.add_member(
        case,
        actor=actor,
        person_values={
            "voornamen": father,
            "tussenvoegsel": "",
            "achternaam": surname,
            "geboortedatum": _born(rng.randint(32, 45), rng),
            "bsn": None,
            **(
                _address(case)
                if father_home
                else {
                    "straat": f"{extra.choice(ref.STREETS)} {extra.randint(1, 90)}",
                    "postcode": f"59{extra.randint(11, 28)} {extra.choice(('AB', 'KL', 'RT'))}",
                    "woonplaats": "Venlo",
                }
            ),
            "telefoon": f"06-{extra.randint(10000000, 99999999)}",
            "email": f"{father.lower()}.{surname.lower()}@example.com",
        },
        values={
            "relation": M.Relation.OUDER,
            "custody": M.Custody.JA,
            "lives_in_home": father_home,
            "valid_from": since,
            "valid_to": None,
            "gender": M.Gender.MAN,
            "marital_status": M.MaritalStatus.GEHUWD if father_home else M.MaritalStatus.GESCHEIDEN,
            "occupation": extra.choice(JOBS),
        },
    )
    for i, years in enumerate(sorted(rng.sample([15, 13, 9, 6, 4, 2], k=rng.randint(2, 3)))):
        child = (n * 3 + i) % len(CHILDREN)
        hs.add_member(
            case,
            actor=actor,
            person_values={
                "voornamen": CHILDREN[child],
                "tussenvoegsel": "",
                "achternaam": surname,
                "geboortedatum": _born(years, rng),
                "bsn": None,
                **_address(case),
            },
            values={
                "relation": M.Relation.KIND,
                "custody": M.Custody.NEE,
                "lives_in_home": True,
                "valid_from": since,
                "valid_to": None,
                "gender": M.Gender.VROUW if child % 2 == 0 else M.Gender.MAN,
                "marital_status": M.MaritalStatus.ONGEHUWD,
                "occupation": school_for(years),
            },
        )
    for name, relation, kinds, note in rng.sample(NETWORK, k=2):
        hs.add_network_contact(
            case,
            actor=actor,
            values={
                "name": name,
                "relation": relation,
                "support_kinds": kinds,
                "support_note": note,
                "contact": "",
                "valid_from": since,
            },
        )
    assert case.household_id is not None  # made by the first add_member above
    primary = HouseholdMember.objects.get(household_id=case.household_id, person=case.person)
    hs.update_member(
        primary,
        case=case,
        actor=actor,
        expected_version=primary.version,
        values={
            "custody": M.Custody.JA,
            "valid_from": since,
            "gender": M.Gender.VROUW if case.person.voornamen in WOMEN else M.Gender.MAN,
            "marital_status": M.MaritalStatus.GEHUWD if father_home else M.MaritalStatus.GESCHEIDEN,
            "occupation": extra.choice(CLIENT_JOBS),
        },
    )
    consent = hs.record_consent(
        case,
        actor=actor,
        values={
            "subject": "coordinatie",
            "partners": "",
            "given_by_member": primary,
            "given_by_representative": "",
            "given_on": today() - dt.timedelta(days=rng.randint(1, 30)),
            "form": "schriftelijk",
            "note": "",
        },
    )
    if n % 2 == 1:
        hs.withdraw_consent(consent, actor=actor, on=today(), by="De betrokkene, telefonisch")
        hs.record_preference(
            case,
            actor=actor,
            expected_version=None,
            preference=(
                "Liefst iemand die het gezin al kent, bijvoorbeeld de schoolmaatschappelijk werker."
            ),
            organisation=None,
        )


def seed_household_variant(seed: int = 2026) -> dict[str, int]:
    """Switch the local PGA house to the household variant and give it household cases."""
    rng = random.Random(seed)
    house = House.objects.filter(kind=House.Kind.LOCAL_PGA).order_by("code").first()
    if house is None:
        return {}
    House.objects.filter(pk=house.pk).update(household_variant=True)
    house.refresh_from_db()
    cset = ensure_default_criteria(house)
    chair = User.objects.filter(
        role_assignments__role=Role.TRIAGEVOORZITTER, role_assignments__house=house
    ).first()
    if chair is None:
        return {}
    done = 0
    for n, status in enumerate(PHASES):
        # Two referrals waiting for screening (one to start without triage), one case in
        # every other phase.
        for case in Case.objects.filter(house=house, status=status).order_by("pk")[
            : 2 if status == Status.AANGEMELD else 1
        ]:
            _family(case, _actor(case, chair), rng, n + done)
            done += 1
    done += _progress_case(house, chair, rng, n=len(PHASES) + done)
    # The waiting referrals meet the household criteria (signals of unsafety, 2+ providers).
    ticked = list(cset.criteria.filter(Q(number=2) | Q(number=4)))
    for referral in Referral.objects.filter(case__house=house, case__status=Status.AANGEMELD):
        ReferralCriterion.objects.bulk_create(
            [ReferralCriterion(referral=referral, criterion=c, explanation=WHY) for c in ticked],
            ignore_conflicts=True,
        )
    return {
        "huishoudvariant: casussen met huishouden": done,
        "huishoudvariant: nieuwe aanmelding": _fresh_referral(house, ticked),
    }


WHY = "Signalen van huiselijk geweld; school en GGZ betrokken."


def _progress_case(house: House, chair: User, rng: random.Random, n: int) -> int:
    """A household in phase 4 (voortgang): running, its start meeting held and the minutes
    sent, no next meeting on the calendar yet. The demo's running cases are all on next
    week's structural monitoring agenda (phase 5a), so a case the demo closed, with its
    meetings behind it, is reopened through the service: it is on no agenda yet."""
    for case in Case.objects.filter(
        house=house, household__isnull=True, status__in=CLOSED_STATUSES
    ).order_by("pk"):
        facts = phase_facts(case)
        if household_phase(Status.IN_UITVOERING, facts) != HouseholdPhase.VOORTGANG:
            continue
        actor = _actor(case, chair)
        with muted():
            pga_services.reopen_case(
                case,
                actor=actor,
                reason="Nieuwe zorgen op school; het gezin wordt weer gevolgd.",
            )
        _family(case, actor, rng, n)
        return 1
    return 0


def _fresh_referral(house: House, ticked: list[Criterion]) -> int:
    """Issue 15's family, referred just now through the referral service: a mother with
    three children (15, 9 and 4), the father out of the picture, signals of domestic
    violence. It waits for the screener, who can start coordination without triage."""
    referrer = (
        User.objects.filter(
            role_assignments__role=Role.AANMELDER, organisation__region=house.region
        ).first()
        or User.objects.filter(role_assignments__role=Role.AANMELDER).first()
    )
    domain = LifeDomain.objects.filter(is_active=True).order_by("order").first()
    if referrer is None or domain is None:
        return 0
    rng = random.Random(15)
    children = [("Lieke", 15), ("Thijs", 9), ("Fenna", 4)]
    intake_services.save_referral(
        actor=referrer,
        house=house,
        data=intake_services.ReferralInput(
            person={
                "voornamen": "Sabine",
                "tussenvoegsel": "",
                "achternaam": "Brouwers-Demo",
                "geboortedatum": _born(38, rng),
                "straat": "Kaldenkerkerweg 1",
                "woonplaats": "Venlo",
                "gemeente": "Venlo",
            },
            household=[
                {
                    "voornamen": name,
                    "tussenvoegsel": "",
                    "achternaam": "Brouwers-Demo",
                    "geboortedatum": _born(years, rng),
                    "relation": HouseholdMember.Relation.KIND,
                }
                for name, years in children
            ],
            values={
                "reason": "Moeder meldt spanningen en geweld door ex-partner; kinderen erbij.",
                "urgency": "hoog",
                "meeting_goal": "Eén plan voor het gezin, met een veiligheidsplan.",
                "suggested_partners": "Veilig Thuis, school, jeugdgezondheidszorg",
                "other_meetings": "",
                "informed": "ja",
                "informed_how": "Mondeling, in het gesprek op school.",
            },
            # The generator's own wording for the domain (the demo reads like one region).
            problems={domain.pk: PROBLEM_TEXTS.get(domain.name, ["Schulden."])[0]},
            criteria={c.pk: WHY for c in ticked},
        ),
        submit=True,
        confirmed=True,
    )
    return 1
