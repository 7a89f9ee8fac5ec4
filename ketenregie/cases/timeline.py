"""What later apps add to the case timeline, without the cases app importing them.

Apps built on cases (intake, plans, ...) register from their AppConfig.ready():
- entry sources: a function that yields extra entries for a case (one query at most, so
  the timeline's query count stays flat), optionally replacing the audit events that
  would otherwise show the same thing twice;
- fields: the label of a field name in audit "wijzigingen" and the labels of its stored
  choice codes, so a change reads "antwoord: niet bekend → alleen luisteren" instead of
  raw codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise, lazy

from ketenregie.core.values import show_value

if TYPE_CHECKING:
    from ketenregie.cases.models import Case


@dataclass
class TimelineEntry:
    when: dt.datetime
    title: str
    actor: str = ""
    organisation: str = ""
    detail: str = ""
    kind: str = "change"  # "change", "read", "status" or "important" (a CSS modifier)
    changes: dict[str, Any] = field(default_factory=dict)


# (case, full_access) -> extra entries; a source decides itself what a pseudonymised
# viewer may see, usually nothing.
EntrySource = Callable[["Case", bool], Iterable[TimelineEntry]]


@dataclass(frozen=True)
class _Source:
    entries: EntrySource
    replaces: frozenset[str]


@dataclass(frozen=True)
class _Field:
    label: str | Promise
    values: Mapping[str, str | Promise]


_sources: dict[str, _Source] = {}
_fields: dict[str, _Field] = {}


def register_entries(key: str, entries: EntrySource, *, replaces: Iterable[str] = ()) -> None:
    """Add a source of entries under `key` (registering a key again replaces it).

    `replaces` names audit action codes this source already shows; the timeline then
    leaves those events out.
    """
    _sources[key] = _Source(entries, frozenset(replaces))


def register_field(
    name: str, label: str | Promise, values: Mapping[str, str | Promise] | None = None
) -> None:
    """Label a field of audit "wijzigingen" and, optionally, its stored choice codes."""
    _fields[name] = _Field(label, dict(values or {}))


def extra_entries(case: Case, *, full_access: bool) -> list[TimelineEntry]:
    return [e for source in _sources.values() for e in source.entries(case, full_access)]


def replaced_actions() -> frozenset[str]:
    return frozenset().union(*(s.replaces for s in _sources.values()))


def field_label(name: str) -> str:
    known = _fields.get(name)
    return str(known.label) if known else name


def show_field_value(name: str, value: Any) -> str:
    """A stored value of field `name` as people read it (dates, ja/nee, choice labels)."""
    known = _fields.get(name)
    return show_value(value, known.values if known else None)


def _lower_now(label: Any) -> str:
    return str(label).lower()


# Stays lazy: labels are translated when the timeline renders, not at startup.
_lower = lazy(_lower_now, str)


def choice_labels(choices: Iterable[tuple[Any, Any]]) -> dict[str, str | Promise]:
    """Model choices as value labels, lower case as they read inside a sentence."""
    return {str(value): _lower(label) for value, label in choices if value != ""}
