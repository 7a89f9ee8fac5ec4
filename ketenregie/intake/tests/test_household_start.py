"""Issue 15, slice hh: starting coordination without the triage in a household-variant
house (seed 002 section 3.4), and its refusal everywhere else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.audit.models import AuditEvent
from ketenregie.cases import household_services
from ketenregie.cases import services as case_services
from ketenregie.cases.household_queries import coordination_consent_warning
from ketenregie.cases.models import (
    CaseMembership,
    CaseRole,
    Consent,
    CoordinationStart,
    HouseholdMember,
)
from ketenregie.cases.workflow import Status, ensure_allowed
from ketenregie.core.errors import TransitionNotAllowed
from ketenregie.core.timeutil import today
from ketenregie.intake import services
from ketenregie.intake.criteria import HUISHOUDEN, criteria_of, ensure_default_criteria
from ketenregie.intake.models import CriteriaSet, Feedback
from ketenregie.intake.services.household_start import (
    CONSENT_NOW,
    CONSENT_RECORDED,
    WITHOUT_CONSENT,
)
from ketenregie.intake.services.screening import delete_referral_data
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
        referral.case,
        actor=chair,
        expected_version=referral.version,
        procesregisseur=regisseur,
        consent_choice=WITHOUT_CONSENT,
        without_consent_reason="De klant weigert; signalen van geweld.",
    )
    case = referral.case
    case.refresh_from_db()
    assert case.status == Status.PGA_GESTART
    assert CaseMembership.objects.get(case=case, role=CaseRole.PROCESREGISSEUR).user == regisseur
    event = AuditEvent.objects.get(action="referral.started_without_triage")
    assert event.case_id == case.pk
    assert event.data == {"procesregisseur": regisseur.pk, "toestemming": WITHOUT_CONSENT}
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
            consent_choice=WITHOUT_CONSENT,
            without_consent_reason="Reden.",
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
            consent_choice=WITHOUT_CONSENT,
            without_consent_reason="Reden.",
        )
    referral2 = _submit(household_house, ticked={crit[3].pk: "signalen van geweld"})
    with pytest.raises(ValidationError) as exc:
        services.start_without_triage(
            referral2.case,
            actor=household_house["chair"],
            expected_version=referral2.version,
            procesregisseur=None,
            consent_choice=WITHOUT_CONSENT,
            without_consent_reason="Reden.",
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
            "consent_choice": CONSENT_NOW,
            "given_by_representative": "J. Jansen, voogd",
            "given_on": (today() - dt.timedelta(days=1)).isoformat(),
            "form": "mondeling",
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


# Issue 15, slice consent: the start rests on consent to coordination, or on an explicit
# start without it (with a reason); seed 002: without consent the meldcode is followed.


def _start(ctx: dict[str, Any], referral: Any, **kwargs: Any) -> Any:
    return services.start_without_triage(
        referral.case,
        actor=ctx["chair"],
        expected_version=referral.version,
        procesregisseur=ctx["regisseur"],
        **kwargs,
    )


def _consent(ctx: dict[str, Any], case: Any, **values: Any) -> Consent:
    return household_services.record_consent(
        case,
        actor=ctx["chair"],
        values={
            "subject": Consent.Subject.COORDINATIE,
            "partners": "",
            "given_by_member": None,
            "given_by_representative": "A. de Voogd, voogd",
            "given_on": today() - dt.timedelta(days=3),
            "form": Consent.Form.SCHRIFTELIJK,
            "note": "",
            **values,
        },
    )


def _refused(ctx: dict[str, Any], referral: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        _start(ctx, referral, **kwargs)
    referral.case.refresh_from_db()
    assert referral.case.status == Status.AANGEMELD
    assert not CoordinationStart.objects.filter(case=referral.case).exists()
    return exc.value.message_dict


def test_start_needs_an_answer_about_consent(household_house: dict[str, Any]) -> None:
    referral = _submit(household_house)
    errors = _refused(household_house, referral, consent_choice="")
    assert "toestemming gaf voor coördinatie" in errors["consent_choice"][0]


def test_start_on_recorded_consent_needs_one_that_holds(household_house: dict[str, Any]) -> None:
    ctx = household_house
    referral = _submit(ctx)
    errors = _refused(ctx, referral, consent_choice=CONSENT_RECORDED)
    assert "geen geldende toestemming" in errors["consent_choice"][0]
    # A consent for something else, or one withdrawn, is no consent to coordination.
    _consent(ctx, referral.case, subject=Consent.Subject.DELEN_NETWERK)
    withdrawn = _consent(ctx, referral.case)
    household_services.withdraw_consent(withdrawn, actor=ctx["chair"], on=today(), by="moeder")
    assert "consent_choice" in _refused(ctx, referral, consent_choice=CONSENT_RECORDED)

    held = _consent(ctx, referral.case)
    _start(ctx, referral, consent_choice=CONSENT_RECORDED)
    start = CoordinationStart.objects.get(case=referral.case)
    assert start.consent == held and start.without_consent_reason == ""
    event = AuditEvent.objects.get(action="household.coordination_started")
    assert event.data == {
        "met_toestemming": True,
        "toestemming": held.pk,
        "reden_vastgelegd": False,
    }
    assert coordination_consent_warning(referral.case) is None


def test_consent_given_now_is_recorded_with_the_start(household_house: dict[str, Any]) -> None:
    ctx = household_house
    referral = _submit(ctx)
    errors = _refused(ctx, referral, consent_choice=CONSENT_NOW, new_consent={})
    assert set(errors) >= {"given_by_member", "given_on", "form"}
    assert not Consent.objects.filter(case=referral.case).exists()
    errors = _refused(
        ctx,
        referral,
        consent_choice=CONSENT_NOW,
        new_consent={
            "given_by_representative": "A. de Voogd",
            "given_on": today() + dt.timedelta(days=1),
            "form": "mondeling",
        },
    )
    assert set(errors) == {"given_on"}
    assert not Consent.objects.filter(case=referral.case).exists()

    mother = HouseholdMember.objects.get(
        household_id=referral.case.household_id, person_id=referral.case.person_id
    )
    _start(
        ctx,
        referral,
        consent_choice=CONSENT_NOW,
        new_consent={"given_by_member": mother, "given_on": today(), "form": "mondeling"},
    )
    consent = Consent.objects.get(case=referral.case)
    assert consent.subject == Consent.Subject.COORDINATIE and consent.given_by_member == mother
    assert CoordinationStart.objects.get(case=referral.case).consent == consent
    assert AuditEvent.objects.filter(action="household.consent_recorded").count() == 1


def test_start_without_consent_needs_a_reason(household_house: dict[str, Any]) -> None:
    ctx = household_house
    referral = _submit(ctx)
    errors = _refused(ctx, referral, consent_choice=WITHOUT_CONSENT, without_consent_reason=" ")
    assert "zonder toestemming" in errors["without_consent_reason"][0]
    _start(
        ctx,
        referral,
        consent_choice=WITHOUT_CONSENT,
        without_consent_reason="Moeder weigert; de kinderen zijn getuige van geweld.",
    )
    start = CoordinationStart.objects.get(case=referral.case)
    assert start.without_consent and start.consent is None
    assert start.without_consent_reason.startswith("Moeder weigert")
    event = AuditEvent.objects.get(action="household.coordination_started")
    # The reason is about the family: the trail says only that there is one.
    assert event.data == {"met_toestemming": False, "toestemming": None, "reden_vastgelegd": True}
    referral.case.refresh_from_db()
    warning = coordination_consent_warning(referral.case)
    assert warning is not None and warning.withdrawn is None and warning.start == start


def test_start_without_consent_refused_while_one_holds(household_house: dict[str, Any]) -> None:
    ctx = household_house
    referral = _submit(ctx)
    _consent(ctx, referral.case)
    errors = _refused(
        ctx, referral, consent_choice=WITHOUT_CONSENT, without_consent_reason="Reden."
    )
    assert "geldende toestemming" in errors["consent_choice"][0]


def test_withdrawn_consent_warns_on_the_case_page_with_the_meldcode(
    client: Client, household_house: dict[str, Any]
) -> None:
    ctx = household_house
    referral = _submit(ctx)
    consent = _consent(ctx, referral.case)
    _start(ctx, referral, consent_choice=CONSENT_RECORDED)
    case = referral.case
    case.refresh_from_db()
    client.force_login(ctx["regisseur"])
    page = reverse("case_detail", args=[case.pk])
    meldcode = reverse("meldcode", args=[case.pk])
    html = client.get(page).content.decode()
    assert 'id="consent-warning"' not in html
    household_services.withdraw_consent(
        consent, actor=ctx["regisseur"], on=today(), by="Moeder, telefonisch"
    )
    html = client.get(page).content.decode()
    assert "Toestemming voor coördinatie ingetrokken" in html
    assert "Moeder, telefonisch" in html and f'href="{meldcode}"' in html
    html = client.get(reverse("household", args=[case.pk])).content.decode()
    assert 'id="consent-warning"' in html and 'id="coordination-start"' in html
    # Consent given again: coordination runs with consent, no warning.
    _consent(ctx, case, given_on=today())
    assert 'id="consent-warning"' not in client.get(page).content.decode()


def test_start_form_keeps_the_reason_and_the_case_shows_it(
    client: Client, household_house: dict[str, Any]
) -> None:
    ctx = household_house
    referral = _submit(ctx)
    client.force_login(ctx["chair"])
    html = client.get(reverse("referral_detail", args=[referral.case.pk])).content.decode()
    # Nothing recorded yet: no "already recorded" answer, and none chosen for the screener.
    assert 'value="vastgelegd"' not in html and 'value="zonder"' in html
    post = reverse("referral_screen", args=[referral.case.pk])
    reason = "Vader dreigt; moeder durft niet te tekenen."
    data = {
        "decision": "household_start",
        "version": referral.version,
        "consent_choice": WITHOUT_CONSENT,
        "without_consent_reason": reason,
    }
    resp = client.post(post, data)
    html = resp.content.decode()
    assert resp.status_code == 200 and "Kies de procesregisseur die de PGA start." in html
    assert reason in html
    resp = client.post(post, {**data, "procesregisseur": ctx["regisseur"].pk})
    assert resp.status_code == 302
    messages = [str(m) for m in get_messages(resp.wsgi_request)]
    assert any("Gestart zonder toestemming van de klant" in m for m in messages)
    client.force_login(ctx["regisseur"])
    html = client.get(reverse("case_detail", args=[referral.case.pk])).content.decode()
    assert "Coördinatie gestart zonder toestemming van de klant" in html and reason in html
    assert f'href="{reverse("meldcode", args=[referral.case.pk])}"' in html


def test_deleting_the_case_takes_the_start_and_its_consent(household_house: dict[str, Any]) -> None:
    """The start's link to its consent is RESTRICT: the case's deletion (retention, a
    rejected referral) still takes both along."""
    ctx = household_house
    referral = _submit(ctx)
    _consent(ctx, referral.case)
    _start(ctx, referral, consent_choice=CONSENT_RECORDED)
    case = referral.case
    delete_referral_data(case)
    assert not CoordinationStart.objects.filter(case_id=case.pk).exists()
    assert not Consent.objects.filter(case_id=case.pk).exists()
