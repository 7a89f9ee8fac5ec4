"""Reads about cases that pages need: list filtering, team history, the timeline, and the
person and case lookups the privacy officer's audit search uses."""

from __future__ import annotations

import datetime as dt
import operator
from bisect import bisect_right
from collections.abc import Iterable
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from ketenregie.audit.models import AuditEvent
from ketenregie.audit.vocabulary import ADVISER_CODES, READ_CODES, label
from ketenregie.cases.access import active_memberships, visible_cases
from ketenregie.cases.household_queries import MemberRow, member_rows
from ketenregie.cases.models import (
    Case,
    CaseMembership,
    DeletedCaseCount,
    HouseholdMember,
    Person,
    PersonVersion,
    StatusChange,
)
from ketenregie.cases.timeline import (
    TimelineEntry,
    extra_entries,
    field_label,
    fixed_phases,
    grouped,
    replaced_actions,
    show_field_value,
)
from ketenregie.cases.workflow import PHASE_OF, Phase, Status
from ketenregie.core.bsn import normalise_bsn
from ketenregie.core.names import KEY_SEPARATOR, PREFIX_WORDS, fold

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

TIMELINE_LIMIT = 200
BSN_LENGTH = 9
# pg_trgm indexes substrings of three characters and more.
TRIGRAM = 3
# A full name is tried as first names + surname at each word boundary: a handful of
# first names at most, so the lookups stay a few indexed conditions however long the term.
MAX_FIRST_NAMES = 4


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
    if q.strip():
        qs = _matching(qs, q.strip())
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


def _matching(qs: QuerySet[Case], term: str) -> QuerySet[Case]:
    """The visible cases whose number contains `term`, or whose person it names.

    The candidates come first, each from an index (the case number's and the name keys'
    trigram indexes, the BSN's unique index), and visibility is applied to them as a
    semi-join: testing every visible case against the term was the slow way round
    (ADR 9).
    Names match only where the viewer may see names: searching must not reveal who is
    behind a pseudonymised case, so there only the case number counts.
    """
    by_code = Case.objects.filter(code__icontains=term).values("pk")
    named = Case.objects.filter(person__in=persons_named(term)).values("pk")
    # UNION ALL: `IN` needs no duplicates removed, and the planner then starts from the
    # candidates instead of walking every visible case in list order (300 ms -> 60 ms).
    return qs.filter(pk__in=by_code.union(named, all=True)).filter(
        Q(code__icontains=term) | Q(full_access=True)
    )


def persons_named(term: str) -> QuerySet[Person]:
    """Persons whose surname or first names contain `term`, whose full name it is
    ("Kevin van der Heijden"), or whose BSN it is.

    Compared on the stored normalised keys (core.names), so "van den Berg", "Vandenberg"
    and "Meijer"/"Meyer" find each other, as in duplicate matching.
    """
    key = fold(term)
    digits = normalise_bsn(term)
    matches = _name_conditions(term)
    if key:
        matches.append(_key_has("first_names_key", key))
    if len(digits) == BSN_LENGTH and digits.isdigit():
        matches.append(Q(bsn=digits))
    if not matches:
        return Person.objects.none()
    return Person.objects.filter(reduce(operator.or_, matches))


def persons_known_at(house_id: int) -> QuerySet[Person]:
    """Persons a house has recorded: the person of one of its cases, or a member of the
    household of one of its cases (whose request about their data the house answers)."""
    own = Case.objects.filter(house_id=house_id, person_id=OuterRef("pk"))
    household = HouseholdMember.objects.filter(
        person_id=OuterRef("pk"), household__cases__house_id=house_id
    )
    return Person.objects.filter(Exists(own) | Exists(household))


def persons_by_surname_or_bsn(term: str) -> QuerySet[Person]:
    """The persons the privacy officer's audit search means: a BSN, or else a surname
    (any part of it, normalised as in `persons_named`) or a full name."""
    digits = normalise_bsn(term)
    if digits.isdigit():
        return Person.objects.filter(bsn=digits)
    matches = _name_conditions(term)
    return (
        Person.objects.filter(reduce(operator.or_, matches)) if matches else Person.objects.none()
    )


