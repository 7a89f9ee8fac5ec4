"""Who does the privacy work of which house: the person's requests, retention periods and
legal holds, the processing register, and who sees the anonymous counts of rejected
referrals, and whose subject access request a privacy worker may handle. Built on the one
privacy rule of `accounts.access` (`can_do_privacy_work`, `privacy_house_ids`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ketenregie.accounts.access import (
    can_do_privacy_work,
    has_role,
    houses_where,
    privacy_house_ids,
)
from ketenregie.accounts.models import House
from ketenregie.accounts.roles import Role
from ketenregie.cases.models import Case, Person
from ketenregie.privacy.models import PrivacyRequest, PrivacyRequestQuerySet
from ketenregie.privacy.subject_access import Scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ketenregie.accounts.models import User


def visible_requests(user: User | AnonymousUser) -> PrivacyRequestQuerySet:
    """The requests `user` may see and handle: the FG every house's, a privacy contact
    (or an FG of one house) only their houses', everyone else none."""
    if not can_do_privacy_work(user):
        return PrivacyRequest.objects.none()
    house_ids = privacy_house_ids(user)
    if house_ids is None:
        return PrivacyRequest.objects.all()
    return PrivacyRequest.objects.filter(house_id__in=house_ids)


def privacy_houses(user: User | AnonymousUser) -> QuerySet[House]:
    """The houses whose privacy work `user` does (every house for the FG): where they log
    requests, set retention periods and hold cases."""
    if not can_do_privacy_work(user):
        return House.objects.none()
    house_ids = privacy_house_ids(user)
    houses = House.objects.order_by("name")
    return houses if house_ids is None else houses.filter(pk__in=house_ids)


def may_manage_retention(user: User | AnonymousUser, house_id: int) -> bool:
    """Set a house's retention periods and hold or release its cases."""
    return privacy_houses(user).filter(pk=house_id).exists()


def register_house_for(user: User | AnonymousUser, house_id: int) -> House:
    """The house, if `user` keeps its processing register: 403 for a user who does no
    privacy work, 404 for another house (as for a house that does not exist)."""
    if not can_do_privacy_work(user):
        raise PermissionDenied
    house = privacy_houses(user).filter(pk=house_id).first()
    if house is None:
        raise Http404
    return house


def can_see_rejection_counts(user: User | AnonymousUser) -> bool:
    """The FG, a privacy contact and a house's manager (anonymous counts only)."""
    return can_do_privacy_work(user) or has_role(user, Role.MANAGER)


def rejection_count_houses(user: User | AnonymousUser) -> QuerySet[House]:
    """The houses whose rejected-referral counts `user` sees: the privacy houses (every
    house for the FG) and the houses they manage."""
    houses = House.objects.order_by("name")
    managed = Q(pk__in=houses_where(user, Role.MANAGER))
    if not can_do_privacy_work(user):
        return houses.filter(managed)
    privacy = privacy_house_ids(user)
    if privacy is None:
        return houses
    return houses.filter(managed | Q(pk__in=privacy))


def subject_access_scope(user: User | AnonymousUser) -> Scope:
    """The cases a privacy worker's export covers: every house for the FG of all houses,
    else the houses of their privacy roles."""
    ids = privacy_house_ids(user)
    return Scope.of(None if ids is None else list(ids))


def can_handle_request_of(user: User | AnonymousUser, person: Person) -> bool:
    """A privacy worker, and (house-bound) the person has a case in one of their houses."""
    if not can_do_privacy_work(user):
        return False
    scope = subject_access_scope(user)
    if scope.house_ids is None:
        return True
    return Case.objects.filter(person=person, house_id__in=scope.house_ids).exists()
