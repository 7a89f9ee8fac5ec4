"""The data-sharing register as the privacy officer reads it: the table's columns and
the CSV export (the rows come from `cases.sharing.register_rows`)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from ketenregie.cases.grounds import LegalBasis, SecrecyGround, SpecialCategoryException
from ketenregie.cases.models import ExchangeKind, SharingRecord

HEADER = [
    "moment",
    "soort",
    "casus",
    "huis",
    "door",
    "van",
    "aan",
    "ontvangers",
    "categorieen",
    "doel",
    "grondslag",
    "uitzondering art. 9/10",
    "grond beroepsgeheim",
    "herkomst grondslag",
    "wettelijke bepaling",
    "proportioneel",
    "toelichting proportionaliteit",
    "subsidiair",
    "toelichting subsidiariteit",
    "betrokkene geinformeerd",
    "reden niet geinformeerd",
]

_KINDS = dict(ExchangeKind.choices)
_BASES = dict(LegalBasis.choices)
_EXCEPTIONS = dict(SpecialCategoryException.choices)
_SECRECY = dict(SecrecyGround.choices)
_SOURCES = dict(SharingRecord.Source.choices)


def categories(row: SharingRecord) -> list[str]:
    """The row's data categories in plain words."""
    names = [
        (row.identifying, "identificerend"),
        (row.special_categories, "bijzonder (art. 9)"),
        (row.criminal_data, "strafrechtelijk (art. 10)"),
        (row.secrecy_bound, "beroepsgeheim"),
    ]
    return [name for flag, name in names if flag]


def yes_no(value: bool | None) -> str:
    """A necessity check's answer: ja, nee, or onbekend (not asked for this row)."""
    return "onbekend" if value is None else ("ja" if value else "nee")


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or
    carriage return) is a formula to Excel, so it gets a leading apostrophe."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_record(row: SharingRecord) -> list[str]:
    local = timezone.localtime(row.occurred_at)
    values = [
        local.strftime("%Y-%m-%d %H:%M:%S"),
        _KINDS.get(row.kind, row.kind),
        row.case_code,
        row.house.name,
        row.actor_label,
        row.from_label,
        row.to_label,
        row.recipients,
        ", ".join(categories(row)),
        row.purpose,
        _BASES.get(row.legal_basis, row.legal_basis),
        _EXCEPTIONS.get(row.special_category, row.special_category) if row.special_category else "",
        _SECRECY.get(row.secrecy_ground, row.secrecy_ground) if row.secrecy_ground else "",
        _SOURCES.get(row.basis_source, row.basis_source),
        row.legal_reference,
        yes_no(row.proportional),
        row.proportionality_note,
        yes_no(row.subsidiary),
        row.subsidiarity_note,
        yes_no(row.person_informed),
        row.not_informed_reason,
    ]
    return [_cell(v) for v in values]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[SharingRecord]) -> Iterator[str]:
    """The register as CSV lines (semicolons, as Dutch spreadsheets expect; a BOM first so
    they read UTF-8), streamed: a national register does not fit in one response body."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(HEADER)
    for row in rows:
        yield writer.writerow(csv_record(row))
