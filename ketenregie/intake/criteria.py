"""Inclusion criteria: the default sets per kind of house and evaluating a ticked set."""

from __future__ import annotations

from collections.abc import Iterable

from ketenregie.accounts.models import House
from ketenregie.intake.models import CriteriaSet, Criterion

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


def _defaults(house: House) -> tuple[str, str, int, list[tuple[int, str, int]]]:
    return LOKALE_PGA if house.kind == House.Kind.LOCAL_PGA else LANDELIJK_KADER


def criteria_of(house: House) -> tuple[CriteriaSet, list[Criterion]]:
    """The house's criteria set and its criteria, without writing anything.

    A house without a set yet gets the unsaved defaults of its kind: showing the referral
    form is a GET and creates nothing. The set is stored by the first write that needs it
    (`ensure_default_criteria`). Criteria are told apart by their number, which the
    unsaved defaults have too.
    """
    existing = CriteriaSet.objects.filter(house=house).first()
    if existing is not None:
        return existing, list(existing.criteria.all())
    name, rule, min_count, items = _defaults(house)
    cset = CriteriaSet(house=house, name=name, rule=rule, min_count=min_count)
    return cset, [
        Criterion(criteria_set=cset, number=n, text=text, group=group) for n, text, group in items
    ]


def ensure_default_criteria(house: House) -> CriteriaSet:
    """Give a house the default criteria for its kind, if it has none yet."""
    existing = CriteriaSet.objects.filter(house=house).first()
    if existing is not None:
        return existing
    name, rule, min_count, items = _defaults(house)
    cset = CriteriaSet.objects.create(house=house, name=name, rule=rule, min_count=min_count)
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