def _name_conditions(term: str) -> list[Q]:
    """A surname (any part of it), or first names followed by a surname: "Kevin van der
    Heijden" is tried as first name "Kevin" with surname "van der Heijden", each split
    at a word boundary where the first names do not end in a tussenvoegsel (it starts
    the surname). Every condition is a lookup on the name keys' trigram indexes (ADR 9):
    a handful OR-ed together, never a scan of the persons."""
    key = fold(term)
    conditions = [_key_has("surname_key", key)] if key else []
    words = term.split()
    for split in range(1, min(len(words), MAX_FIRST_NAMES + 1)):
        first, rest = words[:split], words[split:]
        surname = fold(" ".join(rest))
        first_keys = [fold(w) for w in first]
        if first[-1].lower() in PREFIX_WORDS or not surname or not all(first_keys):
            continue
        conditions.append(
            reduce(
                operator.and_,
                [_key_has("first_names_key", k) for k in first_keys],
                _key_has("surname_key", surname),
            )
        )
    return conditions


def _key_has(field: str, key: str) -> Q:
    """A stored key holding `key`: inside any form, or for a term too short for the
    trigram index (a two-letter fragment is in most names) as a whole form."""
    if len(key) >= TRIGRAM:
        return Q(**{f"{field}__contains": key})
    sep = KEY_SEPARATOR
    return (
        Q(**{field: key})
        | Q(**{f"{field}__startswith": key + sep})
        | Q(**{f"{field}__endswith": sep + key})
        | Q(**{f"{field}__contains": sep + key + sep})
    )


def team_history(case: Case) -> list[CaseMembership]:
    return list(
        CaseMembership.objects.filter(case=case)
        .select_related("user", "organisation")
        .order_by("valid_from", "pk")
    )


def _changes(ev: AuditEvent, versions: dict[tuple[str, int], dict[str, Any]]) -> dict[str, Any]:
    if ev.action.startswith("person.") and "versie" in ev.data:
        # Keyed by person: a household member's data is on the case's timeline too.
        now = versions.get((ev.object_id, ev.data["versie"]), {})
        before = versions.get((ev.object_id, ev.data["versie"] - 1), {})
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


class _Phases:
    """Which workflow phase an event falls in: its code's own phase (`register_phase`),
    or else the phase of the status the case had when it happened."""

    def __init__(self, changes: list[StatusChange]) -> None:
        self.starts = [sc.changed_at for sc in changes]
        self.phases = [PHASE_OF[Status(sc.to_status)] for sc in changes]
        self.fixed = fixed_phases()

    def at(self, when: dt.datetime) -> Phase | None:
        # Before the first status (the case row written a moment earlier): its phase.
        index = max(bisect_right(self.starts, when) - 1, 0)
        return self.phases[index] if self.phases else None

    def of(self, code: str, when: dt.datetime) -> Phase | None:
        return self.fixed.get(code) or self.at(when)

    def events_in(self, phase: Phase) -> Q:
        """The audit events in `phase`, as a filter on the case's events (by code, and by
        time ranges of the phase's statuses: an index range on the case's events)."""
        own = [code for code, p in self.fixed.items() if p == phase]
        ranges: list[Q] = []
        for i, start in enumerate(self.starts):
            if self.phases[i] != phase:
                continue
            span = Q(occurred_at__gte=start) if i else Q()
            if i + 1 < len(self.starts):
                span &= Q(occurred_at__lt=self.starts[i + 1])
            ranges.append(span)
        by_time = reduce(operator.or_, ranges) & ~Q(action__in=list(self.fixed)) if ranges else None
        if by_time is not None and own:
            return Q(action__in=own) | by_time
        if by_time is not None:
            return by_time
        return Q(action__in=own)


