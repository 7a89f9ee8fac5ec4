"""Verwijsindex signals (issue 15, slice vi): the under-23 rule, expiry at two years or
age 23, matches that show both professionals each other's contact details and nothing of
the other case, the consultation within five working days, and removal by retention."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import CaseRole, Household, HouseholdMember
from ketenregie.cases.workflow import Status
from ketenregie.core.tests.mailutil import addressees
from ketenregie.core.timeutil import today
from ketenregie.intake.schedule import add_working_days
from ketenregie.safeguarding import vi_services as services
from ketenregie.safeguarding.vi_models import (
    ConsultationOutcome,
    RiskCategory,
    VerwijsindexMatch,
    VerwijsindexSignal,
    WithdrawalReason,
)
from ketenregie.safeguarding.vi_queries import open_matches, signals_about
from ketenregie.safeguarding.vi_rules import add_years, consultation_due, expiry_date
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _retention(on: dt.date, *, dry_run: bool = False) -> str:
    """Run the privacy app's daily job (`manage.py apply_retention`) on `on`, at noon; its
    output. Through the command: the privacy app sits above this one."""
    noon = dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC)
    out = io.StringIO()
    with time_machine.travel(noon, tick=False):
        call_command("apply_retention", *(["--dry-run"] if dry_run else []), stdout=out)
    return out.getvalue()


def _born(years: int, days: int = 0) -> dt.date:
    """A date of birth `years` (and `days` more) before today."""
    return add_years(today(), -years) - dt.timedelta(days=days)


def _professional(first_name: str, org_name: str, email: str) -> Any:
    return UserFactory(
        roles=[(Role.PROFESSIONAL, None)],
        organisation=OrganisationFactory(name=org_name),
        email=email,
        phone="06-12345678",
        job_title="Jeugdprofessional",
        first_name=first_name,
    )


def _household_case(house: Any, worker: Any, child: Any, **case: Any) -> Any:
    """A running case of a mother, with `child` in the household; `worker` on the team."""
    household = Household.objects.create(name="Gezin")
    mother = PersonFactory(voornamen="Moeder", geboortedatum=_born(38))
    HouseholdMember.objects.create(household=household, person=mother, relation="betrokkene")
    HouseholdMember.objects.create(household=household, person=child, relation="kind")
    made = CaseFactory(house=house, person=mother, household=household, **case)
    MembershipFactory(case=made, user=worker, role=CaseRole.BETROKKEN_PARTNER)
    return made


@pytest.fixture
def two_sides() -> dict[str, Any]:
    """Two professionals of different organisations, each on a case of a different house,
    both with the same 15-year-old in the household."""
    child = PersonFactory(voornamen="Noor", achternaam="Vermeulen", geboortedatum=_born(15))
    anna = _professional("Anna", "Jeugdteam Zuid", "anna@jeugdteam.invalid")
    piet = _professional("Piet", "Bureau Halt Noord", "piet@halt.invalid")
    case_a = _household_case(HouseFactory(name="Huis Zuid"), anna, child)
    case_b = _household_case(HouseFactory(name="Huis Noord"), piet, child)
    return {"child": child, "anna": anna, "piet": piet, "a": case_a, "b": case_b}


def _signal(case: Any, actor: Any, person: Any, **kw: Any) -> VerwijsindexSignal:
    values: dict[str, Any] = {
        "person_id": person.pk,
        "category": RiskCategory.GEWELD,
        "informed_on": today(),
        "not_informed_reason": "",
    }
    values.update(kw)
    return services.record_signal(case, actor=actor, **values)


# ----------------------------------------------------------------- the under-23 rule


def test_signal_refused_at_23_and_without_date_of_birth(two_sides: dict[str, Any]) -> None:
    case, anna = two_sides["a"], two_sides["anna"]
    adult = PersonFactory(geboortedatum=_born(23))
    unknown = PersonFactory(geboortedatum=None)
    for person in (adult, unknown):
        HouseholdMember.objects.create(household=case.household, person=person, relation="kind")
    with pytest.raises(ValidationError) as too_old:
        _signal(case, anna, adult)
    assert "23 jaar of ouder" in str(too_old.value.message_dict["person"])
    with pytest.raises(ValidationError) as no_birth:
        _signal(case, anna, unknown)
    assert "geen geboortedatum" in str(no_birth.value.message_dict["person"])
    # One day before the 23rd birthday still counts as under 23.
    almost = PersonFactory(geboortedatum=_born(23) + dt.timedelta(days=1))
    HouseholdMember.objects.create(household=case.household, person=almost, relation="kind")
    assert _signal(case, anna, almost).expires_on == today() + dt.timedelta(days=1)
    assert VerwijsindexSignal.objects.count() == 1


def test_signal_only_for_people_of_the_case(two_sides: dict[str, Any]) -> None:
    stranger = PersonFactory(geboortedatum=_born(10))
    with pytest.raises(ValidationError) as error:
        _signal(two_sides["a"], two_sides["anna"], stranger)
    assert "person" in error.value.message_dict


def test_informed_date_or_reason_is_required(two_sides: dict[str, Any]) -> None:
    case, anna, child = two_sides["a"], two_sides["anna"], two_sides["child"]
    with pytest.raises(ValidationError) as error:
        _signal(case, anna, child, informed_on=None, not_informed_reason="  ")
    assert "informed_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        _signal(case, anna, child, informed_on=today() + dt.timedelta(days=1))
    signal = _signal(
        case, anna, child, informed_on=None, not_informed_reason="Moeder is met vakantie"
    )
    assert signal.informed_on is None and signal.not_informed_reason


def test_signal_needs_contact_details_and_a_running_pga(two_sides: dict[str, Any]) -> None:
    case, child = two_sides["a"], two_sides["child"]
    silent = UserFactory(roles=[(Role.PROFESSIONAL, None)], email="", phone="")
    with pytest.raises(ValidationError, match="contactgegevens"):
        _signal(case, silent, child)
    intake = CaseFactory(person=child, status=Status.AANGEMELD)
    with pytest.raises(ValidationError, match="PGA is gestart"):
        _signal(intake, two_sides["anna"], child)


# ----------------------------------------------------------------- expiry


def test_expiry_two_years_or_age_23_whichever_first() -> None:
    signalled = dt.date(2026, 3, 2)
    assert expiry_date(signalled, dt.date(2016, 6, 1)) == dt.date(2028, 3, 2)
    assert expiry_date(signalled, dt.date(2004, 6, 1)) == dt.date(2027, 6, 1)  # 23 first
    # Born on 29 February: the 23rd birthday in a common year is taken as 28 February.
    assert expiry_date(signalled, dt.date(2004, 2, 29)) == dt.date(2027, 2, 28)


def test_age_23_expiry_stored_at_creation(two_sides: dict[str, Any]) -> None:
    case, anna = two_sides["a"], two_sides["anna"]
    older = PersonFactory(geboortedatum=_born(22, days=-40))  # 23 in about 40 days
    HouseholdMember.objects.create(household=case.household, person=older, relation="kind")
    signal = _signal(case, anna, older)
    assert signal.expires_on == add_years(older.geboortedatum, 23)
    young = _signal(case, anna, two_sides["child"])
    assert young.expires_on == add_years(today(), 2)


def test_retention_removes_expired_signals_and_their_matches(two_sides: dict[str, Any]) -> None:
    ctx = two_sides
    first = _signal(ctx["a"], ctx["anna"], ctx["child"])
    second = _signal(ctx["b"], ctx["piet"], ctx["child"])
    assert VerwijsindexMatch.objects.count() == 1
    other = PersonFactory(geboortedatum=_born(8))
    HouseholdMember.objects.create(household=ctx["a"].household, person=other, relation="kind")
    kept = _signal(ctx["a"], ctx["anna"], other)
    # The day before two years: everything stays.
    assert "Verwijsindex" not in _retention(first.expires_on - dt.timedelta(days=1))
    assert VerwijsindexSignal.objects.count() == 3
    # On the day the two years are up the signals of that day go (with the match); move
    # the eight-year-old's end on by hand to see a signal that is not due stay.
    VerwijsindexSignal.objects.filter(pk=kept.pk).update(
        expires_on=first.expires_on + dt.timedelta(days=10)
    )
    dry = _retention(first.expires_on, dry_run=True)
    assert "Verwijsindex: 2 verlopen signaal(en) te verwijderen" in dry
    assert VerwijsindexSignal.objects.count() == 3
    assert "Verwijsindex: 2 verlopen signaal(en) verwijderd" in _retention(first.expires_on)
    assert list(VerwijsindexSignal.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not VerwijsindexMatch.objects.exists()
    events = AuditEvent.objects.filter(action="vi.signal_expired")
    assert sorted(e.data["signaal"] for e in events) == sorted([first.pk, second.pk])
    assert {e.case_id for e in events} == {ctx["a"].pk, ctx["b"].pk}
    # Idempotent: a second run finds nothing.
    assert "Verwijsindex" not in _retention(first.expires_on)
    assert AuditEvent.objects.filter(action="vi.signal_expired").count() == 2


def test_withdrawn_signal_ends_at_once_and_goes_with_the_next_run(
    two_sides: dict[str, Any],
) -> None:
    ctx = two_sides
    signal = _signal(ctx["a"], ctx["anna"], ctx["child"])
    services.withdraw_signal(signal, actor=ctx["anna"], reason=WithdrawalReason.CONCERNS_GONE)
    signal.refresh_from_db()
    assert signal.expires_on == today() and signal.is_withdrawn
    # An ended signal no longer matches.
    _signal(ctx["b"], ctx["piet"], ctx["child"])
    assert not VerwijsindexMatch.objects.exists()
    with pytest.raises(ValidationError, match="al ingetrokken"):
        services.withdraw_signal(signal, actor=ctx["anna"], reason=WithdrawalReason.IN_ERROR)
    assert "1 verlopen signaal(en) verwijderd" in _retention(today())
    assert not VerwijsindexSignal.objects.filter(pk=signal.pk).exists()


# ----------------------------------------------------------------- matches


def test_match_mails_both_and_is_audited_without_a_case(
    two_sides: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    ctx = two_sides
    _signal(ctx["a"], ctx["anna"], ctx["child"])
    assert not VerwijsindexMatch.objects.exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _signal(ctx["b"], ctx["piet"], ctx["child"])
    match = VerwijsindexMatch.objects.get()
    assert addressees(mail.outbox) == ["anna@jeugdteam.invalid", "piet@halt.invalid"]
    for message in mail.outbox:
        assert "Vermeulen" not in message.body and "Noor" not in message.body
        assert "Huis" not in message.body
    links = {m.to[0]: m.body for m in mail.outbox}
    assert reverse("vi_list", args=[ctx["a"].pk]) in links["anna@jeugdteam.invalid"]
    assert reverse("vi_list", args=[ctx["b"].pk]) in links["piet@halt.invalid"]
    event = AuditEvent.objects.get(action="vi.match_made")
    assert event.case_id is None and event.object_id == str(match.pk)


def test_same_professional_twice_is_refused_not_matched(two_sides: dict[str, Any]) -> None:
    ctx = two_sides
    _signal(ctx["a"], ctx["anna"], ctx["child"])
    MembershipFactory(case=ctx["b"], user=ctx["anna"], role=CaseRole.BETROKKEN_PARTNER)
    with pytest.raises(ValidationError, match="al een actief signaal"):
        _signal(ctx["b"], ctx["anna"], ctx["child"])
    assert not VerwijsindexMatch.objects.exists()


def test_both_see_each_others_contact_details_and_nothing_of_the_other_case(
    client: Client, two_sides: dict[str, Any]
) -> None:
    ctx = two_sides
    _signal(ctx["a"], ctx["anna"], ctx["child"], category=RiskCategory.SCHOOLVERZUIM)
    _signal(ctx["b"], ctx["piet"], ctx["child"], category=RiskCategory.STRAFBAAR)
    client.force_login(ctx["anna"])
    page = client.get(reverse("vi_list", args=[ctx["a"].pk])).content.decode()
    assert "piet@halt.invalid" in page and "Bureau Halt Noord" in page and "06-12345678" in page
    # Not the other case, its house or the other signaller's risk category.
    assert ctx["b"].code not in page and "Huis Noord" not in page
    assert str(RiskCategory.STRAFBAAR.label) not in page
    assert str(RiskCategory.SCHOOLVERZUIM.label) in page  # her own, on her own case
    # The other case itself stays closed to her.
    assert client.get(reverse("vi_list", args=[ctx["b"].pk])).status_code == 404
    assert client.get(reverse("case_detail", args=[ctx["b"].pk])).status_code == 404
    client.force_login(ctx["piet"])
    page = client.get(reverse("vi_list", args=[ctx["b"].pk])).content.decode()
    assert "anna@jeugdteam.invalid" in page and "Jeugdteam Zuid" in page
    assert ctx["a"].code not in page and "Huis Zuid" not in page
    assert str(RiskCategory.SCHOOLVERZUIM.label) not in page
    # The dashboard names the match too.
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Nieuwe match in de Verwijsindex" in dashboard and "Jeugdteam Zuid" in dashboard
    assert ctx["a"].code not in dashboard


def test_team_colleague_sees_the_signal_but_not_the_match(
    client: Client, two_sides: dict[str, Any]
) -> None:
    ctx = two_sides
    _signal(ctx["a"], ctx["anna"], ctx["child"])
    _signal(ctx["b"], ctx["piet"], ctx["child"])
    colleague = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    MembershipFactory(case=ctx["a"], user=colleague, role=CaseRole.BETROKKEN_PARTNER)
    client.force_login(colleague)
    page = client.get(reverse("vi_list", args=[ctx["a"].pk])).content.decode()
    assert "Jeugdteam Zuid" in page  # Anna's signal on their own case
    assert "piet@halt.invalid" not in page and "Bureau Halt Noord" not in page
    assert open_matches(colleague) == []


def test_adviser_gets_no_verwijsindex_page(client: Client, two_sides: dict[str, Any]) -> None:
    adviser = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    MembershipFactory(case=two_sides["a"], user=adviser, role=CaseRole.ADVISEUR)
    client.force_login(adviser)
    assert client.get(reverse("vi_list", args=[two_sides["a"].pk])).status_code == 403


# ----------------------------------------------------------------- consultation


def test_consultation_due_five_working_days_over_a_weekend() -> None:
    friday = dt.date(2026, 11, 13)
    assert consultation_due(friday) == dt.date(2026, 11, 20)  # the next Friday
    assert consultation_due(dt.date(2026, 11, 16)) == dt.date(2026, 11, 23)  # Monday
    # Over Christmas: 25 and 26 December are no working days.
    assert consultation_due(dt.date(2026, 12, 23)) == dt.date(2026, 12, 31)
    assert add_working_days(friday, 0) == friday


def test_match_on_a_friday_is_due_the_next_friday_and_shown_late_after(
    client: Client, two_sides: dict[str, Any]
) -> None:
    ctx = two_sides
    with time_machine.travel(dt.datetime(2026, 11, 13, 10, 0, tzinfo=dt.UTC), tick=False):
        _signal(ctx["a"], ctx["anna"], ctx["child"])
        _signal(ctx["b"], ctx["piet"], ctx["child"])
    match = VerwijsindexMatch.objects.get()
    assert match.consultation_due == dt.date(2026, 11, 20)
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(ctx["anna"])
        page = client.get(reverse("vi_list", args=[ctx["a"].pk])).content.decode()
        assert "vrijdag 20 november 2026" in page and "te laat" not in page
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(ctx["anna"])
        page = client.get(reverse("vi_list", args=[ctx["a"].pk])).content.decode()
        assert "te laat" in page
        assert open_matches(ctx["anna"])[0].is_overdue


def test_consultation_recorded_once_by_either(client: Client, two_sides: dict[str, Any]) -> None:
    ctx = two_sides
    _signal(ctx["a"], ctx["anna"], ctx["child"])
    _signal(ctx["b"], ctx["piet"], ctx["child"])
    match = VerwijsindexMatch.objects.get()
    client.force_login(ctx["piet"])
    url = reverse("vi_consultation", args=[ctx["b"].pk, match.pk])
    # Bad input: a Dutch message on the page, no 500, nothing written.
    bad = client.post(url, {"held_on": "morgen", "outcome": ConsultationOutcome.COORDINATION})
    assert bad.status_code == 200 and "Voer een geldige datum in" in bad.content.decode()
    future = (today() + dt.timedelta(days=3)).isoformat()
    bad = client.post(url, {"held_on": future, "outcome": ConsultationOutcome.COORDINATION})
    assert "in de toekomst" in bad.content.decode()
    resp = client.post(
        url, {"held_on": today().isoformat(), "outcome": ConsultationOutcome.COORDINATION}
    )
    assert resp.status_code == 302
    match.refresh_from_db()
    assert match.consultation_held_on == today() and match.consultation_by == ctx["piet"]
    assert AuditEvent.objects.filter(action="vi.consultation_recorded").count() == 1
    assert open_matches(ctx["anna"]) == [] and open_matches(ctx["piet"]) == []
    with pytest.raises(ValidationError, match="al vastgelegd"):
        services.record_consultation(
            match,
            actor=ctx["anna"],
            held_on=today(),
            outcome=ConsultationOutcome.NO_COORDINATION,
        )
    # Anna cannot answer through Piet's case, and a stranger finds no match at all.
    client.force_login(ctx["anna"])
    other = reverse("vi_consultation", args=[ctx["b"].pk, match.pk])
    assert client.post(other, {}).status_code == 404


def test_a_signaller_who_left_the_case_no_longer_sees_or_answers_its_match(
    client: Client, two_sides: dict[str, Any]
) -> None:
    """The match pages rest on the case gate: once Anna's membership of her case has
    ended, its Verwijsindex page and the consultation answer are closed to her (404),
    and the match is no longer on her dashboard list."""
    from ketenregie.cases.models import CaseMembership

    ctx = two_sides
    _signal(ctx["a"], ctx["anna"], ctx["child"])
    _signal(ctx["b"], ctx["piet"], ctx["child"])
    match = VerwijsindexMatch.objects.get()
    client.force_login(ctx["anna"])
    assert client.get(reverse("vi_list", args=[ctx["a"].pk])).status_code == 200
    assert len(open_matches(ctx["anna"])) == 1
    CaseMembership.objects.filter(case=ctx["a"], user=ctx["anna"]).update(
        valid_to=today() - dt.timedelta(days=1)
    )
    assert client.get(reverse("vi_list", args=[ctx["a"].pk])).status_code == 404
    url = reverse("vi_consultation", args=[ctx["a"].pk, match.pk])
    held = {"held_on": today().isoformat(), "outcome": ConsultationOutcome.COORDINATION}
    assert client.post(url, held).status_code == 404
    assert open_matches(ctx["anna"]) == []
    match.refresh_from_db()
    assert match.consultation_held_on is None


# ----------------------------------------------------------------- pages


def test_new_signal_page_keeps_input_and_shows_dutch_errors(
    client: Client, two_sides: dict[str, Any]
) -> None:
    ctx = two_sides
    client.force_login(ctx["anna"])
    url = reverse("vi_new", args=[ctx["a"].pk])
    page = client.get(url).content.decode()
    assert "Noor van der Vermeulen" in page and "(15 jaar)" in page
    mother = ctx["a"].person
    resp = client.post(
        url,
        {"person": mother.pk, "category": RiskCategory.OUDERS, "not_informed_reason": "Later"},
    )
    body = resp.content.decode()
    assert resp.status_code == 200 and "23 jaar of ouder" in body
    assert "Later" in body  # what was typed stays
    assert client.post(url, {"person": "9" * 30, "category": "zz"}).status_code == 200
    resp = client.post(
        url,
        {
            "person": ctx["child"].pk,
            "category": RiskCategory.OUDERS,
            "informed_on": today().isoformat(),
        },
    )
    assert resp.status_code == 302
    assert VerwijsindexSignal.objects.get().signaller == ctx["anna"]


def test_only_the_signaller_changes_a_signal(client: Client, two_sides: dict[str, Any]) -> None:
    ctx = two_sides
    signal = _signal(
        ctx["a"], ctx["anna"], ctx["child"], informed_on=None, not_informed_reason="Nog niet"
    )
    colleague = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    MembershipFactory(case=ctx["a"], user=colleague, role=CaseRole.BETROKKEN_PARTNER)
    client.force_login(colleague)
    withdraw = reverse("vi_withdraw", args=[ctx["a"].pk, signal.pk])
    informed = reverse("vi_informed", args=[ctx["a"].pk, signal.pk])
    assert client.post(withdraw, {"reason": WithdrawalReason.IN_ERROR}).status_code == 404
    assert client.post(informed, {"informed_on": today().isoformat()}).status_code == 404
    client.force_login(ctx["anna"])
    assert client.post(informed, {"informed_on": ""}).status_code == 200
    assert client.post(informed, {"informed_on": today().isoformat()}).status_code == 302
    signal.refresh_from_db()
    assert signal.informed_on == today() and signal.not_informed_reason == ""
    assert client.post(withdraw, {"reason": "weg"}).status_code == 200
    assert client.post(withdraw, {"reason": WithdrawalReason.IN_ERROR}).status_code == 302
    signal.refresh_from_db()
    assert signal.is_withdrawn


def test_subject_access_lists_that_signals_exist(two_sides: dict[str, Any]) -> None:
    ctx = two_sides
    _signal(ctx["a"], ctx["anna"], ctx["child"])
    rows = signals_about(ctx["child"].pk)
    assert [(r.organisation, r.signalled_on) for r in rows] == [("Jeugdteam Zuid", today())]


def test_an_unknown_transport_setting_is_a_configuration_error(settings: Any) -> None:
    """Only the in-house index exists (ADR 30): a setting naming another is refused, not
    silently replaced by the in-house one."""
    from django.core.exceptions import ImproperlyConfigured

    from ketenregie.safeguarding.vi_transport import current_index

    assert current_index() is not None
    settings.KETENREGIE_VI_TRANSPORT = "regionaal"
    with pytest.raises(ImproperlyConfigured):
        current_index()
