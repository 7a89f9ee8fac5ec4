"""Demo data for issue 15's browser journey (`e2e/test_household_journey.py`).

The household-variant house (Venlo) has one procesregisseur, the PGA-expert of the
municipality, with profile B+. The journey names a regisseur with profile B, raises the
case to level 4 and hands procesregie to the B+ expert, so the house gets a second
procesregisseur of the municipality. She is added after the demo's stories have played
out (she directs none of them, so the stories stay as they were) and before the escalation
map gives the house's regisseurs their profiles (`hh_escmap`: the second one gets B).
Fictitious, like every demo user; she logs in with the demo password and a TOTP device.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt

from ketenregie.accounts.models import House, Organisation, RoleAssignment, User
from ketenregie.accounts.roles import Role
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
