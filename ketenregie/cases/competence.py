"""The competence check (seed 002 sections 5 and 6): a casus- or procesregisseur must hold
the profile (A < B < B+) that the house's escalation map asks for at the case's level.

`check_profile` is the one rule. `enforce_profile` is the one call line in
`cases.services.add_membership`, so every way of making someone regisseur (the team page,
a handover, the agreement at the start meeting, the triage) passes it: too low is refused
unless a reason is given, and an override with its reason is recorded and audited.
`director_shortfalls` says which current regisseurs fall short after a level change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.models import PROFILE_RANK, CompetenceProfile
from ketenregie.audit import services as audit
from ketenregie.cases.access import case_team
from ketenregie.cases.client_system import is_client_system
from ketenregie.cases.escalation_map import level_of
from ketenregie.cases.escalation_models import ProfileOverride
from ketenregie.cases.models import DIRECTOR_ROLES, CaseRole

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.cases.models import Case

# The form field a refused assignment asks for (team, handover and agreement forms).
REASON_FIELD = "profile_reason"


@dataclass(frozen=True)
class Shortfall:
    """A regisseur below the map's requirement: who, in which role, at which level."""

    user: User
    role: str
    level: int
    required: str
    held: str  # "" when the user has no profile

    @property
    def message(self) -> str:
        """The sentence the pages show (the brief's wording: "...; huidige: B")."""
        return _(
            "Op niveau %(niveau)d is een %(rol)s met profiel %(vereist)s nodig; huidige: "
            "%(huidig)s (%(wie)s)."
        ) % {
            "niveau": self.level,
            "rol": CaseRole(self.role).label.lower(),
            "vereist": self.required,
            "huidig": self.held or _("geen profiel"),
            "wie": self.user,
        }


def applies(case: Case) -> bool:
    """The check is part of the household variant (seed 002): it applies to a client
    system's case (`cases.client_system`)."""
    return is_client_system(case)


def profile_of(user: User) -> str:
    """The user's competence profile, or "" when the beheerder recorded none."""
    return (
        CompetenceProfile.objects.filter(user_id=user.pk).values_list("profile", flat=True).first()
        or ""
    )


def check_profile(
    user: User | None, case: Case, role: str, level: int | None = None
) -> Shortfall | None:
    """The shortfall when `user` may not direct `case` in `role` at `level` (default the
    case's level) by the house's map; None when the profile suffices or nothing is
    required (another role, an organisation rather than a person, no map, no variant)."""
    if user is None or role not in DIRECTOR_ROLES or not applies(case):
        return None
    at = level or case.escalation_level
    row = level_of(case.house_id, at)
    required = row.required_profile if row is not None else ""
    if not required:
        return None
    held = profile_of(user)
    if (
        held
        and PROFILE_RANK[CompetenceProfile.Level(held)]
        >= PROFILE_RANK[CompetenceProfile.Level(required)]
    ):
        return None
    return Shortfall(user=user, role=role, level=at, required=required, held=held)


def enforce_profile(
    case: Case, *, user: User | None, role: str, actor: User | None, reason: str
) -> ProfileOverride | None:
    """Refuse a regisseur below the map's profile, unless `reason` says why anyway; then
    the override is recorded (reason deletable with the case) and audited."""
    shortfall = check_profile(user, case, role)
    if shortfall is None:
        return None
    if not reason.strip():
        raise ValidationError(
            {
                REASON_FIELD: shortfall.message
                + " "
                + _("Kies een regisseur met dat profiel, of geef een reden om toch toe te wijzen.")
            }
        )
    override = ProfileOverride.objects.create(
        case_id=case.pk,
        user=shortfall.user,
        role=role,
        level=shortfall.level,
        required=shortfall.required,
        held=shortfall.held,
        reason=reason.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    audit.record(
        "team.profile_override",
        actor=actor,
        case_id=case.pk,
        obj=override,
        data={
            "rol": role,
            "gebruiker": shortfall.user.pk,
            "niveau": shortfall.level,
            "vereist": shortfall.required,
            "profiel": shortfall.held,
        },
    )
    return override


def director_shortfalls(case: Case) -> list[Shortfall]:
    """The case's current regisseurs below the requirement of its current level, except
    where an override for that level was recorded. Shown until resolved (another
    regisseur, a higher profile, or a recorded reason)."""
    if not applies(case):
        return []
    overridden = set(
        ProfileOverride.objects.filter(case_id=case.pk, level=case.escalation_level).values_list(
            "user_id", "role"
        )
    )
    found = []
    team = case_team(case.pk).filter(role__in=DIRECTOR_ROLES, user__isnull=False)
    for membership in team.select_related("user").order_by("-role", "pk"):
        assert membership.user is not None
        if (membership.user_id, membership.role) in overridden:
            continue
        shortfall = check_profile(membership.user, case, membership.role)
        if shortfall is not None:
            found.append(shortfall)
    return found
