"""Demo Verwijsindex signals (issue 15, slice vi): signals for young members of demo
households, recorded through the service by professionals on the case's team; one match
between two organisations with its consultation still due, and one with it held.

Fictitious people only. The generated households are mostly adults, so a household
without anyone under 23 gets a fictitious child (a BSN from the registry's test range).
"""

from __future__ import annotations

import datetime as dt

from ketenregie.accounts.models import User
from ketenregie.cases.models import Case, CaseMembership, CaseRole, HouseholdMember, Person
from ketenregie.cases.workflow import PGA_STATUSES
from ketenregie.core.bsn import reserved_test_bsns
from ketenregie.core.mail import muted
from ketenregie.core.timeutil import today
from ketenregie.safeguarding import vi_services
from ketenregie.safeguarding.vi_models import (
    ConsultationOutcome,
    RiskCategory,
    VerwijsindexMatch,
)
from ketenregie.safeguarding.vi_queries import signal_candidates
from ketenregie.safeguarding.vi_rules import add_years, is_young

# The order the demo's cases take: match due, match held, then single signals.
CATEGORIES = (
    RiskCategory.GEWELD,
    RiskCategory.SCHOOLVERZUIM,
    RiskCategory.OPGROEIEN,
    RiskCategory.OUDERS,
    RiskCategory.PSYCHISCH,
)


def _signallers(case: Case) -> list[User]:
    """Team members who may signal (personal, not adviser, with an organisation and an
    e-mail address), one per organisation, in a stable order."""
    members = (
        CaseMembership.objects.active_on(today())
        .filter(case=case, user__isnull=False, user__is_active=True)
        .exclude(role=CaseRole.ADVISEUR)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    by_org: dict[int, User] = {}
    for m in members:
        if m.user is not None and m.user.organisation_id is not None:
            by_org.setdefault(m.user.organisation_id, m.user)
    return list(by_org.values())


def _young(case: Case, age: int) -> Person:
    """A young member of the case's household: one it has, or a fictitious child."""
    day = today()
    found = next((p for p in signal_candidates(case) if is_young(p.geboortedatum, day)), None)
    if found is not None:
        return found
    used = set(Person.objects.exclude(bsn=None).values_list("bsn", flat=True))
    child = Person.objects.create(
        voornamen=("Noor", "Daan", "Lotte", "Sem", "Fleur")[age % 5],
        achternaam=case.person.achternaam,
        tussenvoegsel=case.person.tussenvoegsel,
        geboortedatum=add_years(day, -age) - dt.timedelta(days=40 * age),
        bsn=next(b for b in reserved_test_bsns() if b not in used),
        woonplaats=case.person.woonplaats,
        gemeente=case.person.gemeente,
    )
    assert case.household_id is not None
    HouseholdMember.objects.create(
        household_id=case.household_id, person=child, relation=HouseholdMember.Relation.KIND
    )
    return child


def seed_vi(limit: int = 5) -> dict[str, int]:
    """Signals on up to `limit` running household cases: the first two with two
    professionals of different organisations make matches (the second one's consultation
    held), the rest one signal each (one not yet informed). Counts for load_demo."""
    cases = Case.objects.filter(household__isnull=False, status__in=PGA_STATUSES).order_by("pk")
    signals = matches = done = 0
    with muted():
        for case in cases:
            team = _signallers(case)
            if not team or done >= limit:
                continue
            pair = matches < 2 and len(team) > 1
            if not pair and matches < 2:
                continue  # the matches first
            young = _young(case, age=(15, 9, 17, 4, 12)[done % 5])
            first = vi_services.record_signal(
                case,
                actor=team[0],
                person_id=young.pk,
                category=CATEGORIES[done % len(CATEGORIES)],
                informed_on=None if done == 3 else today(),
                not_informed_reason="Moeder wordt volgende week ingelicht." if done == 3 else "",
            )
            signals += 1
            done += 1
            if not pair:
                continue
            # A second professional, of another organisation, on the same young person.
            second = vi_services.record_signal(
                case,
                actor=team[1],
                person_id=young.pk,
                category=RiskCategory.GEWELD,
                informed_on=today(),
                not_informed_reason="",
            )
            signals += 1
            matches += 1
            if matches == 2:
                vi_services.record_consultation(
                    VerwijsindexMatch.objects.get(first=first, second=second),
                    actor=team[1],
                    held_on=today(),
                    outcome=ConsultationOutcome.COORDINATION,
                )
    return {"verwijsindex: signalen": signals, "verwijsindex: matches": matches}
