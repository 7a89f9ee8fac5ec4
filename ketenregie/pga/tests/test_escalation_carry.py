"""Escalating a local PGA case to a ZVH carries what is known (life-domain problems, the
receiving house's criteria) and asks the grounds for sharing by the bekendheidscheck's
rule (intake.grounds); closing a case tells its referrer (link-only)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.cases.defaults import ensure_life_domains
from ketenregie.cases.models import CaseRole, ExchangeKind, LifeDomain, SharingRecord
from ketenregie.cases.workflow import Status
from ketenregie.intake.models import EnrichmentRequest, Feedback, Referral, ReferralProblem
from ketenregie.intake.services import answer_enrichment
from ketenregie.pga import services
from ketenregie.pga.models import Transfer
from ketenregie.tests_support.factories import (
    NECESSARY,
    NECESSITY_POST,
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def local() -> dict[str, Any]:
    """A running local PGA case with its referral's problems on two life domains."""
    ensure_life_domains()
    house = HouseFactory(local_pga=True)
    zvh = HouseFactory()
    case = CaseFactory(house=house, status=Status.IN_UITVOERING)
    referrer = UserFactory(roles=[(Role.AANMELDER, house)], email="aanmelder@example.invalid")
    referral = Referral.objects.create(
        case=case, referrer=referrer, reason="Overlast in de buurt.", submitted_at=timezone.now()
    )
    domains = list(LifeDomain.objects.order_by("order")[:2])
    for d, text in zip(domains, ["Huurachterstand.", "Dreigende uitval."], strict=True):
        ReferralProblem.objects.create(referral=referral, domain=d, description=text)
    municipal = UserFactory(
        roles=[(Role.PROCESREGISSEUR, house)],
        organisation=OrganisationFactory(domain="sociaal_domein"),
        email="pr@example.invalid",
    )
    MembershipFactory(case=case, user=municipal, role=CaseRole.PROCESREGISSEUR)
    return {"case": case, "zvh": zvh, "regisseur": municipal, "domains": domains, "ref": referrer}


def _escalate(ctx: dict[str, Any], **kw: Any) -> Any:
    values: dict[str, Any] = {
        "actor": ctx["regisseur"],
        "to_house": ctx["zvh"],
        "summary": "Lokale aanpak loopt vast.",
        "purpose": "Ketenbrede aanpak",
        "legal_basis": "publieke_taak",
        "necessity": NECESSARY,
    }
    return services.escalate_to_zvh(ctx["case"], **{**values, **kw})


def test_escalation_carries_problems_and_criteria(local: dict[str, Any]) -> None:
    new = _escalate(
        local,
        special_category="zwaarwegend_algemeen_belang",
        criteria={1: "Meerdere leefgebieden.", 2: "Politie en zorg.", 3: "Gezin betrokken."},
    )
    referral = Referral.objects.get(case=new)
    problems = {p.domain_id: p.description for p in referral.problems.all()}
    assert problems == {
        local["domains"][0].pk: "Huurachterstand.",
        local["domains"][1].pk: "Dreigende uitval.",
    }
    assert sorted(rc.criterion.number for rc in referral.criteria.all()) == [1, 2, 3]
    assert referral.criteria.get(criterion__number=2).explanation == "Politie en zorg."
    # Met by the ZVH's own rule (landelijk kader: 1, 2 and 3), not stamped "voldoet".
    assert referral.meets_criteria
    transfer = Transfer.objects.get(from_case=local["case"])
    assert transfer.special_category == "zwaarwegend_algemeen_belang"


def test_escalation_without_criteria_does_not_claim_to_meet_them(local: dict[str, Any]) -> None:
    # Before: every escalated referral said "voldoet" with no criteria at all.
    new = _escalate(local, criteria={1: "Alleen dit."})
    referral = Referral.objects.get(case=new)
    assert not referral.meets_criteria
    assert [rc.criterion.number for rc in referral.criteria.all()] == [1]


