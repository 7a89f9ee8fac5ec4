"""Reading a case's client system for its pages: members with their age and history, the
informal network, consent and the client's preference. The caller has the case from the
gate; `full` False (an adviser) gets the members pseudonymised and nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone

from ketenregie.cases.access import made_on_case_q
from ketenregie.cases.models import (
    Case,
    Consent,
    CoordinationStart,
    HouseholdMember,
    HouseholdMemberVersion,
    NetworkContact,
    PersonVersion,
    RegisseurPreference,
)
from ketenregie.cases.workflow import START_STATUSES
from ketenregie.core.timeutil import age_band, age_on, today

ADULT_AGE = 18


@dataclass
class MemberRow:
    member: HouseholdMember
    age: int | None
    minor: bool
    current: bool
    band: str
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_primary(self) -> bool:
        return self.member.relation == HouseholdMember.Relation.BETROKKENE


def _labels(values: dict[str, Any]) -> dict[str, Any]:
    """A stored version's values as the page shows them (choices as their labels)."""
    out = dict(values)
    rel = values.get("relation")
    out["relation"] = HouseholdMember.Relation(rel).label if rel else ""
    cus = values.get("custody")
    out["custody"] = HouseholdMember.Custody(cus).label if cus else ""
    # Versions stored before ADR 0031 have no 7.1 fields: shown as not recorded.
    gender = values.get("gender")
    out["gender"] = HouseholdMember.Gender(gender).label if gender else ""
    marital = values.get("marital_status")
    out["marital_status"] = HouseholdMember.MaritalStatus(marital).label if marital else ""
    for key in ("valid_from", "valid_to"):
        out[key] = dt.date.fromisoformat(values[key]) if values.get(key) else None
    return out


def member_rows(
    case: Case, *, full: bool, day: dt.date | None = None, with_history: bool = False
) -> list[MemberRow]:
    """The household's members, the primary client first, current before former; an
    adviser (`full` False) gets rows whose template shows only role and age band."""
    if case.household_id is None:
        return []
    day = day or today()
    members = HouseholdMember.objects.filter(household_id=case.household_id).select_related(
        "person"
    )
    rows = []
    for m in members:
        birth = m.person.geboortedatum
        age = age_on(birth, day) if birth else None
        rows.append(
            MemberRow(
                member=m,
                age=age if full else None,
                minor=age is not None and age < ADULT_AGE,
                current=m.is_current(day),
                band=age_band(birth, day),
            )
        )
    if full and with_history:
        versions: dict[int, list[dict[str, Any]]] = {}
        for v in HouseholdMemberVersion.objects.filter(
            member__household_id=case.household_id
        ).select_related("changed_by"):
            versions.setdefault(v.member_id, []).append(
                {
                    "kind": "member",
                    "version": v.version,
                    "at": v.changed_at,
                    "by": v.changed_by,
                    **_labels(v.values),
                }
            )
        person_history = _person_history(case, [r.member.person_id for r in rows])
        for row in rows:
            row.history = sorted(
                versions.get(row.member.pk, []) + person_history.get(row.member.person_id, []),
                key=lambda h: (h["at"], h["kind"] == "person", h["version"]),
            )
    return sorted(
        rows,
        key=lambda r: (
            r.member.person_id != case.person_id,
            not r.current,
            -(r.age or 0) if full else 0,
            r.member.pk,
        ),
    )


# What a member's history shows of their person's versions: name, date of birth and the
# member's own address, phone and e-mail (seed 002 7.1); the BSN stays on the person page.
PERSON_HISTORY_FIELDS = (
    "voornamen",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "straat",
    "postcode",
    "woonplaats",
    "telefoon",
    "email",
)


