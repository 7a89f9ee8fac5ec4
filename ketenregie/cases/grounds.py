"""The AVG grounds for sharing a person's data with another party, and the one rule that
checks them: used by every exchange (a partner's bekendheidscheck answer, the escalation
of a local PGA case to a Zorg- en Veiligheidshuis, the house's fixed basis per exchange
kind) and recorded in the data-sharing register (`cases.sharing`).

It sits in the cases layer so that intake, pga, plans and privacy all reach it.

The sharing organisation's domain decides two things: a care partner (zorg) with
beroepsgeheim shares only on a ground that breaks it, and a public body may not rely on
legitimate interest (AVG art. 6 lid 1, last paragraph).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import Domain

# Domains whose organisations are public bodies: no "legitimate interest" ground for them.
PUBLIC_DOMAINS = frozenset({Domain.VEILIGHEID, Domain.JUSTITIE, Domain.SOCIAAL})


class LegalBasis(models.TextChoices):
    """AVG article 6 grounds (legitimate interest is not for public bodies)."""

    CONSENT = "toestemming", _("Toestemming (art. 6 lid 1a)")
    CONTRACT = "overeenkomst", _("Overeenkomst (art. 6 lid 1b)")
    LEGAL_OBLIGATION = "wettelijke_plicht", _("Wettelijke verplichting (art. 6 lid 1c)")
    VITAL_INTEREST = "vitaal_belang", _("Vitaal belang (art. 6 lid 1d)")
    PUBLIC_TASK = (
        "publieke_taak",
        _("Taak van algemeen belang / openbaar gezag (art. 6 lid 1e)"),
    )
    LEGITIMATE_INTEREST = (
        "gerechtvaardigd_belang",
        _("Gerechtvaardigd belang (art. 6 lid 1f)"),
    )


class SpecialCategoryException(models.TextChoices):
    NONE = "", _("Geen bijzondere of strafrechtelijke gegevens")
    EXPLICIT_CONSENT = (
        "uitdrukkelijke_toestemming",
        _("Uitdrukkelijke toestemming (art. 9 lid 2a)"),
    )
    VITAL_INTEREST = "vitaal_belang", _("Vitaal belang (art. 9 lid 2c)")
    SUBSTANTIAL_PUBLIC_INTEREST = (
        "zwaarwegend_algemeen_belang",
        _("Zwaarwegend algemeen belang, wettelijke grondslag (art. 9 lid 2g, WGS)"),
    )
    HEALTH_CARE = "zorg", _("Gezondheidszorg (art. 9 lid 2h)")
    CRIMINAL_DATA_LAW = (
        "strafrechtelijk_wet",
        _("Strafrechtelijke gegevens bij wet (art. 10, UAVG)"),
    )


class SecrecyGround(models.TextChoices):
    NOT_APPLICABLE = "", _("Geen beroepsgeheim van toepassing")
    EXPLICIT_CONSENT = "toestemming", _("Uitdrukkelijke toestemming van betrokkene")
    LEGAL_DUTY = "wettelijke_plicht", _("Wettelijke plicht of meldrecht")
    CONFLICT_OF_DUTIES = "conflict_van_plichten", _("Conflict van plichten")


def public_body_refusal(legal_basis: str) -> str:
    """Why a public body may not rely on `legal_basis` (empty when it may): legitimate
    interest is not for public bodies (AVG art. 6 lid 1, last paragraph). Used for a
    sharing public organisation and for a house's own processing (the processing
    register): a house is always a public body."""
    if legal_basis == LegalBasis.LEGITIMATE_INTEREST:
        return gettext(
            "Gerechtvaardigd belang is geen grondslag voor overheidsorganisaties (AVG art. 6 "
            "lid 1, laatste alinea)."
        )
    return ""


def sharing_errors(
    *,
    domain: str,
    shares: bool,
    legal_basis: str,
    special_category: str,
    secrecy_ground: str,
) -> dict[str, str]:
    """Every reason the organisation of `domain` may not share, per form field.

    `shares` is whether content is shared at all (a bekendheidscheck answer without a
    summary shares nothing, so needs no ground).
    """
    errors: dict[str, str] = {}
    if legal_basis and legal_basis not in LegalBasis.values:
        errors["legal_basis"] = gettext("Kies de grondslag uit de lijst.")
    elif shares and not legal_basis:
        errors["legal_basis"] = gettext(
            "Informatie delen mag alleen met een grondslag: kies de grondslag (AVG art. 6)."
        )
    elif domain in PUBLIC_DOMAINS and (refused := public_body_refusal(legal_basis)):
        errors["legal_basis"] = refused
    if special_category not in SpecialCategoryException.values:
        errors["special_category"] = gettext("Kies de uitzondering uit de lijst.")
    if secrecy_ground not in SecrecyGround.values:
        errors["secrecy_ground"] = gettext("Kies de grond uit de lijst.")
    elif shares and domain == Domain.ZORG and not secrecy_ground:
        errors["secrecy_ground"] = gettext(
            "Een zorgpartner met beroepsgeheim deelt alleen met uitdrukkelijke toestemming, "
            "een wettelijke plicht of bij een conflict van plichten: kies de grond."
        )
    return errors
