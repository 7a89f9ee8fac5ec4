"""The PGA-scan's fixed texts and its statements in the seed's order.

The statements themselves are configuration data (reports.models.ScanStatement, seeded by
the app's first migration and edited by the functioneel beheerder); what is fixed is the
scan's attribution, the note that it is still in development and its instruction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from ketenregie.core.timeutil import today
from ketenregie.reports.models import PART_ORDER, ScanPart, ScanRound, ScanStatement

# From the Startbaan publication (seed 004), shown with every round and in the PDF.
ATTRIBUTION = _(
    "De PGA-scan is ontwikkeld in het onderzoek ‘Startbaan’ (2018-2020) van het lectoraat "
    "Kennisanalyse Sociale Veiligheid van Hogeschool Utrecht, met de gemeenten Hilversum, "
    "Veenendaal, Wijk bij Duurstede en Zeist. De stellingen zijn ingedeeld naar het AMO-model: "
    "kunnen (kennis, bekwaamheden en vaardigheden), willen (motivatie) en mogen (door de "
    "organisatie in staat gesteld worden)."
)
IN_DEVELOPMENT = _(
    "De PGA-scan is gebaseerd op de resultaten uit het Startbaan-onderzoek. De PGA-scan is in "
    "ontwikkeling en de werkzaamheid ervan is nog niet onderzocht. Gemeenten die de PGA-scan "
    "willen gebruiken wordt geadviseerd contact op te nemen met de onderzoekers via "
    "startbaan@hu.nl."
)
INSTRUCTION = _(
    "Vul de stellingen in met betrekking tot de integrale samenwerking. De stellingen zijn "
    "subjectief van aard: het gaat over uw eigen beleving. Iedere samenwerkingspartner vult "
    "de scan eerst individueel in; daarna worden de uitkomsten per organisatie vergeleken. "
    "De uitkomsten tonen organisaties, nooit personen."
)
CASUSOVERLEG_NOTE = _(
    "* Onder een ‘casusoverleg’ worden alle overlegvormen verstaan waarin een casus besproken "
    "wordt. Dit kan zowel op inhoudelijk als op procesniveau zijn."
)
PART_HEADINGS = {
    ScanPart.KUNNEN: _("Vragen met betrekking tot kennen/kunnen"),
    ScanPart.WILLEN: _("Vragen met betrekking tot willen"),
    ScanPart.MOGEN: _("Vragen met betrekking tot mogen"),
}


def in_order(statements: Iterable[ScanStatement]) -> list[ScanStatement]:
    """Kunnen, willen, mogen, each by position (the seed's order; not alphabetical)."""
    return sorted(statements, key=lambda s: (PART_ORDER[s.part], s.position))


def active_statements() -> list[ScanStatement]:
    return in_order(ScanStatement.objects.filter(is_active=True))


def by_part(statements: Iterable[ScanStatement]) -> list[tuple[str, str, list[ScanStatement]]]:
    """(part, heading, statements) for each part that has statements, in order."""
    groups: dict[str, list[ScanStatement]] = {}
    for statement in in_order(statements):
        groups.setdefault(statement.part, []).append(statement)
    return [(part, str(PART_HEADINGS[ScanPart(part)]), rows) for part, rows in groups.items()]


def is_open(scan_round: ScanRound) -> bool:
    """Open for answers: not closed early and its closing date not yet passed."""
    return scan_round.closed_at is None and scan_round.closes_on >= today()
