"""The malformed inputs of the security review, each answered without a server error.

The fuzz test (`test_fuzz_inputs`) searches broadly; these pin the three inputs the
review found (finding 9) and the one id rule they share (`core.converters.parse_id`).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.cases.defaults import ensure_escalation_criteria
from ketenregie.core.converters import MAX_ID, parse_id
from ketenregie.core.forms import LONG_TEXT_MAX
from ketenregie.plans.models import Meeting

pytestmark = pytest.mark.django_db

TOO_BIG = str(2**63)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (str(MAX_ID), MAX_ID),
        (TOO_BIG, None),
        ("99999999999999999999999", None),
        ("0", None),
        ("-1", None),
        ("x", None),
        (" 1", None),
        ("١٢", None),  # digits of another script: int() would take them
        ("²", None),  # str.isdigit() says yes, int() fails
        ("1\x00", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_id_accepts_only_ids_in_the_database_range(raw: Any, expected: int | None) -> None:
    assert parse_id(raw) == expected


def test_a_path_id_beyond_64_bits_is_not_found(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    client.force_login(case_with_team["regisseur"])
    for url in (
        f"/casussen/{TOO_BIG}/",
        f"/overleggen/{TOO_BIG}/",
        f"/casussen/{case_with_team['case'].pk}/team/{TOO_BIG}/beeindigen/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/overleggen/{TOO_BIG}/antwoord/", {"answer": "ja"}).status_code == 404


def test_a_house_that_is_no_id_on_the_monitoring_page_is_not_found(
    client: Client, make_user: Any, house: Any
) -> None:
    client.force_login(make_user(Role.PROCESREGISSEUR, house=house))
    url = reverse("monitoring_new")
    assert client.get(url).status_code == 200
    for bad in ("x", TOO_BIG, "-1", "1.5"):
        assert client.get(url, {"huis": bad}).status_code == 404, bad
        assert client.post(url, {"huis": bad}).status_code == 404, bad
    assert client.get(url, {"huis": house.pk}).status_code == 200
    assert not Meeting.objects.exists()


def test_an_escalation_criterion_beyond_64_bits_is_a_form_error(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    ensure_escalation_criteria()
    case = case_with_team["case"]
    client.force_login(case_with_team["regisseur"])
    url = reverse("case_escalation", args=[case.pk])
    for bad in ("99999999999999999999999", TOO_BIG, "x", "-3"):
        resp = client.post(url, {"level": "4", "reason": "Dreiging", "criteria": [bad]})
        assert resp.status_code == 200, bad
        assert "Kies uit de mogelijkheden die getoond worden." in resp.content.decode()
    case.refresh_from_db()
    assert case.escalation_level == 3


def test_a_free_text_beyond_its_maximum_is_a_dutch_form_error(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    from ketenregie.plans import services
    from ketenregie.plans.models import Plan

    case, regisseur = case_with_team["case"], case_with_team["regisseur"]
    plan = services.plan_for(case, actor=regisseur)
    client.force_login(regisseur)
    too_long = "x" * (LONG_TEXT_MAX + 1)
    resp = client.post(
        reverse("plan_text", args=[case.pk]),
        {"version": plan.version, "joint_goal": too_long, "analysis": "x"},
    )
    assert resp.status_code == 200
    assert "Deze tekst is te lang: hoogstens 10000 tekens (nu 10001)." in resp.content.decode()
    # The scores table posts its texts outside a form class: the same bound.
    domain_id = services.domain_rows(plan)[0].domain_id
    resp = client.post(
        reverse("plan_scores", args=[case.pk]),
        {"version": plan.version, f"problem-{domain_id}": too_long},
    )
    assert resp.status_code == 200 and "te lang: hoogstens 10000 tekens" in resp.content.decode()
    # A NUL character cannot be stored (PostgreSQL refuses it): a message, not a 500.
    resp = client.post(
        reverse("plan_scores", args=[case.pk]),
        {"version": plan.version, f"problem-{domain_id}": "a\x00b"},
    )
    assert resp.status_code == 200 and "Null-tekens zijn niet toegestaan" in resp.content.decode()
    # A version beyond the database's integer is a form error too.
    resp = client.post(
        reverse("plan_text", args=[case.pk]),
        {"version": str(2**64), "joint_goal": "Wonen", "analysis": "x"},
    )
    assert resp.status_code == 200
    assert Plan.objects.get(pk=plan.pk).joint_goal == ""
    # At the maximum it is saved.
    resp = client.post(
        reverse("plan_text", args=[case.pk]),
        {"version": plan.version, "joint_goal": "x" * LONG_TEXT_MAX, "analysis": "x"},
    )
    assert resp.status_code == 302


def test_a_report_back_target_that_is_no_plan_page_goes_to_the_list(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    from ketenregie.core.timeutil import today
    from ketenregie.plans.models import Action

    case, casus = case_with_team["case"], case_with_team["casus"]
    action = Action.objects.create(
        case=case,
        what="Huisbezoek",
        owner_organisation=casus.organisation,
        due_date=today(),
        created_by=casus,
    )
    client.force_login(casus)
    url = reverse("action_report", args=[action.pk])
    plan_url = reverse("plan", args=[case.pk])
    for target, expected in (
        (plan_url, plan_url),
        ("/casussen/1/plan/\r\nSet-Cookie: x=1", reverse("my_actions")),
        ("//elders.example/casussen/1/plan/", reverse("my_actions")),
        ("/casussen/\x00/plan/", reverse("my_actions")),
    ):
        resp = client.post(url, {"kind": "terugmelding", "text": "Gebeld", "next": target})
        assert resp.status_code == 302 and resp["Location"] == expected, target
