"""Searching the audit trail (privacy officer): persons and cases are found through the
cases app's queries (this app sits above it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ketenregie.audit.models import AuditEvent
from ketenregie.audit.services import term_digest
from ketenregie.cases.queries import audit_events_about_person, case_ids_by_code

# Searches are stored with their personal terms as keyed digests under `filters`: the
# case list's `q` and this page's `person` (audit.services.search_filters).
SEARCH_DIGEST_KEYS = ("q_sha256", "person_sha256")


def search_events(
    *,
    person: str = "",
    case: str = "",
    user: str = "",
    organisation: Any = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if person:
        # Searches for this person are stored as keyed digests of the term.
        # Every part is an indexed lookup (audit migration 0002); their union is applied
        # as one semi-join, so every matching event is found, not the first few hundred.
        digest = term_digest(person)
        about, *more = audit_events_about_person(person)
        searches = [
            AuditEvent.objects.filter(**{f"data__filters__{key}": digest}).values("pk")
            for key in SEARCH_DIGEST_KEYS
        ]
        qs = qs.filter(pk__in=about.union(*more, *searches, all=True))
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
    return qs.select_related("actor", "actor_organisation").order_by("-id")
