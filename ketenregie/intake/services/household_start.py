"""Starting coordination without the ZVH triage (issue 15, household variant; seed 002
section 3.4: whoever processes a referral can start coordination of care).

Allowed only in a house working in the household variant and only when the referral
meets the house's household criteria. It creates what the triage's "start PGA" creates
(status, proposed level, procesregisseur) through the same helper, so both roads give
the same case.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.models import User
from ketenregie.audit import services as audit
from ketenregie.cases.models import Case
from ketenregie.cases.workflow import Status
from ketenregie.intake.criteria import household_criteria_met
from ketenregie.intake.models import Referral
from ketenregie.intake.services.common import _bump, _locked_referral
from ketenregie.intake.services.feedback import _feedback
from ketenregie.intake.services.triage import _start_pga, _start_pga_errors

NOT_HOUSEHOLD_VARIANT = _(
    "Dit huis werkt niet in de huishoudvariant: de coördinatie start hier via de integrale triage."
)


@transaction.atomic
def start_without_triage(
    case: Case, *, actor: User, expected_version: int, procesregisseur: User | None
) -> Referral:
    """The screener starts coordination directly: the case goes from AANGEMELD to
    PGA_GESTART with its procesregisseur, audited, and the referrer is told."""
    referral = _locked_referral(case, Status.AANGEMELD, expected_version)
    house = referral.case.house
    if not house.household_variant:
        raise ValidationError(str(NOT_HOUSEHOLD_VARIANT))
    if not household_criteria_met(referral.pk, house):
        raise ValidationError(
            _(
                "De aanmelding voldoet niet aan de criteria voor kwetsbare huishoudens. "
                "Zet haar door naar verrijking en triage, of verwijs door."
            )
        )
    errors = _start_pga_errors(procesregisseur, [], [])
    if errors:
        raise ValidationError(errors)
    assert procesregisseur is not None
    referral.screened_by, referral.screened_at = actor, timezone.now()
    _bump(referral, "screened_by", "screened_at")
    _start_pga(
        referral, actor=actor, procesregisseur=procesregisseur, fixed_invitees=[], incidental=[]
    )
    audit.record(
        "referral.started_without_triage",
        actor=actor,
        case_id=referral.case_id,
        obj=referral,
        data={"procesregisseur": procesregisseur.pk},
    )
    _feedback(
        referral,
        _(
            "De coördinatie van zorg voor dit huishouden is gestart (zonder integrale triage). "
            "De procesregisseur neemt contact met u op."
        ),
        subject=_("coördinatie gestart"),
    )
    return referral
