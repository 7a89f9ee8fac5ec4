"""The demo's social map: finer needs under the life domains and, per region, the
interventions and places that meet them (ADR 24); and which need a demo goal addresses.

Providers are invented descriptions, not statements about real organisations. The map
is made so the needs matrix shows what the seed wants the bestuur to see: too few
housing places in Zuid-Limburg, no addiction care in the Venlo region.
"""

from __future__ import annotations

import random

from ketenregie.accounts.models import Region
from ketenregie.plans.models import Intervention, Need
from ketenregie.plans.socialmap import ensure_domain_needs

# (life domain, finer need)
FINER_NEEDS = [
    ("Huisvesting", "woonplek"),
    ("Huisvesting", "woonbegeleiding"),
    ("Financiën", "schuldhulp"),
    ("Financiën", "inkomen op orde"),
    ("Tijdsbesteding", "dagbesteding"),
    ("Werk & opleiding", "werk of opleiding"),
    ("Middelengebruik", "verslavingszorg"),
    ("Geestelijke gezondheid", "behandeling"),
    ("Huiselijke relaties", "veiligheid in het gezin"),
]

# The need each demo goal (texts.GOALS, by its opening words) addresses.
GOAL_NEEDS = {
    "Betrokkene heeft een stabiel inkomen": ("Financiën", "schuldhulp"),
    "Er is geen overlast meer": ("Huisvesting", "woonbegeleiding"),
    "Betrokkene is in behandeling bij de GGZ": ("Geestelijke gezondheid", "behandeling"),
    "Het is thuis veilig": ("Huiselijke relaties", "veiligheid in het gezin"),
    "Betrokkene heeft dagbesteding of werk": ("Tijdsbesteding", "dagbesteding"),
    "Betrokkene heeft een eigen, vaste woonplek": ("Huisvesting", "woonplek"),
    "Betrokkene gebruikt minder": ("Middelengebruik", "verslavingszorg"),
}

# Extra goals some demo plans get, for needs the common goals (texts.GOALS) leave out.
EXTRA_GOALS = [
    (
        "Betrokkene heeft een eigen, vaste woonplek.",
        "Zes maanden op hetzelfde adres, huur op tijd betaald.",
    ),
    (
        "Betrokkene gebruikt minder en is in zorg bij de verslavingszorg.",
        "Drie maanden vaste afspraken bij de verslavingszorg nagekomen.",
    ),
]

type Need_ = tuple[str, str]

