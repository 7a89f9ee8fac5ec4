"""Who may handle which subject access request: the one rule for the privacy app's
pages on a person (the roles themselves are `accounts.access`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from ketenregie.accounts.access import can_do_privacy_work, privacy_house_ids
from ketenregie.accounts.models import User
from ketenregie.cases.models import Case, Person
from ketenregie.privacy.subject_access import Scope


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
