"""Issue 15, slice templates: the support plan and the safety plan hold every part of seed
002 sections 7.1 and 7.2, goals per household member, separate signatures, and the rule
that a safety plan is required (escalation level 3 and up, or safety concerns) before a
support-plan version is adopted."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.audit.models import AuditEvent
from ketenregie.cases import household_services
from ketenregie.cases.models import Case, Consent, Household, HouseholdMember, NetworkContact
from ketenregie.cases.safety import safety_plan_required, set_safety_concerns
from ketenregie.core.timeutil import today
from ketenregie.plans import pdf, services, versions
from ketenregie.plans.models import Plan, PlanVersion
from ketenregie.tests_support.factories import PersonFactory, in_household_variant

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)

# Seed 002 section 7.1 (ondersteuningsplan), every heading and field of the template, and
# the words under which the plan page shows it. The household members' own fields
# (gender, custody, marital status, profession) belong to the household (slice hh).
SEED_7_1 = {
    "Datum": "Datum",
    "Contactgegevens (naam, adres, telefoon, e-mail)": "Contactgegevens",
    "Gezinsleden": "Huishouden",
    "Procesregisseur (naam, contactgegevens)": "Procesregisseur",
    "Betrokken familie en vrienden": "Betrokken familie en vrienden",
    "Betrokken professionals": "Betrokken professionals",
    "Overige gegevens: woonplaatsbeginsel gecontroleerd": "Woonplaatsbeginsel gecontroleerd",
    "Overige gegevens: legitimatie gecontroleerd": "Legitimatie gecontroleerd",
    "Aanleiding: wat is de aanleiding, vraag of zorg?": "Aanleiding",
    "Krachten & zorgen": "Krachten en zorgen",
    "Eerdere hulpverlening": "Eerdere hulp",
    "Integrale analyse": "Integrale analyse",
    "Gewenste resultaat": "Gewenst resultaat",
    "Zorgen rondom basiszorg en veiligheid (ja / nee)": "Zorgen rondom basiszorg en veiligheid",
    "Doelen & acties": "Doelen en acties",
    "Doel: wat wilt u bereiken? (positief, toekomst, gewenste situatie)": "Doelcheck",
    "Actie: wat is nodig? (wie doet wat wanneer)": "Wat is nodig",
    "Is het doel bereikt? (ja / nee / nog niet)": "Bereikt",
    "Samenvatting": "Samenvatting",
    "Planning overleg (overleg, datum, tijd, locatie)": "Planning overleg",
    "Ondertekening klant (issue 15)": "Handtekening klant(en)",
    "Ondertekening professional (issue 15)": "Handtekening professional(s)",
}
# Seed 002 section 7.2 (veiligheidsplan), every heading and field.
SEED_7_2 = {
    "Doelencheck": "Doelencheck",
    "doel: ik houd mij aan de veiligheidsafspraken": "ik houd mij aan de veiligheidsafspraken",
    "het opheffen van de (acute) onveiligheid": "opheffen van de (acute) onveiligheid",
    "het behandelen van de problemen waardoor de onveiligheid is ontstaan": (
        "behandelen van de problemen waardoor de onveiligheid is ontstaan"
    ),
    "behandelen en nazorg, herstel van schade": "nazorg",
    "Veiligheidsvoorwaarden": "Veiligheidsvoorwaarden",
    "Krachten: bestaande veiligheid": "Krachten: bestaande veiligheid",
    "Zorgen over onveiligheid": "Zorgen over onveiligheid",
    "eerste incident": "Eerste incident",
    "ergste incident": "Ergste incident",
    "laatste incident": "Laatste incident",
    "frequentie": "Frequentie",
    "mogelijke schade": "schade",
    "Grootste zorg of gevaar": "Grootste zorg of gevaar",
    "Complicerende factoren/triggers/stressoren": "Complicerende factoren",
    "Schaalvraag (naam, cijfer en toelichting)": "Schaalvraag",
    "Veiligheidsafspraken: wat moet er concreet en direct gebeuren": "Wat moet er gebeuren",
    "wie, wat, waar en wanneer": "Wie, waar en wanneer",
    "Wat is hiervoor nodig": "Wat is hiervoor nodig",
    "Wie ziet erop toe": "Wie ziet erop toe",
    "Wat gebeurt er wanneer de afspraken niet worden nagekomen": "niet wordt nagekomen",
    "Contactgegevens (naam, wanneer te bellen, telefoon, mail)": "Contactgegevens",
    "Datum (vervolg)evaluatie": "Datum (vervolg)evaluatie",
    "Handtekening klant(en) en/of wettelijk vertegenwoordiger(s)": (
        "Handtekening klant(en) en/of wettelijk vertegenwoordiger(s)"
    ),
    "Handtekening professional(s)": "Handtekening professional(s)",
}


def _pdf_text(data: bytes) -> str:
    return " ".join(
        (p.extract_text() or "") for p in pypdf.PdfReader(io.BytesIO(data)).pages
    ).replace("\n", " ")


def _household(team: dict[str, Any]) -> dict[str, Any]:
    """The team's case becomes a client system: the person, a partner and a child."""
    case = team["case"]
    in_household_variant(case.house)
    household = Household.objects.create(name="Gezin")
    HouseholdMember.objects.create(
        household=household, person=case.person, relation=HouseholdMember.Relation.BETROKKENE
    )
    child = HouseholdMember.objects.create(
        household=household,
        person=PersonFactory(
            voornamen="Noor", tussenvoegsel="", achternaam="Kindsdottir", bsn=None
        ),
        relation=HouseholdMember.Relation.KIND,
    )
    case.household = household
    case.save(update_fields=["household"])
    return {**team, "household": household, "child": child}


