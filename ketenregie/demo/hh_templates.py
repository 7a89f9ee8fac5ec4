"""Demo data of issue 15's support plan and safety plan (seed 002 7.1 / 7.2) on the demo
cases that have a household: the plan's reason and summary, goals per household member
and for the whole family with their goal check, the client's and the professional's
signatures, and a safety plan with incidents, harm, agreements saying what is needed,
its contacts and its signatures. Everything through the plans services, so it is
audited like real work. Fictitious texts only."""

from __future__ import annotations

import datetime as dt

from ketenregie.accounts.models import User
from ketenregie.cases.models import Case, CaseMembership, CaseRole, HouseholdMember
from ketenregie.cases.workflow import RUNNING_STATUSES
from ketenregie.core.mail import muted
from ketenregie.core.timeutil import today
from ketenregie.plans import services as plans
from ketenregie.plans.models import Plan, SafetyPlan, SignedHow

# Goals per relation in the family: (goal, good enough when, what is needed, own part,
# network part).
MEMBER_GOALS = {
    HouseholdMember.Relation.KIND: (
        "Ik ga elke dag naar school en heb een vaste plek om huiswerk te maken.",
        "Vier weken zonder ongeoorloofd verzuim.",
        "Afspraken met de mentor over aanwezigheid; huiswerkbegeleiding twee middagen.",
        "Zet zelf elke avond de schooltas klaar.",
        "Oma haalt op woensdag op en helpt met huiswerk.",
    ),
    HouseholdMember.Relation.PARTNER: (
        "Ik heb overzicht over de post en de rekeningen van het gezin.",
        "Drie maanden alle vaste lasten op tijd betaald.",
        "Aanmelding bij schuldhulp; wekelijks een uur samen de post openen.",
        "Houdt een map bij met alle brieven.",
        "Een buurman met administratieve ervaring kijkt maandelijks mee.",
    ),
}
FAMILY_GOAL = (
    "Wij houden ons aan de veiligheidsafspraken van het veiligheidsplan.",
    "Twaalf weken zonder incidenten en iedereen geeft de veiligheid een 7 of hoger.",
    "Wekelijks gesprek met de procesregisseur; bij spanning volgt het gezin het stappenplan.",
    "Het gezin herkent de signalen en belt op tijd.",
    "De zus van moeder is het veilige adres voor de kinderen.",
)
SAFETY_TEXT = {
    "check_goal_in_plan": True,
    "check_end_unsafety": True,
    "check_treat_causes": True,
    "check_recovery": False,
    "conditions": "Geen alcohol in huis. Vader komt niet onaangekondigd naar de woning.",
    "first_incident": "Ruzie waarbij een deur is vernield; de kinderen waren thuis.",
    "worst_incident": "Duwen en slaan in de keuken; de politie is gekomen.",
    "last_incident": "Schreeuwen en dreigen aan de telefoon.",
    "frequency": "Ongeveer eens per maand, vaker rond betaaldagen.",
    "harm": "De oudste slaapt slecht en blijft vaker thuis van school; moeder heeft blauwe "
    "plekken gehad.",
}
# The family's own contacts in the safety plan (seed 002 7.2 "Contactgegevens"), added
# to the rows the plan has (slice planvi). Fictitious names and numbers.
FAMILY_CONTACTS = [
    {
        "name": "Ingrid (zus van moeder)",
        "role": "familie, veilig adres",
        "phone": "06-12340001",
        "when_to_call": "Als de spanning thuis oploopt; de kinderen kunnen bij haar terecht.",
    },
    {
        "name": "Mentor basisschool",
        "role": "school",
        "email": "mentor@school.invalid",
        "when_to_call": "Als een kind onrustig of afwezig is; school belt ook zelf.",
    },
]
AGREEMENT = (
    "Bij oplopende spanning gaat moeder met de kinderen naar haar zus.",
    "Moeder en de kinderen",
    "direct, zodra de spanning oploopt",
    "Een sleutel van de woning van de zus; de procesregisseur bespreekt het stappenplan "
    "met de kinderen.",
    "Procesregisseur, wekelijks",
    "De procesregisseur belegt binnen twee werkdagen een overleg; zo nodig Veilig Thuis.",
)


def _director(case: Case) -> User | None:
    row = (
        CaseMembership.objects.filter(case=case, role=CaseRole.PROCESREGISSEUR)
        .active_on(today())
        .exclude(user=None)
        .select_related("user")
        .first()
    )
    return row.user if row else None


