"""Who keeps which house's processing register: the privacy officer of every house (or of
their houses) and a house's privacy contact, on the one privacy rule of `accounts.access`
(`can_do_privacy_work`, `privacy_house_ids`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ketenregie.accounts.access import can_do_privacy_work, privacy_house_ids
from ketenregie.accounts.models import House, User


def privacy_houses(user: User | AnonymousUser) -> QuerySet[House]:
    """The houses whose privacy work `user` does (every house for the FG)."""
    if not can_do_privacy_work(user):
        return House.objects.none()
    house_ids = privacy_house_ids(user)
    houses = House.objects.order_by("name")
    return houses if house_ids is None else houses.filter(pk__in=house_ids)


def register_house_for(user: User | AnonymousUser, house_id: int) -> House:
    """The house, if `user` keeps its processing register: 403 for a user who does no
    privacy work, 404 for another house (as for a house that does not exist)."""
    if not can_do_privacy_work(user):
        raise PermissionDenied
    house = privacy_houses(user).filter(pk=house_id).first()
    if house is None:
        raise Http404
    return house