def _level(case: Case, level: int) -> Case:
    Case.objects.filter(pk=case.pk).update(escalation_level=level)
    case.refresh_from_db()
    return case


def _ready_plan(team: dict[str, Any]) -> Plan:
    """A plan that may be adopted as far as its own content goes."""
    plan = services.plan_for(team["case"])
    plan = services.save_plan_text(
        plan, actor=team["regisseur"], values={"joint_goal": "Veilig thuis"}, expected_version=1
    )
    services.add_goal(
        plan, actor=team["regisseur"], text="Rust in huis", good_enough="Acht weken rust"
    )
    plan.refresh_from_db()
    return plan


def _adopt(team: dict[str, Any], plan: Plan) -> PlanVersion:
    plan.refresh_from_db()
    return services.adopt_plan(plan, actor=team["regisseur"], expected_version=plan.version)


def _safety_plan(team: dict[str, Any], *, agreement: bool = True) -> None:
    safety = services.safety_plan_for(team["case"], team["regisseur"])
    if agreement:
        services.add_safety_agreement(
            safety,
            actor=team["regisseur"],
            what="Bij spanning naar de zus",
            who="Moeder",
            when="Direct",
            needed="Een sleutel",
            who_checks="Procesregisseur",
            if_not_kept="Overleg binnen twee dagen",
        )


def _concerns(team: dict[str, Any], concerns: bool = True) -> None:
    case = team["case"]
    case.refresh_from_db()
    set_safety_concerns(
        case,
        actor=team["regisseur"],
        concerns=concerns,
        note="Dreiging thuis" if concerns else "",
        expected_version=case.version,
    )
    case.refresh_from_db()


# --- the safety-plan-required rule ------------------------------------------------------


def test_level_3_without_a_safety_plan_refuses_adoption(team: dict[str, Any]) -> None:
    team = _household(team)
    _level(team["case"], 3)
    plan = _ready_plan(team)
    with pytest.raises(ValidationError) as err:
        _adopt(team, plan)
    assert "Veiligheidsplan verplicht" in str(err.value)
    assert "escalatieniveau is 3" in str(err.value)
    assert not PlanVersion.objects.filter(plan=plan).exists()


def test_level_3_with_a_safety_plan_without_agreements_still_refuses(
    team: dict[str, Any],
) -> None:
    team = _household(team)
    _level(team["case"], 4)
    plan = _ready_plan(team)
    _safety_plan(team, agreement=False)
    with pytest.raises(ValidationError, match="ten minste één veiligheidsafspraak"):
        _adopt(team, plan)


def test_level_2_without_concerns_may_adopt(team: dict[str, Any]) -> None:
    team = _household(team)
    _level(team["case"], 2)
    assert safety_plan_required(team["case"]) is None
    assert _adopt(team, _ready_plan(team)).number == 1


