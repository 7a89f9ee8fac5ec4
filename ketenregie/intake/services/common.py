"""What the intake writes on a referral share: locking it with its case while checking the
status and version the user saw, and bumping its version.

Each intake write is one transaction: lock, check, write, audit, then (after commit)
link-only e-mail.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ketenregie.audit.writes import check_version, lock
from ketenregie.cases.models import (
    Case,
)
from ketenregie.cases.workflow import Status
from ketenregie.intake.models import (
    Referral,
)


def _locked_referral(case: Case, expected_status: Status, expected_version: int | None) -> Referral:
    locked = lock(case)
    referral = lock(Referral.objects.get(case=locked), related=["referrer"])
    if locked.status != expected_status:
        raise ValidationError(
            _(
                "Deze aanmelding is zojuist al door iemand anders behandeld (status nu: "
                "‘%(status)s’). Uw invoer is niet opgeslagen."
            )
            % {"status": Status(locked.status).label}
        )
    check_version(referral, expected_version)
    referral.case = locked
    return referral


def _bump(referral: Referral, *fields: str) -> None:
    referral.version += 1
    referral.save(update_fields=[*fields, "version"])
