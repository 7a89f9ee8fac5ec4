"""The subject access export at scale (issue 13: under 1 s for a person with several
cases and thousands of audit events, with 100,000 cases and over a million events).

Run in-process on a bench data set by bench/ntable.py: picks the person with the most
cases, gives them `CASES` cases and their cases `EVENTS` page-view events if they have
fewer (the generator gives a person one case and spreads views evenly; a long-running
person collects thousands), then times
`build_export` (the dict the JSON is) and the PDF rendered from it, median of `ROUNDS`,
with the query count. Writing the events is preparation, never timed.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

ROUNDS = 3
EVENTS = 3000
CASES = 3
TARGET_MS = 1000.0


def measure() -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from ketenregie.accounts.models import User
    from ketenregie.audit import services as audit
    from ketenregie.audit.models import AuditEvent
    from ketenregie.cases.models import Case, CaseMembership, Person
    from ketenregie.privacy.subject_access import build_export
    from ketenregie.privacy.subject_access_output import export_json, export_pdf

    top = (
        Case.objects.values("person_id").annotate(n=Count("pk")).order_by("-n", "person_id").first()
    )
    if top is None:
        return {}
    person = Person.objects.get(pk=top["person_id"])
    if top["n"] < CASES:
        # The generator gives each person one case: the person takes over a few others'
        # cases of the same house (a bench data set only, thrown away afterwards).
        house_id = Case.objects.filter(person=person).values_list("house_id", flat=True)[0]
        extra = (
            Case.objects.filter(house_id=house_id)
            .exclude(person=person)
            .order_by("pk")
            .values_list("pk", flat=True)[: CASES - top["n"]]
        )
        Case.objects.filter(pk__in=list(extra)).update(person=person)
    case_ids = list(Case.objects.filter(person=person).values_list("pk", flat=True))
    have = AuditEvent.objects.filter(case_id__in=case_ids).count()
    if have < EVENTS:
        # The views come from the person's case teams (a member on their own case).
        viewers: list[tuple[int | None, int]] = list(
            CaseMembership.objects.filter(case_id__in=case_ids, user__isnull=False)
            .values_list("user_id", "case_id")
            .distinct()
        ) or [(None, case_ids[0])]
        users = {u.pk: u for u in User.objects.filter(pk__in={v for v, _ in viewers if v})}
        audit.record_many(
            audit.PendingEvent(
                action="case.viewed",
                actor=users.get(viewers[i % len(viewers)][0] or 0),
                case_id=viewers[i % len(viewers)][1],
                purpose="casusregie",
            )
            for i in range(EVENTS - have)
        )
    walls, pdfs = [], []
    export: dict[str, Any] = {}
    build_export(person)  # warm: templates, plans, the connection
    for _ in range(ROUNDS):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            export = build_export(person)
            export_json(export)
        walls.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        export_pdf(export)
        pdfs.append((time.perf_counter() - start) * 1000)
    wall = round(statistics.median(walls), 1)
    return {
        "cases_of_person": len(case_ids),
        "events_of_person": len(export["access_log"]),
        "export_ms": wall,
        "pdf_ms": round(statistics.median(pdfs), 1),
        "queries": len(queries.captured_queries),
        "target_ms": TARGET_MS,
        "ok": wall <= TARGET_MS,
    }
