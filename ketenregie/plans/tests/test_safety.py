"""The safety plan: its dates, concurrent edits, the 0-10 scaling question, agreements."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Case
from ketenregie.cases.workflow import Status
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.timeutil import today
from ketenregie.plans import services
from ketenregie.plans.models import SafetyAgreement, SafetyPlan, SafetyScore
from ketenregie.plans.tests.conftest import other_case

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _values(**kw: Any) -> dict[str, Any]:
    return {
        "strengths": "Zus komt dagelijks langs.",
        "concerns": "Dreigende taal tegen de buren.",
        "worst_case": "Geweld bij een ontruiming.",
        "complicating_factors": "Alcohol.",
        "last_incident_on": today() - DAY,
        "last_incident": "Ruzie met de buurman in het trappenhuis.",
        "evaluation_date": today() + 30 * DAY,
        **kw,
    }


def _sign(team: dict[str, Any], safety: SafetyPlan, on: dt.date) -> SafetyPlan:
    """The client signs (the signatures have their own form and service)."""
    safety.refresh_from_db()
    services.save_signatures(
        safety,
        actor=team["regisseur"],
        values={
            "client_signed_by": "Betrokkene",
            "client_signed_on": on,
            "client_signed_how": "papier",
        },
        expected_version=safety.version,
    )
    safety.refresh_from_db()
    return safety


def _save(team: dict[str, Any], safety: SafetyPlan, **kw: Any) -> SafetyPlan:
    return services.save_safety_plan(
        safety, actor=team["regisseur"], values=_values(**kw), expected_version=safety.version
    )


def test_the_safety_plan_is_saved_and_audited_without_its_text(team: dict[str, Any]) -> None:
    safety = services.safety_plan_for(team["case"])
    assert services.safety_plan_for(team["case"]).pk == safety.pk
    saved = _save(team, safety, strengths="  Zus komt dagelijks langs.  ")
    assert saved.strengths == "Zus komt dagelijks langs." and saved.version == 2
    assert saved.last_incident_on == today() - DAY and saved.updated_by == team["regisseur"]
    event = AuditEvent.objects.get(action="safety.saved")
    assert set(event.data["velden"]) == set(_values())
    assert event.data["wijzigingen"]["last_incident_on"] == {
        "voor": None,
        "na": (today() - DAY).isoformat(),
    }
    assert "Dreigende" not in str(event.data) and "Alcohol" not in str(event.data)
    assert "Ruzie" not in str(event.data)
    # Unchanged: no new version, no event.
    assert _save(team, saved).version == 2
    assert AuditEvent.objects.filter(action="safety.saved").count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"last_incident_on": 1}, "last_incident_on", "toekomst"),
        ({"first_incident_on": 1, "first_incident": "x"}, "first_incident_on", "toekomst"),
        ({"last_incident": "  "}, "last_incident", "Beschrijf"),
    ],
)
def test_safety_plan_dates_are_checked(
    team: dict[str, Any], change: dict[str, Any], field: str, message: str
) -> None:
    # Dates as days from today, resolved when the test runs: collected before midnight and
    # run after it, a date computed at collection would no longer be "tomorrow".
    change = {k: today() + v * DAY if isinstance(v, int) else v for k, v in change.items()}
    safety = services.safety_plan_for(team["case"])
    with pytest.raises(ValidationError) as err:
        _save(team, safety, **change)
    assert message in str(err.value.message_dict[field])
    safety.refresh_from_db()
    assert safety.version == 1 and safety.strengths == "" and safety.last_incident_on is None


@pytest.mark.parametrize("days", [-2, -1])
def test_the_evaluation_lies_after_the_signature(team: dict[str, Any], days: int) -> None:
    safety = _sign(team, services.safety_plan_for(team["case"]), today() - DAY)
    with pytest.raises(ValidationError) as err:
        _save(team, safety, evaluation_date=today() + days * DAY)
    assert "na de ondertekening" in str(err.value.message_dict["evaluation_date"])


def test_an_unsigned_plan_may_have_an_evaluation_date(team: dict[str, Any]) -> None:
    safety = services.safety_plan_for(team["case"])
    saved = _save(team, safety)
    assert saved.client_signed_on is None and saved.evaluation_date == today() + 30 * DAY


def test_a_stale_safety_plan_save_is_refused(team: dict[str, Any]) -> None:
    safety = services.safety_plan_for(team["case"])
    _save(team, safety)
    with pytest.raises(ConcurrentEditError):
        services.save_safety_plan(
            safety,
            actor=team["casus"],
            values=_values(worst_case="Iets anders"),
            expected_version=1,
        )
    safety.refresh_from_db()
    assert safety.worst_case == "Geweld bij een ontruiming." and safety.version == 2


def test_a_partial_safety_plan_save_keeps_the_rest_and_its_checks(team: dict[str, Any]) -> None:
    safety = _sign(team, _save(team, services.safety_plan_for(team["case"])), today() - DAY)
    saved = services.save_safety_plan(
        safety,
        actor=team["regisseur"],
        values={"frequency": "Wekelijks"},
        expected_version=safety.version,
    )
    saved.refresh_from_db()
    assert saved.frequency == "Wekelijks"
    assert saved.concerns == "Dreigende taal tegen de buren."
    assert saved.last_incident_on == today() - DAY and saved.client_signed_on == today() - DAY
    # The stored signing date still bounds a new evaluation date.
    with pytest.raises(ValidationError) as err:
        services.save_safety_plan(
            saved,
            actor=team["regisseur"],
            values={"evaluation_date": today() - 3 * DAY},
            expected_version=saved.version,
        )
    assert "evaluation_date" in err.value.message_dict


def test_the_safety_plan_of_a_closed_case_is_not_edited(team: dict[str, Any]) -> None:
    closed = other_case(team["house"], status=Status.AFGESLOTEN)
    with pytest.raises(ValidationError, match="in uitvoering"):
        services.safety_plan_for(closed)  # no new safety plan on a closed case either
    Case.objects.filter(pk=closed.pk).update(status=Status.IN_UITVOERING)
    safety = services.safety_plan_for(closed)
    Case.objects.filter(pk=closed.pk).update(status=Status.AFGESLOTEN)
    safety.refresh_from_db()
    with pytest.raises(ValidationError, match="in uitvoering"):
        _save(team, safety)
    with pytest.raises(ValidationError, match="in uitvoering"):
        services.add_safety_agreement(
            safety, actor=team["regisseur"], what="a", who_checks="b", if_not_kept="c"
        )
    with pytest.raises(ValidationError, match="in uitvoering"):
        services.add_safety_score(
            closed, actor=team["regisseur"], who="Zus", score=5, on_date=today()
        )
    assert not SafetyAgreement.objects.exists() and not SafetyScore.objects.exists()


@pytest.mark.parametrize("score", [0, 10, 6])
def test_a_safety_score_from_zero_to_ten_is_kept(team: dict[str, Any], score: int) -> None:
    record = services.add_safety_score(
        team["case"], actor=team["casus"], who=" Moeder ", score=score, on_date=today()
    )
    assert (record.who, record.score, record.on_date) == ("Moeder", score, today())
    event = AuditEvent.objects.get(action="safety.score_added")
    assert event.data == {"score": score, "datum": today().isoformat()}


@pytest.mark.parametrize(
    ("score", "days", "who", "fields"),
    [
        (-1, 0, "Moeder", {"score"}),
        (11, 0, "Moeder", {"score"}),
        (None, 0, "Moeder", {"score"}),
        (5, 1, "Moeder", {"on_date"}),
        (5, None, "Moeder", {"on_date"}),
        (5, 0, " ", {"who"}),
    ],
)
def test_a_safety_score_out_of_bounds_is_refused(
    team: dict[str, Any], score: int | None, days: int | None, who: str, fields: set[str]
) -> None:
    # Days from today, resolved when the test runs (not at collection: midnight).
    on_date = None if days is None else today() + days * DAY
    with pytest.raises(ValidationError) as err:
        services.add_safety_score(
            team["case"], actor=team["casus"], who=who, score=score, on_date=on_date
        )
    assert set(err.value.message_dict) == fields
    assert not SafetyScore.objects.exists()


@pytest.mark.parametrize("missing", ["what", "who_checks", "if_not_kept"])
def test_a_safety_agreement_needs_all_three_parts(team: dict[str, Any], missing: str) -> None:
    safety = services.safety_plan_for(team["case"])
    values = {"what": "Geen alcohol in huis", "who_checks": "Zus", "if_not_kept": "Bellen met PR"}
    values[missing] = "  "
    with pytest.raises(ValidationError) as err:
        services.add_safety_agreement(safety, actor=team["regisseur"], **values)
    assert set(err.value.message_dict) == {missing}
    assert not SafetyAgreement.objects.exists()


def test_a_complete_safety_agreement_is_kept_and_audited(team: dict[str, Any]) -> None:
    safety = services.safety_plan_for(team["case"])
    agreement = services.add_safety_agreement(
        safety,
        actor=team["regisseur"],
        what=" Geen alcohol in huis ",
        who_checks="Zus",
        if_not_kept="Bellen met PR",
    )
    assert agreement.what == "Geen alcohol in huis" and agreement.safety_plan == safety
    event = AuditEvent.objects.get(action="safety.agreement_added")
    assert event.object_id == str(agreement.pk) and event.data == {}
