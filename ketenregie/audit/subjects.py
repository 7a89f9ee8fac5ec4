"""How the audit search finds the events about a person or a case it cannot know itself.

The audit app sits below the apps that own persons and cases, so it does not import
them. The cases app registers its lookups here from its AppConfig.ready(); the search
then asks for them by role, not by model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q


@dataclass(frozen=True)
class SubjectLookup:
    # A search term (surname or BSN) -> the events about the persons it matches.
    person_events: Callable[[str], Q]
    # A case code -> the ids of the cases with that code.
    case_ids: Callable[[str], list[int]]


_lookup: SubjectLookup | None = None


def register(lookup: SubjectLookup) -> None:
    global _lookup
    _lookup = lookup


def lookup() -> SubjectLookup:
    if _lookup is None:
        raise ImproperlyConfigured("No app registered how the audit search finds persons.")
    return _lookup