def _fill_plan(plan: Plan, actor: User, members: list[HouseholdMember]) -> int:
    day = today()
    plan = plans.save_plan_text(
        plan,
        actor=actor,
        values={
            "reason": "Zorgen over huiselijk geweld en schoolverzuim; het gezin vraagt "
            "hulp bij geldzaken.",
            "summary": "Eén plan voor het hele gezin: veiligheid eerst, daarna school en "
            "financiën.",
            "residence_checked": True,
            "residence_checked_by": actor.get_full_name(),
            "identity_checked": True,
            "identity_checked_by": actor.get_full_name(),
        },
        expected_version=plan.version,
    )
    checks = ["check_positive", "check_future", "check_desired", "check_agreed"]
    goals = 0
    text, good, needed, own, network = FAMILY_GOAL
    plans.add_goal(
        plan,
        actor=actor,
        text=text,
        good_enough=good,
        checks=checks,
        needed=needed,
        own_part=own,
        network_part=network,
    )
    goals += 1
    for member in members:
        parts = MEMBER_GOALS.get(HouseholdMember.Relation(member.relation))
        if parts is None:
            continue
        text, good, needed, own, network = parts
        plans.add_goal(
            plan,
            actor=actor,
            member=member,
            text=text,
            good_enough=good,
            checks=checks[:3],
            needed=needed,
            own_part=own,
            network_part=network,
        )
        goals += 1
    plan.refresh_from_db()
    plans.save_signatures(
        plan,
        actor=actor,
        values={
            "client_signed_by": members[0].person.full_name if members else "Betrokkene",
            "client_signed_on": day,
            "client_signed_how": SignedHow.DIGITAL,
            "professional_signed_by": actor.get_full_name(),
            "professional_signed_on": day,
            "professional_signed_how": SignedHow.DIGITAL,
        },
        expected_version=plan.version,
    )
    return goals


def _fill_safety(safety: SafetyPlan, actor: User, client: str) -> None:
    day = today()
    # The incidents happened before the plan was made (signed, or started today).
    made = safety.client_signed_on or day
    safety = plans.save_safety_plan(
        safety,
        actor=actor,
        values={
            **SAFETY_TEXT,
            "first_incident_on": made - dt.timedelta(days=420),
            "worst_incident_on": made - dt.timedelta(days=75),
            "last_incident_on": made - dt.timedelta(days=9),
        },
        expected_version=safety.version,
        # The rows the plan has stay (the list is the whole set), the family's come after.
        contacts=[
            *(
                {"id": c.pk, **{f: getattr(c, f) for f in plans.CONTACT_FIELDS}}
                for c in safety.contacts.all()
            ),
            *FAMILY_CONTACTS,
        ],
    )
    what, who, when, needed, who_checks, if_not = AGREEMENT
    plans.add_safety_agreement(
        safety,
        actor=actor,
        what=what,
        who=who,
        when=when,
        needed=needed,
        who_checks=who_checks,
        if_not_kept=if_not,
    )
    if not safety.professional_signed_by:
        safety.refresh_from_db()
        plans.save_signatures(
            safety,
            actor=actor,
            values={
                "client_signed_by": safety.client_signed_by or client,
                "client_signed_on": safety.client_signed_on or day,
                "client_signed_how": safety.client_signed_how or SignedHow.PAPER,
                "professional_signed_by": actor.get_full_name(),
                "professional_signed_on": day,
                "professional_signed_how": SignedHow.PAPER,
            },
            expected_version=safety.version,
        )


def seed(seed: int = 2026) -> dict[str, int]:
    """Fill the 7.1 / 7.2 parts on the running household cases that have a plan."""
    del seed  # the texts are fixed; kept for the same call shape as the other steps
    counts = {"huishoudplannen (7.1)": 0, "doelen per gezinslid": 0, "veiligheidsplannen (7.2)": 0}
    cases = Case.objects.filter(
        household__isnull=False, status__in=RUNNING_STATUSES, plan__isnull=False
    ).order_by("code")
    with muted():
        for case in cases:
            actor = _director(case)
            if actor is None:
                continue
            members = sorted(
                HouseholdMember.objects.filter(household__cases=case).select_related("person"),
                key=lambda m: (m.person_id != case.person_id, m.pk),
            )
            counts["doelen per gezinslid"] += _fill_plan(case.plan, actor, members)
            counts["huishoudplannen (7.1)"] += 1
            safety = SafetyPlan.objects.filter(case=case).first()
            if safety is not None:
                _fill_safety(safety, actor, case.person.full_name)
                counts["veiligheidsplannen (7.2)"] += 1
    return counts
