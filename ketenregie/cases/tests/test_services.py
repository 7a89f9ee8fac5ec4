"""Person and case-team services: validation, concurrency and audit in one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ketenregie.audit.models import AuditEvent
from ketenregie.cases import services
from ketenregie.cases.models import CaseMembership, CaseRole, Person, PersonVersion
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.timeutil import today
from ketenregie.tests_support.factories import CaseFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_person_audits_and_normalises_bsn() -> None:
    actor = UserFactory()
    person = services.create_person(
        actor=actor,
        values={"voornamen": "Kees", "achternaam": "Proef", "bsn": "9999 9001 9"},
    )
    assert person.bsn == "999990019"
    ev = AuditEvent.objects.get(action="person.created")
    assert ev.object_id == str(person.pk) and ev.actor_id == actor.pk


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"bsn": "123456789"}, "bsn"),
        ({"geboortedatum": today() + dt.timedelta(days=2)}, "geboortedatum"),
    ],
)
def test_bad_person_input_saves_nothing(values: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        services.create_person(actor=None, values={"voornamen": "A", "achternaam": "B", **values})
    assert field in err.value.message_dict
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_second_person_with_same_bsn_is_refused() -> None:
    PersonFactory(bsn="999990019")
    with pytest.raises(ValidationError) as err:
        services.create_person(
            actor=None, values={"voornamen": "A", "achternaam": "B", "bsn": "999990019"}
        )
    assert "al een betrokkene met dit BSN" in str(err.value.message_dict["bsn"])


def test_update_person_records_before_and_after() -> None:
    person = services.create_person(actor=None, values={"voornamen": "A", "achternaam": "Oud"})
    actor = UserFactory()
    services.update_person(
        person, actor=actor, values={"achternaam": "Nieuw"}, expected_version=person.version
    )
    person.refresh_from_db()
    assert person.achternaam == "Nieuw" and person.version == 2
    ev = AuditEvent.objects.get(action="person.updated")
    assert ev.data["velden"] == ["achternaam"] and ev.data["versie"] == 2
    # The values live beside the trail (deletable with the person), hashed into the event.
    v1, v2 = PersonVersion.objects.filter(person=person).order_by("version")
    assert (v1.values["achternaam"], v2.values["achternaam"]) == ("Oud", "Nieuw")
    assert "Nieuw" not in str(ev.data) and len(ev.data["sha256"]) == 64


def test_concurrent_person_edit_is_refused() -> None:
    person = PersonFactory(achternaam="Start")
    stale_version = person.version
    services.update_person(
        person, actor=None, values={"achternaam": "Eerste"}, expected_version=stale_version
    )
    with pytest.raises(ConcurrentEditError):
        services.update_person(
            person, actor=None, values={"achternaam": "Tweede"}, expected_version=stale_version
        )
    person.refresh_from_db()
    assert person.achternaam == "Eerste"


def test_only_one_procesregisseur_at_a_time() -> None:
    case = CaseFactory()
    first, second = UserFactory(), UserFactory()
    start = today() - dt.timedelta(days=10)
    services.add_membership(
        case,
        actor=first,
        role=CaseRole.PROCESREGISSEUR,
        organisation=first.organisation,
        user=first,
        valid_from=start,
    )
    with pytest.raises(ValidationError) as err:
        services.add_membership(
            case,
            actor=first,
            role=CaseRole.PROCESREGISSEUR,
            organisation=second.organisation,
            user=second,
            valid_from=today(),
        )
    assert "role" in err.value.message_dict
    assert CaseMembership.objects.filter(case=case).count() == 1


def test_successor_procesregisseur_after_handover_is_allowed() -> None:
    case = CaseFactory()
    first, second = UserFactory(), UserFactory()
    start = today() - dt.timedelta(days=10)
    m = services.add_membership(
        case,
        actor=first,
        role=CaseRole.PROCESREGISSEUR,
        organisation=first.organisation,
        user=first,
        valid_from=start,
    )
    services.end_membership(m, actor=first, valid_to=today() - dt.timedelta(days=1))
    services.add_membership(
        case,
        actor=first,
        role=CaseRole.PROCESREGISSEUR,
        organisation=second.organisation,
        user=second,
        valid_from=today(),
    )
    assert CaseMembership.objects.filter(case=case, role=CaseRole.PROCESREGISSEUR).count() == 2
    actions = list(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert actions == ["team.member_added", "team.member_ended", "team.member_added"]


def test_period_that_ends_before_it_starts_is_refused() -> None:
    case = CaseFactory()
    user = UserFactory()
    with pytest.raises(ValidationError) as err:
        services.add_membership(
            case,
            actor=user,
            role=CaseRole.BETROKKEN_PARTNER,
            organisation=user.organisation,
            user=user,
            valid_from=today(),
            valid_to=today() - dt.timedelta(days=1),
        )
    assert "valid_to" in err.value.message_dict
    assert not CaseMembership.objects.exists()


def test_create_case_numbers_per_house_and_year() -> None:
    person = PersonFactory()
    from ketenregie.tests_support.factories import HouseFactory

    house = HouseFactory(code="ABC")
    a = services.create_case(actor=None, house=house, person=person)
    b = services.create_case(actor=None, house=house, person=person)
    year = today().year
    assert (a.code, b.code) == (f"ABC-{year}-00001", f"ABC-{year}-00002")
    assert a.status_changes.count() == 1


def test_an_ended_role_cannot_be_extended() -> None:
    case = CaseFactory()
    first, second = UserFactory(), UserFactory()
    m = services.add_membership(
        case,
        actor=first,
        role=CaseRole.PROCESREGISSEUR,
        organisation=first.organisation,
        user=first,
        valid_from=today() - dt.timedelta(days=10),
    )
    services.end_membership(m, actor=first, valid_to=today() - dt.timedelta(days=1))
    services.add_membership(
        case,
        actor=first,
        role=CaseRole.PROCESREGISSEUR,
        organisation=second.organisation,
        user=second,
        valid_from=today(),
    )
    with pytest.raises(ValidationError) as err:
        services.end_membership(m, actor=first, valid_to=today() + dt.timedelta(days=300))
    assert "verlengt u niet" in str(err.value.message_dict["valid_to"])


def test_escalation_change_records_its_reason() -> None:
    case = CaseFactory(escalation_level=3)
    services.change_escalation_level(case, level=4, actor=UserFactory(), reason="Nieuwe dreiging")
    ev = AuditEvent.objects.get(action="case.escalation_changed")
    assert ev.data["wijzigingen"]["escalation_level"] == {"voor": 3, "na": 4}
    # The free-text reason is kept in the deletable history, not the permanent trail.
    assert "Nieuwe dreiging" not in str(ev.data)
    from ketenregie.cases.models import EscalationChange

    change = EscalationChange.objects.get(case=case)
    assert (change.from_level, change.to_level, change.reason) == (3, 4, "Nieuwe dreiging")


def test_case_numbers_are_never_reused() -> None:
    from ketenregie.tests_support.factories import HouseFactory

    house = HouseFactory(code="NUM")
    first = services.create_case(actor=None, house=house, person=PersonFactory())
    code = first.code
    first.delete()
    second = services.create_case(actor=None, house=house, person=PersonFactory())
    assert second.code != code and second.code.endswith("00002")


def test_status_history_cannot_be_changed() -> None:
    from ketenregie.cases.models import StatusChange

    case = CaseFactory()
    row = StatusChange.objects.filter(case=case).get()
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        StatusChange.objects.filter(case=case).update(reason="x")


def test_hand_over_to_a_named_successor() -> None:
    import time_machine

    from ketenregie.accounts.roles import Role
    from ketenregie.cases.access import visible_cases

    case = CaseFactory()
    holder = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    successor = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=holder.organisation)
    m = services.add_membership(
        case,
        actor=holder,
        role=CaseRole.CASUSREGISSEUR,
        organisation=holder.organisation,
        user=holder,
        valid_from=today() - dt.timedelta(days=20),
    )
    per = today() + dt.timedelta(days=3)
    with pytest.raises(ValidationError):
        services.hand_over(m, actor=holder, successor=holder, from_date=per)
    new = services.hand_over(
        m, actor=holder, successor=successor, from_date=per, note="Nieuwe baan"
    )
    m.refresh_from_db()
    # The former holder's period ends on the handover day, marked handed over.
    assert m.valid_to == per and m.handed_over and new.valid_from == per
    assert new.role == CaseRole.CASUSREGISSEUR and new.user == successor
    assert AuditEvent.objects.filter(action="team.handed_over", case_id=case.pk).exists()
    assert visible_cases(holder).filter(pk=case.pk).exists()  # until the day before
    with time_machine.travel(dt.datetime.combine(per, dt.time(10))):
        assert not visible_cases(holder).filter(pk=case.pk).exists()
        assert visible_cases(successor).filter(pk=case.pk).exists()
    # Ended by hand before the planned handover: an ordinary last day again.
    services.end_membership(m, actor=holder, valid_to=per - dt.timedelta(days=2))
    m.refresh_from_db()
    assert not m.handed_over and m.active_on(per - dt.timedelta(days=2))


def test_hand_over_on_the_day_the_role_began() -> None:
    """Issue 12: the handover date defaults to today, but a role that began today was
    refused ("moet na de begindatum"). A same-day handover works; a date before the
    role began, or a second handover of a role already handed over, is refused."""
    from ketenregie.accounts.roles import Role

    case = CaseFactory()
    holder = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    successor, third = (
        UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=holder.organisation)
        for _ in range(2)
    )
    m = services.add_membership(
        case,
        actor=holder,
        role=CaseRole.PROCESREGISSEUR,
        organisation=holder.organisation,
        user=holder,
        valid_from=today(),
    )
    with pytest.raises(ValidationError, match="begindatum"):
        services.hand_over(
            m, actor=holder, successor=successor, from_date=today() - dt.timedelta(days=1)
        )
    new = services.hand_over(m, actor=holder, successor=successor, from_date=today())
    m.refresh_from_db()
    assert m.valid_to == today() and m.handed_over
    # One procesregisseur at a time still holds: the successor starts the same day.
    assert new.role == CaseRole.PROCESREGISSEUR and new.valid_from == today()
    with pytest.raises(ValidationError, match="al beëindigd"):
        services.hand_over(m, actor=holder, successor=third, from_date=today())
    # Ended by hand on the handover day, it stays handed over (no second procesregisseur).
    services.end_membership(m, actor=holder, valid_to=today())
    m.refresh_from_db()
    assert m.handed_over and not m.active_on(today())
    with pytest.raises(ValidationError, match="al een procesregisseur"):
        services.add_membership(
            case,
            actor=holder,
            role=CaseRole.PROCESREGISSEUR,
            organisation=third.organisation,
            user=third,
            valid_from=today(),
        )


def test_escalation_with_criteria_of_the_map() -> None:
    from ketenregie.cases.defaults import ensure_escalation_criteria
    from ketenregie.cases.models import EscalationChange, EscalationCriterion

    ensure_escalation_criteria()
    case = CaseFactory(escalation_level=3)
    actor = UserFactory()
    up = EscalationCriterion.objects.filter(direction="op", from_level=3).first()
    down = EscalationCriterion.objects.filter(direction="af", from_level=3).first()
    assert up is not None and down is not None
    with pytest.raises(ValidationError) as err:
        services.change_escalation_level(
            case, level=4, actor=actor, reason="Dreiging", criterion_ids=[down.pk]
        )
    assert "criteria" in err.value.message_dict  # a down-criterion cannot lift the level
    with pytest.raises(ValidationError):
        services.change_escalation_level(case, level=4, actor=actor, reason="x", criterion_ids=[])
    services.change_escalation_level(
        case, level=4, actor=actor, reason="Dreiging", criterion_ids=[up.pk]
    )
    change = EscalationChange.objects.get(case=case)
    assert change.criteria == [up.text] and change.decided_by == actor
    assert AuditEvent.objects.get(action="case.escalation_changed").data["criteria"] == [up.pk]


def test_hand_over_only_to_eligible_successors() -> None:
    """Security review finding 1: a holder could hand their role to anyone in any
    organisation, who then saw the case in full. The holder hands over within their own
    organisation; across organisations only the case's procesregisseur, and only to people
    who work with the house; never to another region's staff."""
    from ketenregie.accounts.models import HousePartner
    from ketenregie.accounts.roles import Role
    from ketenregie.cases.access import handover_successors, visible_cases
    from ketenregie.tests_support.factories import HouseFactory

    case = CaseFactory()
    holder = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    colleague = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=holder.organisation)
    partner = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    HousePartner.objects.create(house=case.house, organisation=partner.organisation)
    stranger = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    elsewhere = UserFactory(roles=[(Role.PROCESREGISSEUR, HouseFactory())])
    regisseur = UserFactory(roles=[(Role.PROCESREGISSEUR, case.house)])
    start = today() - dt.timedelta(days=20)
    services.add_membership(
        case,
        actor=regisseur,
        role=CaseRole.PROCESREGISSEUR,
        organisation=regisseur.organisation,
        user=regisseur,
        valid_from=start,
    )
    m = services.add_membership(
        case,
        actor=regisseur,
        role=CaseRole.CASUSREGISSEUR,
        organisation=holder.organisation,
        user=holder,
        valid_from=start,
    )
    per = today() + dt.timedelta(days=1)
    assert list(handover_successors(holder, m)) == [colleague]
    for outsider in (stranger, partner, elsewhere):
        with pytest.raises(ValidationError, match="kan de rol niet overnemen"):
            services.hand_over(m, actor=holder, successor=outsider, from_date=per)
        assert not visible_cases(outsider).filter(pk=case.pk).exists()
    # The procesregisseur approves a move to a partner of the house, never to a stranger.
    offered = set(handover_successors(regisseur, m))
    assert {colleague, partner, regisseur} <= offered
    assert stranger not in offered and elsewhere not in offered and holder not in offered
    with pytest.raises(ValidationError):
        services.hand_over(m, actor=regisseur, successor=elsewhere, from_date=per)
    new = services.hand_over(m, actor=regisseur, successor=partner, from_date=per)
    assert new.user == partner and new.organisation == partner.organisation
