"""Demo data of issue 15's escalation map and competence profiles (`load_demo`).

Runs after the demo's cases have played out: every demo house gets the seed's map, the
demo's regisseurs get a profile (some A, some B, at least one B+ per house), and one
client system's case at level 3, directed by a B+ procesregisseur, is raised to level 4
through the service, so the map's notices show on the dashboards. Cases at level 3 with a
B procesregisseur are left for the browser journey to raise.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ketenregie.accounts.models import CompetenceProfile, House, RoleAssignment, User
from ketenregie.accounts.roles import Role
from ketenregie.cases import services as case_services
from ketenregie.cases.access import case_team
from ketenregie.cases.escalation_map import ensure_escalation_map
from ketenregie.cases.models import (
    DIRECTOR_ROLES,
    Case,
    CaseMembership,
    CaseRole,
    EscalationCriterion,
)
from ketenregie.cases.workflow import Status
from ketenregie.core.mail import muted

Level = CompetenceProfile.Level
# Cycled over each house's regisseurs, B+ first so every house has one.
HOUSE_CYCLE = (Level.B_PLUS, Level.B, Level.A, Level.B)
# Casusregisseurs of partners: mostly B, some A and B+.
PARTNER_CYCLE = (Level.B, Level.B, Level.A, Level.B_PLUS)


def _give(user: User, profile: str, since: dt.date) -> bool:
    _row, created = CompetenceProfile.objects.get_or_create(
        user=user, defaults={"profile": profile, "since": since, "note": "Demoprofiel"}
    )
    return created


def seed_escmap() -> dict[str, int]:
    """The map for every house, profiles for the demo's regisseurs, one level raise."""
    since = timezone.localdate() - dt.timedelta(days=400)
    for house in House.objects.order_by("pk"):
        ensure_escalation_map(house)
    given = 0
    regisseur_ids = RoleAssignment.objects.filter(role=Role.PROCESREGISSEUR).values("user_id")
    for house in House.objects.order_by("pk"):
        users = User.objects.filter(
            pk__in=regisseur_ids.filter(house=house), is_active=True
        ).order_by("username")
        for i, user in enumerate(users):
            given += _give(user, HOUSE_CYCLE[i % len(HOUSE_CYCLE)], since)
    directing = CaseMembership.objects.filter(role__in=DIRECTOR_ROLES, user__isnull=False)
    partners = User.objects.filter(pk__in=directing.values("user_id")).order_by("username")
    for i, user in enumerate(partners):
        given += _give(user, PARTNER_CYCLE[i % len(PARTNER_CYCLE)], since)
    return {"competentieprofielen": given, "niveauverhoging escalatiekaart": _raise_one()}


def _raise_one() -> int:
    """Raise a running client system's case from 3 to 4 by its procesregisseur (with
    profile B+), through the service: notices and mails (muted)."""
    b_users = CompetenceProfile.objects.filter(profile=Level.B_PLUS).values("user_id")
    directed = CaseMembership.objects.filter(
        role=CaseRole.PROCESREGISSEUR, user_id__in=b_users
    ).values("case_id")
    case = (
        Case.objects.filter(
            Q(pk__in=directed),
            household__isnull=False,
            escalation_level=3,
            status=Status.IN_UITVOERING,
        )
        .order_by("pk")
        .first()
    )
    if case is None:
        return 0
    lead = case_team(case.pk).filter(role=CaseRole.PROCESREGISSEUR).select_related("user").first()
    if lead is None or lead.user is None:
        return 0
    criteria = list(
        EscalationCriterion.objects.filter(direction="op", from_level=3, is_active=True)[:1]
    )
    with muted():
        case_services.change_escalation_level(
            case,
            level=4,
            actor=lead.user,
            reason="Toenemende onveiligheid in het gezin; ketenoverstijgende samenwerking nodig.",
            criterion_ids=[c.pk for c in criteria],
        )
    return 1
