"""Demo data of issue 15, slice consent: in the household-variant house (Venlo) one
waiting referral whose client withdrew her consent to coordination is started without
the triage *without* consent, with the reason, through the real start service: its case
page then says so and points to the meldcode (seed 002: without consent to coordination
the meldcode is followed). The other waiting referrals stay for the screener (and the
browser tests); the started household cases already have a consent to coordination
(`hh_hh`), half of them withdrawn since, which their case pages show as a warning.
"""

from __future__ import annotations

from ketenregie.accounts.models import House, User
from ketenregie.accounts.roles import Role
from ketenregie.cases.household_queries import current_coordination_consent
from ketenregie.cases.models import Case, Consent
from ketenregie.cases.workflow import Status
from ketenregie.core.mail import muted
from ketenregie.intake import services as intake_services
from ketenregie.intake.criteria import household_criteria_met
from ketenregie.intake.services.household_start import WITHOUT_CONSENT

REASON = (
    "Moeder trok haar toestemming telefonisch in uit angst voor haar ex-partner; de "
    "kinderen zijn getuige van geweld. De coördinatie start, de meldcode wordt gevolgd."
)


def seed_consent() -> dict[str, int]:
    house = House.objects.filter(household_variant=True).order_by("code").first()
    if house is None:
        return {}
    chair = User.objects.filter(
        role_assignments__role=Role.TRIAGEVOORZITTER, role_assignments__house=house
    ).first()
    regisseur = (
        User.objects.filter(
            role_assignments__role=Role.PROCESREGISSEUR,
            role_assignments__house=house,
            organisation__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    if chair is None or regisseur is None:
        return {}
    waiting = Case.objects.filter(
        house=house, status=Status.AANGEMELD, household__isnull=False, referral__isnull=False
    ).select_related("referral", "house")
    for case in waiting.order_by("pk"):
        withdrawn = Consent.objects.filter(
            case=case, subject=Consent.Subject.COORDINATIE, withdrawn_on__isnull=False
        ).exists()
        if (
            not withdrawn
            or current_coordination_consent(case) is not None
            or not household_criteria_met(case.referral.pk, house)
        ):
            continue
        with muted():
            intake_services.start_without_triage(
                case,
                actor=chair,
                expected_version=case.referral.version,
                procesregisseur=regisseur,
                consent_choice=WITHOUT_CONSENT,
                without_consent_reason=REASON,
            )
        return {"huishoudvariant: gestart zonder toestemming": 1}
    return {}