def test_level_2_with_concerns_refuses_adoption(team: dict[str, Any]) -> None:
    team = _household(team)
    _level(team["case"], 2)
    _concerns(team)
    reason = safety_plan_required(team["case"])
    assert reason is not None and "zorgen over basiszorg of veiligheid" in reason
    with pytest.raises(ValidationError, match="Veiligheidsplan verplicht"):
        _adopt(team, _ready_plan(team))


def test_level_3_with_a_safety_plan_may_adopt(team: dict[str, Any]) -> None:
    team = _household(team)
    _level(team["case"], 3)
    plan = _ready_plan(team)
    _safety_plan(team)
    assert _adopt(team, plan).number == 1


def test_the_rule_leaves_a_case_without_a_household_alone(team: dict[str, Any]) -> None:
    # The ZVH variant keeps suggesting a safety plan; the household variant requires it.
    _level(team["case"], 4)
    assert safety_plan_required(team["case"]) is None
    assert _adopt(team, _ready_plan(team)).number == 1


def test_the_page_refuses_adoption_in_dutch_and_shows_why(
    client: Client, team: dict[str, Any]
) -> None:
    team = _household(team)
    case = _level(team["case"], 3)
    plan = _ready_plan(team)
    client.force_login(team["regisseur"])
    page = client.get(reverse("plan", args=[case.pk])).content.decode()
    assert "Veiligheidsplan verplicht." in page and "escalatieniveau is 3" in page
    response = client.post(reverse("plan_adopt", args=[case.pk]), {"version": plan.version})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Leg eerst een veiligheidsplan met ten minste" in body
    assert not PlanVersion.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    assert plan.joint_goal == "Veilig thuis"  # nothing lost
    case_page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Veiligheidsplan verplicht." in case_page


# --- safety concerns on the case --------------------------------------------------------


def test_a_director_records_safety_concerns_audited(client: Client, team: dict[str, Any]) -> None:
    case = team["case"]
    client.force_login(team["regisseur"])
    url = reverse("case_safety_concerns", args=[case.pk])
    assert client.get(url).status_code == 200
    # Concerns without a note: a Dutch message, what was typed stays.
    page = client.post(url, {"version": case.version, "concerns": "on", "note": ""})
    assert page.status_code == 200 and "Licht kort toe" in page.content.decode()
    done = client.post(url, {"version": case.version, "concerns": "on", "note": "Dreiging"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.safety_concerns and case.safety_concerns_note == "Dreiging"
    event = AuditEvent.objects.get(action="case.safety_concerns_set", case_id=case.pk)
    assert event.data["wijzigingen"]["safety_concerns"] == {"voor": False, "na": True}
    assert "Dreiging" not in str(event.data)
    # A stale form (the version moved on) is refused.
    stale = client.post(url, {"version": case.version - 1, "concerns": "", "note": ""})
    assert stale.status_code == 200
    case.refresh_from_db()
    assert case.safety_concerns


@pytest.mark.parametrize("who", ["partner", "adviser", "outsider"])
def test_only_a_director_records_safety_concerns(
    client: Client, team: dict[str, Any], who: str
) -> None:
    client.force_login(team[who])
    url = reverse("case_safety_concerns", args=[team["case"].pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"version": 1, "concerns": "on", "note": "x"}).status_code in (
        403,
        404,
    )
    assert not Case.objects.get(pk=team["case"].pk).safety_concerns


# --- goals per member, signatures, versions ------------------------------------------


def test_a_goal_is_for_a_member_or_the_whole_system(team: dict[str, Any]) -> None:
    team = _household(team)
    plan = services.plan_for(team["case"])
    goal = services.add_goal(
        plan,
        actor=team["regisseur"],
        member=team["child"],
        text="Elke dag naar school",
        good_enough="Vier weken geen verzuim",
        checks=["check_positive", "check_future"],
        needed="Afspraken met de mentor",
        own_part="Tas klaarzetten",
        network_part="Oma helpt",
    )
    assert goal.member == team["child"] and goal.check_positive and not goal.check_agreed
    whole = services.add_goal(plan, actor=team["regisseur"], text="Rust", good_enough="Rust")
    assert whole.member is None
    content = services.plan_content(plan)
    by_text = {g["doel"]: g for g in content["doelen"]}
    assert by_text["Elke dag naar school"]["voor"] == "Noor Kindsdottir (kind)"
    assert by_text["Elke dag naar school"]["doelcheck"] == ["check_positive", "check_future"]
    assert "voor" not in by_text["Rust"]  # the whole system: nothing added


def test_a_member_of_another_household_is_refused(team: dict[str, Any]) -> None:
    team = _household(team)
    stranger = HouseholdMember.objects.create(
        household=Household.objects.create(),
        person=PersonFactory(bsn=None),
        relation=HouseholdMember.Relation.KIND,
    )
    plan = services.plan_for(team["case"])
    with pytest.raises(ValidationError) as err:
        services.add_goal(plan, actor=team["regisseur"], member=stranger, text="x", good_enough="y")
    assert "member" in err.value.message_dict


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"client_signed_by": "Moeder"}, "client_signed_on", "datum"),
        (
            {"client_signed_by": "Moeder", "client_signed_on": 1, "client_signed_how": "papier"},
            "client_signed_on",
            "toekomst",
        ),
        ({"professional_signed_on": 0}, "professional_signed_by", "Vermeld wie"),
        (
            {"professional_signed_by": "PR", "professional_signed_on": 0},
            "professional_signed_how",
            "Kies hoe",
        ),
    ],
)
def test_signatures_are_checked(
    team: dict[str, Any], values: dict[str, Any], field: str, message: str
) -> None:
    values = {k: today() + v * DAY if isinstance(v, int) else v for k, v in values.items()}
    plan = services.plan_for(team["case"])
    with pytest.raises(ValidationError) as err:
        services.save_signatures(
            plan, actor=team["regisseur"], values=values, expected_version=plan.version
        )
    assert message in str(err.value.message_dict[field])