def timeline(
    case: Case,
    *,
    full_access: bool,
    include_reads: bool,
    team: list[CaseMembership] | None = None,
    phase: Phase | None = None,
) -> list[TimelineEntry]:
    """Status history and the audit events the viewer may see, newest first, the events
    of one step folded into one entry (cases.timeline); only `phase`'s when given.

    `team` (already loaded for the page) names who joined or left, without extra queries.
    """
    members = {str(m.pk): m for m in team or []}
    versions: dict[tuple[str, int], dict[str, Any]] = {}
    if full_access:
        people = [case.person_id]
        if case.household_id is not None:
            people += list(
                HouseholdMember.objects.filter(household_id=case.household_id).values_list(
                    "person_id", flat=True
                )
            )
        versions = {
            (str(v.person_id), v.version): v.values
            for v in PersonVersion.objects.filter(person_id__in=people)
        }
    status_changes = list(
        StatusChange.objects.filter(case=case).select_related("changed_by").order_by("changed_at")
    )
    phases = _Phases(status_changes)
    entries: list[TimelineEntry] = []
    for sc in status_changes:
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
                phase=PHASE_OF[Status(sc.to_status)],
            )
        )
    for extra in extra_entries(case, full_access=full_access):
        extra.phase = extra.phase or phases.at(extra.when)
        entries.append(extra)
    # Status changes come from StatusChange above; registered sources name theirs.
    shown_elsewhere = sorted({"case.status_changed", *replaced_actions()})
    events = AuditEvent.objects.filter(case_id=case.pk).exclude(action__in=shown_elsewhere)
    if not full_access:
        events = events.filter(action__in=ADVISER_CODES)
    elif not include_reads:
        events = events.exclude(action__in=READ_CODES)
    if phase is not None:
        events = events.filter(phases.events_in(phase))
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
                code=ev.action,
                object_id=ev.object_id,
                data=ev.data if full_access else {},
                phase=phases.of(ev.action, ev.occurred_at),
            )
        )
    if phase is not None:
        entries = [e for e in entries if e.phase == phase]
    entries.sort(key=lambda e: e.when, reverse=True)
    return grouped(entries)


def audit_conditions_about_person(term: str) -> list[Q]:
    """Conditions on an audit event that make it about a person a surname, full name or BSN
    matches:
    on one of their cases, or filed under their person record.

    Each is an indexed lookup (`case_id`; `object_type, object_id`) and a check of the
    event's own columns, so a reader can combine them as row filters or as id sets
    (`audit_events_about_person`): every match counts, however many persons share the name.
    """
    persons = persons_by_surname_or_bsn(term)
    person_ids = persons.annotate(as_text=Cast("pk", output_field=CharField())).values("as_text")
    return [
        Q(case_id__in=Case.objects.filter(person__in=persons).values("pk")),
        Q(object_type=Person._meta.label_lower, object_id__in=person_ids),
    ]


def audit_events_about_person(term: str) -> list[QuerySet[AuditEvent, Any]]:
    """Ids of the audit events about every person a surname or BSN matches, one subquery
    per condition of `audit_conditions_about_person`, to be combined with `union`."""
    return [AuditEvent.objects.filter(c).values("pk") for c in audit_conditions_about_person(term)]


def case_ids_by_code(code: str) -> list[int]:
    return list(Case.objects.filter(code__iexact=code).values_list("pk", flat=True))


def case_codes(case_ids: Iterable[int | None]) -> dict[int, str]:
    """The case numbers of these case ids (one query), for pages that list events."""
    ids = {i for i in case_ids if i is not None}
    if not ids:
        return {}
    return dict(Case.objects.filter(pk__in=ids).values_list("pk", "code"))


def household_of(case: Case, *, full: bool = True) -> list[MemberRow]:
    """The current members of the case's household, the person first, with their age;
    `full` False (an adviser) gives rows the template shows as role and age band only."""
    return [r for r in member_rows(case, full=full) if r.current]


def deleted_case_counts(house_ids: Iterable[int] | None) -> QuerySet[DeletedCaseCount]:
    """The anonymous counts of cases deleted after their retention period (management
    information), newest year first; `house_ids` None: every house."""
    rows = DeletedCaseCount.objects.select_related("house").order_by(
        "house__name", "-year", "outcome", "phase_reached"
    )
    return rows if house_ids is None else rows.filter(house_id__in=list(house_ids))


def cases_by_codes(codes: Iterable[str]) -> list[Case]:
    """The cases with these case numbers, with their house (e.g. to record an export
    of them in the sharing register)."""
    return list(Case.objects.filter(code__in=list(codes)).select_related("house").order_by("pk"))
