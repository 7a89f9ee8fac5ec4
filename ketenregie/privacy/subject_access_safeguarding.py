"""The household variant's parts of the subject access export (issue 15): aftercare and the
trajectory's evaluation (the closing section), the meldcode, and the Verwijsindex signals
(only that a professional signalled, who and when; never the risk category)."""

from __future__ import annotations

from typing import Any

from ketenregie.cases.models import Case
from ketenregie.privacy.redaction import Redactor
from ketenregie.privacy.subject_access_fields import _field, _item, _model_fields
from ketenregie.safeguarding.meldcode_queries import answer_set_view, trajectories_of
from ketenregie.safeguarding.vi_queries import signals_about

# Issue 15 (phases): aftercare and the trajectory's evaluation, in the closing section.
AFTERCARE_FIELDS = ("organisation", "who", "what", "starts_on", "frequency", "ends_on")
EVALUATION_FIELDS = (
    "held_on",
    "goals_reached",
    "client_satisfaction",
    "went_well",
    "went_less_well",
    "client_view",
    "lessons",
)


def meldcode_items(case: Case, redact: Redactor) -> list[dict[str, Any]]:
    """The meldcode: steps, answer sets (only the questions answered) and reports."""
    items: list[dict[str, Any]] = []
    for t in trajectories_of(case):
        items += [
            _item("meldcode_step", s.pk, _model_fields(s, ("number", "taken_on", "note"), redact))
            for s in t.steps.all()
        ]
        for a in t.answer_sets.all():
            answered = [q for q in answer_set_view(a).questions if q.answer is not None]
            items.append(
                _item(
                    "meldcode_answers",
                    a.pk,
                    [_field("answered_on", "Datum", a.answered_on)]
                    + [_field(f"q{q.number}", q.question, q.answer) for q in answered]
                    + [
                        _field(f"note{q.number}", "Toelichting", redact(q.note), text=True)
                        for q in answered
                        if q.note
                    ],
                )
            )
        items += [
            _item(
                "vt_report",
                r.pk,
                _model_fields(r, ("reported_on", "reference", "content", "status"), redact),
            )
            for r in t.vt_reports.all()
        ]
    return items


def vi_items(case: Case) -> list[dict[str, Any]]:
    """The person's Verwijsindex signals recorded on this case."""
    return [
        _item(
            "vi_signal",
            v.pk,
            [
                _field("signaller", "Signaleerder", v.signaller),
                _field("organisation", "Organisatie", v.organisation),
                _field("signalled_on", "Afgegeven op", v.signalled_on),
                _field("informed_on", "U of uw ouders geïnformeerd op", v.informed_on),
                _field("expires_on", "Vervalt op", v.expires_on),
                _field("withdrawn", "Ingetrokken", v.withdrawn),
            ],
        )
        for v in signals_about(case.person_id, case_id=case.pk)
    ]
