"""The case timeline reads the audit vocabulary: Dutch labels, reads only on request, and
advisers see the team's comings and goings only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ketenregie.audit import services as audit
from ketenregie.audit import vocabulary
from ketenregie.cases import queries
from ketenregie.cases import timeline as registry
from ketenregie.cases.models import Person, StatusChange
from ketenregie.cases.queries import team_history, timeline
from ketenregie.cases.workflow import Phase

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


def _walk_a_case(case: Any, actor: Any) -> None:
    """A case's life in order: status changes and the events of each phase between them.

    The triage outcome is recorded after the case became "PGA gestart", as the triage
    service does; it belongs to the triage all the same.
    """

    def status(to: str, was: str = "") -> None:
        StatusChange.objects.create(
            case=case, from_status=was, to_status=to, changed_at=timezone.now(), changed_by=actor
        )

    status("concept")
    audit.record("referral.created", actor=actor, case_id=case.pk)
    status("aangemeld", "concept")
    audit.record("referral.submitted", actor=actor, case_id=case.pk)
    status("verrijking", "aangemeld")
    audit.record(
        "referral.approved_for_enrichment",
        actor=actor,
        case_id=case.pk,
        data={"verzoeken_aan": [11, 12, 13, 14]},
    )
    # Four partners answer; one changes its answer later (counted once). The answer is
    # filed under the partner's request (intake, above this app): any row with an id
    # stands in for it here.
    for request_id in ("1", "2", "3", "4", "2"):
        audit.record(
            "enrichment.answered",
            actor=actor,
            case_id=case.pk,
            obj=Person(pk=int(request_id)),
            data={"wijzigingen": {"antwoord": {"voor": "", "na": "alleen_luisteren"}}},
        )
    status("geagendeerd", "verrijking")
    status("pga_gestart", "geagendeerd")
    audit.record("triage.outcome", actor=actor, case_id=case.pk)
    for _ in range(3):
        audit.record("team.member_added", actor=actor, case_id=case.pk)
    audit.record("pga.informing_recorded", actor=actor, case_id=case.pk)
    status("in_uitvoering", "pga_gestart")
    audit.record("plan.goal_added", actor=actor, case_id=case.pk)
    audit.record("plan.goal_added", actor=actor, case_id=case.pk)
    audit.record("action.added", actor=actor, case_id=case.pk)
    audit.record("plan.adopted", actor=actor, case_id=case.pk)


def test_the_bekendheidscheck_is_one_step_with_how_many_partners_answered(
    case_with_team: dict[str, Any],
) -> None:
    case = case_with_team["case"]
    _walk_a_case(case, case_with_team["regisseur"])
    entries = timeline(case, full_access=True, include_reads=False)
    check = next(e for e in entries if e.title.startswith("Bekendheidscheck"))
    assert check.title == "Bekendheidscheck: 4 van 4 partners geantwoord"
    assert check.kind == "group" and len(check.children) == 6
    # The answers inside read as Dutch, with the answer's label, never its code.
    answers = [c for c in check.children if c.title == "Bekendheidscheck beantwoord"]
    assert len(answers) == 5
    assert answers[0].changes == {
        "antwoord": {"voor": "", "na": "alleen luisteren (beroepsgeheim)"}
    }
    titles = {e.title for e in entries}
    assert "Casusteam: Teamlid toegevoegd (3×)" in titles
    assert "Plan van aanpak: Doel toegevoegd (2×), Actie toegevoegd" in titles
    # Adoption is a milestone: never folded into the day's plan work.
    assert "Plan van aanpak vastgesteld" in titles
    # No raw code anywhere, summaries and folded events alike.
    assert not any("alleen_luisteren" in str(c.changes) for c in _flat(entries))
    assert not any(t in vocabulary.ACTIONS for t in _titles(entries) | titles)


def test_a_step_counts_the_partners_asked_even_before_any_answer(
    case_with_team: dict[str, Any],
) -> None:
    case = case_with_team["case"]
    audit.record(
        "referral.approved_for_enrichment",
        actor=case_with_team["regisseur"],
        case_id=case.pk,
        data={"verzoeken_aan": [1, 2, 3]},
    )
    entries = timeline(case, full_access=True, include_reads=False)
    assert "Bekendheidscheck: 0 van 3 partners geantwoord" in {e.title for e in entries}


def test_reads_of_a_day_are_one_entry_shown_only_when_asked(
    case_with_team: dict[str, Any],
) -> None:
    case = case_with_team["case"]
    for code in ("case.viewed", "case.viewed", "plan.viewed"):
        audit.record(code, actor=case_with_team["regisseur"], case_id=case.pk)
    assert not [e for e in timeline(case, full_access=True, include_reads=False) if e.children]
    reads = [e for e in timeline(case, full_access=True, include_reads=True) if e.kind == "read"]
    assert [e.title for e in reads] == ["Inzage: Casus ingezien (2×), Plan van aanpak ingezien"]
    assert len(reads[0].children) == 3


def test_filter_by_phase_follows_the_workflow_phases(case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    _walk_a_case(case, case_with_team["regisseur"])

    def titles(phase: Phase) -> set[str]:
        return {e.title for e in timeline(case, full_access=True, include_reads=False, phase=phase)}

    intake = titles(Phase.AANMELDING)
    assert {
        "Aanmelding aangemaakt",
        "Aanmelding ingediend",
        "Bekendheidscheck: 4 van 4 partners geantwoord",
        # Written after the status moved on, yet the end of the triage.
        "Uitkomst integrale triage vastgelegd",
        "Status: In verrijking → Geagendeerd voor triage",
    } <= intake
    assert not {"Informeren betrokkene vastgelegd", "Plan van aanpak vastgesteld"} & intake
    start = titles(Phase.VOORTRAJECT)
    assert start == {
        "Status: Geagendeerd voor triage → PGA gestart, betrokkene informeren",
        "Casusteam: Teamlid toegevoegd (3×)",
        "Informeren betrokkene vastgelegd",
    }
    execution = titles(Phase.CASUISTIEK)
    assert "Plan van aanpak vastgesteld" in execution
    assert "Uitkomst integrale triage vastgelegd" not in execution
    assert titles(Phase.AFSLUITING) == set()


def test_the_phase_is_filtered_in_the_database_before_the_newest_are_taken(
    case_with_team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long execution must not push the intake's events out of the intake phase."""
    case = case_with_team["case"]
    _walk_a_case(case, case_with_team["regisseur"])
    # The intake has 9 events, the later phases 9 more: the newest 9 are all later ones.
    monkeypatch.setattr(queries, "TIMELINE_LIMIT", 9)
    entries = timeline(case, full_access=True, include_reads=False, phase=Phase.AANMELDING)
    assert "Aanmelding aangemaakt" in {e.title for e in entries}
    assert "Bekendheidscheck: 4 van 4 partners geantwoord" in {e.title for e in entries}


def test_the_adviser_keeps_the_pseudonymised_timeline_with_a_phase(
    case_with_team: dict[str, Any],
) -> None:
    case = case_with_team["case"]
    _walk_a_case(case, case_with_team["regisseur"])
    for phase in (None, *Phase):
        entries = _flat(timeline(case, full_access=False, include_reads=True, phase=phase))
        assert {e.title for e in entries if e.kind != "status"} <= {"Teamlid toegevoegd"}
        assert all(not e.changes and not e.detail and not e.data for e in entries)
