"""The household variant at national scale (issue 15): one house coordinates client systems.

The first local PGA house (Venlo, as in the demo) works in the household variant: its
household criteria, its escalation map and the competence profiles of the people who
direct its cases are set up as the beheerder would. Every case of that house with a
household then gets what the household pages show, written in bulk like the rest of the
scale data (each row with the audit event of the service that writes it):

- the members' role in the family (made plausible for their ages), custody, whether they
  live at home, since when, and their first history row; one or two children per
  household (1 to 17 years, young enough to be the client's);
- from the start of the PGA: the informal network, the consent to coordination (now and
  then withdrawn) and the sharing consent, sometimes the client's preference;
- for about a quarter of the client systems with children (more at higher levels) a
  meldcode trajectory with its steps and the answers to the decision questions (at step 4
  and at the progress meetings after the start), ended with lasting safety once the case
  closed;
- Verwijsindex signals on members under 23 by professionals of the team, a share matched
  by a second organisation (consultation due or held); withdrawn when the case ended;
- a level change with the escalation map's notices for running cases at level 3 and up;
- aftercare agreements (closed and provisionally closed cases) and the trajectory
  evaluation.

The meldcode and the Verwijsindex are written by `safeguarding.SafeguardingWriter`, the
base of this module's writer. Deterministic for a seed; fictitious people (children get a
BSN from the test range while it lasts, then none).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from ketenregie.accounts.models import CompetenceProfile, House, RoleAssignment, User
from ketenregie.accounts.roles import Role
from ketenregie.audit.writes import snapshot
from ketenregie.cases.escalation_map import ensure_escalation_map
from ketenregie.cases.escalation_models import EscalationNotice
from ketenregie.cases.household_models import Consent, NetworkContact, RegisseurPreference
from ketenregie.cases.household_services import MEMBER_FIELDS
from ketenregie.cases.models import (
    Case,
    CaseMembership,
    CaseRole,
    EscalationChange,
    HouseholdMember,
    HouseholdMemberVersion,
    Person,
    PersonVersion,
)
from ketenregie.cases.services import PERSON_FIELDS
from ketenregie.cases.workflow import PGA_STATUSES, STARTED_STATUSES, Status
from ketenregie.core.bulk import RowBuffer, insert_rows
from ketenregie.demo import reference as ref
from ketenregie.demo.generator import _bsn_supply
from ketenregie.demo.hh_escmap import HOUSE_CYCLE, PARTNER_CYCLE
from ketenregie.demo.hh_hh import JOBS, NETWORK, WOMEN, school_for
from ketenregie.demo.scale.execution import load_courses
from ketenregie.demo.scale.safeguarding import Household, Member, SafeguardingWriter
from ketenregie.demo.scale.sink import AuditSink
from ketenregie.intake.criteria import ensure_default_criteria
from ketenregie.pga.aftercare_models import AftercareAgreement, TrajectoryEvaluation
from ketenregie.plans.models import Meeting

Rel = HouseholdMember.Relation
Custody = HouseholdMember.Custody

# Custody of the children, by role in the family (relative to the primary client): the
# client and a partner have it, everybody else not.
CUSTODY = {Rel.BETROKKENE: Custody.JA, Rel.PARTNER: Custody.GEDEELTELIJK}
PARENT_GAP = 16  # years: a child is at least this much younger than its parent
# (professional of a team organisation?, who, what, how often): a named professional of
# one of the case's organisations, or someone of the informal network without one.
AFTERCARE = (
    (True, "Vaste contactpersoon", "Vinger aan de pols bij het gezin", "maandelijks"),
    (False, "Oma Truus", "Haalt de kinderen twee middagen uit school", "twee keer per week"),
    (False, "Huisarts Van Rens", "Bespreekt de spanning bij moeder", "eens per kwartaal"),
    (True, "Jeugdprofessional", "Volgt de kinderen op school", "eens per zes weken"),
)
CHILD_AGES = (1, 17)
SHARED_WITH = "School, huisarts en GGZ"


def variant_house() -> House | None:
    """The house that works in the household variant: the first local PGA house."""
    return House.objects.filter(kind=House.Kind.LOCAL_PGA).order_by("code").first()


def set_up(house: House, since: dt.date) -> int:
    """The beheerder's part: the variant on, household criteria, the escalation map and
    competence profiles for the house's regisseurs and the casusregisseurs of its cases.
    Returns the profiles given."""
    House.objects.filter(pk=house.pk).update(household_variant=True)
    house.household_variant = True
    ensure_default_criteria(house)
    ensure_escalation_map(house)
    have = set(CompetenceProfile.objects.values_list("user_id", flat=True))
    regisseurs = list(
        RoleAssignment.objects.filter(role=Role.PROCESREGISSEUR, house=house)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    casus = list(
        CaseMembership.objects.filter(
            case__house=house, role=CaseRole.CASUSREGISSEUR, user__isnull=False
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    rows = []
    for users, cycle in ((regisseurs, HOUSE_CYCLE), (casus, PARTNER_CYCLE)):
        for i, user in enumerate(users):
            if user not in have:
                have.add(user)
                profile = cycle[i % len(cycle)]
                rows.append(CompetenceProfile(user_id=user, profile=profile, since=since))
    CompetenceProfile.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


class HouseholdWriter(SafeguardingWriter):
    """Builds the rows and events of one batch of client systems."""

    def __init__(self, rng: random.Random, sink: AuditSink, rows: RowBuffer) -> None:
        super().__init__(rng, sink, rows)
        self.bsns = _bsn_supply()
        self.user_org: dict[int, int | None] = {}
        self.member_updates: list[HouseholdMember] = []
        self.persons: list[Person] = []

    # Members -------------------------------------------------------------------------
    def members(self, h: Household) -> None:
        rng, actor = self.rng, h.course.team.regisseur
        since = self.clock.day(self.start(h)) - dt.timedelta(days=rng.randint(200, 2000))
        primary = next((m.birth for m in h.members if m.person == h.person), None)
        for m in h.members:
            m.relation = _plausible(m, primary)
            home = not (m.relation == Rel.PARTNER and rng.random() < 0.3)
            row = HouseholdMember(
                pk=m.pk,
                relation=m.relation,
                custody=CUSTODY.get(Rel(m.relation), Custody.NEE),
                # An ex-partner who moved out keeps custody of the children.
                lives_in_home=home,
                valid_from=since,
                **self._seven_one(Rel(m.relation), m.birth, home, None),
            )
            self.member_updates.append(row)
            self._version(row, since)
        at = self.start(h)
        # A child or two the client can be the parent of (a grandparent's grandchild at most).
        age = (self.today - primary).days // 365 if primary else 40
        ages = (max(CHILD_AGES[0], age - 50), min(CHILD_AGES[1], age - PARENT_GAP - 2))
        if ages[0] <= ages[1]:
            for _ in range(rng.choice((1, 1, 2))):
                self.child(h, since, actor, at, ages)

    def _seven_one(
        self, relation: Rel, birth: dt.date | None, home: bool, first_name: str | None
    ) -> dict[str, str]:
        """The support plan's 7.1 fields of a member (seed 002, ADR 0031), as the demo's
        families have them: a job or "werkzoekend" for adults, a school for children."""
        rng, G, S = self.rng, HouseholdMember.Gender, HouseholdMember.MaritalStatus
        years = (self.today - birth).days // 365 if birth else 40
        if first_name is not None:
            gender = G.VROUW if first_name in WOMEN else G.MAN
        else:
            gender = rng.choice((G.VROUW, G.MAN, G.VROUW, G.MAN, G.ONBEKEND))
        if years < 18:
            return {"gender": gender, "marital_status": S.ONGEHUWD, "occupation": school_for(years)}
        married = S.GEHUWD if home else S.GESCHEIDEN
        marital = (
            married
            if relation in (Rel.PARTNER, Rel.OUDER, Rel.MOEDER, Rel.VADER)
            else rng.choice(list(S))
        )
        return {"gender": gender, "marital_status": marital, "occupation": rng.choice(JOBS)}

    def _version(self, member: HouseholdMember, since: dt.date) -> None:
        self.rows.add(
            HouseholdMemberVersion,
            member_id=member.pk,
            version=1,
            values=snapshot(member, MEMBER_FIELDS),
            changed_at=self.clock.at(since, 9),
            changed_by_id=None,
        )

    def child(
        self, h: Household, since: dt.date, actor: int, at: dt.datetime, ages: tuple[int, int]
    ) -> None:
        rng = self.rng
        prefix, surname, place = h.surname
        young, old = ages
        birth = self.today - dt.timedelta(days=rng.randint(young * 365, old * 365 + 300))
        person = Person(
            voornamen=rng.choice(ref.FIRST_NAMES),
            tussenvoegsel=prefix,
            achternaam=surname,
            geboortedatum=birth,
            bsn=next(self.bsns),
            woonplaats=place,
            gemeente=place,
        )
        # Built as an object: the name keys of the search are computed when it is written.
        person.pk = self.rows.pool.take(Person)
        self.persons.append(person)
        self.rows.add(
            PersonVersion,
            person_id=person.pk,
            version=1,
            values=snapshot(person, PERSON_FIELDS),
            changed_at=at,
        )
        home = rng.random() < 0.9
        member = HouseholdMember(
            household_id=h.household,
            person_id=person.pk,
            relation=Rel.KIND,
            custody=Custody.NEE,
            lives_in_home=home,
            valid_from=max(since, birth),
            **self._seven_one(Rel.KIND, birth, home, person.voornamen),
        )
        member.pk = self.rows.add(
            HouseholdMember,
            household_id=h.household,
            person_id=person.pk,
            relation=member.relation,
            custody=member.custody,
            lives_in_home=member.lives_in_home,
            valid_from=member.valid_from,
            valid_to=None,
            gender=member.gender,
            marital_status=member.marital_status,
            occupation=member.occupation,
        )
        self._version(member, member.valid_from or since)
        h.members.append(Member(member.pk, person.pk, Rel.KIND, birth))
        data = {"velden": ["relation", "custody", "lives_in_home", "valid_from"], "versie": 1}
        self.event("household.member_added", actor, h, (HouseholdMember, member.pk), at, data)

    # Network, consent, preference ------------------------------------------------------
    def network(self, h: Household) -> None:
        rng, c = self.rng, h.course
        actor, pga = c.team.regisseur, self.pga(h)
        when = self.when(h, pga, 3)
        for name, relation, kinds, note in rng.sample(NETWORK, k=rng.randint(1, 3)):
            ended = c.ended is not None and rng.random() < 0.3
            pk = self.rows.add(
                NetworkContact,
                case_id=c.pk,
                name=name,
                relation=relation,
                support_kinds=kinds,
                support_note=note,
                contact="",
                valid_from=self.clock.day(when),
                valid_to=self.clock.day(c.ended) if ended and c.ended else None,
                created_by_id=actor,
            )
            data: dict[str, Any] = {"relatie": relation, "steun": kinds}
            self.event("household.network_added", actor, h, (NetworkContact, pk), when, data)
        primary = next(m.pk for m in h.members if m.person == h.person)
        given = self.clock.day(self.when(h, pga, 2))
        subjects = [Consent.Subject.COORDINATIE]
        if rng.random() < 0.4:
            subjects.append(Consent.Subject.DELEN_PARTNERS)
        for subject in subjects:
            withdrawn = c.ended is None and rng.random() < 0.06
            pk = self.rows.add(
                Consent,
                case_id=c.pk,
                subject=subject,
                partners="" if subject == Consent.Subject.COORDINATIE else SHARED_WITH,
                given_by_member_id=primary,
                given_by_representative="",
                given_on=given,
                form=rng.choice(Consent.Form.values),
                note="",
                withdrawn_on=self.today if withdrawn else None,
                withdrawn_by="De betrokkene, telefonisch" if withdrawn else "",
                recorded_by_id=actor,
                recorded_at=self.clock.at(given, 15),
            )
            data = {
                "onderwerp": subject,
                "gegeven_op": given.isoformat(),
                "door_gezinslid": primary,
                "door_vertegenwoordiger": False,
            }
            at = self.clock.at(given, 15)
            self.event("household.consent_recorded", actor, h, (Consent, pk), at, data)
        if rng.random() < 0.15:
            pk = self.rows.add(
                RegisseurPreference,
                case_id=c.pk,
                preference="Liefst iemand die het gezin al kent.",
                organisation_id=None,
                recorded_by_id=actor,
                recorded_at=when,
            )
            self.event("household.preference_recorded", actor, h, (RegisseurPreference, pk), when)

    # The escalation map ------------------------------------------------------------------
    def escalation(self, h: Household) -> None:
        c = h.course
        when = self.when(h, self.pga(h), self.rng.randint(10, 90))
        regisseur = c.team.regisseur
        change = self.rows.add(
            EscalationChange,
            case_id=c.pk,
            from_level=c.level - 1,
            to_level=c.level,
            reason="Toenemende onveiligheid in het gezin; meer partners nodig.",
            criteria=[],
            decided_by_id=regisseur,
            decided_at=when,
        )
        self.event("case.escalation_changed", regisseur, h, (Case, c.pk), when, {"criteria": []})
        told = sorted({regisseur, c.team.casus})
        for user in told:
            seen = self.rng.random() < 0.6
            self.rows.add(
                EscalationNotice,
                case_id=c.pk,
                change_id=change,
                user_id=user,
                responsibility=EscalationNotice.Responsibility.DIRECTOR,
                created_at=when,
                seen_at=self.when(h, when, 1) if seen else None,
            )
        data = {"naar_niveau": c.level, "ontvangers": told, "verantwoordelijkheden": ["regisseur"]}
        self.event("case.escalation_notified", regisseur, h, (EscalationChange, change), when, data)

    # Aftercare -----------------------------------------------------------------------------
    def aftercare(self, h: Household, *, evaluated: bool) -> None:
        rng, c = self.rng, h.course
        assert c.ended is not None
        actor, ended = c.team.regisseur, self.clock.day(c.ended)
        for professional, who, what, how_often in rng.sample(AFTERCARE, k=rng.randint(1, 2)):
            pk = self.rows.add(
                AftercareAgreement,
                case_id=c.pk,
                organisation_id=rng.choice(c.team.orgs) if professional else None,
                who=who,
                what=what,
                starts_on=ended,
                frequency=how_often,
                ends_on=ended + dt.timedelta(days=rng.choice((90, 180))),
                follow_up_on=ended + dt.timedelta(days=42),
                recorded_by_id=actor,
                recorded_at=c.ended,
            )
            self.event("pga.aftercare_added", actor, h, (AftercareAgreement, pk), c.ended)
        if not evaluated:
            return
        held = ended - dt.timedelta(days=rng.randint(0, 7))
        pk = self.rows.add(
            TrajectoryEvaluation,
            case_id=c.pk,
            held_on=held,
            with_client=True,
            with_professionals=True,
            went_well="Eén plan voor het hele gezin; korte lijnen tussen school en wijkteam.",
            went_less_well="De start duurde lang; de toestemming liet op zich wachten.",
            goals_reached=rng.choice(TrajectoryEvaluation.GoalsReached.values),
            client_satisfaction=rng.randint(5, 9),
            client_view="Wij wisten eindelijk bij wie we terecht konden.",
            lessons="Eerder de school erbij halen.",
            recorded_by_id=actor,
            recorded_at=c.ended,
        )
        self.event("pga.evaluation_recorded", actor, h, (TrajectoryEvaluation, pk), c.ended)

    def household(self, h: Household, orgs: dict[int, int | None]) -> None:
        """The whole client system of one case."""
        c = h.course
        self.members(h)
        if c.status not in STARTED_STATUSES:
            return
        self.network(h)
        children = any(m.relation == Rel.KIND for m in h.members)
        if children and self.rng.random() < (0.6 if c.level >= 3 else 0.25):
            self.meldcode(h)
        if c.status in PGA_STATUSES or c.status == Status.AFGESLOTEN:
            self.verwijsindex(h, orgs)
        if c.ended is None and c.level >= 3:
            self.escalation(h)
        # Aftercare is agreed at closing: provisionally closed cases (still followed, so
        # on the team's pages) have it, and closed ones with their evaluation.
        if c.status in (Status.AFGESLOTEN, Status.VOORLOPIG_AFGESLOTEN):
            self.aftercare(h, evaluated=c.status == Status.AFGESLOTEN or self.rng.random() < 0.5)


def _plausible(member: Member, primary: dt.date | None) -> str:
    """The case generator draws roles and ages apart: a "child" older than the client
    becomes a sibling or housemate, a "parent" younger than the client a housemate."""
    if primary is None or member.birth is None or member.relation == Rel.BETROKKENE:
        return member.relation
    years = (member.birth - primary).days / 365.25  # > 0: younger than the client
    if member.relation == Rel.KIND and years < PARENT_GAP:
        return Rel.BROER_ZUS if abs(years) < 12 else Rel.HUISGENOOT
    if member.relation == Rel.OUDER and years > -PARENT_GAP:
        return Rel.HUISGENOOT
    return member.relation


def _batch(house: House, last: int, size: int) -> list[Household]:
    cases = list(
        Case.objects.filter(house=house, household__isnull=False, pk__gt=last)
        .order_by("pk")
        .values_list(
            "pk",
            "house_id",
            "status",
            "escalation_level",
            "household_id",
            "person_id",
            "person__tussenvoegsel",
            "person__achternaam",
            "person__woonplaats",
        )[:size]
    )
    if not cases:
        return []
    members: dict[int, list[Member]] = defaultdict(list)
    for pk, household, person, relation, birth in (
        HouseholdMember.objects.filter(household_id__in={c[4] for c in cases})
        .order_by("pk")
        .values_list("pk", "household_id", "person_id", "relation", "person__geboortedatum")
    ):
        members[household].append(Member(pk, person, relation, birth))
    meetings: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)
    for case_id, pk, starts in (
        Meeting.objects.filter(
            case_id__in=[c[0] for c in cases],
            state=Meeting.State.HELD,
            kind__in=(Meeting.Kind.FIRST, Meeting.Kind.INCIDENTAL),
        )
        .order_by("starts_at", "pk")
        .values_list("case_id", "pk", "starts_at")
    ):
        meetings[case_id].append((pk, starts))
    courses = {c.pk: c for c in load_courses([c[:4] for c in cases])}
    return [
        Household(courses[c[0]], c[4], c[5], (c[6], c[7], c[8]), members[c[4]], meetings[c[0]])
        for c in cases
    ]


def write_households(
    rng: random.Random, sink: AuditSink, rows: RowBuffer, *, batch: int = 2000
) -> dict[str, int]:
    """Put the variant house in the household variant and write its client systems."""
    house = variant_house()
    if house is None:
        return {}
    profiles = set_up(house, timezone.localdate() - dt.timedelta(days=400))
    writer = HouseholdWriter(rng, sink, rows)
    orgs = writer.user_org
    orgs.update(User.objects.values_list("pk", "organisation_id"))
    last, done = 0, 0
    while households := _batch(house, last, batch):
        with transaction.atomic():
            for h in households:
                writer.household(h, orgs)
            insert_rows(Person, writer.persons, with_pk=True)
            writer.persons = []
            rows.flush()
            HouseholdMember.objects.bulk_update(
                writer.member_updates,
                [
                    "relation",
                    "custody",
                    "lives_in_home",
                    "valid_from",
                    "gender",
                    "marital_status",
                    "occupation",
                ],
                batch_size=1000,
            )
            writer.member_updates = []
            sink.flush()
        last, done = households[-1].course.pk, done + len(households)
    return {"huishoudvariant: cliëntsystemen": done, "competentieprofielen": profiles}
