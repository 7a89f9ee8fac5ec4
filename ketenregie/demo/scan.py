"""Demo data for the PGA-scan (issue 14): rounds at ZVH Parkstad played out through the
real services, so the PGA expert's pages show something real.

* "PGA-scan voorjaar" (about eight months ago) and "PGA-scan najaar" (closed about six
  weeks ago, with the conversation and its agreed follow-up recorded): the comparison and
  the comparison with the previous round. Seven partner organisations take part;
  three of them have fewer than 3 respondents and are merged into "Overige organisaties".
* "PGA-scan tussenmeting", still open: some have filled it in, others (among them the
  demo login wijkagent.heerlen) have not, so filling in and reminding can be tried.

The respondents beyond the reference demo logins are eight fictitious professionals, demo
logins themselves (password and TOTP, listed by `demo_logins`). Their
answers follow a profile per organisation and part with some noise: the scan then shows
differences between partners and "mogen" as the part that scores "oneens" most often.
"""

from __future__ import annotations

import datetime as dt
import random

import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from django.utils import timezone

from ketenregie.accounts.models import House, Organisation, RoleAssignment, User
from ketenregie.accounts.roles import Role
from ketenregie.core.mail import muted
from ketenregie.demo.reference import DEMO_PASSWORD
from ketenregie.reports import scan_services as scan
from ketenregie.reports.defaults import ensure_scan_statements
from ketenregie.reports.models import ScanParticipant, ScanRound

HOUSE = "PKS"
LEADER = "pga.expert"
# organisation name, its demo logins, how many fictitious colleagues answer as well
TAKING_PART: list[tuple[str, list[str], int]] = [
    ("Gemeente Heerlen", ["gemeente.heerlen"], 3),
    ("Politie, eenheid Limburg", ["wijkagent.heerlen"], 2),
    ("GGZ-instelling Limburg (demo)", ["ggz.behandelaar", "ggz.psychiater"], 1),
    ("Reclassering, unit Limburg", ["reclassering"], 2),
    ("Veilig Thuis Limburg", ["vt.medewerker"], 0),
    ("Woningcorporatie Zuid (demo)", ["woon.consulent"], 0),
    ("Leerplicht en RMC Zuid (demo)", ["leerplicht"], 0),
]
COLLEAGUES = [
    ("Bart", "Meulenberg"),
    ("Sabine", "Lardinois"),
    ("Frank", "Habets"),
    ("Ilona", "Schepers"),
    ("Roel", "Bongers"),
    ("Nathalie", "Quaedvlieg"),
    ("Wim", "Eurlings"),
    ("Chantal", "Brouns"),
    ("Maurice", "Vliegen"),
]
# Mean answer per organisation (index in TAKING_PART) and part: mogen lowest overall,
# the police least positive about willen, the municipality most positive about kunnen.
PROFILE = {
    0: {"kunnen": 4.2, "willen": 4.3, "mogen": 3.0},
    1: {"kunnen": 3.6, "willen": 3.1, "mogen": 2.4},
    2: {"kunnen": 3.4, "willen": 4.1, "mogen": 2.2},
    3: {"kunnen": 3.8, "willen": 4.0, "mogen": 2.9},
    4: {"kunnen": 3.5, "willen": 4.2, "mogen": 2.6},
    5: {"kunnen": 3.0, "willen": 3.6, "mogen": 2.8},
    6: {"kunnen": 3.2, "willen": 3.9, "mogen": 2.7},
}
FOLLOW_UP = (
    "1. Tijd voor integraal werken wordt een vast onderdeel van de werkafspraken van elke "
    "partner; de PGA-expert legt dit voor aan het bestuurlijk overleg.\n"
    "2. Eén keer per kwartaal een kennissessie over de doelgroep en de beschikbare "
    "interventies, om de beurt georganiseerd door een partner.\n"
    "3. De gemeente zet op intranet hoe en wanneer collega's een casus aanmelden.\n"
    "4. Over een half jaar een tussenmeting met dezelfde partners."
)


