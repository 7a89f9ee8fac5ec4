"""Reads of the intake for the apps above it: the referral of a case as the subject
access export (privacy) needs it, with its parts fetched in a fixed number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ketenregie.intake.models import Referral

if TYPE_CHECKING:
    from ketenregie.cases.models import Case


def referral_for_subject(case: Case) -> Referral | None:
    """The case's referral with who referred, its problems, criteria, additions,
    bekendheidscheck answers (with the answering organisation: the source of the data)
    and its attachments' metadata (never the file)."""
    return (
        Referral.objects.filter(case=case)
        .select_related("referrer", "referrer__organisation")
        .prefetch_related(
            "problems__domain",
            "criteria",
            "additions",
            "enrichment__organisation",
            "enrichment__answered_by",
            "attachments__uploaded_by",
        )
        .first()
    )
