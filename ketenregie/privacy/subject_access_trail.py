"""The recipients and the access log of the subject access export: who received the
person's data (the sharing register) and every view and receipt of it (the audit trail,
read by indexed keys), with each reader's organisation and role in the case that day."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from ketenregie.accounts.models import Organisation, User
from ketenregie.audit import vocabulary
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import (
    CaseMembership,
    Person,
)
from ketenregie.cases.sharing import exchanges_for_cases
from ketenregie.privacy.redaction import OMITTED, Redactor

if TYPE_CHECKING:
    from ketenregie.privacy.subject_access import Scope

PERSON_TYPE = Person._meta.label_lower


def _user(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _recipients(codes: dict[int, str], redact: Redactor) -> list[dict[str, Any]]:
    """To whom the person's data was given: the sharing register's rows on their cases."""
    if not codes:
        return []
    return [
        {
            "id": f"exchange:{r.pk}",
            "withheld": None,
            "occurred_at": timezone.localtime(r.occurred_at),
            "case": r.case_code,
            "kind": r.get_kind_display(),
            "from": r.from_label,
            "to": redact(r.to_label),
            "to_organisations": sorted(o.name for o in r.to_organisations.all()),
            "purpose": r.purpose,
            "legal_basis": r.get_legal_basis_display(),
        }
        for r in exchanges_for_cases(codes)
    ]


def _trail(
    person: Person, codes: dict[int, str], others: set[int], scope: Scope
) -> list[dict[str, Any]]:
    """Every event on the person's cases or filed under their record, oldest first, with
    who, organisation, role in the case and when. Two indexed lookups, merged here.

    Thousands of rows: read as plain values, and the per-row work (labels, roles, names)
    looked up once per distinct value, so the export stays well under a second."""
    case_ids = list(codes)
    columns = (
        "pk",
        "occurred_at",
        "action",
        "case_id",
        "object_type",
        "object_id",
        "purpose",
        "actor_label",
        "actor_id",
        "actor_organisation_id",
    )
    lookups = [AuditEvent.objects.filter(object_type=PERSON_TYPE, object_id=str(person.pk))]
    if case_ids:
        lookups.insert(0, AuditEvent.objects.filter(case_id__in=case_ids))
    events: dict[int, tuple[Any, ...]] = {}
    for qs in lookups:
        for row in qs.order_by().values_list(*columns):
            # A house-bound export: no event on another house's case.
            if scope.house_ids is None or row[3] is None or row[3] in codes:
                events[row[0]] = row
    org_ids = {row[9] for row in events.values() if row[9]}
    orgs = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    actor_ids = {row[8] for row in events.values() if row[8]}
    users = {u.pk: _user(u) for u in User.objects.filter(pk__in=actor_ids)} if actor_ids else {}
    roles = _Roles(case_ids)
    labels: dict[str, tuple[str, bool]] = {}
    other_ids = {str(pk) for pk in others}
    rows = []
    for pk in sorted(events):
        _, at, action, case_id, obj_type, obj_id, purpose, label, actor_id, org_id = events[pk]
        if action not in labels:
            read = vocabulary.kind(action) is vocabulary.Kind.READ
            labels[action] = (str(vocabulary.label(action)), read)
        what, read = labels[action]
        local = timezone.localtime(at)
        rows.append(
            {
                "id": f"event:{pk}",
                "withheld": None,
                "occurred_at": local,
                # The name the person can read; the username as the trail recorded it.
                "actor": users.get(actor_id) or label,
                "actor_username": label,
                "organisation": orgs.get(org_id, ""),
                "role_in_case": roles.at(case_id, actor_id, org_id, local.date()),
                "case": codes.get(case_id or 0, ""),
                "kind": "view" if read else "change",
                "action": OMITTED if obj_type == PERSON_TYPE and obj_id in other_ids else what,
                "purpose": purpose,
            }
        )
    return rows


class _Roles:
    """The actor's role in a case on a day: a membership naming them, else one naming
    their organisation only; answered once per (case, actor, organisation, day)."""

    def __init__(self, case_ids: list[int]) -> None:
        self.by_case: dict[int, list[tuple[CaseMembership, str]]] = defaultdict(list)
        for m in CaseMembership.objects.filter(case_id__in=case_ids):
            self.by_case[m.case_id].append((m, str(m.get_role_display())))
        self.known: dict[tuple[Any, ...], str] = {}

    def at(self, case_id: int | None, actor_id: int | None, org_id: int | None, day: Any) -> str:
        if not case_id:
            return ""
        key = (case_id, actor_id, org_id, day)
        if key not in self.known:
            self.known[key] = ", ".join(
                sorted(
                    {
                        role
                        for m, role in self.by_case.get(case_id, [])
                        if m.valid_from <= day
                        and (m.valid_to is None or day <= m.valid_to)
                        and (
                            m.user_id == actor_id
                            or (m.user_id is None and m.organisation_id == org_id)
                        )
                    }
                )
            )
        return self.known[key]
