"""Phase 6 of household coordination (issue 15): aftercare agreements, the evaluation of
the whole trajectory (required before a household case closes for good) and 6a."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import CaseMembership, CaseRole, Household
from ketenregie.cases.workflow import Status
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.timeutil import today
from ketenregie.pga import aftercare, services
from ketenregie.pga.models import AftercareAgreement, ProfessionalChange, TrajectoryEvaluation
from ketenregie.tests_support.factories import (
    CaseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    in_household_variant,
)

pytestmark = pytest.mark.django_db

EVALUATION = {
    "held_on": None,  # today, filled in per test
    "with_client": True,
    "with_professionals": True,
    "went_well": "Vaste contactpersoon; moeder voelde zich gehoord.",
    "went_less_well": "Wachtlijst jeugdhulp duurde lang.",
    "goals_reached": "deels",
    "client_satisfaction": 8,
    "client_view": "Fijn dat er één plan was.",
    "lessons": "Eerder de school betrekken.",
}


@pytest.fixture
def family(case_with_team: dict[str, Any]) -> dict[str, Any]:
    case = case_with_team["case"]
    in_household_variant(case.house)
    case.household = Household.objects.create(name="Gezin Bakker")
    case.save(update_fields=["household"])
    return {**case_with_team, "team": OrganisationFactory(name="Wijkteam Noord")}


def _evaluation(**changes: Any) -> dict[str, Any]:
    return {**EVALUATION, "held_on": today(), **changes}


def _close(ctx: dict[str, Any], provisional: bool = False) -> Any:
    return services.close_case(
        ctx["case"],
        actor=ctx["regisseur"],
        provisional=provisional,
        decided_with="Casusregisseur en partners",
        handover_organisation=ctx["team"],
        handover_note="Wijkteam houdt vinger aan de pols.",
    )


def test_household_case_closes_for_good_only_after_the_evaluation(family: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="evaluatie van het hele traject"):
        _close(family)
    # A provisional close does not need it.
    assert _close(family, provisional=True).status == Status.VOORLOPIG_AFGESLOTEN
    aftercare.record_evaluation(family["case"], actor=family["regisseur"], values=_evaluation())
    assert _close(family).status == Status.AFGESLOTEN


def test_a_reopened_trajectory_is_evaluated_again(family: dict[str, Any]) -> None:
    aftercare.record_evaluation(family["case"], actor=family["regisseur"], values=_evaluation())
    _close(family)
    services.reopen_case(family["case"], actor=family["regisseur"], reason="Nieuwe zorgen.")
    assert aftercare.current_evaluation(family["case"]) is None
    with pytest.raises(ValidationError, match="evaluatie"):
        _close(family)


def test_a_case_without_household_closes_as_before(case_with_team: dict[str, Any]) -> None:
    ctx = {**case_with_team, "team": OrganisationFactory()}
    assert _close(ctx).status == Status.AFGESLOTEN


def test_evaluation_needs_client_and_professionals_and_a_score_of_1_to_10(
    family: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError) as err:
        aftercare.record_evaluation(
            family["case"],
            actor=family["regisseur"],
            values=_evaluation(
                with_client=False, client_satisfaction=11, lessons=" ", goals_reached=""
            ),
        )
    assert set(err.value.message_dict) == {
        "with_professionals",
        "client_satisfaction",
        "lessons",
        "goals_reached",
    }
    assert not TrajectoryEvaluation.objects.exists()


def test_evaluation_is_audited_without_its_free_text_and_edited_with_a_version(
    family: dict[str, Any],
) -> None:
    row = aftercare.record_evaluation(
        family["case"], actor=family["regisseur"], values=_evaluation()
    )
    event = AuditEvent.objects.get(action="pga.evaluation_recorded")
    assert event.case_id == family["case"].pk and "Wachtlijst" not in str(event.data)
    assert event.data["client_satisfaction"] == 8
    changed = aftercare.record_evaluation(
        family["case"],
        actor=family["regisseur"],
        values=_evaluation(client_satisfaction=9),
        expected_version=row.version,
    )
    assert changed.pk == row.pk and changed.client_satisfaction == 9
    with pytest.raises(ConcurrentEditError):
        aftercare.record_evaluation(
            family["case"],
            actor=family["regisseur"],
            values=_evaluation(client_satisfaction=7),
            expected_version=row.version,
        )


def test_aftercare_needs_who_what_when_and_how_often(family: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        aftercare.save_aftercare(
            family["case"],
            actor=family["regisseur"],
            values={
                "who": "",
                "organisation": None,
                "what": "",
                "starts_on": today(),
                "frequency": "",
                "ends_on": today() - dt.timedelta(days=1),
            },
        )
    assert set(err.value.message_dict) == {"who", "what", "frequency", "ends_on"}
    agreement = aftercare.save_aftercare(
        family["case"],
        actor=family["regisseur"],
        values={
            "who": "Oma (netwerk)",
            "organisation": None,
            "what": "Haalt de kinderen uit school.",
            "starts_on": today(),
            "frequency": "Twee keer per week",
            "follow_up_on": today() + dt.timedelta(days=30),
        },
    )
    event = AuditEvent.objects.get(action="pga.aftercare_added")
    assert "Oma" not in str(event.data) and agreement.case_id == family["case"].pk


def test_pages_record_aftercare_and_evaluation_then_close(
    client: Client, family: dict[str, Any]
) -> None:
    case = family["case"]
    client.force_login(family["regisseur"])
    page = reverse("pga_aftercare", args=[case.pk])
    assert client.get(page).status_code == 200
    bad = client.post(
        reverse("pga_aftercare_add", args=[case.pk]),
        {"what": "Schuldhulp", "starts_on": today().isoformat(), "frequency": "maandelijks"},
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "Vul in wie de nazorg geeft" in html and "Schuldhulp" in html  # typed input kept
    ok = client.post(
        reverse("pga_aftercare_add", args=[case.pk]),
        {
            "organisation": family["team"].pk,
            "what": "Schuldhulp",
            "starts_on": today().isoformat(),
            "frequency": "maandelijks",
            "follow_up_on": (today() + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert ok.status_code == 302
    closing = client.post(
        reverse("pga_close", args=[case.pk]),
        {
            "provisional": "0",
            "decided_with": "Team",
            "handover_organisation": family["team"].pk,
            "handover_note": "Wijkteam",
        },
    )
    assert closing.status_code == 200
    assert "evaluatie van het hele traject" in closing.content.decode()
    data = {k: v for k, v in _evaluation().items() if v is not True}
    data.update(with_client="on", with_professionals="on", held_on=today().isoformat())
    assert client.post(reverse("pga_evaluation", args=[case.pk]), data).status_code == 302
    closed = client.post(
        reverse("pga_close", args=[case.pk]),
        {
            "provisional": "0",
            "decided_with": "Team",
            "handover_organisation": family["team"].pk,
            "handover_note": "Wijkteam",
        },
    )
    assert closed.status_code == 302
    after = client.get(reverse("pga_closing", args=[case.pk])).content.decode()
    assert "Schuldhulp" in after and "tevredenheid van de klant 8 van 10" in after
    # Aftercare can still be kept up after closing; the evaluation form is gone.
    html = client.get(page).content.decode()
    assert "Nazorgafspraak toevoegen" in html and "Evaluatie vastleggen" not in html


def test_adviser_and_casusregisseur_do_not_write(client: Client, family: dict[str, Any]) -> None:
    case = family["case"]
    client.force_login(family["adviser"])
    assert client.get(reverse("pga_aftercare", args=[case.pk])).status_code == 403
    client.force_login(family["casus"])
    assert client.get(reverse("pga_aftercare", args=[case.pk])).status_code == 200
    assert client.post(reverse("pga_evaluation", args=[case.pk]), {}).status_code == 403
    assert client.post(reverse("pga_professional_change", args=[case.pk]), {}).status_code == 403


def test_6a_page_moves_procesregie_on_every_open_case_of_the_household(
    client: Client, family: dict[str, Any], house: Any
) -> None:
    case, regisseur = family["case"], family["regisseur"]
    sibling = CaseFactory(house=house, household=case.household, status=Status.IN_UITVOERING)
    MembershipFactory(
        case=sibling,
        user=regisseur,
        role=CaseRole.PROCESREGISSEUR,
        valid_from=today() - dt.timedelta(days=10),
    )
    successor = UserFactory(
        roles=[(Role.PROCESREGISSEUR, house)], organisation=regisseur.organisation
    )
    held = CaseMembership.objects.get(case=case, user=regisseur)
    client.force_login(regisseur)
    url = reverse("pga_professional_change", args=[case.pk])
    page = client.get(url).content.decode()
    assert "1 andere lopende casus" in page
    missing = client.post(
        url, {"membership": held.pk, "successor": "", "on_date": today().isoformat()}
    )
    html = missing.content.decode()
    assert missing.status_code == 200
    assert "De procesregie stopt niet" in html and "Schrijf de warme overdracht op" in html
    done = client.post(
        url,
        {
            "membership": held.pk,
            "successor": successor.pk,
            "on_date": today().isoformat(),
            "handover_note": "Moeder weet ervan; school is ingelicht.",
        },
    )
    assert done.status_code == 302
    for c in (case, sibling):
        active = CaseMembership.objects.active_on(today()).filter(
            case=c, role=CaseRole.PROCESREGISSEUR
        )
        assert [m.user_id for m in active] == [successor.pk]
    rows = ProfessionalChange.objects.order_by("case_id")
    assert [r.case_id for r in rows] == sorted([case.pk, sibling.pk])
    assert all(r.household_wide and r.to_user_id == successor.pk for r in rows)
    assert AuditEvent.objects.filter(action="pga.professional_change_recorded").count() == 2


def test_6a_a_partner_leaves_without_successor(family: dict[str, Any]) -> None:
    partner = MembershipFactory(case=family["case"], role=CaseRole.BETROKKEN_PARTNER)
    rows = aftercare.record_professional_change(
        family["case"],
        actor=family["regisseur"],
        membership=partner,
        successor=None,
        on_date=today(),
        handover_note="Traject bij GGZ afgerond; huisarts is aanspreekpunt.",
    )
    partner.refresh_from_db()
    assert partner.valid_to == today() and len(rows) == 1 and rows[0].to_user is None
    assert AftercareAgreement.objects.count() == 0
