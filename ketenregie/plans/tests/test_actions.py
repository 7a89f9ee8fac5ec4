"""The action list: owners and due dates, reporting back, signals, overdue actions and the
daily idempotent reminder job."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.mail import absolute_url
from ketenregie.core.tests.mailutil import addressees
from ketenregie.core.timeutil import today
from ketenregie.pga.models import Signal
from ketenregie.plans import services
from ketenregie.plans.models import Action, ActionReminder, ActionReport
from ketenregie.plans.tests.conftest import local, other_case
from ketenregie.plans.tests.mailutil import full_text
from ketenregie.tests_support.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _action(team: dict[str, Any], *, owner: Any = None, org: Any = None, **kw: Any) -> Action:
    return services.add_action(
        kw.pop("case", team["case"]),
        actor=kw.pop("actor", team["regisseur"]),
        what=kw.pop("what", "Budgetbeheer aanvragen"),
        owner_user=owner,
        owner_organisation=org,
        due_date=kw.pop("due_date", today() + 14 * DAY),
        **kw,
    )


def test_an_action_needs_what_an_owner_and_a_due_date(team: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        services.add_action(
            team["case"],
            actor=team["regisseur"],
            what=" ",
            owner_user=None,
            owner_organisation=None,
            due_date=None,
        )
    assert set(err.value.message_dict) == {"what", "owner_organisation", "due_date"}
    assert "persoon of een organisatie" in str(err.value.message_dict["owner_organisation"])
    with pytest.raises(ValidationError) as err:
        _action(team, owner=team["casus"], org=OrganisationFactory())
    assert set(err.value.message_dict) == {"owner_user"}
    assert not Action.objects.exists() and not AuditEvent.objects.filter(action="action.added")


def test_a_personal_action_belongs_to_the_owners_organisation_and_is_announced(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        action = _action(team, owner=team["casus"])
    assert action.owner_organisation == team["casus"].organisation == team["org"]
    assert action.state == Action.State.OPEN and action.created_by == team["regisseur"]
    assert [m.to for m in mail.outbox] == [["cr@example.invalid"]]
    assert mail.outbox[0].subject == "Ketenregie: nieuwe actie voor u"
    assert absolute_url(reverse("my_actions")) in mail.outbox[0].body
    assert "Budgetbeheer" not in full_text(mail.outbox[0])
    event = AuditEvent.objects.get(action="action.added")
    assert (
        event.data["eigenaar"] == team["casus"].pk and event.data["organisatie"] == team["org"].pk
    )


def test_no_mail_for_an_own_action_or_an_organisation_action(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _action(team, owner=team["regisseur"])
        org_action = _action(team, org=team["org"])
    assert mail.outbox == []
    assert org_action.owner_user is None and org_action.owner_organisation == team["org"]


def test_done_closes_the_action(team: dict[str, Any]) -> None:
    action = _action(team, owner=team["casus"])
    done = services.report_on_action(
        action, actor=team["casus"], kind="gedaan", text="", expected_version=action.version
    )
    assert done.state == Action.State.DONE and done.closed_at is not None and done.version == 2
    assert list(done.reports.values_list("kind", flat=True)) == ["gedaan"]
    assert not Signal.objects.exists()
    assert AuditEvent.objects.get(action="action.reported").data == {
        "soort": "gedaan",
        "wijzigingen": {"stand": {"voor": "open", "na": "gedaan"}},
    }


def test_impossible_raises_a_signal_and_tells_both_directors_by_link(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    action = _action(team, owner=team["partner"])
    with pytest.raises(ValidationError) as err:
        services.report_on_action(action, actor=team["partner"], kind="niet_uitvoerbaar", text=" ")
    assert "reden" in str(err.value.message_dict["text"])
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.report_on_action(
            action,
            actor=team["partner"],
            kind="niet_uitvoerbaar",
            text="Betrokkene weigert de deur te openen.",
        )
    assert closed.state == Action.State.IMPOSSIBLE and closed.closed_at is not None
    assert closed.state_reason == "Betrokkene weigert de deur te openen."
    signal = Signal.objects.get(case=team["case"])
    assert signal.kind == Signal.Kind.ACTION_IMPOSSIBLE == "actie_onuitvoerbaar"
    assert signal.raised_by == team["partner"] and "Budgetbeheer aanvragen" in signal.text
    assert addressees(mail.outbox) == ["cr@example.invalid", "pr@example.invalid"]
    message = mail.outbox[0]
    assert message.subject == "Ketenregie: nieuw signaal bij een casus"
    assert "weigert" not in full_text(message) and "Budgetbeheer" not in full_text(message)
    assert team["case"].code in message.body and "http://" in message.body


def test_a_change_raises_a_signal_and_leaves_the_action_open(team: dict[str, Any]) -> None:
    action = _action(team, org=team["org"])
    with pytest.raises(ValidationError, match="veranderd"):
        services.report_on_action(action, actor=team["casus"], kind="verandering", text="")
    after = services.report_on_action(
        action, actor=team["casus"], kind="verandering", text="Verhuisd naar familie."
    )
    assert after.state == Action.State.OPEN and after.closed_at is None
    assert Signal.objects.get(case=team["case"]).kind == Signal.Kind.CHANGE
    assert AuditEvent.objects.get(action="action.reported").data == {"soort": "verandering"}


def test_a_closed_action_refuses_further_state_changes(team: dict[str, Any]) -> None:
    action = _action(team, owner=team["casus"])
    services.report_on_action(action, actor=team["casus"], kind="gedaan", text="")
    for kind, text in (("niet_uitvoerbaar", "Toch niet"), ("gedaan", ""), ("verandering", "x")):
        with pytest.raises(ValidationError, match="al afgerond"):
            services.report_on_action(action, actor=team["casus"], kind=kind, text=text)
    # A plain report back is still welcome, and changes nothing.
    after = services.report_on_action(
        action, actor=team["casus"], kind="terugmelding", text="Nagekomen bericht."
    )
    assert after.state == Action.State.DONE and not Signal.objects.exists()
    assert list(ActionReport.objects.filter(action=action).values_list("kind", flat=True)) == [
        "gedaan",
        "terugmelding",
    ]


def test_reports_check_kind_text_and_version(team: dict[str, Any]) -> None:
    action = _action(team, owner=team["casus"])
    with pytest.raises(ValidationError) as err:
        services.report_on_action(action, actor=team["casus"], kind="klaar", text="x")
    assert "kind" in err.value.message_dict
    with pytest.raises(ValidationError, match="terugmelding"):
        services.report_on_action(action, actor=team["casus"], kind="terugmelding", text="")
    services.report_on_action(action, actor=team["casus"], kind="terugmelding", text="Loopt.")
    with pytest.raises(ConcurrentEditError):
        services.report_on_action(
            action, actor=team["casus"], kind="gedaan", text="", expected_version=1
        )
    action.refresh_from_db()
    assert action.state == Action.State.OPEN and action.reports.count() == 1


def test_overdue_starts_the_day_after_the_due_date(team: dict[str, Any]) -> None:
    due = today() + 3 * DAY
    open_action = _action(team, owner=team["casus"], due_date=due)
    done_action = _action(team, owner=team["casus"], due_date=due, what="Ander")
    services.report_on_action(done_action, actor=team["casus"], kind="gedaan", text="")
    done_action.refresh_from_db()
    with time_machine.travel(local(due.year, due.month, due.day, 23, 59), tick=False):
        assert not open_action.overdue_on(today())
    after = due + DAY
    with time_machine.travel(local(after.year, after.month, after.day, 0, 1), tick=False):
        assert today() == due + DAY
        assert open_action.overdue_on(today())
        assert not done_action.overdue_on(today())


@pytest.fixture
def overdue(team: dict[str, Any]) -> dict[str, Any]:
    """Overdue actions of a person and of an organisation on the team as a whole."""
    wide = OrganisationFactory(name="Woningcorporatie")
    colleague = UserFactory(
        organisation=wide, roles=[(Role.PROFESSIONAL, None)], email="woning1@example.invalid"
    )
    UserFactory(organisation=wide, email="woning2@example.invalid")
    UserFactory(organisation=wide, email="weg@example.invalid", is_active=False)
    MembershipFactory(
        case=team["case"], user=None, organisation=wide, role=CaseRole.BETROKKEN_PARTNER
    )
    past = today() - 2 * DAY
    personal = _action(team, owner=team["casus"], due_date=past)
    organisational = _action(team, org=wide, due_date=past, what="Huurachterstand regelen")
    _action(team, owner=team["casus"], due_date=today(), what="Nog niet over de datum")
    finished = _action(team, owner=team["casus"], due_date=past, what="Al gedaan")
    services.report_on_action(finished, actor=team["casus"], kind="gedaan", text="")
    closed_case = other_case(team["house"], status=Status.IN_UITVOERING)
    _action(team, case=closed_case, owner=team["casus"], due_date=past, what="Gesloten casus")
    closed_case.status = Status.AFGESLOTEN
    closed_case.save(update_fields=["status"])
    return {"personal": personal, "organisational": organisational, "colleague": colleague}


def test_reminders_go_once_a_day_per_overdue_action(
    team: dict[str, Any], overdue: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    day = today()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(day) == 2
    assert addressees(mail.outbox) == [
        "cr@example.invalid",
        "woning1@example.invalid",
        "woning2@example.invalid",
    ]
    assert all(m.subject == "Ketenregie: herinnering: actie over de datum" for m in mail.outbox)
    assert all("Budgetbeheer" not in full_text(m) for m in mail.outbox)
    reminders = ActionReminder.objects.filter(on_date=day)
    assert {r.action_id: r.sent_to for r in reminders} == {
        overdue["personal"].pk: 1,
        overdue["organisational"].pk: 2,
    }
    # Running again the same day sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(day) == 0
    assert len(mail.outbox) == 3  # one mail per recipient
    # The next day they go again, with the action that was due today.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(day + DAY) == 3
    assert len(mail.outbox) == 7  # one mail per recipient: 3 + 1 + 2 + 1
    events = AuditEvent.objects.filter(action="action.reminder_sent")
    assert events.count() == 5 and all(e.actor_id is None for e in events)


def test_done_actions_get_no_more_reminders(team: dict[str, Any], overdue: dict[str, Any]) -> None:
    services.report_on_action(overdue["personal"], actor=team["casus"], kind="gedaan", text="")
    assert services.send_reminders(today()) == 1


def test_the_reminder_command_reports_how_many_it_sent(
    team: dict[str, Any], overdue: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_action_reminders", stdout=out)
    assert out.getvalue().strip() == "2 herinnering(en) verstuurd."
    assert len(mail.outbox) == 3  # one mail per recipient: 1 + 2
    again = io.StringIO()
    call_command("send_action_reminders", stdout=again)
    assert again.getvalue().strip() == "0 herinnering(en) verstuurd."
    tomorrow = today() + DAY
    with time_machine.travel(local(tomorrow.year, tomorrow.month, tomorrow.day, 7), tick=False):
        later = io.StringIO()
        call_command("send_action_reminders", stdout=later)
    assert later.getvalue().strip() == "3 herinnering(en) verstuurd."  # + the one due today


def test_an_action_on_a_closed_case_is_refused_and_leaves_nothing(team: dict[str, Any]) -> None:
    closed = other_case(team["house"], status=Status.AFGESLOTEN)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="in uitvoering"):
        _action(team, case=closed, owner=team["casus"])
    assert not Action.objects.filter(case=closed).exists()
    assert AuditEvent.objects.count() == before
