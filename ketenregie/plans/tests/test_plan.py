"""The integrated plan: working text, domain scores, statements, goals, adopted versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ketenregie.audit.models import AuditEvent
from ketenregie.cases.defaults import ZRM_DOMAINS, ensure_life_domains
from ketenregie.cases.models import Case, CaseMembership, CaseRole, LifeDomain
from ketenregie.cases.workflow import Status
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.timeutil import today
from ketenregie.plans import services, versions
from ketenregie.plans.models import DomainScore, Plan, PlanVersion
from ketenregie.plans.tests.conftest import other_case

pytestmark = pytest.mark.django_db

TEXT = {
    "joint_goal": "Wonen zonder overlast",
    "earlier_help": "Schuldhulp in 2024, afgebroken.",
    "analysis": "Schulden en eenzaamheid versterken elkaar.",
    "desired_result": "Stabiel wonen.",
    "residence_checked": True,
    "residence_checked_by": "Mw. Jansen",
}


def _domain(name: str) -> LifeDomain:
    return LifeDomain.objects.get(name=name)


def _text(plan: Plan, team: dict[str, Any], **values: Any) -> Plan:
    return services.save_plan_text(
        plan, actor=team["regisseur"], values={**TEXT, **values}, expected_version=plan.version
    )


def _adoptable(team: dict[str, Any]) -> Plan:
    plan = _text(services.plan_for(team["case"]), team)
    services.add_goal(
        plan, actor=team["regisseur"], text="Schulden in beeld", good_enough="Er is een budgetplan"
    )
    plan.refresh_from_db()
    return plan


def test_plan_for_creates_a_score_row_per_active_life_domain(team: dict[str, Any]) -> None:
    ensure_life_domains()
    LifeDomain.objects.filter(name="Justitie").update(is_active=False)
    plan = services.plan_for(team["case"])
    names = list(DomainScore.objects.filter(plan=plan).values_list("domain__name", flat=True))
    assert names == [n for n in ZRM_DOMAINS if n != "Justitie"]
    assert all(s.score is None and s.problem == "" for s in plan.domain_scores.all())
    # A second call returns the same plan and adds nothing.
    assert services.plan_for(team["case"]).pk == plan.pk
    assert DomainScore.objects.filter(plan=plan).count() == len(ZRM_DOMAINS) - 1


def test_plan_text_is_saved_versioned_and_audited_by_field_name(team: dict[str, Any]) -> None:
    plan = services.plan_for(team["case"])
    saved = _text(plan, team, joint_goal="  Wonen zonder overlast  ")
    assert saved.joint_goal == "Wonen zonder overlast" and saved.residence_checked is True
    assert saved.version == 2 and saved.updated_by == team["regisseur"]
    event = AuditEvent.objects.get(action="plan.text_saved")
    assert set(event.data["velden"]) == set(TEXT)
    assert event.data["wijzigingen"]["residence_checked"] == {"voor": False, "na": True}
    assert "Jansen" not in str(event.data)
    # Saving the same text again is no change: no new version, no event.
    again = _text(saved, team)
    assert again.version == 2 and AuditEvent.objects.filter(action="plan.text_saved").count() == 1


def test_a_stale_plan_text_save_is_refused_and_keeps_the_stored_text(team: dict[str, Any]) -> None:
    plan = services.plan_for(team["case"])
    opened = plan.version
    services.save_plan_text(plan, actor=team["regisseur"], values=TEXT, expected_version=opened)
    with pytest.raises(ConcurrentEditError):
        services.save_plan_text(
            plan,
            actor=team["casus"],
            values={**TEXT, "joint_goal": "Iets anders"},
            expected_version=opened,
        )
    plan.refresh_from_db()
    assert plan.joint_goal == TEXT["joint_goal"] and plan.version == opened + 1
    assert plan.updated_by == team["regisseur"]


def test_a_partial_plan_text_save_leaves_the_other_fields_alone(team: dict[str, Any]) -> None:
    plan = _text(services.plan_for(team["case"]), team)
    saved = services.save_plan_text(
        plan,
        actor=team["regisseur"],
        values={"joint_goal": "Nieuw doel"},
        expected_version=plan.version,
    )
    saved.refresh_from_db()
    assert saved.joint_goal == "Nieuw doel"
    assert saved.analysis == TEXT["analysis"] and saved.earlier_help == TEXT["earlier_help"]
    assert saved.residence_checked is True
    assert AuditEvent.objects.filter(action="plan.text_saved").last().data["velden"] == [
        "joint_goal"
    ]


def test_the_plan_of_a_closed_case_is_not_edited(team: dict[str, Any]) -> None:
    closed = other_case(team["house"], status=Status.AFGESLOTEN)
    with pytest.raises(ValidationError, match="in uitvoering"):
        services.plan_for(closed)  # no new plan on a closed case either
    assert not Plan.objects.filter(case=closed).exists()
    # A plan started while the case ran stays as it was once the case is closed.
    Case.objects.filter(pk=closed.pk).update(status=Status.IN_UITVOERING)
    plan = services.plan_for(closed)
    Case.objects.filter(pk=closed.pk).update(status=Status.AFGESLOTEN)
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="in uitvoering"):
        services.save_plan_text(plan, actor=team["regisseur"], values=TEXT, expected_version=1)
    with pytest.raises(ValidationError):
        services.add_goal(plan, actor=team["regisseur"], text="x", good_enough="y")
    plan.refresh_from_db()
    assert plan.joint_goal == "" and not plan.goals.exists()


def test_domain_scores_are_between_one_and_five(team: dict[str, Any]) -> None:
    plan = services.plan_for(team["case"])
    finance, housing = _domain("Financiën"), _domain("Huisvesting")
    for bad in (0, 6):
        with pytest.raises(ValidationError, match="tussen 1 en 5"):
            services.save_domain_scores(
                plan,
                actor=team["regisseur"],
                scores={finance.pk: (bad, "")},
                expected_version=plan.version,
            )
    saved = services.save_domain_scores(
        plan,
        actor=team["regisseur"],
        scores={
            finance.pk: (2, " Geheime schuldenlast "),
            housing.pk: (None, "Dreigende uitzetting"),
        },
        expected_version=plan.version,
    )
    rows = {
        r.domain.name: r for r in DomainScore.objects.filter(plan=saved).select_related("domain")
    }
    assert (rows["Financiën"].score, rows["Financiën"].problem) == (2, "Geheime schuldenlast")
    assert (
        rows["Huisvesting"].score is None and rows["Huisvesting"].problem == "Dreigende uitzetting"
    )
    event = AuditEvent.objects.get(action="plan.scores_saved")
    assert event.data == {"scores": {"Financiën": {"voor": None, "na": 2}}}
    with pytest.raises(ConcurrentEditError):
        services.save_domain_scores(
            plan, actor=team["regisseur"], scores={finance.pk: (5, "")}, expected_version=1
        )
    assert DomainScore.objects.get(plan=plan, domain=finance).score == 2


def test_statements_and_goals_need_their_fields(team: dict[str, Any]) -> None:
    plan = services.plan_for(team["case"])
    with pytest.raises(ValidationError) as err:
        services.add_statement(plan, actor=team["casus"], kind="mening", text=" ", said_by="")
    assert set(err.value.message_dict) == {"kind", "text", "said_by"}
    statement = services.add_statement(
        plan, actor=team["casus"], kind="kracht", text="Zorgt goed voor de hond.", said_by="Buurman"
    )
    assert statement.said_by == "Buurman"
    with pytest.raises(ValidationError) as err:
        services.add_goal(plan, actor=team["casus"], text="Doel", good_enough=" ")
    assert set(err.value.message_dict) == {"good_enough"}
    goal = services.add_goal(plan, actor=team["casus"], text="Doel", good_enough="Als het lukt")
    assert goal.reached == "nog_niet"
    with pytest.raises(ValidationError):
        services.set_goal_reached(goal, actor=team["casus"], reached="bijna")
    services.set_goal_reached(goal, actor=team["casus"], reached="ja")
    services.set_goal_reached(goal, actor=team["casus"], reached="ja")  # no change, no event
    events = AuditEvent.objects.filter(action="plan.goal_updated")
    assert [e.data for e in events] == [
        {"wijzigingen": {"bereikt": {"voor": "nog_niet", "na": "ja"}}}
    ]


def test_adopting_needs_a_joint_goal_and_a_goal(team: dict[str, Any]) -> None:
    plan = services.plan_for(team["case"])
    with pytest.raises(ValidationError) as err:
        services.adopt_plan(plan, actor=team["regisseur"], expected_version=plan.version)
    assert any("gezamenlijk doel" in m for m in err.value.messages)
    assert any("ten minste één doel" in m for m in err.value.messages)
    plan = _text(plan, team)
    with pytest.raises(ValidationError, match="ten minste één doel"):
        services.adopt_plan(plan, actor=team["regisseur"], expected_version=plan.version)
    assert not PlanVersion.objects.exists()


def test_adopted_versions_are_numbered_and_an_unchanged_plan_is_not_adopted_twice(
    team: dict[str, Any],
) -> None:
    plan = _adoptable(team)
    first = services.adopt_plan(plan, actor=team["regisseur"], expected_version=plan.version)
    assert first.number == 1 and first.content["joint_goal"] == TEXT["joint_goal"]
    assert first.content["doelen"] == [
        {"doel": "Schulden in beeld", "goed_genoeg": "Er is een budgetplan", "bereikt": "nog_niet"}
    ]
    with pytest.raises(ValidationError, match="niets gewijzigd sinds versie 1"):
        services.adopt_plan(plan, actor=team["regisseur"], expected_version=plan.version)
    services.add_action(
        team["case"],
        actor=team["regisseur"],
        what="Budgetbeheer aanvragen",
        owner_user=team["casus"],
        owner_organisation=None,
        due_date=today() + dt.timedelta(days=14),
    )
    second = services.adopt_plan(plan, actor=team["regisseur"], expected_version=plan.version)
    assert second.number == 2
    assert [a["wat"] for a in second.content["acties"]] == ["Budgetbeheer aanvragen"]
    # The first version is frozen: it does not see the later action.
    first.refresh_from_db()
    assert first.content["acties"] == []
    assert [e.data for e in AuditEvent.objects.filter(action="plan.adopted")] == [
        {"versie": 1},
        {"versie": 2},
    ]
    with pytest.raises(ConcurrentEditError):
        services.adopt_plan(plan, actor=team["regisseur"], expected_version=plan.version - 1)


def test_the_diff_between_two_adopted_versions(team: dict[str, Any]) -> None:
    plan = _adoptable(team)
    finance = _domain("Financiën")
    plan = services.save_domain_scores(
        plan, actor=team["regisseur"], scores={finance.pk: (2, "")}, expected_version=plan.version
    )
    v1 = services.adopt_plan(plan, actor=team["regisseur"], expected_version=plan.version)
    plan = services.save_domain_scores(
        plan, actor=team["regisseur"], scores={finance.pk: (3, "")}, expected_version=plan.version
    )
    goal = plan.goals.get()
    services.set_goal_reached(goal, actor=team["regisseur"], reached="ja")
    services.add_goal(plan, actor=team["regisseur"], text="Dagbesteding", good_enough="2 dagen")
    services.add_action(
        team["case"],
        actor=team["regisseur"],
        what="Aanmelden bij dagbesteding",
        owner_user=None,
        owner_organisation=team["org"],
        due_date=dt.date(2030, 1, 31),
    )
    plan.refresh_from_db()
    v2 = services.adopt_plan(plan, actor=team["regisseur"], expected_version=plan.version)
    changes = {
        (c.section, c.kind, c.before, c.after) for c in versions.diff(v1.content, v2.content)
    }
    assert changes == {
        ("Score Financiën", "gewijzigd", "2", "3"),
        ("Doelen: Schulden in beeld", "gewijzigd", "nog niet", "ja"),
        ("Doelen", "toegevoegd", "", "Dagbesteding"),
        ("Acties", "toegevoegd", "", "Aanmelden bij dagbesteding"),
    }


def test_diff_reports_removed_items_text_and_safety_changes() -> None:
    old = {
        "joint_goal": "Oud doel",
        "safety_concerns": False,
        "domeinen": {"Financiën": {"score": 2, "problematiek": "Schulden"}},
        "doelen": [{"doel": "A", "goed_genoeg": "x", "bereikt": "nog_niet"}],
        "acties": [
            {"wat": "Huisbezoek", "eigenaar": "GGD", "uiterlijk": "2026-01-01", "stand": "open"}
        ],
        "veiligheidsplan": {
            "signed_on": None,
            "afspraken": [{"wat": "Bellen", "wie_controleert": "PR", "als_niet": "Politie"}],
        },
    }
    new = {
        "joint_goal": "Nieuw doel",
        "safety_concerns": True,
        "domeinen": {"Financiën": {"score": 2, "problematiek": "Minder schulden"}},
        "doelen": [],
        "acties": [],
        "veiligheidsplan": {"signed_on": "2026-02-01", "afspraken": []},
    }
    changes = {(c.section, c.kind, c.before, c.after) for c in versions.diff(old, new)}
    assert changes == {
        ("Gezamenlijk doel", "gewijzigd", "Oud doel", "Nieuw doel"),
        ("Zorgen over basiszorg of veiligheid", "gewijzigd", "nee", "ja"),
        ("Problematiek Financiën", "gewijzigd", "Schulden", "Minder schulden"),
        ("Doelen", "vervallen", "A", ""),
        ("Acties", "vervallen", "Huisbezoek", ""),
        ("Veiligheidsplan: Ondertekend op", "gewijzigd", "", "01-02-2026"),
        ("Veiligheidsafspraken", "vervallen", "Bellen", ""),
    }
    assert versions.diff(new, new) == []


def test_diff_against_nothing_shows_what_the_first_version_holds() -> None:
    content = {
        "joint_goal": "Doel",
        "analysis": "",
        "safety_concerns": False,
        "domeinen": {"Financiën": {"score": None, "problematiek": ""}},
        "doelen": [{"doel": "A", "goed_genoeg": "x", "bereikt": "nog_niet"}],
    }
    changes = {(c.section, c.kind, c.after) for c in versions.diff(None, content)}
    assert changes == {("Gezamenlijk doel", "gewijzigd", "Doel"), ("Doelen", "toegevoegd", "A")}


def test_diff_sees_actions_that_share_a_description() -> None:
    """Two actions may carry the same text ('Huisbezoek'); each change must still show."""
    visit = {"wat": "Huisbezoek", "eigenaar": "GGD", "uiterlijk": "2026-01-10", "stand": "open"}
    old = {"acties": [visit]}
    new = {"acties": [{**visit, "stand": "gedaan"}, {**visit, "uiterlijk": "2026-02-10"}]}
    changes = {(c.section, c.kind, c.before, c.after) for c in versions.diff(old, new)}
    assert changes == {
        ("Acties: Huisbezoek", "gewijzigd", "open", "gedaan"),
        ("Acties", "toegevoegd", "", "Huisbezoek"),
    }
    back = {(c.section, c.kind, c.before) for c in versions.diff(new, old)}
    assert ("Acties", "vervallen", "Huisbezoek") in back
    # A new namesake planned before an unchanged one is an addition, nothing else.
    earlier = {"acties": [{**visit, "uiterlijk": "2026-01-05"}, visit]}
    assert [(c.section, c.kind) for c in versions.diff(old, earlier)] == [("Acties", "toegevoegd")]


def test_domain_series_over_versions_and_the_working_plan() -> None:
    v1 = {
        "domeinen": {
            "Financiën": {"score": 2},
            "Huisvesting": {"score": None},
            "Justitie": {"score": None},
        }
    }
    v2 = {
        "domeinen": {
            "Financiën": {"score": 3},
            "Huisvesting": {"score": 1},
            "Justitie": {"score": None},
        }
    }
    current = {"domeinen": {"Financiën": {"score": 4}, "Huisvesting": {"score": None}}}
    series = versions.domain_series([("v1", v1), ("v2", v2)], ("werkversie", current))
    by_name = {s.domain: s for s in series}
    assert list(by_name) == ["Financiën", "Huisvesting"]  # a domain never scored is left out
    finance, housing = by_name["Financiën"], by_name["Huisvesting"]
    assert finance.points == [("v1", 2), ("v2", 3), ("werkversie", 4)]
    assert (finance.first, finance.latest) == (2, 4)
    assert housing.points == [("v1", None), ("v2", 1), ("werkversie", None)]
    assert (housing.first, housing.latest) == (1, 1)
    # x runs over the versions, y from score 5 (top) to 1 (bottom) of a 160x40 box.
    assert finance.svg_points() == [(6.0, 28.0, 2), (80.0, 20.0, 3), (154.0, 12.0, 4)]
    assert finance.polyline == "6.0,28.0 80.0,20.0 154.0,12.0"
    assert housing.svg_points() == [(80.0, 36.0, 1)]
    single = versions.domain_series([("v1", {"domeinen": {"Financiën": {"score": 5}}})], None)
    assert single[0].svg_points() == [(80.0, 4.0, 5)]


def test_domain_series_from_real_versions(team: dict[str, Any]) -> None:
    plan = _adoptable(team)
    finance = _domain("Financiën")
    for score in (1, 3):
        plan = services.save_domain_scores(
            plan,
            actor=team["regisseur"],
            scores={finance.pk: (score, "")},
            expected_version=plan.version,
        )
        services.adopt_plan(plan, actor=team["regisseur"], expected_version=plan.version)
    series = versions.domain_series(
        [(f"v{v.number}", v.content) for v in PlanVersion.objects.filter(plan=plan)], None
    )
    assert [(s.domain, s.points) for s in series] == [("Financiën", [("v1", 1), ("v2", 3)])]


def test_agreeing_the_casusregisseur_hands_the_role_over(team: dict[str, Any]) -> None:
    record = services.agree_casusregisseur(
        team["case"],
        actor=team["regisseur"],
        casusregisseur=team["partner"],
        agreed_by=[team["regisseur"], team["casus"]],
    )
    assert set(record.agreed_by.all()) == {team["regisseur"], team["casus"]}
    # Who holds the role today, by the one rule (a handed-over row ends at the handover).
    current = CaseMembership.objects.active_on(today()).filter(
        case=team["case"], role=CaseRole.CASUSREGISSEUR
    )
    assert [m.user for m in current] == [team["partner"]]
    with pytest.raises(ValidationError, match="al casusregisseur"):
        services.agree_casusregisseur(
            team["case"],
            actor=team["regisseur"],
            casusregisseur=team["partner"],
            agreed_by=[team["regisseur"]],
        )
    with pytest.raises(ValidationError) as err:
        services.agree_casusregisseur(
            team["case"], actor=team["regisseur"], casusregisseur=None, agreed_by=[]
        )
    assert set(err.value.message_dict) == {"casusregisseur", "agreed_by"}


def test_a_same_day_change_of_casusregisseur_leaves_one(team: dict[str, Any]) -> None:
    for user in (team["partner"], team["adviser"]):
        services.agree_casusregisseur(
            team["case"], actor=team["regisseur"], casusregisseur=user, agreed_by=[user]
        )

    def holders(day: Any) -> list[Any]:
        return [
            m.user
            for m in CaseMembership.objects.active_on(day).filter(
                case=team["case"], role=CaseRole.CASUSREGISSEUR
            )
        ]

    # One holder on every day: today's stays today's, the second agreement from tomorrow.
    assert holders(today()) == [team["partner"]]
    assert holders(today() + dt.timedelta(days=1)) == [team["adviser"]]
