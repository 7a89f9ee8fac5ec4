"""Reads for the PGA start: tasks that come due."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, Subquery

from ketenregie.cases.access import directed_case_ids
from ketenregie.core.timeutil import today
from ketenregie.pga.models import AftercareAgreement, Informing, TrajectoryEvaluation

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.cases.models import Case


def due_informing_reviews(user: User) -> list[Informing]:
    """Postponed informing whose review date has come, on cases the user directs.

    Only the newest informing record of a case counts: once the person is informed,
    the task is gone.
    """
    latest = Informing.objects.filter(case=OuterRef("case")).order_by("-recorded_at", "-pk")
    return list(
        Informing.objects.filter(
            kind=Informing.Kind.POSTPONED,
            review_date__lte=today(),
            case_id__in=directed_case_ids(user),
            pk=Subquery(latest.values("pk")[:1]),
        )
        .select_related("case")
        .order_by("review_date")
    )


def aftercare_follow_ups(user: User, *, ahead_days: int = 14) -> list[AftercareAgreement]:
    """Issue 15: aftercare agreements to follow up (their date within two weeks, or
    passed while the agreement runs) on cases the user directs; at most 20."""
    day = today()
    return list(
        AftercareAgreement.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
            follow_up_on__lte=day + dt.timedelta(days=ahead_days),
            case_id__in=directed_case_ids(user),
        )
        .select_related("case", "organisation")
        .order_by("follow_up_on", "pk")[:20]
    )


def pga_records_for_subject(case: Case) -> dict[str, list[Any]]:
    """The PGA records of a case for the subject access export (privacy): informing,
    start conversations, signals, closings and closing conversations, aftercare
    agreements and evaluations of the trajectory, oldest first."""
    from ketenregie.pga.models import Closing, ClosingConversation, Signal, StartConversation

    return {
        "informing": list(Informing.objects.filter(case=case).order_by("pk")),
        "start_conversations": list(StartConversation.objects.filter(case=case).order_by("pk")),
        "signals": list(Signal.objects.filter(case=case).order_by("pk")),
        "closings": list(Closing.objects.filter(case=case).order_by("pk")),
        "closing_conversations": list(ClosingConversation.objects.filter(case=case).order_by("pk")),
        # Issue 15: what was agreed for after closing, and how the trajectory went.
        "aftercare": list(
            AftercareAgreement.objects.filter(case=case)
            .select_related("organisation")
            .order_by("pk")
        ),
        "evaluations": list(TrajectoryEvaluation.objects.filter(case=case).order_by("pk")),
    }
