"""What later apps add to the case timeline, without the cases app importing them.

Apps built on cases (intake, plans, ...) register from their AppConfig.ready():
- entry sources: a function that yields extra entries for a case (one query at most, so
  the timeline's query count stays flat), optionally replacing the audit events that
  would otherwise show the same thing twice;
- fields: the label of a field name in audit "wijzigingen" and the labels of its stored
  choice codes, so a change reads "antwoord: niet bekend → alleen luisteren" instead of
  raw codes;
- steps: audit codes whose many events make one step of the work (the bekendheidscheck's
  answers, the team put together at the triage), shown as one entry with a summary
  ("Bekendheidscheck: 4 van 4 partners geantwoord") and the events folded under it;
- phases: audit codes that belong to a workflow phase whatever the case's status was
  when they were written (the triage outcome is written just after the case moved on to
  "PGA gestart", yet it is the end of the triage). Other events belong to the phase of
  the status the case had at the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.utils import timezone
from django.utils.functional import Promise, lazy

from ketenregie.cases.workflow import Phase
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
    kind: str = "change"  # "change", "read", "status", "important" or "group" (CSS modifier)
    changes: dict[str, Any] = field(default_factory=dict)
    # The audit event behind the entry (empty for status changes and registered sources):
    # what steps group and summarise by.
    code: str = ""
    object_id: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    phase: Phase | None = None
    # A step's events, newest first (kind "group").
    children: list[TimelineEntry] = field(default_factory=list)


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


type Per = Literal["day", "object", "case"]

# A step's summary of its events (newest first), e.g. "Bekendheidscheck: 4 van 4 ...".
StepTitle = Callable[[list[TimelineEntry]], str]


@dataclass(frozen=True)
class Step:
    key: str
    codes: frozenset[str]
    title: StepTitle
    # Events of one step instance: one per day (the team put together at the triage, a
    # day's work on the plan), per object the events are filed under (the invitations
    # and replies of one meeting), or all of the case's (the bekendheidscheck is asked
    # once and answered over days).
    per: Per = "day"
    # Also a single event is shown as the step ("0 van 4 partners geantwoord" informs).
    always: bool = False


_sources: dict[str, _Source] = {}
_fields: dict[str, _Field] = {}
_steps: dict[str, Step] = {}
_phases: dict[str, Phase] = {}


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


def register_step(
    key: str,
    codes: Iterable[str],
    title: StepTitle,
    *,
    per: Per = "day",
    always: bool = False,
) -> None:
    """Show the events of `codes` as one step with the summary `title` (a code belongs to
    one step: registering it again moves it)."""
    step = Step(key, frozenset(codes), title, per=per, always=always)
    for other in list(_steps.values()):
        if other.key != key and other.codes & step.codes:
            _steps[other.key] = Step(
                other.key, other.codes - step.codes, other.title, other.per, other.always
            )
    _steps[key] = step


def register_phase(phase: Phase, codes: Iterable[str]) -> None:
    """Audit codes that belong to `phase`, whatever the case's status was at the time."""
    for code in codes:
        _phases[code] = phase


def fixed_phases() -> Mapping[str, Phase]:
    return dict(_phases)


def step_of(code: str) -> Step | None:
    return next((s for s in _steps.values() if code in s.codes), None)


def grouped(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Entries (newest first) with each step's events folded into one entry, placed where
    its newest event was."""
    out: list[TimelineEntry] = []
    # Per step instance: the step, its entry and where it stands in `out`.
    groups: dict[tuple[str, object], tuple[Step, TimelineEntry, int]] = {}
    for entry in entries:
        step = step_of(entry.code) if entry.code else None
        if step is None:
            out.append(entry)
            continue
        key = (step.key, _instance(step, entry))
        if key not in groups:
            group = TimelineEntry(when=entry.when, title="", kind="group", phase=entry.phase)
            groups[key] = (step, group, len(out))
            out.append(group)
        groups[key][1].children.append(entry)
    for step, group, position in groups.values():
        children = group.children
        if len(children) == 1 and not step.always:
            out[position] = children[0]
            continue
        group.title = step.title(children)
        actors = {c.actor for c in children}
        group.actor = actors.pop() if len(actors) == 1 else ""
        if all(c.kind == "read" for c in children):
            group.kind = "read"
    return out


def _instance(step: Step, entry: TimelineEntry) -> object:
    if step.per == "case":
        return None
    if step.per == "object" and entry.object_id:
        return entry.object_id
    return timezone.localdate(entry.when)


def counted(entries: list[TimelineEntry]) -> str:
    """The entries' titles with how often each occurs, most frequent first, then in the
    order they happened: "Doel toegevoegd (3×), Actie toegevoegd"."""
    counts: dict[str, int] = {}
    for e in reversed(entries):
        counts[e.title] = counts.get(e.title, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: -item[1])
    return ", ".join(f"{title} ({n}×)" if n > 1 else title for title, n in ordered)


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
