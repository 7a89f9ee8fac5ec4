"""Demo data for issue 15's browser journey (`e2e/test_household_journey.py`).

The household-variant house (Venlo) has one procesregisseur, the PGA-expert of the
municipality, with profile B+. The journey names a regisseur with profile B, raises the
case to level 4 and hands procesregie to the B+ expert, so the house gets a second
procesregisseur of the municipality. She is added after the demo's stories have played
out (she directs none of them, so the stories stay as they were) and before the escalation
map gives the house's regisseurs their profiles (`hh_escmap`: the second one gets B);
after the profiles she takes over one running household case at level 3, the case the
escalation map's browser test raises to level 4 (e2e/test_household_escmap.py).
Fictitious, like every demo user; she logs in with the demo password and a TOTP device.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from django.utils import timezone

from ketenregie.accounts.models import House, Organisation, RoleAssignment, User
from ketenregie.accounts.roles import Role
from ketenregie.cases import services as case_services
from ketenregie.cases.models import CaseMembership, CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.mail import muted
from ketenregie.demo import reference as ref

USERNAME = "pr2.venlo"


def seed_journey_regisseur() -> dict[str, int]:
    """Add the second procesregisseur of the household-variant house (idempotent)."""
    house = House.objects.filter(household_variant=True).order_by("code").first()
    organisation = Organisation.objects.filter(name="Gemeente Venlo").first()
    if house is None or organisation is None or User.objects.filter(username=USERNAME).exists():
        return {}
    user = User(
        username=USERNAME,
        first_name="Anouk",
        last_name="Hendrix",
        email=f"{USERNAME}@demo.ketenregie.invalid",
        organisation=organisation,
        job_title="Regisseur huishoudens",
        is_demo=True,
    )
    user.set_password(ref.DEMO_PASSWORD)
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.PROCESREGISSEUR, house=house)
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(generate_totp_secret())}
    )
    return {"huishoudvariant: tweede procesregisseur": 1}


def hand_over_a_case() -> dict[str, int]:
    """After the profiles (`hh_escmap`): the PGA-expert hands procesregie of one running
    household case at level 3 to the new regisseur (profile B, enough at level 3), through
    the handover service. That case is the one the escalation map's browser test raises to
    level 4, where a B+ procesregisseur is needed."""
    successor = User.objects.filter(username=USERNAME).first()
    if successor is None:
        return {}
    today = timezone.localdate()
    membership = (
        CaseMembership.objects.active_on(today)
        .filter(
            role=CaseRole.PROCESREGISSEUR,
            user__isnull=False,
            case__house__household_variant=True,
            case__household__isnull=False,
            case__status=Status.IN_UITVOERING,
            case__escalation_level=3,
        )
        .exclude(user=successor)
        .select_related("user")
        .order_by("case_id")
        .first()
    )
    if membership is None or membership.user is None:
        return {}
    with muted():
        case_services.hand_over(
            membership,
            actor=membership.user,
            successor=successor,
            from_date=today,
            note="Regie huishoudens gaat naar de regisseur huishoudens van de gemeente.",
        )
    return {"huishoudvariant: procesregie overgedragen": 1}