def test_escalation_refuses_legitimate_interest_for_a_public_body(local: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        _escalate(local, legal_basis="gerechtvaardigd_belang")
    assert "Gerechtvaardigd belang is geen grondslag" in err.value.message_dict["legal_basis"][0]
    assert not Transfer.objects.exists()


def test_escalation_by_a_care_partner_needs_the_secrecy_ground(local: dict[str, Any]) -> None:
    carer = UserFactory(
        roles=[(Role.PROCESREGISSEUR, local["case"].house)],
        organisation=OrganisationFactory(domain="zorg"),
    )
    MembershipFactory(case=local["case"], user=carer, role=CaseRole.PROCESREGISSEUR)
    with pytest.raises(ValidationError) as err:
        _escalate(local, actor=carer)
    assert "beroepsgeheim" in err.value.message_dict["secrecy_ground"][0]
    _escalate(local, actor=carer, secrecy_ground="conflict_van_plichten")
    assert Transfer.objects.get().secrecy_ground == "conflict_van_plichten"


def test_one_rule_for_the_bekendheidscheck_and_the_escalation(local: dict[str, Any]) -> None:
    """The same message, from the same function, on both roads."""
    police = OrganisationFactory(police=True)
    request = EnrichmentRequest.objects.create(
        referral=Referral.objects.get(case=local["case"]),
        organisation=police,
        requested_at=timezone.now(),
        deadline=timezone.now(),
    )
    with pytest.raises(ValidationError) as enrichment:
        answer_enrichment(
            request,
            actor=UserFactory(organisation=police),
            expected_version=request.version,
            answer="bekend",
            summary="Bekend bij de wijkagent.",
            legal_basis="gerechtvaardigd_belang",
            special_category="",
            secrecy_ground="",
            necessity=NECESSARY,
        )
    with pytest.raises(ValidationError) as escalation:
        _escalate(local, legal_basis="gerechtvaardigd_belang")
    assert (
        enrichment.value.message_dict["legal_basis"] == escalation.value.message_dict["legal_basis"]
    )


def test_escalation_form_asks_grounds_and_criteria(client: Client, local: dict[str, Any]) -> None:
    client.force_login(local["regisseur"])
    url = reverse("pga_closing", args=[local["case"].pk])
    html = client.get(url).content.decode()
    assert "AVG art. 9/10" in html and "Beroepsgeheim" in html and "crit_1_uitleg" in html
    post = {
        "to_house": local["zvh"].pk,
        "summary": "Vastgelopen.",
        "purpose": "Opschaling",
        "legal_basis": "gerechtvaardigd_belang",
        **NECESSITY_POST,
    }
    escalate = reverse("pga_escalate", args=[local["case"].pk])
    refused = client.post(escalate, post)
    assert refused.status_code == 200
    assert "Gerechtvaardigd belang is geen grondslag" in refused.content.decode()
    unexplained = client.post(escalate, post | {"legal_basis": "publieke_taak", "crit_4": "on"})
    assert unexplained.status_code == 200
    assert "Licht toe waarom dit criterium van toepassing is." in unexplained.content.decode()
    assert not Transfer.objects.exists()
    post["crit_4"] = "on"
    post |= {"legal_basis": "publieke_taak", "crit_4_uitleg": "Onrust in de wijk."}
    done = client.post(escalate, post)
    assert done.status_code == 302
    new = Transfer.objects.get().to_case_id
    referral = Referral.objects.get(case_id=new)
    assert referral.meets_criteria and referral.problems.count() == 2


def test_closing_tells_the_referrer_by_link(
    local: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.close_case(
            local["case"],
            actor=local["regisseur"],
            provisional=False,
            decided_with="Met de casusregisseur.",
            handover_organisation=OrganisationFactory(),
            handover_note="Wijkteam neemt over.",
        )
    feedback = Feedback.objects.get(recipient=local["ref"])
    assert feedback.message == f"De casus van uw aanmelding {local['case'].code} is afgesloten."
    sent = [m for m in mail.outbox if m.to == ["aanmelder@example.invalid"]]
    assert len(sent) == 1
    # Link-only: the code and a link, no name, no content of the closing.
    assert "Wijkteam" not in sent[0].body and local["case"].person.achternaam not in sent[0].body
    assert reverse("my_referrals") in sent[0].body


def test_escalation_form_refuses_without_the_necessity_checks(
    client: Client, local: dict[str, Any]
) -> None:
    """The escalation asks the checklist's checks next to the grounds: refused with Dutch
    messages (the typed purpose kept), then stored on the transfer and its register row."""
    client.force_login(local["regisseur"])
    escalate = reverse("pga_escalate", args=[local["case"].pk])
    post = {
        "to_house": local["zvh"].pk,
        "summary": "Vastgelopen.",
        "purpose": "Getypt doel van de opschaling",
        "legal_basis": "publieke_taak",
    }
    html = client.post(escalate, post).content.decode()
    assert "(proportionaliteit)" in html and "(subsidiariteit)" in html
    assert "Geef aan of de betrokkene is geïnformeerd." in html
    assert "Getypt doel van de opschaling" in html
    assert not Transfer.objects.exists()
    assert client.post(escalate, post | NECESSITY_POST).status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.proportional and transfer.subsidiary and transfer.person_informed is True
    assert transfer.proportionality_note == NECESSITY_POST["proportionality_note"]
    row = SharingRecord.objects.get(kind=ExchangeKind.ESCALATION)
    assert row.subsidiarity_note == NECESSITY_POST["subsidiarity_note"]
