"""The execution's steps on the case timeline: a meeting's replies are one entry, a day's
plan work is one entry, the plan's adoption and reports on actions stand apart."""

from __future__ import annotations

from typing import Any

import pytest

from ketenregie.audit import services as audit
from ketenregie.cases.queries import timeline
from ketenregie.plans.models import Meeting

pytestmark = pytest.mark.django_db


def test_replies_fold_per_meeting_and_plan_work_per_day(case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    actor = case_with_team["regisseur"]
    # Only the id matters to the trail: the events are filed under these meetings.
    first, second = Meeting(pk=101), Meeting(pk=102)
    for meeting in (first, first, second):
        audit.record("meeting.replied", actor=actor, case_id=case.pk, obj=meeting)
    for code in ("plan.goal_added", "action.added", "plan.adopted", "action.reported"):
        audit.record(code, actor=actor, case_id=case.pk)
    entries = timeline(case, full_access=True, include_reads=False)
    titles = [e.title for e in entries]
    assert "Casusoverleg: 2 antwoorden op de uitnodiging" in titles
    # The other meeting's single reply stays itself.
    assert "Antwoord op uitnodiging casusoverleg" in titles
    assert "Plan van aanpak: Doel toegevoegd, Actie toegevoegd" in titles
    assert "Plan van aanpak vastgesteld" in titles and "Terugmelding op actie" in titles
    group = next(e for e in entries if e.title.startswith("Casusoverleg: 2"))
    assert {c.object_id for c in group.children} == {"101"}
    assert group.actor == str(actor)
