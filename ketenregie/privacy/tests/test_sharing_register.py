"""The data-sharing register (issue 13): every exchange kind, driven through the code
that really shares, leaves its row with purpose, basis and categories; fixed kinds take
the house's configured basis (or the default, marked as such); chosen kinds are checked
by the one rule (cases.grounds)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.cases.models import ExchangeBasis, ExchangeKind, SharingRecord
from ketenregie.cases.sharing import Grounds, record_exchange
from ketenregie.intake.models import EnrichmentRequest
from ketenregie.intake.services import answer_enrichment
from ketenregie.plans import services as plan_services
from ketenregie.plans.tests.conftest import build_team, schedule
from ketenregie.privacy.tests.exchanges import (
    DRIVERS,
    drive_attachment,
    drive_enrichment_answer,
    drive_escalation,
    drive_minutes_sent,
    open_request,
)
from ketenregie.tests_support.factories import (
    NECESSARY,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> dict[str, Any]:
    return build_team()


def _only(kind: str) -> SharingRecord:
    return SharingRecord.objects.get(kind=kind)


def test_a_bekendheidscheck_answer_is_registered_with_the_chosen_grounds(
    team: dict[str, Any],
) -> None:
    drive_enrichment_answer(team)
    police, officer, request = team["police"], team["officer"], team["request"]
    row = _only(ExchangeKind.ENRICHMENT_ANSWER)
    assert row.case_id == team["case"].pk and row.case_code == team["case"].code
    assert row.actor_id == officer.pk and row.from_organisation_id == police.pk
    assert row.from_label == police.name and row.to_label == team["house"].name
    assert row.legal_basis == "publieke_taak" and row.basis_source == "gekozen"
    assert row.criminal_data and not row.special_categories and not row.secrecy_bound
    assert row.purpose == "bekendheidscheck voor de triage"
    # The checklist's checks, on the row and on the answer itself.
    assert row.proportional and row.subsidiary and row.person_informed is True
    request.refresh_from_db()
    assert request.proportionality_note == NECESSARY.proportionality_note
    assert request.purpose == row.purpose and request.person_informed is True


def test_a_bekendheidscheck_answer_that_shares_nothing_leaves_no_row(
    team: dict[str, Any],
) -> None:
    carer_org = OrganisationFactory(domain="zorg")
    carer = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=carer_org)
    request = open_request(team["case"], carer_org)
    answer_enrichment(
        request,
        actor=carer,
        expected_version=request.version,
        answer=EnrichmentRequest.Answer.LISTEN_ONLY,
        summary="",
        legal_basis="",
        special_category="",
        secrecy_ground="",
    )
    assert not SharingRecord.objects.exists()


def test_the_escalation_to_a_zvh_is_registered_on_the_local_case(team: dict[str, Any]) -> None:
    case = drive_escalation(team)
    local, zvh = team["local"], team["zvh"]
    row = _only(ExchangeKind.ESCALATION)
    assert row.case_id == case.pk and row.house_id == local.pk and row.to_label == zvh.name
    assert row.purpose == "Ketenbrede aanpak" and row.basis_source == "gekozen"
    assert row.special_categories and row.secrecy_bound and not row.criminal_data
    assert row.secrecy_ground == "conflict_van_plichten"


def test_meeting_invitations_use_the_house_default_then_its_configured_basis(
    team: dict[str, Any],
) -> None:
    meeting = schedule(team, person_invited=True)
    row = _only(ExchangeKind.MEETING_INVITATION)
    assert row.basis_source == "standaard" and row.legal_basis == "publieke_taak"
    assert row.special_category == "zwaarwegend_algemeen_belang" and row.special_categories
    assert row.recipients == 3 and row.person_informed is True
    assert set(row.to_organisations.values_list("pk", flat=True)) == {
        team["regisseur"].organisation_id,
        team["casus"].organisation_id,
        team["partner"].organisation_id,
    }
    ExchangeBasis.objects.create(
        house=team["house"],
        kind=ExchangeKind.MEETING_INVITATION,
        purpose="Casusoverleg volgens het privacyconvenant van het huis",
        legal_basis="wettelijke_plicht",
        special_category="zwaarwegend_algemeen_belang",
        legal_reference="WGS",
        proportional=True,
        proportionality_note="Alleen partners met een taak in de casus",
        subsidiary=True,
        subsidiarity_note="Geen andere weg",
        person_informed=True,
        changed_at=timezone.now(),
        changed_by=team["manager"],
    )
    plan_services.add_participant(meeting, actor=team["regisseur"], user=team["adviser"])
    added = SharingRecord.objects.filter(kind=ExchangeKind.MEETING_INVITATION).first()
    assert added is not None and added.pk != row.pk
    assert added.basis_source == "huis" and added.legal_basis == "wettelijke_plicht"
    assert added.proportionality_note == "Alleen partners met een taak in de casus"
    assert added.legal_reference == "WGS" and added.subsidiary
    assert added.recipients == 1 and added.to_label == team["adviser"].get_username()


def test_minutes_sent_to_the_case_team_are_registered(team: dict[str, Any]) -> None:
    drive_minutes_sent(team)
    row = _only(ExchangeKind.MINUTES_SENT)
    # The active team: procesregisseur, casusregisseur, partner and adviser.
    assert row.recipients == 4 and row.to_label == "casusteam"
    assert row.actor_id == team["regisseur"].pk and row.case_id == team["case"].pk


@pytest.mark.parametrize("kind", [ExchangeKind.PLAN_PDF, ExchangeKind.SAFETY_PLAN_PDF])
def test_a_plan_pdf_download_is_registered(team: dict[str, Any], kind: str) -> None:
    DRIVERS[kind](team)
    row = _only(kind)
    assert row.from_label == team["house"].name and row.from_organisation_id is None
    assert row.to_label == team["casus"].get_username()
    assert list(row.to_organisations.all()) == [team["org"]]


def test_an_attachment_download_is_registered(
    team: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    drive_attachment(team | {"tmp_path": tmp_path})
    row = _only(ExchangeKind.ATTACHMENT)
    assert row.case_code == team["case"].code and row.purpose == "beoordeling aanmelding"


def test_a_chosen_kind_is_refused_without_a_lawful_basis(team: dict[str, Any]) -> None:
    public = UserFactory(
        roles=[(Role.PROFESSIONAL, None)], organisation=OrganisationFactory(police=True)
    )
    with pytest.raises(ValidationError) as err:
        record_exchange(ExchangeKind.ESCALATION, actor=public, case=team["case"], to_label="ZVH")
    assert "legal_basis" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        record_exchange(
            ExchangeKind.ESCALATION,
            actor=public,
            case=team["case"],
            to_label="ZVH",
            grounds=Grounds(purpose="x", legal_basis="gerechtvaardigd_belang"),
        )
    assert "overheidsorganisaties" in err.value.message_dict["legal_basis"][0]
    with pytest.raises(ValueError, match="fixed basis"):
        record_exchange(
            ExchangeKind.PLAN_PDF,
            actor=public,
            case=team["case"],
            to_label="x",
            grounds=Grounds(purpose="x", legal_basis="toestemming"),
        )
    assert not SharingRecord.objects.exists()


def test_the_register_is_append_only(team: dict[str, Any]) -> None:
    schedule(team)
    row = _only(ExchangeKind.MEETING_INVITATION)
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        SharingRecord.objects.update(purpose="anders")
