"""Slice meldcode: the subject access export carries the case's meldcode (steps, the
decision questions answered, reports to Veilig Thuis), with other people's names blacked
out like every other free text."""

from __future__ import annotations

import pytest

from ketenregie.core.timeutil import today
from ketenregie.plans.tests.conftest import build_team
from ketenregie.privacy.subject_access import build_export
from ketenregie.safeguarding import meldcode_services as services

pytestmark = pytest.mark.django_db


def test_export_has_the_meldcode_section() -> None:
    team = build_team()
    trajectory = services.start_trajectory(team["case"], actor=team["casus"])
    services.record_step(
        trajectory, actor=team["casus"], number=1, taken_on=today(), note="Blauwe plek gezien."
    )
    services.record_answers(
        trajectory,
        actor=team["casus"],
        answers=[True, True, False, None, None],
        notes=["Signalen bevestigd.", "", "", "", ""],
        answered_on=today(),
    )
    services.report_to_veilig_thuis(
        trajectory,
        actor=team["casus"],
        reported_on=today(),
        reference="VT-77",
        content="Melding gedaan.",
        person_informed=True,
    )
    export = build_export(team["person"])
    (case,) = export["cases"]
    (section,) = [s for s in case["sections"] if s["key"] == "meldcode"]
    kinds = [item["id"].split(":")[0] for item in section["items"]]
    assert kinds == ["meldcode_step", "meldcode_answers", "vt_report"]
    answers = {f["key"]: f["value"] for f in section["items"][1]["fields"]}
    # Only the questions the scheme asked, with their answers.
    assert (answers["q1"], answers["q2"], answers["q3"]) == (True, True, False)
    assert "q4" not in answers and answers["note1"] == "Signalen bevestigd."
    report = {f["key"]: f["value"] for f in section["items"][2]["fields"]}
    assert report["reference"] == "VT-77" and report["status"] == "Gemeld"
