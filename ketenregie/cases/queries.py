"""Reads about cases that pages need: list filtering, team history, the timeline, and the
person and case lookups the privacy officer's audit search uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ketenregie.audit.models import AuditEvent
from ketenregie.audit.vocabulary import ADVISER_CODES, READ_CODES, label
from ketenregie.cases.access import active_memberships, visible_cases
from ketenregie.cases.models import Case, CaseMembership, Person, PersonVersion, StatusChange
from ketenregie.cases.timeline import (
    TimelineEntry,
    extra_entries,
    field_label,
    replaced_actions,
    show_field_value,
)
from ketenregie.cases.workflow import PHASE_OF, Phase, Status
from ketenregie.core.bsn import normalise_bsn

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

TIMELINE_LIMIT = 200


def filter_cases(
    user: User,
    *,
    q: str = "",
    house: Any = None,
    phase: str = "",
    level: int | None = None,
    my_role: str = "",
) -> QuerySet[Case]:
    qs = visible_cases(user).select_related("person", "house")
    if q:
        # Names match only where the viewer may see names: searching must not reveal
        # who is behind a pseudonymised case.
        name = (
            Q(person__achternaam__icontains=q)
            | Q(person__voornamen__icontains=q)
            | Q(person__bsn=q.replace(" ", ""))
        )
        qs = qs.filter(Q(code__icontains=q) | (Q(full_access=True) & name))
    if house:
        qs = qs.filter(house=house)
    if phase:
        qs = qs.filter(status__in=[s for s, p in PHASE_OF.items() if p == Phase(phase)])
    if level:
        qs = qs.filter(escalation_level=level)
    if my_role:
        qs = qs.filter(
            Exists(active_memberships(user).filter(case_id=OuterRef("pk"), role=my_role))
        )
    return qs.order_by("-status_changed_at", "-pk")


def team_history(case: Case) -> list[CaseMembership]:
    return list(
        CaseMembership.objects.filter(case=case)
        .select_related("user", "organisation")
        .order_by("valid_from", "pk")
    )


def _changes(ev: AuditEvent, versions: dict[int, dict[str, Any]]) -> dict[str, Any]:
    if ev.action.startswith("person.") and "versie" in ev.data:
        now = versions.get(ev.data["versie"], {})
        before = versions.get(ev.data["versie"] - 1, {})
        return {f: {"voor": before.get(f), "na": now.get(f)} for f in ev.data.get("velden", [])}
    changes: dict[str, Any] = ev.data.get("wijzigingen", {})
    return {
        field_label(name): {
            "voor": show_field_value(name, change.get("voor")),
            "na": show_field_value(name, change.get("na")),
        }
        if isinstance(change, dict)
        else change
        for name, change in changes.items()
    }


def _team_detail(action: str, object_id: str, team: dict[str, CaseMembership]) -> str:
    m = team.get(object_id)
    if m is None or not action.startswith("team."):
        return ""
    who = m.user.get_full_name() if m.user else f"{m.organisation.name} (hele organisatie)"
    if action == "team.member_ended" and m.valid_to:
        return f"{m.get_role_display()}: {who}, t/m {m.valid_to:%d-%m-%Y}"
    return f"{m.get_role_display()}: {who}, vanaf {m.valid_from:%d-%m-%Y}"


def timeline(
    case: Case,
    *,
    full_access: bool,
    include_reads: bool,
    team: list[CaseMembership] | None = None,
) -> list[TimelineEntry]:
    """Status history and the audit events the viewer may see, newest first.

    `team` (already loaded for the page) names who joined or left, without extra queries.
    """
    members = {str(m.pk): m for m in team or []}
    versions: dict[int, dict[str, Any]] = {}
    if full_access:
        versions = {
            v.version: v.values for v in PersonVersion.objects.filter(person_id=case.person_id)
        }
    entries: list[TimelineEntry] = []
    for sc in StatusChange.objects.filter(case=case).select_related("changed_by"):
        title = (
            f"Status: {Status(sc.to_status).label}"
            if not sc.from_status
            else f"Status: {Status(sc.from_status).label} → {Status(sc.to_status).label}"
        )
        entries.append(
            TimelineEntry(
                when=sc.changed_at,
                title=title,
                actor=str(sc.changed_by or "systeem"),
                detail=sc.reason if full_access else "",
                kind="status",
            )
        )
    entries.extend(extra_entries(case, full_access=full_access))
    # Status changes come from StatusChange above; registered sources name theirs.
    shown_elsewhere = sorted({"case.status_changed", *replaced_actions()})
    events = AuditEvent.objects.filter(case_id=case.pk).exclude(action__in=shown_elsewhere)
    if not full_access:
        events = events.filter(action__in=ADVISER_CODES)
    elif not include_reads:
        events = events.exclude(action__in=READ_CODES)
    for ev in events.select_related("actor", "actor_organisation").order_by("-id")[:TIMELINE_LIMIT]:
        entries.append(
            TimelineEntry(
                when=ev.occurred_at,
                title=label(ev.action),
                actor=str(ev.actor or ev.actor_label or "systeem"),
                organisation=str(ev.actor_organisation or ""),
                detail=_team_detail(ev.action, ev.object_id, members),
                kind="read" if ev.action in READ_CODES else "change",
                changes=_changes(ev, versions) if full_access else {},
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def audit_events_about_person(term: str) -> Q:
    """Audit events about the persons a surname or BSN matches: their cases and records."""
    digits = normalise_bsn(term)
    people = Person.objects.filter(
        Q(bsn=digits) if digits.isdigit() else Q(achternaam__icontains=term.strip())
    ).values_list("pk", flat=True)
    person_ids = list(people[:500])
    case_ids = list(Case.objects.filter(person_id__in=person_ids).values_list("pk", flat=True))
    return Q(case_id__in=case_ids) | Q(
        object_type=Person._meta.label_lower, object_id__in=[str(p) for p in person_ids]
    )


def case_ids_by_code(code: str) -> list[int]:
    return list(Case.objects.filter(code__iexact=code).values_list("pk", flat=True))
