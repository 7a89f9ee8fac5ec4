"""Issue 15, escalation map and competence profiles: the profile check on every regisseur
assignment (B at 3, B+ at 4 and 5, a recorded reason), the notices a level change sends
to whom the house's map names, the map page and the map's editing by the beheerder."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.models import CompetenceProfile, User
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases import services
from ketenregie.cases.competence import check_profile, director_shortfalls
from ketenregie.cases.defaults import ensure_escalation_criteria
from ketenregie.cases.escalation_map import ensure_escalation_map
from ketenregie.cases.models import (
    CaseRole,
    EscalationCriterion,
    EscalationMapLevel,
    EscalationNotice,
    Household,
    ProfileOverride,
)
from ketenregie.core.timeutil import today
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    in_household_variant,
)

pytestmark = pytest.mark.django_db

SHORT_AT_4 = "Op niveau 4 is een procesregisseur met profiel B+ nodig; huidige: B"


def _regisseur(house: Any, org: Any, profile: str | None, name: str) -> User:
    user = UserFactory(
        organisation=org,
        first_name=name,
        last_name="Regisseur",
        email=f"{name.lower()}@example.org",
        roles=[(Role.PROCESREGISSEUR, house)],
    )
    if profile:
        CompetenceProfile.objects.create(user=user, profile=profile, since=dt.date(2025, 1, 1))
    assert isinstance(user, User)
    return user


@pytest.fixture
def world() -> dict[str, Any]:
    house = in_household_variant(HouseFactory())
    ensure_escalation_map(house)
    org = OrganisationFactory()
    case = CaseFactory(house=house, household=Household.objects.create(name="Huishouden"))
    lead = _regisseur(house, org, "B+", "Leida")
    # The one who manages the team (the procesregisseur of the case) makes the changes.
    MembershipFactory(case=case, user=lead, organisation=org, role=CaseRole.PROCESREGISSEUR)
    return {
        "house": house,
        "org": org,
        "case": case,
        "lead": lead,
        "a": _regisseur(house, org, "A", "Anna"),
        "b": _regisseur(house, org, "B", "Bram"),
        "bplus": _regisseur(house, org, "B+", "Bea"),
        "none": _regisseur(house, org, None, "Nora"),
        "manager": UserFactory(
            email="manager@example.org", roles=[(Role.MANAGER, house)], first_name="Mia"
        ),
        "expert": UserFactory(
            email="expert@example.org", roles=[(Role.PGA_EXPERT, house)], first_name="Piet"
        ),
    }


def _assign(
    w: dict[str, Any], user: User, *, role: str = CaseRole.CASUSREGISSEUR, reason: str = ""
) -> Any:
    return services.add_membership(
        w["case"],
        actor=w["lead"],
        role=CaseRole(role),
        organisation=w["org"],
        user=user,
        valid_from=today(),
        profile_reason=reason,
    )


def _at(w: dict[str, Any], level: int) -> None:
    w["case"].escalation_level = level
    w["case"].save(update_fields=["escalation_level"])


def test_b_at_level_3_is_accepted(world: dict[str, Any]) -> None:
    _at(world, 3)
    assert _assign(world, world["b"]).user == world["b"]
    assert not ProfileOverride.objects.exists()


def test_b_at_level_4_is_refused_with_the_map_requirement(world: dict[str, Any]) -> None:
    _at(world, 4)
    with pytest.raises(ValidationError) as exc:
        _assign(world, world["b"])
    message = " ".join(exc.value.message_dict["profile_reason"])
    assert "Op niveau 4 is een casusregisseur met profiel B+ nodig; huidige: B" in message
    assert not world["case"].memberships.filter(user=world["b"]).exists()


def test_b_at_level_4_with_a_reason_is_recorded_and_audited(world: dict[str, Any]) -> None:
    _at(world, 4)
    membership = _assign(world, world["b"], reason="Vertrouwensband met moeder")
    override = ProfileOverride.objects.get()
    assert (override.user, override.level, override.required, override.held) == (
        world["b"],
        4,
        "B+",
        "B",
    )
    assert override.reason == "Vertrouwensband met moeder" and override.decided_by == world["lead"]
    event = AuditEvent.objects.get(action="team.profile_override")
    assert event.case_id == world["case"].pk
    assert event.data["vereist"] == "B+" and "Vertrouwensband" not in str(event.data)
    assert membership.pk is not None


def test_b_plus_at_level_5_is_accepted(world: dict[str, Any]) -> None:
    _at(world, 5)
    assert _assign(world, world["bplus"]).user == world["bplus"]


def test_no_profile_is_refused_at_level_3(world: dict[str, Any]) -> None:
    _at(world, 3)
    with pytest.raises(ValidationError) as exc:
        _assign(world, world["none"])
    assert "huidige: geen profiel" in " ".join(exc.value.message_dict["profile_reason"])


def test_a_handover_is_checked_too(world: dict[str, Any]) -> None:
    """Every assignment point passes the check: a handover to a B at level 4 asks why."""
    _at(world, 4)
    current = world["case"].memberships.get(user=world["lead"])
    with pytest.raises(ValidationError):
        services.hand_over(current, actor=world["lead"], successor=world["b"], from_date=today())
    new = services.hand_over(
        current,
        actor=world["lead"],
        successor=world["b"],
        from_date=today(),
        profile_reason="Overbrugging tot de PGA-expert terug is",
    )
    assert new.user == world["b"] and ProfileOverride.objects.count() == 1


def test_only_regisseurs_of_a_client_system_in_a_house_with_a_map_are_checked(
    world: dict[str, Any],
) -> None:
    _at(world, 4)
    assert check_profile(world["none"], world["case"], CaseRole.BETROKKEN_PARTNER) is None
    # Without a household the case is not the client system's (the household variant),
    # nor is a case with a household in a house that does not work in that variant.
    other = CaseFactory(escalation_level=4, household=Household.objects.create(name="y"))
    ensure_escalation_map(other.house)
    assert check_profile(world["none"], other, CaseRole.PROCESREGISSEUR) is None
    plain = CaseFactory(house=world["house"], escalation_level=4)
    assert check_profile(world["none"], plain, CaseRole.PROCESREGISSEUR) is None
    # A house without a map requires nothing.
    elsewhere = CaseFactory(escalation_level=4, household=Household.objects.create(name="x"))
    assert check_profile(world["none"], elsewhere, CaseRole.PROCESREGISSEUR) is None
    # The map row decides: no requirement at a level, no refusal.
    EscalationMapLevel.objects.filter(house=world["house"], level=4).update(required_profile="")
    assert check_profile(world["none"], world["case"], CaseRole.PROCESREGISSEUR) is None


def _raise_to_4(client: Client, w: dict[str, Any]) -> Any:
    ensure_escalation_criteria()
    up = EscalationCriterion.objects.filter(direction="op", from_level=3).first()
    assert up is not None
    client.force_login(w["lead"])
    return client.post(
        reverse("case_escalation", args=[w["case"].pk]),
        {"level": "4", "reason": "Dreiging van geweld", "criteria": [up.pk]},
    )


def test_level_change_notifies_whom_the_map_names(
    client: Client, world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    _at(world, 3)
    MembershipFactory(
        case=world["case"], user=world["b"], organisation=world["org"], role=CaseRole.CASUSREGISSEUR
    )
    with django_capture_on_commit_callbacks(execute=True):
        resp = _raise_to_4(client, world)
    assert resp.status_code == 302
    told = {n.user: n.responsibility for n in EscalationNotice.objects.all()}
    # Level 4 names the regisseurs, the house's managers and its PGA experts; the one who
    # changed the level is not told about their own act.
    assert told == {
        world["b"]: "regisseur",
        world["manager"]: "manager",
        world["expert"]: "pga_expert",
    }
    assert sorted(m.to[0] for m in mail.outbox) == [
        "bram@example.org",
        "expert@example.org",
        "manager@example.org",
    ]
    assert all(world["case"].code in m.subject for m in mail.outbox)
    # Link mails only: no reason, no name in the body.
    assert all("Dreiging" not in m.body and "Regisseur" not in m.body for m in mail.outbox)
    event = AuditEvent.objects.get(action="case.escalation_notified")
    assert event.case_id == world["case"].pk and event.data["naar_niveau"] == 4
    assert sorted(event.data["ontvangers"]) == sorted(u.pk for u in told)


def test_level_3_does_not_tell_pga_experts(world: dict[str, Any]) -> None:
    _at(world, 2)
    services.change_escalation_level(world["case"], level=3, actor=world["lead"], reason="Zorgen")
    told = set(EscalationNotice.objects.values_list("user_id", flat=True))
    assert told == {world["manager"].pk}


def test_page_after_raise_shows_next_step_and_the_b_plus_requirement(
    client: Client, world: dict[str, Any]
) -> None:
    _at(world, 3)
    # Bram (profile B) directs at level 3 and raises the case to 4 himself.
    world["case"].memberships.all().delete()
    MembershipFactory(
        case=world["case"],
        user=world["b"],
        organisation=world["org"],
        role=CaseRole.PROCESREGISSEUR,
    )
    world["lead"] = world["b"]
    resp = _raise_to_4(client, world)
    assert resp["Location"] == reverse("case_escalation_map", args=[world["case"].pk])
    html = client.get(resp["Location"]).content.decode()
    row = EscalationMapLevel.objects.get(house=world["house"], level=4)
    assert row.next_step in html and "huidig niveau van deze casus" in html
    assert SHORT_AT_4 in html
    detail = client.get(reverse("case_detail", args=[world["case"].pk])).content.decode()
    assert SHORT_AT_4 in detail and "profiel B<" in detail
    # Resolved by handing procesregie to a B+ colleague: the warning goes.
    bram = world["case"].memberships.get(user=world["b"], role=CaseRole.PROCESREGISSEUR)
    services.hand_over(bram, actor=world["b"], successor=world["bplus"], from_date=today())
    world["case"].refresh_from_db()
    assert director_shortfalls(world["case"]) == []
    client.force_login(world["bplus"])
    detail = client.get(reverse("case_detail", args=[world["case"].pk])).content.decode()
    assert SHORT_AT_4 not in detail and "profiel B+" in detail


def test_team_form_asks_for_a_reason_and_keeps_the_input(
    client: Client, world: dict[str, Any]
) -> None:
    _at(world, 4)
    client.force_login(world["lead"])
    url = reverse("team_add", args=[world["case"].pk])
    data = {
        "role": CaseRole.CASUSREGISSEUR,
        "organisation": world["org"].pk,
        "user": world["b"].pk,
        "valid_from": today().isoformat(),
        "note": "Getypte toelichting",
    }
    first = client.post(url, data)
    html = first.content.decode()
    assert first.status_code == 200
    assert "Op niveau 4 is een casusregisseur met profiel B+ nodig; huidige: B" in html
    assert '<textarea name="profile_reason"' in html and "Getypte toelichting" in html
    second = client.post(url, {**data, "profile_reason": "Kent het gezin al jaren"})
    assert second.status_code == 302
    assert ProfileOverride.objects.get().reason == "Kent het gezin al jaren"


def test_team_form_hides_the_reason_until_needed(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["lead"])
    html = client.get(reverse("team_add", args=[world["case"].pk])).content.decode()
    assert 'type="hidden" name="profile_reason"' in html and "<textarea" not in html


def test_notice_on_the_dashboard_and_marked_seen_only_by_its_owner(
    client: Client, world: dict[str, Any]
) -> None:
    _at(world, 3)
    services.change_escalation_level(world["case"], level=4, actor=world["lead"], reason="x")
    notice = EscalationNotice.objects.get(user=world["manager"])
    client.force_login(world["manager"])
    page = client.get(reverse("dashboard")).content.decode()
    row = EscalationMapLevel.objects.get(house=world["house"], level=4)
    assert "Escalatieniveau gewijzigd" in page and world["case"].code in page
    assert row.next_step in page
    url = reverse("escalation_notice_seen", args=[world["case"].pk, notice.pk])
    client.force_login(world["expert"])
    assert client.post(url).status_code == 404
    client.force_login(world["manager"])
    assert client.post(url).status_code == 302
    notice.refresh_from_db()
    assert notice.seen_at is not None
    assert AuditEvent.objects.filter(action="case.escalation_notice_seen").count() == 1
    assert world["case"].code not in client.get(reverse("dashboard")).content.decode()


def test_map_page_of_a_house_without_a_map(client: Client, world: dict[str, Any]) -> None:
    EscalationMapLevel.objects.filter(house=world["house"]).delete()
    client.force_login(world["lead"])
    html = client.get(reverse("case_escalation_map", args=[world["case"].pk])).content.decode()
    assert "heeft nog geen escalatiekaart" in html


@pytest.fixture
def beheerder_client(client: Client) -> Client:
    client.force_login(UserFactory(roles=[(Role.BEHEERDER, None)]))
    return client


def _row_data(row: EscalationMapLevel, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "house": row.house_id,
        "level": row.level,
        "casusregie": row.casusregie,
        "procesregie": row.procesregie,
        "operational": row.operational,
        "administrative": row.administrative,
        "escalates_to": row.escalates_to,
        "required_profile": row.required_profile,
        "next_step": row.next_step,
        "notify_directors": "on",
        "version": row.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_beheerder_edits_the_map_audited_with_version_check(
    beheerder_client: Client, world: dict[str, Any]
) -> None:
    row = EscalationMapLevel.objects.get(house=world["house"], level=3)
    url = reverse("manage_edit", args=["escalatiekaart", row.pk])
    assert beheerder_client.post(url, _row_data(row, required_profile="B+")).status_code == 302
    row.refresh_from_db()
    assert row.required_profile == "B+" and not row.notify_managers
    assert AuditEvent.objects.filter(action="escalationmaplevel.updated").count() == 1
    # A stale form is refused and keeps what was typed.
    stale = beheerder_client.post(url, _row_data(row, next_step="Getypt", version=1))
    assert "Iemand anders heeft dit gegeven opgeslagen" in stale.content.decode()
    # One row per house and level, with a Dutch message.
    dup = beheerder_client.post(
        reverse("manage_create", args=["escalatiekaart"]), _row_data(row, version="")
    )
    assert "Dit huis heeft al een rij voor dit niveau" in dup.content.decode()
    # The new requirement counts at once: B at level 3 now needs a reason.
    _at(world, 3)
    with pytest.raises(ValidationError):
        _assign(world, world["b"])


def test_beheerder_keeps_profiles_audited(beheerder_client: Client, world: dict[str, Any]) -> None:
    url = reverse("manage_create", args=["competentieprofielen"])
    resp = beheerder_client.post(
        url, {"user": world["none"].pk, "profile": "B", "since": "2026-01-05", "note": "Opleiding"}
    )
    assert resp.status_code == 302
    assert CompetenceProfile.objects.get(user=world["none"]).profile == "B"
    assert AuditEvent.objects.filter(action="competenceprofile.created").count() == 1
    bad = beheerder_client.post(url, {"user": world["a"].pk, "profile": "C", "since": "x"})
    assert bad.status_code == 200 and "utrecht-form-field-error-message" in bad.content.decode()
    assert not CompetenceProfile.objects.filter(user=world["a"], profile="C").exists()
    listing = beheerder_client.get(reverse("manage_list", args=["competentieprofielen"]))
    assert "Nora" in listing.content.decode()