# region: (name, provider, municipality or "", needs met, capacity, waiting weeks)
SOCIAL_MAP: dict[str, list[tuple[str, str, str, list[Need_], int, int]]] = {
    "Zuid-Limburg": [
        (
            "Beschermd wonen",
            "Stichting Onderdak Zuid (fictief)",
            "",
            [("Huisvesting", "woonplek"), ("Geestelijke gezondheid", "behandeling")],
            4,
            30,
        ),
        (
            "Skaeve huse (prikkelarm wonen)",
            "Woonstichting Heuvelland Thuis (fictief)",
            "Heerlen",
            [("Huisvesting", "woonplek")],
            2,
            40,
        ),
        (
            "Ambulante woonbegeleiding",
            "Zorggroep De Brug (fictief)",
            "",
            [("Huisvesting", "woonbegeleiding")],
            40,
            3,
        ),
        (
            "Schuldhulpverlening",
            "Gemeentelijke Kredietbank Zuid (fictief)",
            "",
            [("Financiën", "schuldhulp"), ("Financiën", "inkomen op orde")],
            60,
            6,
        ),
        (
            "Budgetbeheer en bewindvoering",
            "Bureau Budgetkracht (fictief)",
            "",
            [("Financiën", "inkomen op orde"), ("Financiën", "schuldhulp")],
            30,
            2,
        ),
        (
            "Dagbesteding De Werkplaats",
            "Stichting Dagwerk Parkstad (fictief)",
            "Kerkrade",
            [("Tijdsbesteding", "dagbesteding")],
            25,
            4,
        ),
        (
            "Arbeidstoeleiding",
            "Werkbedrijf Zuid (fictief)",
            "",
            [("Werk & opleiding", "werk of opleiding"), ("Tijdsbesteding", "dagbesteding")],
            20,
            10,
        ),
        (
            "Verslavingszorg ambulant",
            "Stichting Helder Verder (fictief)",
            "",
            [("Middelengebruik", "verslavingszorg")],
            15,
            9,
        ),
        (
            "FACT-team (ambulante GGZ)",
            "GGZ Mergelland (fictief)",
            "",
            [("Geestelijke gezondheid", "behandeling")],
            12,
            10,
        ),
        (
            "Systeemgerichte gezinsbegeleiding",
            "Stichting Samen Thuis (fictief)",
            "",
            [("Huiselijke relaties", "veiligheid in het gezin")],
            20,
            5,
        ),
    ],
    "Noord-Limburg": [
        (
            "Maatschappelijke opvang",
            "Stichting Dak Noord (fictief)",
            "Venlo",
            [("Huisvesting", "woonplek")],
            8,
            12,
        ),
        (
            "Woonbegeleiding",
            "Zorggroep Maasland (fictief)",
            "",
            [("Huisvesting", "woonbegeleiding")],
            15,
            4,
        ),
        (
            "Schuldhulpverlening",
            "Kredietbank Noord (fictief)",
            "Venlo",
            [("Financiën", "schuldhulp")],
            25,
            5,
        ),
        (
            "Dagbesteding Het Atelier",
            "Stichting Maasdag (fictief)",
            "Venlo",
            [("Tijdsbesteding", "dagbesteding")],
            10,
            3,
        ),
        (
            "GGZ-behandeling",
            "GGZ Peel en Maas (fictief)",
            "",
            [("Geestelijke gezondheid", "behandeling")],
            10,
            14,
        ),
        (
            "Gezinscoaching",
            "Wijkteam Venlo-Zuid (fictief)",
            "Venlo",
            [("Huiselijke relaties", "veiligheid in het gezin")],
            10,
            2,
        ),
    ],
}


def _needs() -> dict[Need_, Need]:
    return {(n.domain.name, n.name): n for n in Need.objects.select_related("domain")}


def load_social_map() -> int:
    """The finer needs and every region's interventions (reference data); how many
    interventions were made."""
    from ketenregie.cases.models import LifeDomain

    ensure_domain_needs()
    domains = {d.name: d for d in LifeDomain.objects.all()}
    for order, (domain, name) in enumerate(FINER_NEEDS, start=1):
        Need.objects.get_or_create(domain=domains[domain], name=name, defaults={"order": order})
    needs = _needs()
    made = 0
    for region in Region.objects.filter(name__in=SOCIAL_MAP):
        for name, provider, town, met, capacity, wait in SOCIAL_MAP[region.name]:
            intervention = Intervention.objects.create(
                name=name,
                provider=provider,
                region=region,
                municipality=town,
                capacity=capacity,
                waiting_weeks=wait,
            )
            intervention.needs.set([needs[key] for key in met])
            made += 1
    return made


class Tagger:
    """Which need a demo goal addresses and, often, the intervention used for it.

    Its own random stream: the tags do not shift the rest of the demo's story.
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.needs = _needs()
        self.supply: dict[tuple[int, int], list[Intervention]] = {}
        for intervention in Intervention.objects.prefetch_related("needs"):
            for need in intervention.needs.all():
                self.supply.setdefault((intervention.region_id, need.pk), []).append(intervention)

    def need_for(self, goal_text: str) -> Need | None:
        key = next((v for k, v in GOAL_NEEDS.items() if goal_text.startswith(k)), None)
        return self.needs.get(key) if key else None

    def intervention_for(self, need: Need | None, region_id: int) -> Intervention | None:
        """Two in three goals have their intervention in place; the rest wait or have
        none (no supply in the region)."""
        options = self.supply.get((region_id, need.pk), []) if need else []
        if not options or self.rng.random() < 1 / 3:
            return None
        return self.rng.choice(options)

    def extra_goals(self) -> list[tuple[str, str]]:
        """Housing for about half the plans, addiction care for a third."""
        housing, addiction = EXTRA_GOALS
        chosen = [housing] if self.rng.random() < 0.5 else []
        return chosen + ([addiction] if self.rng.random() < 0.35 else [])
