"""The plan of approach and the safety plan as PDF: the text a reader gets out of them."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest

from ketenregie.cases.models import LifeDomain
from ketenregie.cases.safety import set_safety_concerns
from ketenregie.core.timeutil import today
from ketenregie.plans import pdf, services

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    raw = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    return " ".join(raw.split())


def test_the_plan_pdf_shows_goal_actions_and_scores(team: dict[str, Any]) -> None:
    case, regisseur = team["case"], team["regisseur"]
    plan = services.plan_for(case)
    plan = services.save_plan_text(
        plan,
        actor=regisseur,
        values={
            "joint_goal": "Rustig wonen in de wijk",
            "earlier_help": "",
            "analysis": "",
            "desired_result": "",
        },
        expected_version=plan.version,
    )
    finance = LifeDomain.objects.get(name="Financiën")
    plan = services.save_domain_scores(
        plan, actor=regisseur, scores={finance.pk: (2, "Schulden")}, expected_version=plan.version
    )
    goal = services.add_goal(
        plan, actor=regisseur, text="Schulden in beeld", good_enough="Budgetplan"
    )
    services.add_statement(plan, actor=regisseur, kind="kracht", text="Wil hulp", said_by="Zus")
    services.add_action(
        case,
        actor=regisseur,
        what="Budgetbeheer aanvragen",
        owner_user=team["casus"],
        owner_organisation=None,
        due_date=today(),
        goal=goal,
    )
    services.agree_casusregisseur(
        case, actor=regisseur, casusregisseur=team["partner"], agreed_by=[regisseur]
    )
    plan.refresh_from_db()
    services.adopt_plan(plan, actor=regisseur, expected_version=plan.version)
    text = _text(pdf.plan_pdf(case, team["regisseur"]))
    assert "Integraal plan van aanpak" in text and case.code in text
    assert "Rustig wonen in de wijk" in text
    assert "Schulden in beeld" in text and "Budgetplan" in text
    assert "Budgetbeheer aanvragen" in text and team["org"].name in text
    assert "Financiën 2 Schulden" in text
    assert "Wil hulp" in text and "Vastgestelde versie 1" in text
    assert team["partner"].get_full_name() in text  # the agreed casusregisseur
    # The PDF is for the team with full access: it names the person.
    assert "Zwartewaterklooster" in text


def test_the_safety_pdf_shows_agreements_and_the_scaling_question(team: dict[str, Any]) -> None:
    case, regisseur = team["case"], team["regisseur"]
    safety = services.safety_plan_for(case)
    safety = services.save_safety_plan(
        safety,
        actor=regisseur,
        values={
            "strengths": "Zus komt dagelijks",
            "concerns": "Dreigende taal",
            "worst_case": "",
            "complicating_factors": "",
            "evaluation_date": None,
        },
        expected_version=safety.version,
        contacts=[
            {
                "name": "Wijkagent Bakker",
                "role": "wijkagent",
                "phone": "0900-8844",
                "when_to_call": "bij dreiging",
            }
        ],
    )
    safety = services.save_signatures(
        safety,
        actor=regisseur,
        values={
            "client_signed_by": "Betrokkene",
            "client_signed_on": today(),
            "client_signed_how": "papier",
        },
        expected_version=safety.version,
    )
    services.add_safety_agreement(
        safety,
        actor=regisseur,
        what="Geen alcohol in huis",
        who_checks="Zus",
        if_not_kept="Bellen met procesregisseur",
    )
    services.add_safety_score(case, actor=regisseur, who="Moeder", score=7, on_date=today())
    text = _text(pdf.safety_pdf(case))
    assert "Veiligheidsplan" in text and case.code in text
    assert "Zus komt dagelijks" in text and "Dreigende taal" in text
    assert "Geen alcohol in huis" in text and "Bellen met procesregisseur" in text
    day = today()
    assert f"{day.day}-{day.month}-{day.year} Moeder 7" in text
    assert "vertegenwoordiger(s): Betrokkene" in text and "nog niet gepland" in text
    # Slice planvi: the contacts as a table of rows.
    assert "Wanneer te bellen" in text
    assert "Wijkagent Bakker wijkagent 0900-8844" in text and "bij dreiging" in text


def test_empty_plans_still_render(team: dict[str, Any]) -> None:
    # Started but not filled in: the PDFs say what is missing.
    services.plan_for(team["case"], actor=team["regisseur"])
    services.safety_plan_for(team["case"], actor=team["regisseur"])
    plan_text = _text(pdf.plan_pdf(team["case"], team["regisseur"]))
    assert "Nog niet vastgesteld" in plan_text
    safety_text = _text(pdf.safety_pdf(team["case"]))
    assert "nog niet ondertekend" in safety_text


@pytest.mark.parametrize(
    ("concerns", "shown"), [(True, "Ja, zie het veiligheidsplan"), (False, "Nee")]
)
def test_the_plan_pdf_states_the_safety_concerns(
    team: dict[str, Any], concerns: bool, shown: str
) -> None:
    services.plan_for(team["case"])
    case = team["case"]
    set_safety_concerns(
        case,
        actor=team["regisseur"],
        concerns=concerns,
        note="Dreiging" if concerns else "",
        expected_version=case.version,
    )
    case.refresh_from_db()
    text = _text(pdf.plan_pdf(case, team["regisseur"]))
    heading = "Zorgen rondom basiszorg en veiligheid"
    after = text.split(heading, 1)[1].split("Doelen", 1)[0].strip()
    after = after.removesuffix("(Dreiging)").strip()
    assert after == shown
