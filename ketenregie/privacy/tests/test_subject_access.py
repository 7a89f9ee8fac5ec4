"""The subject access export (issue 13): everything about the person, every view of it,
and nothing of anyone else's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import CaseRole, Household, HouseholdMember
from ketenregie.intake.models import Referral
from ketenregie.plans.models import Meeting, Plan
from ketenregie.privacy.subject_access import OMITTED, build_export, export_pdf, find_persons
from ketenregie.tests_support.factories import CaseFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

OTHER_MARKER = "ZZOTHERMARKER4711"


@pytest.fixture
def world(client: Client, case_with_team: dict[str, Any]) -> dict[str, Any]:
    """The person with two cases; a housemate (with a case of her own, carrying a marker
    text) named in the person's minutes and plan; the adviser has read the case."""
    case = case_with_team["case"]
    person = case.person
    second = CaseFactory(house=case.house, person=person, closed=True)
    household = Household.objects.create(name="")
    other = PersonFactory(voornamen="Zwaantje", tussenvoegsel="", achternaam="Klaverblad")
    HouseholdMember.objects.create(household=household, person=person, relation="betrokkene")
    HouseholdMember.objects.create(household=household, person=other, relation="partner")
    case.household = household
    case.save(update_fields=["household"])
    others_case = CaseFactory(house=case.house, person=other, household=household)
    Referral.objects.create(
        case=others_case,
        referrer=case_with_team["regisseur"],
        reason=f"Eigen zorgen van de partner {OTHER_MARKER}",
    )
    Referral.objects.create(
        case=case,
        referrer=case_with_team["regisseur"],
        reason="Schulden en dreigende huisuitzetting PERSONMARKER1",
    )
    Plan.objects.create(case=case, joint_goal="Rust in huis; Zwaantje Klaverblad helpt mee")
    start = timezone.now() - dt.timedelta(days=3)
    Meeting.objects.create(
        house=case.house,
        case=case,
        kind="eerste",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        location="Huis",
        organiser=case_with_team["regisseur"],
        minutes="Besproken met de betrokkene. Zwaantje vertelde over haar eigen schulden.",
    )
    client.force_login(case_with_team["adviser"])
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
    client.logout()
    return {**case_with_team, "person": person, "second": second, "other": other}


def test_export_holds_every_case_and_view_and_no_other_persons_data(world: dict[str, Any]) -> None:
    export = build_export(world["person"])
    text = json.dumps(export, ensure_ascii=False)
    codes = {c["casusnummer"] for c in export["casussen"]}
    assert codes == {world["case"].code, world["second"].code}
    assert "PERSONMARKER1" in text and "Rust in huis" in text
    # The housemate: neither her own case, nor her name in the person's texts.
    assert OTHER_MARKER not in text
    assert "Klaverblad" not in text and "Zwaantje" not in text
    assert OMITTED in text
    assert "[weggelaten: gegevens van een ander] vertelde" in text
    # The adviser's view: who, organisation, role in the case, when.
    adviser = world["adviser"]
    views = [
        r for r in export["audittrail"] if r["soort"] == "inzage" and r["wie"] == adviser.username
    ]
    assert views, export["audittrail"]
    assert views[0]["organisatie"] == str(adviser.organisation)
    assert views[0]["rol_in_casus"] == str(CaseRole.ADVISEUR.label)
    assert views[0]["casus"] == world["case"].code and views[0]["wanneer"]
    pdf = export_pdf(export)
    assert pdf.startswith(b"%PDF")


def test_trail_is_read_by_indexed_keys(world: dict[str, Any]) -> None:
    """The trail is read by case id and by the person record, never a scan: the SQL
    that reads audit events filters on `case_id IN` or `object_type/object_id`."""
    with CaptureQueriesContext(connection) as ctx:
        build_export(world["person"])
    audit_sql = [q["sql"] for q in ctx.captured_queries if '"audit_auditevent"' in q["sql"]]
    assert len(audit_sql) == 2
    assert all('"case_id" IN' in s or '"object_id" =' in s for s in audit_sql)


def test_find_by_bsn_or_dutch_name_and_birth_date(world: dict[str, Any]) -> None:
    person = world["person"]
    assert find_persons(bsn=person.bsn) == [person]
    # "van der Testpersoon" typed without the tussenvoegsel and in another case.
    typed = f"{person.voornamen.upper()} {person.achternaam.lower()}"
    assert find_persons(name=typed, birth_date=person.geboortedatum) == [person]
    assert find_persons(name=typed, birth_date=dt.date(1901, 1, 1)) == []
    assert find_persons(name=typed) == []


def test_page_for_the_fg_only_and_the_export_is_audited(
    client: Client, world: dict[str, Any]
) -> None:
    person = world["person"]
    url = reverse("subject_access")
    client.force_login(world["regisseur"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"person": person.pk, "format": "json"}).status_code == 403
    client.logout()
    client.force_login(UserFactory(roles=[(Role.PRIVACY_OFFICER, None)]))
    assert client.get(url).status_code == 200
    html = client.post(url, {"bsn": "", "name": "", "birth_date": ""}).content.decode()
    assert "Vul een BSN in, of de naam samen met de geboortedatum." in html
    before = AuditEvent.objects.count()
    client.get(url)
    assert AuditEvent.objects.count() == before  # GET writes nothing
    html = client.post(url, {"bsn": person.bsn}).content.decode()
    assert person.full_name in html
    response = client.post(url, {"person": person.pk, "format": "json"})
    assert response.status_code == 200
    export = json.loads(response.content)
    assert OTHER_MARKER not in response.content.decode()
    assert {c["casusnummer"] for c in export["casussen"]} == {
        world["case"].code,
        world["second"].code,
    }
    event = AuditEvent.objects.filter(action="privacy.subject_access_exported").get()
    assert event.object_id == str(person.pk) and event.data["formaat"] == "json"
    response = client.post(url, {"person": person.pk, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert client.post(url, {"person": "x", "format": "pdf"}).status_code == 400


def test_command_writes_json_and_pdf(world: dict[str, Any], tmp_path: Path) -> None:
    person = world["person"]
    call_command("subject_access", "--bsn", person.bsn, "--out", str(tmp_path))
    data = json.loads((tmp_path / f"inzage-{person.pk}.json").read_text())
    assert any(r["wie"] == world["adviser"].username for r in data["audittrail"])
    assert (tmp_path / f"inzage-{person.pk}.pdf").read_bytes().startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="privacy.subject_access_exported", object_id=str(person.pk)
    ).exists()
