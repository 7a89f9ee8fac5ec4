"""Searching the audit trail (privacy officer): persons and cases are found through the
cases app's queries (this app sits above it).

The events about a person are one rule in two forms, which a test proves equal: as a set
(the union of indexed id lookups, applied as a semi-join) and as row filters (checked on
each event). The set is cheap while it is small; a common surname matches tens of
thousands of events, and sorting them all for the first page is what made the search
slow. Then the row form lets PostgreSQL walk the events newest first and stop at the page.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ketenregie.audit.models import AuditEvent
from ketenregie.audit.services import term_digest
from ketenregie.cases.queries import audit_conditions_about_person, case_ids_by_code
from ketenregie.core.paging import LIMIT

# Searches are stored with their personal terms as keyed digests under `filters`: the
# case list's `q` and this page's `person` (audit.services.search_filters).
SEARCH_DIGEST_KEYS = ("q_sha256", "person_sha256")


@dataclass(frozen=True)
class PersonEvents:
    """The events about a person as a filter; `more` when they are known to be more than
    `LIMIT` (then the page need not count them again)."""

    condition: Q
    more: bool


@dataclass(frozen=True)
class EventSearch:
    """A search's events, newest first, and their bounded count if the search already
    knows it (None: count them)."""

    events: QuerySet[AuditEvent]
    counted: int | None


def events_about_person(person: str, *, walk: bool | None = None) -> PersonEvents:
    """The events about the persons a surname or BSN matches, and the searches for them
    (stored as keyed digests of the term): every match, never the first few hundred.

    Two forms of one rule (a test proves them equal). A common surname matches tens of
    thousands of events: then the conditions are row filters, so PostgreSQL walks the
    events newest first and stops when the page is full, instead of sorting them all.
    A rare name or a BSN matches a few: walking would read the whole trail to find them,
    so their ids are read from the indexes (at most `LIMIT`, or we walk after all) and
    the page fetches those. `walk` forces the row filters (for tests).
    """
    digest = term_digest(person)
    conditions = [
        *audit_conditions_about_person(person),
        *(Q(**{f"data__filters__{key}": digest}) for key in SEARCH_DIGEST_KEYS),
    ]
    ids = None if walk else _ids_within_bound(conditions)
    if ids is None:
        return PersonEvents(reduce(operator.or_, conditions), more=not walk)
    return PersonEvents(Q(pk__in=sorted(ids)), more=False)


def _ids_within_bound(conditions: list[Q]) -> set[int] | None:
    """The ids of every event matching the conditions, one indexed lookup per condition,
    or None as soon as they are more than `LIMIT` (each lookup stops there)."""
    found: set[int] = set()
    for condition in conditions:
        room = LIMIT + 1 - len(found)
        ids = AuditEvent.objects.filter(condition).order_by().values_list("pk", flat=True)
        found.update(ids[:room])
        if len(found) > LIMIT:
            return None
    return found


def search(
    *,
    person: str = "",
    case: str = "",
    user: str = "",
    organisation: Any = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> EventSearch:
    """The audit events matching every filter given, newest first."""
    qs = AuditEvent.objects.all()
    counted = None
    if person:
        about = events_about_person(person)
        qs = qs.filter(about.condition)
        only_person = not (case or user or organisation or date_from or date_to)
        counted = LIMIT + 1 if about.more and only_person else None
    if case:
        qs = qs.filter(case_id__in=case_ids_by_code(case.strip()))
    if user:
        qs = qs.filter(actor_label__iexact=user.strip())
    if organisation:
        qs = qs.filter(actor_organisation=organisation)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(occurred_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(occurred_at__lt=end)
    return EventSearch(qs.select_related("actor", "actor_organisation").order_by("-id"), counted)


def search_events(**filters: Any) -> QuerySet[AuditEvent]:
    """The events of `search`, without the count it may know."""
    return search(**filters).events
