"""What the intake writes on a referral share: locking it with its case while checking the
status and version the user saw, and bumping its version.

Each intake write is one transaction: lock, check, write, audit, then (after commit)
link-only e-mail.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.audit.writes import check_version, lock
from ketenregie.cases.models import (
    Case,
)
from ketenregie.cases.workflow import Status
from ketenregie.intake.models import (
    Referral,
)

# The loser of two chairs deciding at once, when the winner's decision deleted the case.
DECIDED_AWAY = gettext_lazy(
    "Over deze aanmelding is zojuist al besloten door een andere voorzitter: zij is niet "
    "geagendeerd en uit Ketenregie verwijderd. Uw besluit is niet opgeslagen."
)


def _locked_referral(case: Case, expected_status: Status, expected_version: int | None) -> Referral:
    try:
        locked = lock(case)
        referral = lock(Referral.objects.get(case=locked), related=["referrer"])
    except (Case.DoesNotExist, Referral.DoesNotExist):
        # Deleted while this request waited for the lock (a rejection in the same second).
        raise ValidationError(str(DECIDED_AWAY)) from None
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
