"""The social map and the tags of goals and actions (issue 14, ADR 24): the beheerder's
pages with audit and version check, tagging through the services and the plan page,
the rules on region and switched-off records, and the tags in plan versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import LifeDomain
from ketenregie.core.timeutil import today
from ketenregie.plans import services
from ketenregie.plans.models import Action, Goal, Intervention, Need, Plan
from ketenregie.plans.socialmap import domain_need, ensure_domain_needs
from ketenregie.tests_support.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _need(domain: str = "Huisvesting", name: str = "woonplek") -> Need:
    need, _created = Need.objects.get_or_create(
        domain=LifeDomain.objects.get(name=domain), name=name
    )
    return need


def _intervention(region: Any, need: Need, name: str = "Beschermd wonen") -> Intervention:
    intervention = Intervention.objects.create(
        name=name, provider="Stichting Test", region=region, capacity=5, waiting_weeks=10
    )
    intervention.needs.set([need])
    return intervention


def _plan(team: dict[str, Any]) -> Plan:
    return services.plan_for(team["case"], actor=team["regisseur"])


def test_every_life_domain_is_a_need_of_its_own() -> None:
    ensure_domain_needs()
    for domain in LifeDomain.objects.all():
        need = domain_need(domain.pk)
        assert need is not None and str(need) == domain.name
    assert str(_need()) == "Huisvesting: woonplek"


def test_a_goal_is_tagged_with_need_and_intervention_and_audited(team: dict[str, Any]) -> None:
    need = _need()
    shelter = _intervention(team["house"].region, need)
    goal = services.add_goal(
        _plan(team),
        actor=team["regisseur"],
        text="Een eigen plek",
        good_enough="Zes maanden op een adres",
        need=need,
        intervention=shelter,
    )
    assert (goal.need, goal.intervention) == (need, shelter)
    event = AuditEvent.objects.get(action="plan.goal_added", object_id=str(goal.pk))
    assert event.data == {
        "behoefte": need.pk,
        "interventie": shelter.pk,
        "gezinslid": None,
        "doelcheck": [],
    }


def test_an_intervention_of_another_region_or_without_need_is_refused(
    team: dict[str, Any],
) -> None:
    need = _need()
    elsewhere = _intervention(RegionFactory(), need)
    with pytest.raises(ValidationError) as refused:
        services.add_goal(
            _plan(team),
            actor=team["regisseur"],
            text="Doel",
            good_enough="Goed",
            need=need,
            intervention=elsewhere,
        )
    assert "andere regio" in refused.value.message_dict["intervention"][0]
    here = _intervention(team["house"].region, need, "Opvang")
    with pytest.raises(ValidationError) as no_need:
        services.add_goal(
            _plan(team), actor=team["regisseur"], text="Doel", good_enough="Goed", intervention=here
        )
    assert "behoefte" in no_need.value.message_dict["need"][0]


def test_changing_tags_is_audited_and_a_switched_off_need_may_only_stay(
    team: dict[str, Any],
) -> None:
    need, other = _need(), _need("Financiën", "schuldhulp")
    goal = services.add_goal(
        _plan(team), actor=team["regisseur"], text="Doel", good_enough="Goed", need=need
    )
    Need.objects.filter(pk=need.pk).update(is_active=False)
    need.refresh_from_db()
    # Kept as it was: allowed (the plan records what was chosen then).
    services.set_goal_tags(goal, actor=team["regisseur"], need=need, intervention=None)
    assert not AuditEvent.objects.filter(action="plan.goal_tagged").exists()
    services.set_goal_tags(goal, actor=team["regisseur"], need=other, intervention=None)
    event = AuditEvent.objects.get(action="plan.goal_tagged")
    assert event.data == {"wijzigingen": {"behoefte": {"voor": need.pk, "na": other.pk}}}
    with pytest.raises(ValidationError, match="niet meer op de sociale kaart"):
        services.set_goal_tags(goal, actor=team["regisseur"], need=need, intervention=None)


def test_an_action_without_need_serves_its_goals_need(team: dict[str, Any]) -> None:
    need = _need()
    shelter = _intervention(team["house"].region, need)
    plan = _plan(team)
    goal = services.add_goal(
        plan, actor=team["regisseur"], text="Doel", good_enough="Goed", need=need
    )
    action = services.add_action(
        team["case"],
        actor=team["regisseur"],
        what="Aanmelden bij beschermd wonen",
        owner_user=team["casus"],
        owner_organisation=None,
        due_date=today() + dt.timedelta(days=7),
        goal=goal,
        intervention=shelter,
    )
    assert action.need is None and action.intervention == shelter
    tagged = services.set_action_tags(action, actor=team["regisseur"], need=None, intervention=None)
    assert tagged.intervention is None
    assert AuditEvent.objects.filter(action="action.tagged", object_id=str(action.pk)).exists()


def test_a_plan_version_carries_the_tags_as_names(team: dict[str, Any]) -> None:
    need = _need()
    shelter = _intervention(team["house"].region, need)
    plan = _plan(team)
    plan = services.save_plan_text(
        plan, actor=team["regisseur"], values={"joint_goal": "Samen"}, expected_version=plan.version
    )
    services.add_goal(
        plan,
        actor=team["regisseur"],
        text="Doel",
        good_enough="Goed",
        need=need,
        intervention=shelter,
    )
    version = services.adopt_plan(plan, actor=team["regisseur"], expected_version=plan.version)
    [goal] = version.content["doelen"]
    assert goal["behoefte"] == "Huisvesting: woonplek"
    assert goal["interventie"] == "Beschermd wonen (Stichting Test)"


def test_plan_page_tags_a_goal_and_keeps_a_refused_choice(team: dict[str, Any]) -> None:
    need = _need()
    here = _intervention(team["house"].region, need)
    elsewhere = _intervention(RegionFactory(), need, "Elders")
    goal = services.add_goal(_plan(team), actor=team["regisseur"], text="Doel", good_enough="Goed")
    client = _client(team["regisseur"])
    url = reverse("plan_goal_tags", args=[team["case"].pk, goal.pk])
    ok = client.post(url, {"need": need.pk, "intervention": here.pk})
    assert ok.status_code == 302
    goal.refresh_from_db()
    assert (goal.need_id, goal.intervention_id) == (need.pk, here.pk)
    page = client.get(reverse("plan", args=[team["case"].pk])).content.decode()
    assert "Huisvesting: woonplek" in page
    # An intervention that is not on the region's map is not a choice: a Dutch message,
    # and the row shows what was chosen.
    other = _need("Financiën", "schuldhulp")
    bad = client.post(url, {"need": other.pk, "intervention": elsewhere.pk})
    html = bad.content.decode()
    assert bad.status_code == 200
    assert "Kies een interventie uit de sociale kaart." in html
    assert f'<option value="{other.pk}" selected>' in html
    goal.refresh_from_db()
    assert goal.need_id == need.pk


def test_a_partner_without_direction_cannot_tag(team: dict[str, Any]) -> None:
    goal = services.add_goal(_plan(team), actor=team["regisseur"], text="Doel", good_enough="Goed")
    url = reverse("plan_goal_tags", args=[team["case"].pk, goal.pk])
    assert _client(team["partner"]).post(url, {"need": _need().pk}).status_code == 403
    action = Action.objects.create(
        case=team["case"],
        what="x",
        owner_organisation=team["org"],
        due_date=today(),
        created_by=team["regisseur"],
    )
    url = reverse("plan_action_tags", args=[team["case"].pk, action.pk])
    assert _client(team["partner"]).post(url, {"need": _need().pk}).status_code == 403
    assert Goal.objects.get(pk=goal.pk).need_id is None


def test_the_beheerder_keeps_the_social_map_with_audit_and_version_check() -> None:
    beheerder = _client(UserFactory(roles=[(Role.BEHEERDER, None)]))
    region = RegionFactory()
    need = _need()
    values = {
        "name": "Skaeve huse",
        "provider": "Woonstichting Test",
        "region": region.pk,
        "municipality": "Heerlen",
        "needs": [need.pk],
        "capacity": "4",
        "waiting_weeks": "30",
        "is_active": "on",
    }
    missing = beheerder.post(
        reverse("manage_create", args=["sociale-kaart"]), {**values, "needs": []}
    )
    assert missing.status_code == 200
    assert "Kies ten minste één behoefte waarin dit voorziet." in missing.content.decode()
    assert (
        beheerder.post(reverse("manage_create", args=["sociale-kaart"]), values).status_code == 302
    )
    made = Intervention.objects.get(name="Skaeve huse")
    assert list(made.needs.all()) == [need]
    created = AuditEvent.objects.get(action="intervention.created")
    assert created.data["behoeften"] == [need.pk]
    edit = reverse("manage_edit", args=["sociale-kaart", made.pk])
    other = _need("Geestelijke gezondheid", "behandeling")
    assert (
        beheerder.post(
            edit, {**values, "needs": [need.pk, other.pk], "version": made.version}
        ).status_code
        == 302
    )
    changed = AuditEvent.objects.get(action="intervention.updated")
    assert changed.data["behoeften"] == {"voor": [need.pk], "na": sorted([need.pk, other.pk])}
    # A form loaded before that change: refused, what was typed stays.
    stale = beheerder.post(edit, {**values, "capacity": "9", "version": made.version})
    assert stale.status_code == 200
    assert Intervention.objects.get(pk=made.pk).capacity == 4
    assert 'value="9"' in stale.content.decode()
    need_page = beheerder.post(
        reverse("manage_create", args=["behoeften"]),
        {"domain": need.domain_id, "name": "woonplek", "order": "0", "is_active": "on"},
    )
    # The same need twice: a Dutch message on the page, not a 500.
    assert need_page.status_code == 200
