"""One procesregisseur per client system (issue 15, seed 002 "1Gezin1Plan1Regisseur").

A household's open cases share one procesregisseur: the rule spans the cases, not one
case. `ensure_one_procesregisseur` is the rule, called from the one place that makes
anyone procesregisseur (`cases.services.add_membership`; the triage start, the team page,
handovers and the transfer to a ZVH all go through it). `hand_over_procesregie` is phase
6a for procesregie: it moves the role on every open case of the household at once, in
one transaction, so the rule holds before and after.

Locking: the rule reads other cases than the one being changed, so each case's own lock
does not serialise it. Every assignment on a household case also locks the household row
(after its case), and the household handover locks the cases in key order before the
household, so two assignments on two cases of one household run one after the other.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketenregie.audit import services as audit
from ketenregie.cases.client_system import household_has_client_system
from ketenregie.cases.models import Case, CaseMembership, CaseRole, Household, active_on_q
from ketenregie.cases.workflow import Status

if TYPE_CHECKING:
    from ketenregie.accounts.models import User

# A case of the client system that still needs coordination. A provisional close can be
# reopened, so it keeps its procesregisseur; a case closed for good, never started or
# transferred to another house no longer counts.
ENDED_STATUSES = frozenset(
    {Status.GEEN_PGA, Status.DOORVERWEZEN, Status.AFGESLOTEN, Status.OPGESCHAALD}
)
OPEN_STATUSES = frozenset(Status) - ENDED_STATUSES


def _household_of(case_id: int) -> int | None:
    return Case.objects.filter(pk=case_id).values_list("household_id", flat=True).first()


def _lock_household(household_id: int) -> None:
    list(Household.objects.select_for_update().filter(pk=household_id))


def sibling_cases(case: Case) -> list[Case]:
    """The household's other open cases (codes and keys only; never shown as content)."""
    if case.household_id is None:
        return []
    return list(
        Case.objects.filter(household_id=case.household_id, status__in=OPEN_STATUSES)
        .exclude(pk=case.pk)
        .order_by("pk")
    )


def ensure_one_procesregisseur(
    case_id: int,
    *,
    user: User | None,
    valid_from: dt.date,
    valid_to: dt.date | None,
    field: str = "role",
) -> None:
    """Refuse `user` as procesregisseur of the case when another open case of its
    household has a different procesregisseur in that period.

    The message names the other procesregisseur (a colleague to talk to), never the other
    case's contents. A case without a household is its own client system.
    """
    household_id = _household_of(case_id)
    if household_id is None or user is None or not household_has_client_system(household_id):
        return
    _lock_household(household_id)
    # Imported here: services calls this module (one call line), not the other way round.
    from ketenregie.cases.services import _overlaps

    clash = (
        _overlaps(
            CaseMembership.objects.filter(
                case__household_id=household_id,
                case__status__in=OPEN_STATUSES,
                role=CaseRole.PROCESREGISSEUR,
            )
            .exclude(case_id=case_id)
            .exclude(user_id=user.pk),
            valid_from,
            valid_to,
        )
        .select_related("user")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                field: _(
                    "Dit huishouden heeft al een procesregisseur: %(wie)s. Eén gezin, één "
                    "plan, één regisseur: kies %(wie)s, of draag de procesregie over op alle "
                    "casussen van het huishouden tegelijk (fase 6a)."
                )
                % {"wie": clash.user.get_full_name() if clash.user else ""}
            }
        )


@transaction.atomic
def hand_over_procesregie(
    membership: CaseMembership,
    *,
    actor: User,
    successor: User,
    from_date: dt.date,
    note: str = "",
    profile_reason: str = "",
) -> list[CaseMembership]:
    """Phase 6a for procesregie: the holder's role moves to `successor` on every open case
    of the household where the holder is procesregisseur on `from_date`, in one
    transaction. Returns the successor's new memberships, the given case's first.

    The other cases' roles end first, so that the given case's handover (the ordinary
    `hand_over`, with its checks on the successor) meets no other procesregisseur, and the
    successor's roles on the other cases then meet only the successor.
    """
    from ketenregie.cases import services

    if membership.role != CaseRole.PROCESREGISSEUR:
        return [
            services.hand_over(
                membership,
                actor=actor,
                successor=successor,
                from_date=from_date,
                note=note,
                profile_reason=profile_reason,
            )
        ]
    case = Case.objects.get(pk=membership.case_id)
    others: list[CaseMembership] = []
    if (
        case.household_id is not None
        and membership.user_id is not None
        and household_has_client_system(case.household_id)
    ):
        ids = [case.pk, *(c.pk for c in sibling_cases(case))]
        # Cases in key order, then the household: the order every assignment keeps.
        list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        _lock_household(case.household_id)
        others = list(
            CaseMembership.objects.filter(
                active_on_q(from_date),
                case_id__in=ids[1:],
                role=CaseRole.PROCESREGISSEUR,
                user_id=membership.user_id,
            )
            .select_related("case")
            .order_by("case_id", "pk")
        )
        if any(o.valid_from > from_date for o in others):
            raise ValidationError(
                {
                    "from_date": _(
                        "Op een andere casus van dit huishouden begint de procesregie pas na "
                        "deze datum. Kies een latere overdrachtsdatum."
                    )
                }
            )
    for other in others:
        services.end_membership(other, actor=actor, valid_to=from_date, note=note, handed_over=True)
    moved = [
        services.hand_over(
            membership,
            actor=actor,
            successor=successor,
            from_date=from_date,
            note=note,
            profile_reason=profile_reason,
        )
    ]
    assert successor.organisation is not None  # checked by hand_over
    for other in others:
        new = services.add_membership(
            other.case,
            actor=actor,
            role=CaseRole.PROCESREGISSEUR,
            organisation=successor.organisation,
            user=successor,
            valid_from=from_date,
            valid_to=other.valid_to,
            note=note,
            profile_reason=profile_reason,
        )
        audit.record(
            "team.handed_over",
            actor=actor,
            case_id=other.case_id,
            obj=new,
            data={
                "rol": CaseRole.PROCESREGISSEUR.value,
                "van": other.user_id,
                "naar": successor.pk,
                "per": from_date.isoformat(),
                "huishouden": True,
            },
        )
        moved.append(new)
    return moved
