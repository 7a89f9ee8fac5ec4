"""What a processing register holds, its one validation rule and the difference between two
versions. Pure functions over `RegisterVersion.content`: no database access.

Content (English keys; Dutch labels below)::

    {
      "controller": str, "controller_contact": str, "dpo": str,
      "processings": [
        {"key": str, "name": str, "purposes": str, ..., "legal_bases": [code, ...],
         "joint_controllers": [{"id": int, "name": str}, ...], ...},
      ],
    }

A processing's `key` never changes, so two versions compare processing by processing even
after a rename. Joint controllers keep the organisation's name as it was when saved.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ketenregie.cases.grounds import LegalBasis, public_body_refusal

# The general part of the register (AVG art. 30 lid 1 a): who is responsible, how to reach
# them and the data protection officer.
GENERAL_FIELDS: dict[str, str] = {
    "controller": "Verwerkingsverantwoordelijke",
    "controller_contact": "Contactgegevens van de verwerkingsverantwoordelijke",
    "dpo": "Functionaris gegevensbescherming",
}

# One processing (art. 30 lid 1 b-g), in the order the page and the PDF show them.
TEXT_FIELDS: dict[str, str] = {
    "name": "Naam van de verwerking",
    "purposes": "Doeleinden",
    "persons": "Categorieën van betrokkenen",
    "categories": "Categorieën van persoonsgegevens",
    "special": "Bijzondere persoonsgegevens (art. 9 AVG)",
    "criminal": "Strafrechtelijke gegevens (art. 10 AVG)",
    "recipients": "Ontvangers",
    "transfers": "Doorgifte buiten de Europese Economische Ruimte",
    "retention": "Bewaartermijn",
    "legal_basis_text": "Toelichting op de grondslag",
    "exception": "Uitzondering voor bijzondere en strafrechtelijke gegevens (art. 9 en 10 AVG)",
    "arrangement": "Regeling tussen de gezamenlijk verantwoordelijken (art. 26 AVG)",
    "security": "Beveiligingsmaatregelen",
}
LIST_FIELDS: dict[str, str] = {
    "legal_bases": "Grondslag (art. 6 AVG)",
    "joint_controllers": "Gezamenlijk verwerkingsverantwoordelijken",
}
# The order of a processing's fields on the page, in the PDF and in a comparison.
PROCESSING_ORDER = (
    "name",
    "purposes",
    "persons",
    "categories",
    "special",
    "criminal",
    "recipients",
    "transfers",
    "retention",
    "legal_bases",
    "legal_basis_text",
    "exception",
    "joint_controllers",
    "arrangement",
    "security",
)
PROCESSING_LABELS: dict[str, str] = {**TEXT_FIELDS, **LIST_FIELDS}
REQUIRED = ("name", "purposes", "persons", "categories", "recipients", "transfers", "retention")
NONE_TRANSFERRED = (
    "Geen. De gegevens worden niet doorgegeven aan landen buiten de Europese Economische "
    "Ruimte of aan internationale organisaties."
)
_BASES = dict(LegalBasis.choices)


def new_key() -> str:
    """A processing's key: fixed for its life, unique within a register."""
    return secrets.token_hex(4)


def empty_processing() -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(TEXT_FIELDS, "")
    values.update({"legal_bases": [], "joint_controllers": [], "transfers": NONE_TRANSFERRED})
    return values


