"""Who may do the privacy work of which house: the one rule for the retention page, its
settings and legal holds (built on `accounts.access.privacy_house_ids`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from ketenregie.accounts.access import can_do_privacy_work, privacy_house_ids
from ketenregie.accounts.models import House, User


def privacy_houses(user: User | AnonymousUser) -> QuerySet[House]:
    """The houses whose privacy work `user` does (every house for the FG)."""
    if not can_do_privacy_work(user):
        return House.objects.none()
    house_ids = privacy_house_ids(user)
    houses = House.objects.order_by("name")
    return houses if house_ids is None else houses.filter(pk__in=house_ids)


def may_manage_retention(user: User | AnonymousUser, house_id: int) -> bool:
    """Set a house's retention periods and hold or release its cases."""
    return privacy_houses(user).filter(pk=house_id).exists()
