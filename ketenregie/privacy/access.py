"""Who may keep which house's processing register: the privacy officer of every house
(or of their houses) and a house's privacy contact (the one rule in accounts.access)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ketenregie.accounts.access import can_do_privacy_work, privacy_house_ids
from ketenregie.accounts.models import House, User


def register_houses(user: User | AnonymousUser) -> QuerySet[House]:
    """The houses whose processing register `user` keeps; PermissionDenied for a user who
    does no privacy work at all."""
    if not can_do_privacy_work(user):
        raise PermissionDenied
    houses = House.objects.order_by("name")
    ids = privacy_house_ids(user)
    return houses if ids is None else houses.filter(pk__in=ids)


def register_house_for(user: User | AnonymousUser, house_id: int) -> House:
    """The house, if `user` keeps its register: 403 for a user without privacy work, 404
    for another house (as for a house that does not exist)."""
    house = register_houses(user).filter(pk=house_id).first()
    if house is None:
        raise Http404
    return house
