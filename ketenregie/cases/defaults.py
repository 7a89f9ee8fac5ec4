"""Default configuration data: the life domains of the Zelfredzaamheid-Matrix (ZRM 2017)."""

from __future__ import annotations

ZRM_DOMAINS = [
    "Financiën",
    "Werk & opleiding",
    "Tijdsbesteding",
    "Huisvesting",
    "Huiselijke relaties",
    "Geestelijke gezondheid",
    "Lichamelijke gezondheid",
    "Middelengebruik",
    "Basale ADL",
    "Instrumentele ADL",
    "Sociaal netwerk",
    "Maatschappelijke participatie",
    "Justitie",
]


def ensure_life_domains(model: type | None = None) -> None:
    """Create the default life domains that are missing (migration and demo loader)."""
    if model is None:
        from ketenregie.cases.models import LifeDomain

        model = LifeDomain
    for order, name in enumerate(ZRM_DOMAINS, start=1):
        model.objects.get_or_create(name=name, defaults={"order": order})  # type: ignore[attr-defined]
