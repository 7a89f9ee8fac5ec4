"""The household part of the subject access export (ADR 0018, extended by ADR 0031).

Every household the person is in: the other members only by their relation to the
person (their names are another person's data), the person's own membership in full:
role in the family, custody, home, period and the support plan's 7.1 fields (gender,
marital status, profession or school), with its earlier versions. The person's own
address, phone and e-mail are on the person (the export's person section).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from ketenregie.cases.models import HouseholdMember, HouseholdMemberVersion, Person
from ketenregie.privacy.redaction import OMITTED, Redactor
from ketenregie.privacy.subject_access_fields import _field, _item, _label, _model_fields
from ketenregie.privacy.subject_access_trail import _user

# The person's own membership, as the household page keeps it.
MEMBERSHIP_FIELDS = [
    "relation",
    "custody",
    "lives_in_home",
    "valid_from",
    "valid_to",
    "gender",
    "marital_status",
    "occupation",
]


def households_of(
    person: Person,
    members: list[HouseholdMember],
    shown: Iterable[int],
    redact: Redactor,
) -> list[dict[str, Any]]:
    """The export's `households`: `members` (every member of the person's households,
    with their person) grouped by household, for the households in `shown`."""
    own = [m.pk for m in members if m.person_id == person.pk]
    history: dict[int, list[dict[str, Any]]] = {}
    for v in (
        HouseholdMemberVersion.objects.filter(member_id__in=own)
        .select_related("changed_by")
        .order_by("member_id", "version")
    ):
        history.setdefault(v.member_id, []).append(
            {
                "version": v.version,
                "changed_at": timezone.localtime(v.changed_at),
                "changed_by": _user(v.changed_by),
                "fields": [
                    _field(n, _label(HouseholdMember, n), _stored(n, v.values[n], redact))
                    for n in MEMBERSHIP_FIELDS
                    if n in v.values
                ],
            }
        )
    return [
        {
            "id": hid,
            "members": [
                _member(m, person, redact, history) for m in members if m.household_id == hid
            ],
        }
        for hid in sorted(shown)
    ]


def _member(
    m: HouseholdMember,
    person: Person,
    redact: Redactor,
    history: dict[int, list[dict[str, Any]]],
) -> dict[str, Any]:
    is_subject = m.person_id == person.pk
    row: dict[str, Any] = {
        "relation": m.get_relation_display(),
        "is_subject": is_subject,
        "name": person.full_name if is_subject else OMITTED,
        # Only the person's own membership: another member's fields are theirs.
        "item": None,
        "history": [],
    }
    if is_subject:
        row["item"] = _item("membership", m.pk, _model_fields(m, MEMBERSHIP_FIELDS, redact))
        row["history"] = history.get(m.pk, [])
    return row


def _stored(name: str, value: Any, redact: Redactor) -> Any:
    """A stored version's value (choice keys, ISO dates) as the export shows it."""
    f = HouseholdMember._meta.get_field(name)
    assert isinstance(f, models.Field)
    if f.choices and value:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.DateField) and isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return redact(value) if isinstance(value, str) else value


def membership_items(export: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The person's own memberships: items the reviewer may withhold."""
    for household in export["households"]:
        for member in household["members"]:
            if member.get("item"):
                yield member["item"]


def drop_withheld_history(export: dict[str, Any]) -> None:
    """A withheld membership takes its earlier versions with it."""
    for household in export["households"]:
        for member in household["members"]:
            if member.get("item") and member["item"]["withheld"]:
                member["history"] = []