def _moment(days_ago: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _respondents(orgs: list[Organisation]) -> list[list[User]]:
    """Per organisation: its demo logins and fictitious colleagues (created once)."""
    names = iter(COLLEAGUES)
    out = []
    for org, (_name, logins, extra) in zip(orgs, TAKING_PART, strict=True):
        people = list(User.objects.filter(username__in=logins).order_by("username"))
        for _ in range(extra):
            first, last = next(names)
            user = User(
                username=f"scan.{first.lower()}.{last.lower()}",
                first_name=first,
                last_name=last,
                organisation=org,
                email=f"{first.lower()}.{last.lower()}@demo.ketenregie.invalid",
                job_title="Professional",
                is_demo=True,
            )
            # A demo login like the others (password and TOTP): a respondent can be tried.
            user.set_password(DEMO_PASSWORD)
            user.save()
            RoleAssignment.objects.create(user=user, role=Role.PROFESSIONAL)
            Authenticator.objects.create(
                user=user,
                type=Authenticator.Type.TOTP,
                data={"secret": encrypt(generate_totp_secret())},
            )
            people.append(user)
        out.append(people)
    return out


def _answers(rng: random.Random, scan_round: ScanRound, index: int, shift: float) -> dict[int, int]:
    out = {}
    for statement in scan_round.statements.all():
        mean = PROFILE[index][statement.part] + (shift if statement.part == "mogen" else 0)
        out[statement.pk] = max(1, min(5, round(rng.gauss(mean, 0.8))))
    return out


def _round(
    rng: random.Random,
    *,
    leader: User,
    house: House,
    orgs: list[Organisation],
    people: list[list[User]],
    title: str,
    opened: int,
    closes_in: int,
    answering: float,
    shift: float,
    skip: tuple[str, ...] = (),
) -> ScanRound:
    """Open a round `opened` days ago, invite everyone and let a share answer over the
    following days."""
    with time_machine.travel(_moment(opened), tick=False):
        scan_round = scan.open_round(
            actor=leader,
            house=house,
            title=title,
            closes_on=timezone.localdate() + dt.timedelta(days=closes_in),
            organisations=orgs,
        )
        everyone = [u for group in people for u in group]
        scan.invite(actor=leader, scan_round=scan_round, users=everyone)
    # Everyone answers on a day of their own while the round is open, in time order.
    answering_now = list(
        (opened - rng.randint(0, min(closes_in, opened) - 1), rng.randint(8, 16), index, user)
        for index, group in enumerate(people)
        for user in group
        if user.username not in skip and rng.random() <= answering
    )
    for days_ago, hour, index, user in sorted(answering_now, key=lambda a: (-a[0], a[1])):
        with time_machine.travel(_moment(days_ago, hour), tick=False):
            participant = ScanParticipant.objects.get(round=scan_round, user=user)
            scan.save_answers(
                participant=participant,
                answers=_answers(rng, scan_round, index, shift),
                submit=True,
            )
    return scan_round


def seed_scan(seed: int = 2026) -> dict[str, int]:
    """Three rounds of the PGA-scan at ZVH Parkstad (see the module docstring)."""
    rng = random.Random(seed)
    ensure_scan_statements()
    house = House.objects.get(code=HOUSE)
    leader = User.objects.get(username=LEADER, role_assignments__role=Role.PGA_EXPERT)
    orgs = [Organisation.objects.get(name=name) for name, _l, _e in TAKING_PART]
    with muted():
        people = _respondents(orgs)
        spring = _round(
            rng,
            leader=leader,
            house=house,
            orgs=orgs,
            people=people,
            title="PGA-scan voorjaar",
            opened=240,
            closes_in=21,
            answering=1.0,
            shift=-0.4,
        )
        autumn = _round(
            rng,
            leader=leader,
            house=house,
            orgs=orgs,
            people=people,
            title="PGA-scan najaar",
            opened=70,
            closes_in=21,
            answering=1.0,
            shift=0.0,
        )
        with time_machine.travel(_moment(25, 14), tick=False):
            scan.record_conversation(
                actor=leader,
                scan_round=autumn,
                conversation_on=timezone.localdate(),
                follow_up=FOLLOW_UP,
                expected_version=None,
            )
        running = _round(
            rng,
            leader=leader,
            house=house,
            orgs=orgs,
            people=people,
            title="PGA-scan tussenmeting",
            opened=6,
            closes_in=14,
            answering=0.5,
            shift=0.3,
            skip=("wijkagent.heerlen",),
        )
    return {
        "scan_rounds": 3,
        "scan_responses": sum(r.responses.count() for r in (spring, autumn, running)),
    }
