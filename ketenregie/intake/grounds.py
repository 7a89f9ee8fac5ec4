"""The AVG grounds for sharing a person's data with another organisation: one rule for
both roads it is shared on, a partner's bekendheidscheck answer and the escalation of a
local PGA case to a Zorg- en Veiligheidshuis.

The sharing organisation's domain decides two things: a care partner (zorg) with
beroepsgeheim shares only on a ground that breaks it, and a public body may not rely on
legitimate interest (AVG art. 6 lid 1, last paragraph).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ketenregie.accounts.models import Domain
from ketenregie.intake.models import LegalBasis, SecrecyGround, SpecialCategoryException

# Domains whose organisations are public bodies: no "legitimate interest" ground for them.
PUBLIC_DOMAINS = frozenset({Domain.VEILIGHEID, Domain.JUSTITIE, Domain.SOCIAAL})


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
        errors["legal_basis"] = _("Kies de grondslag uit de lijst.")
    elif shares and not legal_basis:
        errors["legal_basis"] = _(
            "Informatie delen mag alleen met een grondslag: kies de grondslag (AVG art. 6)."
        )
    elif legal_basis == LegalBasis.LEGITIMATE_INTEREST and domain in PUBLIC_DOMAINS:
        errors["legal_basis"] = _(
            "Gerechtvaardigd belang is geen grondslag voor overheidsorganisaties (AVG art. 6 "
            "lid 1, laatste alinea)."
        )
    if special_category not in SpecialCategoryException.values:
        errors["special_category"] = _("Kies de uitzondering uit de lijst.")
    if secrecy_ground not in SecrecyGround.values:
        errors["secrecy_ground"] = _("Kies de grond uit de lijst.")
    elif shares and domain == Domain.ZORG and not secrecy_ground:
        errors["secrecy_ground"] = _(
            "Een zorgpartner met beroepsgeheim deelt alleen met uitdrukkelijke toestemming, "
            "een wettelijke plicht of bij een conflict van plichten: kies de grond."
        )
    return errors