def _person_history(case: Case, person_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each person's versions (from `PersonVersion`, one query) where a field the
    household page shows changed: a member's contact details change on their person.
    A person can be on other cases too: only the versions made through this case are
    shown (`made_on_case_q`); the others still count as the baseline of a change."""
    out: dict[int, list[dict[str, Any]]] = {}
    previous: dict[int, dict[str, Any]] = {}
    for v in (
        PersonVersion.objects.filter(person_id__in=person_ids)
        .annotate(on_case=ExpressionWrapper(made_on_case_q(case, "changed_by"), BooleanField()))
        .select_related("changed_by")
        .order_by("person_id", "version")
    ):
        shown = {k: v.values.get(k) or "" for k in PERSON_HISTORY_FIELDS}
        if previous.get(v.person_id) == shown:
            continue
        previous[v.person_id] = shown
        if not v.on_case:
            continue
        born = shown["geboortedatum"]
        out.setdefault(v.person_id, []).append(
            {
                "kind": "person",
                "version": v.version,
                "at": v.changed_at,
                "by": v.changed_by,
                **shown,
                "name": " ".join(
                    p
                    for p in (shown["voornamen"], shown["tussenvoegsel"], shown["achternaam"])
                    if p
                ),
                "geboortedatum": dt.date.fromisoformat(born) if born else None,
            }
        )
    return out


def network_of(case: Case) -> list[NetworkContact]:
    return list(NetworkContact.objects.filter(case=case).order_by("valid_to", "name", "pk"))


def consents_of(case: Case) -> list[Consent]:
    """Current consents first, then withdrawn ones (the history)."""
    rows = Consent.objects.filter(case=case).select_related(
        "given_by_member__person", "recorded_by"
    )
    return sorted(rows, key=lambda c: (c.withdrawn_on is not None, -c.given_on.toordinal(), -c.pk))


def current_network(case: Case) -> list[NetworkContact]:
    """The informal network still involved today (the support plan's "betrokken familie
    en vrienden", seed 002 7.1)."""
    day = today()
    return [c for c in network_of(case) if c.valid_to is None or c.valid_to >= day]


def current_consents(case: Case) -> list[Consent]:
    """The consents that hold (not withdrawn): the support plan's "overige gegevens"."""
    return [c for c in consents_of(case) if not c.is_withdrawn]


def current_coordination_consent(case: Case) -> Consent | None:
    """The latest consent to coordination that holds (not withdrawn), if any."""
    return (
        Consent.objects.filter(
            case=case, subject=Consent.Subject.COORDINATIE, withdrawn_on__isnull=True
        )
        .select_related("given_by_member__person")
        .order_by("-given_on", "-pk")
        .first()
    )


@dataclass
class ConsentWarning:
    """Why coordination of this case runs without the client's consent (seed 002: the
    meldcode is then followed): `withdrawn` the consent it had was withdrawn, else it
    started without one (`start` holds the reason)."""

    withdrawn: Consent | None
    start: CoordinationStart | None


def coordination_consent_warning(case: Case) -> ConsentWarning | None:
    """The one rule for "coordination without consent": None while a consent to
    coordination holds, or when none was ever asked (no start recorded, none withdrawn).

    A withdrawn consent counts when the start rested on a consent, or when it was given
    on or after a start without consent (given later, then withdrawn again); otherwise
    the start without consent (and its reason) is what the page shows. Only while
    coordination runs (started, not closed): a closed case's history is on its pages."""
    if case.status not in START_STATUSES or current_coordination_consent(case) is not None:
        return None
    start = CoordinationStart.objects.filter(case=case).select_related("decided_by").first()
    withdrawn = (
        Consent.objects.filter(
            case=case, subject=Consent.Subject.COORDINATIE, withdrawn_on__isnull=False
        )
        .order_by("-withdrawn_on", "-pk")
        .first()
    )
    if withdrawn is not None and (
        start is None
        or not start.without_consent
        or withdrawn.given_on >= timezone.localdate(start.decided_at)
    ):
        return ConsentWarning(withdrawn=withdrawn, start=start)
    if start is not None and start.without_consent:
        return ConsentWarning(withdrawn=None, start=start)
    return None


def coordination_start_of(case: Case) -> CoordinationStart | None:
    return (
        CoordinationStart.objects.filter(case=case)
        .select_related("consent__given_by_member__person", "decided_by")
        .first()
    )


def preference_of(case: Case) -> RegisseurPreference | None:
    return (
        RegisseurPreference.objects.filter(case=case)
        .select_related("organisation", "recorded_by")
        .first()
    )


def current_members(case: Case) -> list[HouseholdMember]:
    """Members of the household today (for choosing who gave consent)."""
    if case.household_id is None:
        return []
    day = today()
    return [
        m
        for m in HouseholdMember.objects.filter(household_id=case.household_id).select_related(
            "person"
        )
        if m.is_current(day)
    ]
