"""The case timeline reads the audit vocabulary: Dutch labels, reads only on request, and
advisers see the team's comings and goings only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ketenregie.audit import services as audit
from ketenregie.audit import vocabulary
from ketenregie.cases import timeline as registry
from ketenregie.cases.queries import team_history, timeline

pytestmark = pytest.mark.django_db

READS = (
    "case.viewed",
    "person.viewed",
    "referral.viewed",
    "enrichment.viewed",
    "intake.duplicates_viewed",
    "plan.viewed",
    "plan.pdf_downloaded",
    "referral.attachment_downloaded",
)
CHANGES = ("referral.submitted", "triage.outcome", "pga.letter_downloaded", "plan.adopted")


def _record_all(case: Any, actor: Any) -> None:
    for code in READS + CHANGES:
        audit.record(code, actor=actor, case_id=case.pk)


def _flat(entries: list[registry.TimelineEntry]) -> list[registry.TimelineEntry]:
    """The entries with each step's events in place of the step (grouping is tested apart)."""
    return [c for e in entries for c in (e.children or [e])]


def _titles(entries: list[registry.TimelineEntry]) -> set[str]:
    return {e.title for e in _flat(entries)}


def test_show_reads_off_hides_every_read_and_labels_are_dutch(
    case_with_team: dict[str, Any],
) -> None:
    case = case_with_team["case"]
    _record_all(case, case_with_team["regisseur"])
    without = timeline(case, full_access=True, include_reads=False)
    assert {vocabulary.label(c) for c in CHANGES} <= _titles(without)
    assert "Uitkomst integrale triage vastgelegd" in _titles(without)
    assert not {vocabulary.label(c) for c in READS} & _titles(without)
    assert all(e.kind != "read" for e in without)

    with_reads = timeline(case, full_access=True, include_reads=True)
    reads = [e for e in _flat(with_reads) if e.kind == "read"]
    assert {e.title for e in reads} == {vocabulary.label(c) for c in READS}
    # No entry shows a raw code.
    assert not any(e.title in vocabulary.ACTIONS for e in _flat(with_reads))


def test_adviser_timeline_shows_only_adviser_codes(case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    regisseur = case_with_team["regisseur"]
    _record_all(case, regisseur)
    audit.record("team.member_added", actor=regisseur, case_id=case.pk)
    audit.record("case.created", actor=regisseur, case_id=case.pk)
    entries = _flat(timeline(case, full_access=False, include_reads=True))
    audit_titles = {e.title for e in entries if e.kind != "status"}
    assert audit_titles == {"Teamlid toegevoegd", "Casus aangemaakt"}
    assert all(not e.changes and not e.detail for e in entries)


def test_stored_codes_in_changes_show_their_labels(case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    actor = case_with_team["regisseur"]
    changes = {
        "antwoord": {"voor": "niet_bekend", "na": "alleen_luisteren"},
        "stand": {"voor": "open", "na": "niet_uitvoerbaar"},
        "bereikt": {"voor": "nog_niet", "na": "ja"},
        "valid_to": {"voor": None, "na": "2026-03-01"},
        "role": {"voor": "adviseur", "na": "procesregisseur"},
    }
    audit.record("enrichment.answered", actor=actor, case_id=case.pk, data={"wijzigingen": changes})
    entry = next(
        e
        for e in _flat(timeline(case, full_access=True, include_reads=False))
        if e.title == "Bekendheidscheck beantwoord"
    )
    assert entry.changes == {
        "antwoord": {"voor": "niet bekend", "na": "alleen luisteren (beroepsgeheim)"},
        "stand": {"voor": "open", "na": "kan niet worden uitgevoerd"},
        "bereikt": {"voor": "nog niet", "na": "ja"},
        "t/m": {"voor": "", "na": "01-03-2026"},
        "rol": {"voor": "adviseur (gepseudonimiseerd)", "na": "procesregisseur"},
    }


def test_registered_sources_add_entries_and_replace_their_audit_events(
    case_with_team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = case_with_team["case"]
    monkeypatch.setattr(registry, "_sources", dict(registry._sources))
    seen: list[bool] = []

    def source(c: Any, full_access: bool) -> list[registry.TimelineEntry]:
        seen.append(full_access)
        when = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
        return [registry.TimelineEntry(when=when, title="Extra", kind="important")]

    registry.register_entries("test.source", source, replaces=["plan.adopted"])
    audit.record("plan.adopted", actor=case_with_team["regisseur"], case_id=case.pk)
    titles = _titles(timeline(case, full_access=True, include_reads=False))
    assert "Extra" in titles and "Plan van aanpak vastgesteld" not in titles
    assert seen == [True]
    # The plans app registers the director escalations this way.
    assert "case.director_escalated" in registry.replaced_actions()


def test_team_events_name_who_joined(case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    team = team_history(case)
    member = next(m for m in team if m.user == case_with_team["adviser"])
    audit.record("team.member_added", actor=None, case_id=case.pk, obj=member)
    entry = next(
        e
        for e in _flat(timeline(case, full_access=False, include_reads=False, team=team))
        if e.title == "Teamlid toegevoegd"
    )
    assert case_with_team["adviser"].get_full_name() in entry.detail
    assert entry.actor == "systeem"
