"""Staff in proportion to the case load, so every user sees realistic numbers.

A procesregisseur directs tens of running cases, a referrer has tens of referrals, a
partner professional is on the team of tens of running cases. The demo users keep their
roles and get the same share as the generated colleagues (who cannot log in: they have
no usable password and no second factor).
"""

from __future__ import annotations

import math
import random

from django.contrib.auth.hashers import make_password

from ketenregie.accounts.models import House, HousePartner, Organisation, RoleAssignment, User
from ketenregie.accounts.roles import Role
from ketenregie.demo import reference as ref

RUNNING_SHARE = 0.075  # cases in PGA gestart or in uitvoering (see run.status_weights)
CASES_PER_PROCESREGISSEUR = 35
TEAM_SLOTS = 3  # partner professionals on each PGA team
RUNNING_PER_PROFESSIONAL = 25
CASES_PER_REFERRER = 80
CASES_PER_ADVISER = 600


def add_staff(n_cases: int, rng: random.Random) -> dict[str, int]:
    """Create generated users with roles for `n_cases` cases; return counts per role."""
    houses = list(House.objects.order_by("code"))
    partners: dict[int, list[int]] = {h.pk: [] for h in houses}
    for link in HousePartner.objects.all():
        partners[link.house_id].append(link.organisation_id)
    orgs = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    password = make_password(None)  # unusable
    users: list[User] = []
    roles: list[tuple[User, Role, int | None]] = []
    running_per_house = n_cases * RUNNING_SHARE / max(1, len(houses))
    for house in houses:
        have = RoleAssignment.objects.filter(role=Role.PROCESREGISSEUR, house=house).count()
        need = math.ceil(running_per_house / CASES_PER_PROCESREGISSEUR) - have
        own = Organisation.objects.filter(name=house.name).first()
        org_id = own.pk if own else rng.choice(partners[house.pk] or orgs)
        for i in range(max(0, need)):
            user = _user(f"pr.{house.code.lower()}.{i + 1:03d}", org_id, "Procesregisseur", rng)
            users.append(user)
            roles.append((user, Role.PROCESREGISSEUR, house.pk))
    slots = n_cases * RUNNING_SHARE * TEAM_SLOTS / RUNNING_PER_PROFESSIONAL
    partner_orgs = sorted({o for ids in partners.values() for o in ids})
    plan = [
        ("prof", "Casusregisseur", Role.PROFESSIONAL, partner_orgs, math.ceil(slots)),
        ("melder", "Wijkprofessional", Role.AANMELDER, orgs, n_cases // CASES_PER_REFERRER),
        ("adv", "Adviseur", Role.PROFESSIONAL, partner_orgs, n_cases // CASES_PER_ADVISER),
    ]
    for prefix, title, role, pool, count in plan:
        for i in range(count):
            user = _user(f"{prefix}.{i + 1:04d}", rng.choice(pool), title, rng)
            users.append(user)
            roles.append((user, role, None))
    for user in users:
        user.password = password
    User.objects.bulk_create(users, batch_size=2000)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=r, house_id=h) for u, r, h in roles], batch_size=2000
    )
    counts: dict[str, int] = {}
    for _u, role, _h in roles:
        counts[role.value] = counts.get(role.value, 0) + 1
    return counts


def _user(username: str, org_id: int, title: str, rng: random.Random) -> User:
    return User(
        username=f"gen.{username}",
        first_name=rng.choice(ref.FIRST_NAMES).split()[0],
        last_name=rng.choice(ref.LAST_NAMES),
        email=f"gen.{username}@scale.ketenregie.invalid",
        organisation_id=org_id,
        job_title=title,
    )