def test_signatures_are_separate_audited_without_names_and_versioned(
    team: dict[str, Any],
) -> None:
    plan = _ready_plan(team)
    first = _adopt(team, plan)
    plan.refresh_from_db()
    services.save_signatures(
        plan,
        actor=team["regisseur"],
        values={
            "client_signed_by": "Moeder Zwartewater",
            "client_signed_on": today(),
            "client_signed_how": "digitaal",
            "professional_signed_by": "De procesregisseur",
            "professional_signed_on": today(),
            "professional_signed_how": "papier",
        },
        expected_version=plan.version,
    )
    event = AuditEvent.objects.get(action="plan.signed")
    assert "Zwartewater" not in str(event.data)
    assert event.data["wijzigingen"]["client_signed_how"]["na"] == "digitaal"
    second = _adopt(team, plan)
    changes = {(c.section, c.after) for c in versions.diff(first.content, second.content)}
    assert ("Ondertekend door klant(en)", "Moeder Zwartewater") in changes
    assert ("Wijze van ondertekenen klant", "digitaal akkoord gegeven") in changes
    assert ("Wijze van ondertekenen professional", "getekend op papier") in changes


def test_a_version_from_before_compares_unchanged(team: dict[str, Any]) -> None:
    # A plan with none of the new parts filled has the content shape of before issue 15:
    # re-adopting it is "nothing changed", and the diff with an old snapshot is empty.
    plan = _ready_plan(team)
    first = _adopt(team, plan)
    old_shape = {k: v for k, v in first.content.items()}
    assert set(old_shape) == {
        "joint_goal",
        "earlier_help",
        "analysis",
        "desired_result",
        "safety_concerns",
        "domeinen",
        "uitspraken",
        "doelen",
        "acties",
    }
    with pytest.raises(ValidationError, match="niets gewijzigd"):
        _adopt(team, plan)


