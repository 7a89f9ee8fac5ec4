"""Escalation between directors: casusregisseur -> procesregisseur -> manager of the house."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.workflow import Status
from ketenregie.core.mail import absolute_url
from ketenregie.core.tests.mailutil import addressees
from ketenregie.plans import services
from ketenregie.plans.models import DirectorEscalation
from ketenregie.plans.tests.conftest import other_case
from ketenregie.plans.tests.mailutil import full_text
from ketenregie.tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db

REASON = "Afspraken met de verhuurder worden niet nagekomen."


def test_the_casusregisseur_escalates_to_the_procesregisseur(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record = services.escalate(
            team["case"], actor=team["casus"], to="procesregisseur", reason=f"  {REASON}  "
        )
    assert record.to == DirectorEscalation.To.PROCESREGISSEUR and record.by == team["casus"]
    assert record.reason == REASON and record.handled_at is None
    assert [m.to for m in mail.outbox] == [["pr@example.invalid"]]
    message = mail.outbox[0]
    assert message.subject == f"Ketenregie: opschaling casus {team['case'].code}"
    assert absolute_url(reverse("case_detail", args=[team["case"].pk])) in message.body
    assert "verhuurder" not in full_text(message)
    event = AuditEvent.objects.get(action="case.director_escalated")
    assert event.data == {"naar": "procesregisseur"} and event.case_id == team["case"].pk


def test_the_procesregisseur_escalates_to_the_managers_of_the_house(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    second = UserFactory(roles=[(Role.MANAGER, team["house"])], email="manager2@example.invalid")
    UserFactory(
        roles=[(Role.MANAGER, team["house"])], email="vertrokken@example.invalid", is_active=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        record = services.escalate(
            team["case"], actor=team["regisseur"], to="manager", reason=REASON
        )
    assert record.to == DirectorEscalation.To.MANAGER
    assert addressees(mail.outbox) == ["manager2@example.invalid", "manager@example.invalid"]
    assert second.email in mail.outbox[0].to + mail.outbox[1].to
    assert absolute_url(reverse("dashboard")) in mail.outbox[0].body
    assert "verhuurder" not in full_text(mail.outbox[0])


@pytest.mark.parametrize(
    ("who", "to"),
    [
        ("regisseur", "procesregisseur"),  # the procesregisseur does not escalate to himself
        ("partner", "procesregisseur"),
        ("adviser", "procesregisseur"),
        ("former", "procesregisseur"),
        ("outsider", "procesregisseur"),
        ("casus", "manager"),  # the casusregisseur goes through the procesregisseur
        ("partner", "manager"),
        ("manager", "manager"),
    ],
)
def test_only_the_right_director_escalates(team: dict[str, Any], who: str, to: str) -> None:
    with pytest.raises(ValidationError) as err:
        services.escalate(team["case"], actor=team[who], to=to, reason=REASON)
    assert "Alleen de" in str(err.value.message_dict["to"])
    assert not DirectorEscalation.objects.exists()
    assert not AuditEvent.objects.filter(action="case.director_escalated").exists()


def test_an_escalation_needs_a_target_and_a_reason(team: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        services.escalate(team["case"], actor=team["casus"], to="burgemeester", reason=" ")
    assert set(err.value.message_dict) == {"to", "reason"}
    closed = other_case(team["house"], status=Status.AFGESLOTEN)
    with pytest.raises(ValidationError, match="in uitvoering"):
        services.escalate(closed, actor=team["casus"], to="procesregisseur", reason=REASON)


def test_an_escalation_is_handled_once(team: dict[str, Any]) -> None:
    record = services.escalate(
        team["case"], actor=team["casus"], to="procesregisseur", reason=REASON
    )
    with pytest.raises(ValidationError) as err:
        services.handle_escalation(record, actor=team["regisseur"], note=" ")
    assert "note" in err.value.message_dict
    handled = services.handle_escalation(
        record, actor=team["regisseur"], note=" Gesprek met verhuurder gepland. "
    )
    assert handled.handled_by == team["regisseur"] and handled.handled_at is not None
    assert handled.handled_note == "Gesprek met verhuurder gepland."
    with pytest.raises(ValidationError, match="al afgehandeld"):
        services.handle_escalation(record, actor=team["regisseur"], note="Nog eens.")
    record.refresh_from_db()
    assert record.handled_note == "Gesprek met verhuurder gepland."
    events = AuditEvent.objects.filter(action="case.director_escalation_handled")
    assert events.count() == 1 and events[0].data == {}
