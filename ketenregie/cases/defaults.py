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


# (direction, from level, text): condensed from the escalation map of seed 002, section 5.
ESCALATION_CRITERIA = [
    (
        "op",
        1,
        "De draagkracht is uit balans, de zelfredzaamheid is beperkt of afwezig en de "
        "basiszorg is ontoereikend: meer of andere hulp is nodig.",
    ),
    (
        "op",
        1,
        "De problematiek stagneert communicatie, uitvoering of monitoring van het plan: "
        "een gespecialiseerde regisseur is nodig.",
    ),
    ("op", 2, "Er zijn signalen van onveiligheid of er is een onveilige situatie."),
    ("op", 2, "Samenwerking over ketens heen is nodig om de veiligheid te herstellen."),
    (
        "op",
        3,
        "De complexiteit neemt toe en de situatie verergert, met signalen van "
        "onveiligheid; ketenoverstijgende samenwerking is nodig.",
    ),
    (
        "op",
        3,
        "De problematiek stagneert de uitvoering zodanig dat een regisseur "
        "gespecialiseerd in de problematiek nodig is.",
    ),
    ("op", 4, "Er is maatschappelijke onrust; de burgemeester is verantwoordelijk."),
    (
        "af",
        2,
        "De draagkracht is in balans, de zelfredzaamheid is voldoende, de situatie is "
        "veilig en er is geen ketenoverstijgende samenwerking nodig.",
    ),
    (
        "af",
        3,
        "De situatie is veilig en de ingezette zorg kan worden afgebouwd; er is geen "
        "ketenoverstijgende samenwerking meer nodig om de veiligheid te herstellen.",
    ),
    (
        "af",
        4,
        "De zelfredzaamheid is hersteld en de veiligheid is met afspraken geborgd; "
        "procesregie door de PGA-expert is niet langer nodig.",
    ),
    (
        "af",
        5,
        "De maatschappelijke onrust is voorbij; sturing door de burgemeester is niet langer nodig.",
    ),
]


def ensure_escalation_criteria(model: type | None = None) -> None:
    """Create the default escalation criteria when none exist yet."""
    if model is None:
        from ketenregie.cases.models import EscalationCriterion

        model = EscalationCriterion
    if model.objects.exists():  # type: ignore[attr-defined]
        return
    for order, (direction, level, text) in enumerate(ESCALATION_CRITERIA):
        model.objects.create(  # type: ignore[attr-defined]
            direction=direction, from_level=level, text=text, order=order
        )