def test_the_diff_shows_the_new_parts_of_both_plans(team: dict[str, Any]) -> None:
    team = _household(team)
    _level(team["case"], 2)
    plan = _ready_plan(team)
    first = _adopt(team, plan)
    plan.refresh_from_db()
    services.save_plan_text(
        plan,
        actor=team["regisseur"],
        values={"reason": "Zorgen om de kinderen", "summary": "Eerst veiligheid"},
        expected_version=plan.version,
    )
    services.add_goal(
        plan,
        actor=team["regisseur"],
        member=team["child"],
        text="Naar school",
        good_enough="Vier weken",
        needed="Mentor",
    )
    safety = services.safety_plan_for(team["case"], team["regisseur"])
    services.save_safety_plan(
        safety,
        actor=team["regisseur"],
        values={
            "conditions": "Geen alcohol",
            "harm": "Slecht slapen",
            "worst_incident_on": today() - 10 * DAY,
            "worst_incident": "Slaan",
            "check_end_unsafety": True,
        },
        expected_version=safety.version,
    )
    _safety_plan(team)
    second = _adopt(team, plan)
    changes = {(c.section, c.kind, c.after) for c in versions.diff(first.content, second.content)}
    assert ("Aanleiding", "gewijzigd", "Zorgen om de kinderen") in changes
    assert ("Samenvatting", "gewijzigd", "Eerst veiligheid") in changes
    assert ("Doelen", "toegevoegd", "Naar school") in changes
    assert ("Veiligheidsplan: Veiligheidsvoorwaarden", "gewijzigd", "Geen alcohol") in changes
    assert ("Veiligheidsplan: Opgelopen schade", "gewijzigd", "Slecht slapen") in changes
    assert ("Veiligheidsplan: Ergste incident", "gewijzigd", "Slaan") in changes
    assert (
        "Veiligheidsplan: Doelencheck: opheffen van de onveiligheid",
        "gewijzigd",
        "ja",
    ) in changes
    assert ("Veiligheidsafspraken", "toegevoegd", "Bij spanning naar de zus") in changes
    # A goal's new parts changing later show as a change of that goal.
    third_content = {
        **second.content,
        "doelen": [
            {**g, "needed": "Mentor en leerplicht"} if g["doel"] == "Naar school" else g
            for g in second.content["doelen"]
        ],
    }
    assert {
        (c.section, c.before, c.after) for c in versions.diff(second.content, third_content)
    } == {("Doelen: Naar school", "Mentor", "Mentor en leerplicht")}


# --- the templates are complete: pages and PDFs ----------------------------------------


def _filled(team: dict[str, Any]) -> dict[str, Any]:
    team = _household(team)
    _level(team["case"], 3)
    _concerns(team)
    plan = _ready_plan(team)
    services.save_plan_text(
        plan,
        actor=team["regisseur"],
        values={
            "reason": "Aanleidingtekst",
            "summary": "Samenvattingtekst",
            "residence_checked": True,
            "residence_checked_by": "Controleur Woon",
        },
        expected_version=plan.version,
    )
    services.add_goal(
        plan,
        actor=team["regisseur"],
        member=team["child"],
        text="Schooldoel",
        good_enough="Goed genoeg",
        checks=["check_positive"],
        needed="Nodigtekst",
        network_part="Netwerktekst",
    )
    safety = services.safety_plan_for(team["case"], team["regisseur"])
    safety = services.save_safety_plan(
        safety,
        actor=team["regisseur"],
        values={
            "conditions": "Voorwaardetekst",
            "first_incident_on": today() - 100 * DAY,
            "first_incident": "Eerstetekst",
            "worst_incident_on": today() - 50 * DAY,
            "worst_incident": "Ergstetekst",
            "last_incident_on": today() - 5 * DAY,
            "last_incident": "Laatstetekst",
            "frequency": "Maandelijks",
            "harm": "Schadetekst",
            "check_goal_in_plan": True,
        },
        expected_version=safety.version,
    )
    services.save_signatures(
        safety,
        actor=team["regisseur"],
        values={
            "client_signed_by": "Klantnaam",
            "client_signed_on": today(),
            "client_signed_how": "papier",
            "professional_signed_by": "Profnaam",
            "professional_signed_on": today(),
            "professional_signed_how": "digitaal",
        },
        expected_version=safety.version,
    )
    _safety_plan(team)
    services.add_safety_score(
        team["case"],
        actor=team["regisseur"],
        who="Moeder",
        score=6,
        on_date=today(),
        note="Rustiger",
    )
    return team


