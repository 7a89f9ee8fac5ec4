"""Starting coordination without the ZVH triage (issue 15, household variant; seed 002
section 3.4: whoever processes a referral can start coordination of care).

Allowed only in a house working in the household variant and only when the referral
meets the house's household criteria. It creates what the triage's "start PGA" creates
(status, proposed level, procesregisseur) through the same helper, so both roads give
the same case.

Seed 002 section 4: coordination runs with the client's consent; without it the meldcode
is followed. So the start rests on a consent to coordination that holds (already on the
household page, or recorded by the start itself, in the same transaction), or on an
explicit choice to start without consent, with a reason: recorded on the case
(`cases.household_services.record_coordination_start`), audited, and shown on the case
and household pages with a link to the meldcode.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.accounts.models import User
from ketenregie.audit import services as audit
from ketenregie.cases import household_services
from ketenregie.cases.household_queries import current_coordination_consent
from ketenregie.cases.models import Case, Consent
from ketenregie.cases.workflow import Status
from ketenregie.intake.criteria import household_criteria_met
from ketenregie.intake.models import Referral
from ketenregie.intake.services.common import _bump, _locked_referral
from ketenregie.intake.services.feedback import _feedback
from ketenregie.intake.services.triage import _start_pga, _start_pga_errors

# The start form's three answers to "did the client consent to coordination?".
CONSENT_RECORDED, CONSENT_NOW, WITHOUT_CONSENT = "vastgelegd", "nu", "zonder"
CONSENT_CHOICES = (
    (CONSENT_RECORDED, gettext_lazy("Ja, de toestemming is al vastgelegd")),
    (CONSENT_NOW, gettext_lazy("Ja, de klant geeft toestemming: nu vastleggen")),
    (
        WITHOUT_CONSENT,
        gettext_lazy("Nee, zonder toestemming starten: de meldcode wordt gevolgd"),
    ),
)

NOT_HOUSEHOLD_VARIANT = _(
    "Dit huis werkt niet in de huishoudvariant: de coördinatie start hier via de integrale triage."
)


def _consent_basis(
    case: Case, choice: str, new_consent: dict[str, Any] | None
) -> tuple[Consent | dict[str, Any] | None, dict[str, Any]]:
    """What the start rests on: the consent that holds, the values of one to record now,
    or None (without consent); with the errors of the consent part, keyed by field."""
    if choice == CONSENT_RECORDED:
        held = current_coordination_consent(case)
        if held is None:
            return None, {"consent_choice": str(household_services.NO_CURRENT_CONSENT)}
        return held, {}
    if choice == CONSENT_NOW:
        values = {
            "subject": Consent.Subject.COORDINATIE,
            "partners": "",
            "given_by_member": None,
            "given_by_representative": "",
            "given_on": None,
            "form": "",
            "note": "",
            **(new_consent or {}),
        }
        errors: dict[str, Any] = household_services.consent_errors(case, values)
        if values["given_on"] is None:
            errors["given_on"] = _("Vul in wanneer de klant toestemming gaf.")
        if values["form"] not in Consent.Form.values:
            errors["form"] = _("Kies hoe de klant toestemming gaf.")
        return (None, errors) if errors else (values, {})
    if choice == WITHOUT_CONSENT:
        return None, {}
    return None, {"consent_choice": _("Geef aan of de klant toestemming gaf voor coördinatie.")}


@transaction.atomic
def start_without_triage(
    case: Case,
    *,
    actor: User,
    expected_version: int,
    procesregisseur: User | None,
    consent_choice: str,
    new_consent: dict[str, Any] | None = None,
    without_consent_reason: str = "",
) -> Referral:
    """The screener starts coordination directly: the case goes from AANGEMELD to
    PGA_GESTART with its procesregisseur, audited, and the referrer is told.

    `consent_choice` (CONSENT_CHOICES): on an existing consent to coordination, on one
    recorded now from `new_consent` (who, when, how), or without consent, which needs
    `without_consent_reason`."""
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
    errors = dict(_start_pga_errors(procesregisseur, [], []))
    basis, consent_errors = _consent_basis(case, consent_choice, new_consent)
    errors.update(consent_errors)
    if consent_choice == WITHOUT_CONSENT and not without_consent_reason.strip():
        errors["without_consent_reason"] = str(household_services.REASON_REQUIRED)
    if errors:
        raise ValidationError(errors)
    assert procesregisseur is not None
    consent = (
        household_services.record_consent(case, actor=actor, values=basis)
        if isinstance(basis, dict)
        else basis
    )
    household_services.record_coordination_start(
        case, actor=actor, consent=consent, reason=without_consent_reason
    )
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
        data={"procesregisseur": procesregisseur.pk, "toestemming": consent_choice},
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
