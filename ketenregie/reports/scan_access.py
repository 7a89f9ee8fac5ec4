"""Who may do what with the PGA-scan: the one place for its access decisions.

A round is led by the PGA expert or the manager of its house: they open it, invite,
remind, see the progress and the results, export the PDF and record the conversation.
Filling in is for the invited participant only. The statements are the functioneel
beheerder's (accounts.beheer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ketenregie.accounts.access import houses_where
from ketenregie.accounts.models import House
from ketenregie.accounts.roles import Role
from ketenregie.reports.models import ScanParticipant, ScanRound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ketenregie.accounts.models import User

LEAD_ROLES = (Role.PGA_EXPERT, Role.MANAGER)


def scan_houses(user: User | AnonymousUser) -> QuerySet[House]:
    """The houses whose scan rounds `user` leads (PGA expert or manager there)."""
    ids: set[int] = set()
    for role in LEAD_ROLES:
        ids.update(houses_where(user, role))
    return House.objects.filter(pk__in=ids).order_by("name")


def can_lead_scans(user: User | AnonymousUser) -> bool:
    return scan_houses(user).exists()


def led_rounds(user: User | AnonymousUser) -> QuerySet[ScanRound]:
    return ScanRound.objects.filter(house__in=scan_houses(user)).select_related("house")


def can_lead(user: User | AnonymousUser, scan_round: ScanRound) -> bool:
    return scan_houses(user).filter(pk=scan_round.house_id).exists()


def participation(user: User | AnonymousUser, scan_round: ScanRound) -> ScanParticipant | None:
    """The user's invitation to the round, or None: only invited participants fill in."""
    if not user.is_authenticated:
        return None
    return ScanParticipant.objects.filter(round=scan_round, user_id=user.pk).first()


def my_invitations(user: User | AnonymousUser) -> QuerySet[ScanParticipant]:
    if not user.is_authenticated:
        return ScanParticipant.objects.none()
    return ScanParticipant.objects.filter(user_id=user.pk).select_related("round__house")
