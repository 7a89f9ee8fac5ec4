"""Which area a user reads the needs-vs-interventions matrix for (ADR 24).

Who may read it at all is `accounts.access.can_see_needs_matrix`; this module says for
which area: the manager for the region of a house they manage, policy (bestuur en
beleid) for the region of their organisation (every region for a national one), the
PGA expert for their own house only. An area is a region, or one house in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ketenregie.accounts.access import houses_where, roles_of
from ketenregie.accounts.models import House, Region
from ketenregie.accounts.roles import Role

if TYPE_CHECKING:
    from ketenregie.accounts.models import User


@dataclass(frozen=True)
class Area:
    """A region, or one house (`house_id`) with the social map of its region."""

    key: str
    label: str
    region_id: int
    region_name: str
    house_id: int | None = None


def _region_area(region: Region) -> Area:
    return Area(
        f"r{region.pk}", _("Regio %(naam)s") % {"naam": region.name}, region.pk, region.name
    )


def matrix_areas(user: User) -> list[Area]:
    """The areas `user` may read the matrix for, regions first; empty: none at all."""
    roles = roles_of(user)
    regions: dict[int, Region] = {}
    if Role.MANAGER in roles:
        for house in House.objects.filter(pk__in=houses_where(user, Role.MANAGER)).select_related(
            "region"
        ):
            regions[house.region_id] = house.region
    if Role.BELEID in roles:
        own = user.organisation.region if user.organisation is not None else None
        # A national organisation (no region) steers nationally: every region.
        for region in [own] if own is not None else Region.objects.all():
            regions[region.pk] = region
    areas = [_region_area(r) for r in sorted(regions.values(), key=lambda r: r.name)]
    if Role.PGA_EXPERT in roles:
        houses = House.objects.filter(pk__in=houses_where(user, Role.PGA_EXPERT)).select_related(
            "region"
        )
        areas += [
            Area(f"h{h.pk}", h.name, h.region_id, h.region.name, h.pk)
            for h in sorted(houses, key=lambda h: h.name)
        ]
    return areas


def chosen_area(user: User, key: str) -> Area | None:
    """The area named by `key` if the user may read it, else their first; None: none."""
    areas = matrix_areas(user)
    return next((a for a in areas if a.key == key), areas[0] if areas else None)
