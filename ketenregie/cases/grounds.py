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

from dataclasses import dataclass, fields
from typing import Any

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
    public_body: bool = False,
) -> dict[str, str]:
    """Every reason the organisation of `domain` may not share, per form field.

    `shares` is whether content is shared at all (a bekendheidscheck answer without a
    summary shares nothing, so needs no ground). `public_body`: the sharing party is a
    public body whatever its domain (a house, fixing the basis of its own exchanges).
    """
    errors: dict[str, str] = {}
    if legal_basis and legal_basis not in LegalBasis.values:
        errors["legal_basis"] = gettext("Kies de grondslag uit de lijst.")
    elif shares and not legal_basis:
        errors["legal_basis"] = gettext(
            "Informatie delen mag alleen met een grondslag: kies de grondslag (AVG art. 6)."
        )
    elif (public_body or domain in PUBLIC_DOMAINS) and (
        refused := public_body_refusal(legal_basis)
    ):
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


@dataclass(frozen=True)
class Necessity:
    """The necessity checks of the data-sharing checklist (seed 004): proportionality
    (only the data needed), subsidiarity (no less intrusive way) and transparency (the
    person was informed, or why not). Asked wherever a person chooses to share, stated
    once by the house for the kinds whose basis it fixes."""

    proportional: bool | None = None
    proportionality_note: str = ""
    subsidiary: bool | None = None
    subsidiarity_note: str = ""
    person_informed: bool | None = None
    not_informed_reason: str = ""

    def errors(self) -> dict[str, str]:
        """Every check not answered, per form field (the field names of `SharingGrounds`)."""
        errors: dict[str, str] = {}
        checks = (
            (
                "proportional",
                "proportionality_note",
                self.proportional,
                self.proportionality_note,
                gettext(
                    "Bevestig dat u alleen de gegevens deelt die voor dit doel nodig zijn "
                    "(proportionaliteit)."
                ),
                gettext("Licht kort toe waarom deze gegevens nodig zijn."),
            ),
            (
                "subsidiary",
                "subsidiarity_note",
                self.subsidiary,
                self.subsidiarity_note,
                gettext(
                    "Bevestig dat het doel niet op een minder ingrijpende manier te bereiken "
                    "is (subsidiariteit)."
                ),
                gettext("Licht kort toe waarom een minder ingrijpende weg niet volstaat."),
            ),
        )
        for name, note_name, confirmed, note, unconfirmed, unexplained in checks:
            if not confirmed:
                errors[name] = unconfirmed
            elif not note.strip():
                errors[note_name] = unexplained
        if self.person_informed is None:
            errors["person_informed"] = gettext("Geef aan of de betrokkene is geïnformeerd.")
        elif not self.person_informed and not self.not_informed_reason.strip():
            errors["not_informed_reason"] = gettext(
                "Geef aan waarom de betrokkene niet is geïnformeerd."
            )
        return errors

    def values(self) -> dict[str, Any]:
        """The checks as `SharingGrounds` field values (notes trimmed)."""
        return {
            "proportional": self.proportional,
            "proportionality_note": self.proportionality_note.strip(),
            "subsidiary": self.subsidiary,
            "subsidiarity_note": self.subsidiarity_note.strip(),
            "person_informed": self.person_informed,
            "not_informed_reason": "" if self.person_informed else self.not_informed_reason.strip(),
        }

    @classmethod
    def of(cls, record: Any) -> Necessity:
        """The checks stored on a `SharingGrounds` row."""
        return cls(**{f.name: getattr(record, f.name) for f in fields(cls)})
