"""The privacy officer's writes on a subject access request: opening the review,
withholding passages (with a reason) and naming other persons to black out, and
recording the release. Each write and its audit event commit together; the events are
filed under the person, so the trail about them shows who decided what, and when."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from ketenregie.accounts.models import User
from ketenregie.audit import services as audit
from ketenregie.audit.writes import lock, save_audited
from ketenregie.cases.models import ExchangeKind, Person
from ketenregie.cases.queries import cases_by_codes
from ketenregie.cases.sharing import record_exchange
from ketenregie.privacy.models import SubjectAccessReview, Withholding
from ketenregie.privacy.subject_access import PURPOSE
from ketenregie.privacy.subject_access_output import case_codes_of

# The recipient of an export in the register: the person, never by name.
SUBJECT_LABEL = "de betrokkene (inzageverzoek)"


@transaction.atomic
def open_review(actor: User, person: Person) -> SubjectAccessReview:
    review = SubjectAccessReview.objects.create(
        person=person, opened_by=actor, opened_at=timezone.now()
    )
    audit.record(
        "privacy.subject_access_review_opened",
        actor=actor,
        obj=person,
        purpose=PURPOSE,
        data={"beoordeling": review.pk},
    )
    return review


def record_review_read(actor: User, review: SubjectAccessReview) -> None:
    """The reviewer saw everything about the person: a read, like opening a case."""
    audit.record(
        "privacy.subject_access_reviewed",
        actor=actor,
        obj=review.person,
        purpose=PURPOSE,
        data={"beoordeling": review.pk},
    )


@transaction.atomic
def save_review(
    actor: User,
    review: SubjectAccessReview,
    *,
    expected_version: int,
    withheld: Mapping[str, str],
    other_persons: str,
) -> SubjectAccessReview:
    """Make the review's withholdings exactly `withheld` (passage -> reason) and its other
    persons `other_persons`. ConcurrentEditError when another reviewer saved in between.

    The trail keeps which passages were withheld or restored, never the reasons or the
    names (free text about the person stays out of the append-only trail)."""
    locked = lock(review, expected_version=expected_version)
    current = {w.passage: w for w in locked.withholdings.all()}
    now = timezone.now()
    added = sorted(set(withheld) - set(current))
    restored = sorted(set(current) - set(withheld))
    changed = sorted(p for p in set(current) & set(withheld) if current[p].reason != withheld[p])
    Withholding.objects.filter(review=locked, passage__in=restored).delete()
    for passage in changed:
        row = current[passage]
        row.reason, row.decided_by, row.decided_at = withheld[passage], actor, now
        row.save(update_fields=["reason", "decided_by", "decided_at"])
    Withholding.objects.bulk_create(
        Withholding(
            review=locked,
            passage=p,
            reason=withheld[p],
            decided_by=actor,
            decided_at=now,
        )
        for p in added
    )
    save_audited(
        locked,
        actor=actor,
        action="privacy.subject_access_withheld",
        values={"other_persons": other_persons.strip()},
        mode="names",
        always=bool(added or restored or changed),
        purpose=PURPOSE,
        obj=locked.person,
        extra={
            "beoordeling": locked.pk,
            "weggelaten": added,
            "reden_gewijzigd": changed,
            "hersteld": restored,
        },
    )
    return locked


def withheld_of(review: SubjectAccessReview) -> dict[str, str]:
    return {w.passage: w.reason for w in review.withholdings.all()}


@transaction.atomic
def record_export(
    actor: User | None,
    person: Person,
    export: dict[str, Any],
    fmt: str,
    review: SubjectAccessReview | None = None,
) -> None:
    """The export is itself a disclosure: recorded in the trail under the person, with
    the cases it covers and how many passages were withheld, and in the data-sharing
    register, one row per case it covers (to the person, on the house's legal duty)."""
    for case in cases_by_codes(case_codes_of(export)):
        record_exchange(
            ExchangeKind.SUBJECT_ACCESS,
            actor=actor,
            case=case,
            to_label=SUBJECT_LABEL,
            from_house=True,
        )
    if review is not None:
        SubjectAccessReview.objects.filter(pk=review.pk).update(released_at=timezone.now())
    audit.record(
        "privacy.subject_access_exported",
        actor=actor,
        obj=person,
        purpose=PURPOSE,
        data={
            "formaat": fmt,
            "casussen": case_codes_of(export),
            "weggelaten": len(export["withheld"]),
            "beoordeling": review.pk if review is not None else None,
        },
    )