def test_the_support_plan_page_and_pdf_hold_every_part_of_7_1(
    client: Client, team: dict[str, Any]
) -> None:
    team = _filled(team)
    case = team["case"]
    # 7.1's "betrokken familie en vrienden" and "overige gegevens": the household's informal
    # network and the consent (kept on the household page) are in the plan and its PDF.
    household_services.add_network_contact(
        case,
        actor=team["regisseur"],
        values={
            "name": "Tante Netwerknaam",
            "relation": NetworkContact.Relation.FAMILIE,
            "support_kinds": ["praktisch"],
            "contact": "06-12345678",
            "valid_from": today() - 10 * DAY,
        },
    )
    household_services.record_consent(
        case,
        actor=team["regisseur"],
        values={
            "subject": Consent.Subject.COORDINATIE,
            "given_by_representative": "Voogd",
            "given_on": today() - 2 * DAY,
            "form": Consent.Form.SCHRIFTELIJK,
        },
    )
    client.force_login(team["regisseur"])
    page = client.get(reverse("plan", args=[case.pk])).content.decode()
    assert "Tante Netwerknaam (familie): praktische steun" in page and "06-12345678" in page
    assert "Toestemming coördinatie" in page
    missing = [seed for seed, shown in SEED_7_1.items() if shown not in page]
    assert missing == []
    assert "Noor Kindsdottir (kind)" in page and "Nodigtekst" in page
    case.refresh_from_db()
    text = _pdf_text(pdf.plan_pdf(case, team["regisseur"]))
    pdf_missing = [
        seed
        for seed, shown in SEED_7_1.items()
        if shown not in text and shown not in ("Huishouden", "Doelcheck", "Bereikt")
    ]
    assert pdf_missing == []
    for value in (
        "Aanleidingtekst",
        "Samenvattingtekst",
        "Controleur Woon",
        "Netwerktekst",
        "Tante Netwerknaam",
        "Toestemming coördinatie",
    ):
        assert value in text
    assert "Gezinsleden" in text and "Noor Kindsdottir" in text and "Doelcheck" in text


def test_the_safety_plan_page_and_pdf_hold_every_part_of_7_2(
    client: Client, team: dict[str, Any]
) -> None:
    team = _filled(team)
    case = team["case"]
    client.force_login(team["regisseur"])
    page = client.get(reverse("safety_plan", args=[case.pk])).content.decode()
    assert [seed for seed, shown in SEED_7_2.items() if shown not in page] == []
    text = _pdf_text(pdf.safety_pdf(case))
    assert [seed for seed, shown in SEED_7_2.items() if shown not in text] == []
    for value in (
        "Voorwaardetekst",
        "Eerstetekst",
        "Ergstetekst",
        "Laatstetekst",
        "Maandelijks",
        "Schadetekst",
        "Klantnaam",
        "Profnaam",
        "Een sleutel",
        "Rustiger",
    ):
        assert value in text, value


def test_the_signature_forms_keep_what_was_typed_on_an_error(
    client: Client, team: dict[str, Any]
) -> None:
    plan = _ready_plan(team)
    client.force_login(team["regisseur"])
    response = client.post(
        reverse("plan_sign", args=[team["case"].pk]),
        {"version": plan.version, "client_signed_by": "Getypte naam", "client_signed_on": ""},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vul de datum van ondertekening in." in body and "Getypte naam" in body
    plan.refresh_from_db()
    assert plan.client_signed_by == ""


def test_safety_plan_sign_page_saves(client: Client, team: dict[str, Any]) -> None:
    safety = services.safety_plan_for(team["case"], team["regisseur"])
    client.force_login(team["regisseur"])
    response = client.post(
        reverse("safety_sign", args=[team["case"].pk]),
        {
            "version": safety.version,
            "client_signed_by": "Moeder",
            "client_signed_on": today().isoformat(),
            "client_signed_how": "mondeling",
        },
    )
    assert response.status_code == 302
    safety.refresh_from_db()
    assert safety.client_signed_how == "mondeling" and safety.professional_signed_by == ""
    assert AuditEvent.objects.filter(action="safety.signed", case_id=team["case"].pk).exists()


def test_an_adviser_never_reaches_the_plan_pages(client: Client, team: dict[str, Any]) -> None:
    team = _household(team)
    services.plan_for(team["case"])
    client.force_login(team["adviser"])
    assert client.get(reverse("plan", args=[team["case"].pk])).status_code == 403
