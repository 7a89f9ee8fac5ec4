"""Inclusion criteria: the default sets per kind of house and evaluating a ticked set."""

from __future__ import annotations

from collections.abc import Iterable

from ketenregie.accounts.models import House
from ketenregie.intake.models import CriteriaSet, Criterion, ReferralCriterion

LANDELIJK_KADER = (
    "Landelijk kader complexe casuïstiek Zorg- en Veiligheidshuizen",
    CriteriaSet.Rule.ALL_OF_A_GROUP,
    1,
    [
        (
            1,
            "Er is sprake van meervoudige problematiek op meer dan één leefgebied, die leidt "
            "of naar verwachting zal leiden tot criminaliteit, overlast of verdere "
            "verloedering.",
            1,
        ),
        (
            2,
            "Ketenoverstijgende samenwerking is nodig (minimaal gedwongen en drang), omdat "
            "één keten de problematiek niet kan aanpakken.",
            1,
        ),
        (
            3,
            "De problemen beïnvloeden en worden beïnvloed door het gezinssysteem of de "
            "directe sociale omgeving.",
            1,
        ),
        (
            4,
            "Er is sprake van ernstige lokale of gebiedsgebonden veiligheidsproblematiek "
            "die een ketenoverstijgende aanpak vraagt.",
            2,
        ),
    ],
)

LOKALE_PGA = (
    "Inclusiecriteria lokale PGA (minstens 2 van 3)",
    CriteriaSet.Rule.AT_LEAST,
    2,
    [
        (
            1,
            "Veroorzaakt herhaaldelijk (ernstige) overlast, maatschappelijke onrust en/of "
            "criminaliteit, of bedreigt de eigen veiligheid of die van anderen.",
            1,
        ),
        (
            2,
            "Minstens 2 politieregistraties in de afgelopen 12 maanden voor zulk gedrag "
            "(tijd in detentie niet meegerekend).",
            1,
        ),
        (
            3,
            "Gedrag of meervoudige problematiek vraagt een integrale aanpak door twee of "
            "meer organisaties.",
            1,
        ),
    ],
)


# Seed 002 section 2.4: coordination starts when one criterion is met (the youth ones
# included); the last is the definition of a vulnerable household.
HUISHOUDEN = (
    "Criteria inzet regie kwetsbaar huishouden (minstens 1)",
    CriteriaSet.Rule.AT_LEAST,
    1,
    [
        (
            1,
            "Er is sprake van kwetsbaarheid van het huishouden: gezinsleden zijn minder "
            "zelfredzaam, er zijn zorgen op verschillende leefgebieden of de ingezette "
            "zorg heeft onvoldoende effect.",
            1,
        ),
        (2, "Er zijn twee of meer zorgaanbieders betrokken.", 1),
        (3, "Het huishouden maakt een crisis door.", 1),
        (
            4,
            "Er is sprake van (signalen van) onvoldoende basiszorg, onveiligheid en/of "
            "(huiselijk) geweld.",
            1,
        ),
        (
            5,
            "Een tweede (of meer) product(en) vanuit de Jeugdwet of Wmo wordt aan het "
            "huishouden toegevoegd.",
            1,
        ),
        (6, "Jeugd: er is structurele schooluitval.", 1),
        (7, "Jeugd: er is een gezinsvoogd betrokken bij een jeugdige of het gezin.", 1),
        (8, "Jeugd: er is sprake van een (dreigende) uithuisplaatsing.", 1),
        (9, "Jeugd: het Doorbraakteam is betrokken.", 1),
    ],
)


def _defaults(house: House) -> tuple[str, str, int, list[tuple[int, str, int]]]:
    if house.household_variant:
        return HUISHOUDEN
    return LOKALE_PGA if house.kind == House.Kind.LOCAL_PGA else LANDELIJK_KADER


def _stored(house: House) -> CriteriaSet | None:
    """The house's set for the way it works now (household variant or not)."""
    return CriteriaSet.objects.filter(house=house, household=house.household_variant).first()


def criteria_of(house: House) -> tuple[CriteriaSet, list[Criterion]]:
    """The house's criteria set and its criteria, without writing anything.

    A house without a set yet gets the unsaved defaults of its kind: showing the referral
    form is a GET and creates nothing. The set is stored by the first write that needs it
    (`ensure_default_criteria`). Criteria are told apart by their number, which the
    unsaved defaults have too.
    """
    existing = _stored(house)
    if existing is not None:
        return existing, list(existing.criteria.all())
    name, rule, min_count, items = _defaults(house)
    cset = CriteriaSet(
        house=house, household=house.household_variant, name=name, rule=rule, min_count=min_count
    )
    return cset, [
        Criterion(criteria_set=cset, number=n, text=text, group=group) for n, text, group in items
    ]


def ensure_default_criteria(house: House) -> CriteriaSet:
    """Give a house the default criteria for its kind (or for households, in the
    household variant), if it has none yet."""
    existing = _stored(house)
    if existing is not None:
        return existing
    name, rule, min_count, items = _defaults(house)
    cset, _created = CriteriaSet.objects.get_or_create(
        house=house,
        household=house.household_variant,
        defaults={"name": name, "rule": rule, "min_count": min_count},
    )
    if not _created:
        return cset
    Criterion.objects.bulk_create(
        Criterion(criteria_set=cset, number=n, text=text, group=group) for n, text, group in items
    )
    return cset


def is_met(cset: CriteriaSet, criteria: list[Criterion], ticked: Iterable[int]) -> bool:
    """Whether the ticked criterion numbers satisfy the set's rule."""
    chosen = set(ticked)
    if cset.rule == CriteriaSet.Rule.AT_LEAST:
        return len(chosen & {c.number for c in criteria}) >= cset.min_count
    groups: dict[int, set[int]] = {}
    for c in criteria:
        groups.setdefault(c.group, set()).add(c.number)
    return any(members <= chosen for members in groups.values())


def household_criteria_met(referral_id: int, house: House) -> bool:
    """Whether a referral ticked enough of its house's household criteria: the condition
    for starting coordination without the triage (seed 002 section 3.4)."""
    cset = CriteriaSet.objects.filter(house=house, household=True).first()
    if cset is None:
        return False
    ticked = ReferralCriterion.objects.filter(
        referral_id=referral_id, criterion__criteria_set=cset
    ).values_list("criterion__number", flat=True)
    return is_met(cset, list(cset.criteria.all()), ticked)