def find(content: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    return next((p for p in content.get("processings", []) if p.get("key") == key), None)


def _blank(value: Any) -> bool:
    return not str(value or "").strip()


def processing_errors(
    values: Mapping[str, Any], *, others: Iterable[Mapping[str, Any]], partner_ids: set[int]
) -> dict[str, list[str]]:
    """Every reason a processing cannot be saved, per field (empty: it can).

    `others` are the register's other processings (names are unique in a register);
    `partner_ids` the organisations that may be joint controllers (the house's partners).
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in REQUIRED:
        if _blank(values.get(field)):
            add(field, _("Vul dit onderdeel van het register in (AVG art. 30)."))
    name = str(values.get("name", "")).strip().casefold()
    if name and any(str(o.get("name", "")).strip().casefold() == name for o in others):
        add("name", _("Het register heeft al een verwerking met deze naam."))
    bases = list(values.get("legal_bases") or [])
    if not bases:
        add("legal_bases", _("Kies ten minste één grondslag (AVG art. 6)."))
    for code in bases:
        if code not in LegalBasis.values:
            add("legal_bases", _("Kies de grondslag uit de lijst."))
        elif refused := public_body_refusal(code):
            # A house works for public bodies (the municipalities): never legitimate interest.
            add("legal_bases", refused)
    sensitive = not _blank(values.get("special")) or not _blank(values.get("criminal"))
    if sensitive and _blank(values.get("exception")):
        add(
            "exception",
            _(
                "Bijzondere of strafrechtelijke gegevens mogen alleen worden verwerkt met een "
                "wettelijke uitzondering (AVG art. 9 lid 2, art. 10): noem die uitzondering."
            ),
        )
    if any(c.get("id") not in partner_ids for c in values.get("joint_controllers") or []):
        add(
            "joint_controllers",
            _("Alleen partnerorganisaties van het huis kunnen gezamenlijk verantwoordelijk zijn."),
        )
    if values.get("joint_controllers") and _blank(values.get("arrangement")):
        add(
            "arrangement",
            _(
                "Beschrijf de regeling tussen de gezamenlijk verantwoordelijken: wie doet wat, "
                "en waar kan de betrokkene terecht (AVG art. 26)."
            ),
        )
    return errors


def general_errors(values: Mapping[str, Any]) -> dict[str, list[str]]:
    return {
        field: [_("Vul dit onderdeel van het register in (AVG art. 30).")]
        for field in GENERAL_FIELDS
        if _blank(values.get(field))
    }


def raise_errors(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError({field: list(messages) for field, messages in errors.items()})


def show(field: str, value: Any) -> str:
    """A field's value in plain Dutch (list fields joined; codes as their labels)."""
    if field == "legal_bases":
        return "\n".join(str(_BASES.get(code, code)) for code in value or [])
    if field == "joint_controllers":
        return "\n".join(str(c.get("name", "")) for c in value or [])
    return str(value or "")


def rows(processing: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A processing as (label, text) rows for the page and the PDF."""
    return [(PROCESSING_LABELS[f], show(f, processing.get(f))) for f in PROCESSING_ORDER]


@dataclass(frozen=True)
class Change:
    section: str  # "Algemeen" or the processing's (newest) name
    field: str  # the field's label; empty for a processing added or removed as a whole
    kind: str  # "gewijzigd", "toegevoegd", "vervallen"
    before: str = ""
    after: str = ""


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Field by field what changed from `old` to `new` ("was" / "wordt")."""
    changes = [
        Change("Algemeen", label, "gewijzigd", show(f, old.get(f)), show(f, new.get(f)))
        for f, label in GENERAL_FIELDS.items()
        if old.get(f) != new.get(f)
    ]
    before = {p["key"]: p for p in old.get("processings", [])}
    after_keys = {p["key"] for p in new.get("processings", [])}
    for item in new.get("processings", []):
        was = before.get(item["key"])
        if was is None:
            changes.append(Change(item.get("name", ""), "", "toegevoegd", after=item["name"]))
            continue
        changes += [
            Change(
                item.get("name", ""),
                PROCESSING_LABELS[f],
                "gewijzigd",
                show(f, was.get(f)),
                show(f, item.get(f)),
            )
            for f in PROCESSING_ORDER
            if _comparable(f, was.get(f)) != _comparable(f, item.get(f))
        ]
    changes += [
        Change(p.get("name", ""), "", "vervallen", before=p["name"])
        for p in old.get("processings", [])
        if p["key"] not in after_keys
    ]
    return changes


def _comparable(field: str, value: Any) -> Any:
    # A joint controller is the same one when its organisation is, whatever its name then.
    if field == "joint_controllers":
        return sorted(c.get("id") for c in value or [])
    if field == "legal_bases":
        return sorted(value or [])
    return value or ""
