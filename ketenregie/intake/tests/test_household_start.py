"""Issue 15, slice hh: starting coordination without the triage in a household-variant
house (seed 002 section 3.4), and its refusal everywhere else."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.audit.models import AuditEvent
from ketenregie.cases import services as case_services
from ketenregie.cases.models import CaseMembership, CaseRole
from ketenregie.cases.workflow import Status, ensure_allowed
from ketenregie.core.errors import TransitionNotAllowed
from ketenregie.intake import services
from ketenregie.intake.criteria import HUISHOUDEN, criteria_of, ensure_default_criteria
from ketenregie.intake.models import CriteriaSet, Feedback
from ketenregie.intake.tests.conftest import referral_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def household_house(intake: dict[str, Any]) -> dict[str, Any]:
    """The intake world, its house switched to the household variant (its household
    criteria set seeded beside the house's own)."""
    house = intake["house"]
    house.household_variant = True
    house.save(update_fields=["household_variant"])
    cset = ensure_default_criteria(house)
    return {**intake, "criteria": list(cset.criteria.all()), "cset": cset}


def _submit(ctx: dict[str, Any], **criteria: Any) -> Any:
    data = referral_input(ctx)
    if criteria:
        data.criteria = criteria["ticked"]
    return services.save_referral(
        actor=ctx["referrer"], house=ctx["house"], data=data, submit=True, confirmed=True
    )


def test_household_house_gets_the_household_criteria_beside_its_own(
    household_house: dict[str, Any],
) -> None:
    house = household_house["house"]
    cset = household_house["cset"]
    assert cset.household and cset.name == HUISHOUDEN[0]
    assert len(household_house["criteria"]) == len(HUISHOUDEN[3])
    # The house's own set (made before the switch) is kept, not overwritten.
    assert CriteriaSet.objects.filter(house=house).count() == 2
    assert criteria_of(house)[0].pk == cset.pk


def test_start_without_triage_makes_what_the_triage_start_makes(
    household_house: dict[str, Any],
) -> None:
    referral = _submit(household_house)
    chair, regisseur = household_house["chair"], household_house["regisseur"]
    services.start_without_triage(
        referral.case, actor=chair, expected_version=referral.version, procesregisseur=regisseur
    )
    case = referral.case
    case.refresh_from_db()
    assert case.status == Status.PGA_GESTART
    assert CaseMembership.objects.get(case=case, role=CaseRole.PROCESREGISSEUR).user == regisseur
    event = AuditEvent.objects.get(action="referral.started_without_triage")
    assert event.case_id == case.pk and event.data == {"procesregisseur": regisseur.pk}
    assert case.status_changes.filter(from_status=Status.AANGEMELD, to_status=Status.PGA_GESTART)
    assert Feedback.objects.filter(
        case_id=case.pk, message__icontains="zonder integrale triage"
    ).exists()


def test_start_without_triage_refused_in_a_house_without_the_variant(
    intake: dict[str, Any],
) -> None:
    referral = services.save_referral(
        actor=intake["referrer"],
        house=intake["house"],
        data=referral_input(intake),
        submit=True,
        confirmed=True,
    )
    with pytest.raises(ValidationError, match="niet in de huishoudvariant"):
        services.start_without_triage(
            referral.case,
            actor=intake["chair"],
            expected_version=referral.version,
            procesregisseur=intake["regisseur"],
        )
    referral.case.refresh_from_db()
    assert referral.case.status == Status.AANGEMELD
    # The workflow itself refuses the transition for such a house, whoever asks.
    with pytest.raises(TransitionNotAllowed):
        case_services.change_status(referral.case, to=Status.PGA_GESTART, actor=intake["chair"])


def test_the_transition_is_household_only_in_the_table() -> None:
    with pytest.raises(TransitionNotAllowed):
        ensure_allowed(Status.AANGEMELD, Status.PGA_GESTART)
    ensure_allowed(Status.AANGEMELD, Status.PGA_GESTART, household_variant=True)


def test_start_without_triage_needs_the_household_criteria_and_a_regisseur(
    household_house: dict[str, Any],
) -> None:
    crit = household_house["criteria"]
    referral = _submit(household_house, ticked={})
    with pytest.raises(ValidationError, match="criteria voor kwetsbare huishoudens"):
        services.start_without_triage(
            referral.case,
            actor=household_house["chair"],
            expected_version=referral.version,
            procesregisseur=household_house["regisseur"],
        )
    referral2 = _submit(household_house, ticked={crit[3].pk: "signalen van geweld"})
    with pytest.raises(ValidationError) as exc:
        services.start_without_triage(
            referral2.case,
            actor=household_house["chair"],
            expected_version=referral2.version,
            procesregisseur=None,
        )
    assert "procesregisseur" in exc.value.message_dict


def test_screening_page_offers_and_runs_the_start(
    client: Client, household_house: dict[str, Any]
) -> None:
    referral = _submit(household_house)
    client.force_login(household_house["chair"])
    url = reverse("referral_detail", args=[referral.case.pk])
    html = client.get(url).content.decode()
    assert "Coördinatie starten zonder triage" in html and "voldoet</span>" in html
    post = reverse("referral_screen", args=[referral.case.pk])
    resp = client.post(post, {"decision": "household_start", "version": referral.version})
    assert resp.status_code == 200
    assert "Kies de procesregisseur die de PGA start." in resp.content.decode()
    resp = client.post(
        post,
        {
            "decision": "household_start",
            "version": referral.version,
            "procesregisseur": household_house["regisseur"].pk,
        },
    )
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "case_detail", args=[referral.case.pk]
    )
    referral.case.refresh_from_db()
    assert referral.case.status == Status.PGA_GESTART


def test_screening_page_has_no_start_outside_the_variant(
    client: Client, intake: dict[str, Any], submitted: Any
) -> None:
    client.force_login(intake["chair"])
    html = client.get(reverse("referral_detail", args=[submitted.case.pk])).content.decode()
    assert "Coördinatie starten zonder triage" not in html
    resp = client.post(
        reverse("referral_screen", args=[submitted.case.pk]),
        {
            "decision": "household_start",
            "version": submitted.version,
            "procesregisseur": intake["regisseur"].pk,
        },
    )
    assert resp.status_code == 200 and "niet in de huishoudvariant" in resp.content.decode()
    submitted.case.refresh_from_db()
    assert submitted.case.status == Status.AANGEMELD
