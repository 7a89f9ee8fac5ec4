"""The subject access export (issue 13): everything about the person, where it came
from and to whom it went, every view of it, nothing of anyone else's; the reviewer's
withholdings and the house-bound scope; the JSON and the PDF from one dict."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import (
    CaseRole,
    ExchangeKind,
    Household,
    HouseholdMember,
    PersonVersion,
    SharingRecord,
)
from ketenregie.cases.sharing import record_exchange
from ketenregie.core.templatetags.dates import long_date
from ketenregie.intake.models import Attachment, EnrichmentRequest, Referral
from ketenregie.pga.models import Closing
from ketenregie.plans.models import Meeting, MonitoringItem, Plan, Statement
from ketenregie.privacy.models import SubjectAccessReview, Withholding
from ketenregie.privacy.redaction import OMITTED
from ketenregie.privacy.retention import retention_date_for_case
from ketenregie.privacy.subject_access import Review, Scope, build_export, find_persons
from ketenregie.privacy.subject_access_output import export_json, export_pdf, passages
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OTHER_MARKER = "ZZOTHERMARKER4711"
SECRET = "ZZWITHHELDMINUTES"
REASON = "lopend strafrechtelijk onderzoek"


@pytest.fixture
def world(client: Client, case_with_team: dict[str, Any]) -> dict[str, Any]:
    """The person with two cases; a housemate with a case of her own (a referral, a
    meeting with minutes and a monitoring note, all carrying a marker) who is named in
    the person's minutes and plan; a partner quoted about a neighbour; the adviser has
    read the case; an attachment, a bekendheidscheck answer and a register row."""
    case = case_with_team["case"]
    regisseur = case_with_team["regisseur"]
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
        case=others_case, referrer=regisseur, reason=f"Eigen zorgen {OTHER_MARKER}"
    )
    start = timezone.now() - dt.timedelta(days=3)
    for c, minutes in (
        (others_case, f"Besproken: {OTHER_MARKER}"),
        (case, f"Besproken met de betrokkene. Zwaantje vertelde over haar schulden. {SECRET}"),
    ):
        Meeting.objects.create(
            house=case.house,
            case=c,
            kind="eerste",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            location="Huis",
            organiser=regisseur,
            minutes=minutes,
        )
    monitoring = Meeting.objects.create(
        house=case.house,
        kind="monitoring",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        location="Huis",
        organiser=regisseur,
    )
    MonitoringItem.objects.create(meeting=monitoring, case=others_case, note=OTHER_MARKER)
    referral = Referral.objects.create(
        case=case,
        referrer=regisseur,
        reason="Schulden en dreigende huisuitzetting PERSONMARKER1",
        submitted_at=timezone.now() - dt.timedelta(days=20),
    )
    answering = OrganisationFactory(name="Politie Testregio")
    EnrichmentRequest.objects.create(
        referral=referral,
        organisation=answering,
        requested_at=timezone.now() - dt.timedelta(days=19),
        deadline=timezone.now() - dt.timedelta(days=17),
        answer="bekend",
        summary="Twee meldingen overlast",
        legal_basis="wettelijke_plicht",
        answered_at=timezone.now() - dt.timedelta(days=18),
    )
    # Only the metadata is exported, never the file: no file is needed here.
    attachment = Attachment.objects.create(
        referral=referral,
        file="nooit-gelezen",
        original_name="verslag-wijkteam.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=regisseur,
        uploaded_at=timezone.now() - dt.timedelta(days=20),
    )
    plan = Plan.objects.create(case=case, joint_goal="Rust in huis; Zwaantje Klaverblad helpt mee")
    Statement.objects.create(
        plan=plan,
        kind="zorg",
        text="Buurman Gerrit Hofstede wordt bedreigd",
        said_by="Politie",
        added_by=regisseur,
        added_at=timezone.now(),
    )
    Closing.objects.create(
        case=second,
        decided_with="Betrokkene en partners",
        handover_organisation=answering,
        handover_note="Overgedragen",
        closed_by=regisseur,
        closed_at=dt.datetime(2026, 3, 17, 10, 0, tzinfo=timezone.get_current_timezone()),
    )
    record_exchange(
        ExchangeKind.MEETING_INVITATION,
        actor=regisseur,
        case=case,
        to_label="Casusteam (3 deelnemers)",
        from_house=True,
    )
    client.force_login(case_with_team["adviser"])
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
    client.logout()
    return {
        **case_with_team,
        "person": person,
        "second": second,
        "other": other,
        "others_case": others_case,
        "attachment": attachment,
        "answering": answering,
    }


def _text(export: dict[str, Any]) -> str:
    return export_json(export).decode()


def _pdf_text(pdf: bytes) -> str:
    # One space for every run of white space: table cells wrap their text.
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def test_export_holds_every_case_and_view_and_no_other_persons_data(world: dict[str, Any]) -> None:
    export = build_export(world["person"])
    text = _text(export)
    assert export["schema_version"] == "1.0" and export["scope"]["all_houses"] is True
    assert {c["code"] for c in export["cases"]} == {world["case"].code, world["second"].code}
    assert "PERSONMARKER1" in text and "Rust in huis" in text
    # The housemate: neither her own case, meetings or monitoring, nor her name.
    assert OTHER_MARKER not in text
    assert "Klaverblad" not in text and "Zwaantje" not in text
    assert f"[{OMITTED}] vertelde" in text
    # The adviser's view: who, organisation, role in the case, when.
    adviser = world["adviser"]
    views = [
        r
        for r in export["access_log"]
        if r["kind"] == "view" and r["actor_username"] == adviser.username
    ]
    assert views, export["access_log"]
    assert views[0]["organisation"] == str(adviser.organisation)
    assert views[0]["role_in_case"] == str(CaseRole.ADVISEUR.label)
    assert views[0]["case"] == world["case"].code and views[0]["occurred_at"]
    pdf = _pdf_text(export_pdf(export))
    assert OTHER_MARKER not in pdf and "Klaverblad" not in pdf
    assert adviser.get_full_name() in pdf and "Adviseur" in pdf
    assert views[0]["actor"] == adviser.get_full_name()


def test_recipients_sources_attachments_and_retention(world: dict[str, Any]) -> None:
    export = build_export(world["person"])
    recipients = export["recipients"]
    assert [r["kind"] for r in recipients] == [str(ExchangeKind.MEETING_INVITATION.label)]
    assert recipients[0]["to"] == "Casusteam (3 deelnemers)" and recipients[0]["legal_basis"]
    assert recipients[0]["purpose"] == "casusoverleg"
    case = next(c for c in export["cases"] if c["code"] == world["case"].code)
    sources = {(s["kind"], s["organisation"]) for s in case["sources"]}
    assert ("enrichment_answer", "Politie Testregio") in sources
    assert ("referral", str(world["regisseur"].organisation or "")) in sources
    attachments = next(s for s in case["sections"] if s["key"] == "attachments")["items"]
    fields = {f["key"]: f["value"] for f in attachments[0]["fields"]}
    assert fields["name"] == world["attachment"].original_name
    assert fields["uploaded_by"] and fields["uploaded_at"]
    assert "content" not in fields and "sha256" not in _text(export)
    closed = next(c for c in export["cases"] if c["code"] == world["second"].code)
    assert closed["retention"]["closed_on"] == dt.date(2026, 3, 17)
    # The deletion day is the retention rule's (privacy.retention), shown in plain Dutch.
    assert closed["retention"]["retained_until"] == retention_date_for_case(world["second"])
    assert closed["retention"]["retained_until"] is not None
    assert case["retention"]["closed_on"] is None
    pdf = _pdf_text(export_pdf(export))
    assert "Aan wie is uw informatie verstrekt" in pdf
    assert "Afgesloten op 17 maart 2026" in pdf and "bewaartermijn" in pdf
    assert long_date(closed["retention"]["retained_until"]) in pdf
    assert "Politie Testregio" in pdf


def test_pdf_is_plain_dutch_from_the_same_dict(world: dict[str, Any]) -> None:
    """No ISO dates and no snake_case keys in what the person reads; the JSON keeps
    machine-readable ISO dates under stable English keys."""
    person = world["person"]
    PersonVersion.objects.create(
        person=person,
        version=1,
        values={"voornamen": person.voornamen, "geboortedatum": "1990-10-07"},
        changed_at=timezone.now(),
        changed_by=world["regisseur"],
    )
    export = build_export(person)
    html = render_to_string("privacy/subject_access_pdf.html", {"export": export})
    assert "7 oktober 1990" in html
    visible = re.sub(r"<[^>]+>", " ", html.split("</style>", 2)[-1])
    assert not re.search(r"\d{4}-\d{2}-\d{2}", visible)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", visible), re.findall(r"\b[a-z]+_[a-z_]+\b", visible)
    data = json.loads(export_json(export))
    assert set(data) == {
        "schema_version",
        "generated_at",
        "scope",
        "omitted_marker",
        "person",
        "households",
        "cases",
        "recipients",
        "access_log",
        "withheld",
    }
    assert re.match(r"\d{4}-\d{2}-\d{2}T", data["generated_at"])
    keys = {f["key"] for f in data["person"]["item"]["fields"]}
    assert {"given_names", "surname", "birth_date", "bsn"} <= keys


def test_other_persons_typed_by_the_reviewer_are_blacked_out(world: dict[str, Any]) -> None:
    plain = _text(build_export(world["person"]))
    assert "Gerrit Hofstede" in plain  # a quoted partner's statement about a neighbour
    text = _text(build_export(world["person"], review=Review(other_names=["Gerrit Hofstede"])))
    assert "Gerrit" not in text and "Hofstede" not in text
    assert f"Buurman [{OMITTED}] wordt bedreigd" in text


def test_house_bound_privacy_contact_exports_only_their_houses(
    client: Client, world: dict[str, Any]
) -> None:
    person, case = world["person"], world["case"]
    elsewhere = CaseFactory(house=HouseFactory(), person=person)
    audit.record("case.viewed", actor=world["regisseur"], case_id=elsewhere.pk)
    contact = UserFactory(roles=[(Role.PRIVACY_CONTACT, case.house)])
    outsider = UserFactory(roles=[(Role.PRIVACY_CONTACT, HouseFactory())])
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    all_codes = {case.code, world["second"].code, elsewhere.code}
    assert {c["code"] for c in build_export(person)["cases"]} == all_codes

    client.force_login(contact)
    url = reverse("subject_access")
    assert person.full_name in client.post(url, {"bsn": person.bsn}).content.decode()
    review = client.post(url, {"person": person.pk})
    assert review.status_code == 302
    response = client.post(review["Location"] + "vrijgeven/", {"format": "json"})
    data = json.loads(response.content)
    assert {c["code"] for c in data["cases"]} == {case.code, world["second"].code}
    assert data["scope"] == {"all_houses": False, "houses": [case.house.name]}
    assert elsewhere.code not in response.content.decode()
    pdf = _pdf_text(client.post(review["Location"] + "vrijgeven/", {"format": "pdf"}).content)
    assert f"alleen de casussen van: {case.house.name}" in pdf

    # A privacy contact of another house finds nobody and cannot open the request.
    client.force_login(outsider)
    assert person.full_name not in client.post(url, {"bsn": person.bsn}).content.decode()
    assert client.post(url, {"person": person.pk}).status_code == 400
    assert client.get(review["Location"]).status_code == 404

    client.force_login(fg)
    opened = client.post(url, {"person": person.pk})
    data = json.loads(client.post(opened["Location"] + "vrijgeven/", {"format": "json"}).content)
    assert {c["code"] for c in data["cases"]} == all_codes and data["scope"]["all_houses"]


def _review_url(client: Client, person: Any) -> str:
    response = client.post(reverse("subject_access"), {"person": person.pk})
    assert response.status_code == 302
    return str(response["Location"])


def test_review_withholds_passages_recorded_and_released(
    client: Client, world: dict[str, Any]
) -> None:
    person = world["person"]
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    client.force_login(fg)
    url = _review_url(client, person)
    review = SubjectAccessReview.objects.get()
    html = client.get(url).content.decode()
    assert SECRET in html and "Inzageverzoek beoordelen" in html
    export = build_export(person)
    meeting = next(
        i
        for c in export["cases"]
        for s in c["sections"]
        if s["key"] == "meetings"
        for i in s["items"]
    )["id"]
    referral_reason = next(p for p in passages(export) if p.endswith("/reason") and "referral" in p)
    view = next(
        r for r in export["access_log"] if r["actor_username"] == world["adviser"].username
    )["id"]
    assert {meeting, referral_reason, view} <= passages(export)

    # A marked passage without a reason: a Dutch error, what was typed is kept.
    response = client.post(
        url,
        {
            "version": review.version,
            "other_persons": "Gerrit Hofstede",
            "withhold": [meeting, view],
            f"reason-{meeting}": REASON,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geef de reden waarom deze passage wordt weggelaten." in html
    assert f'value="{REASON}"' in html and "Gerrit Hofstede</textarea>" in html
    assert not Withholding.objects.exists()

    response = client.post(
        url,
        {
            "version": review.version,
            "other_persons": "Gerrit Hofstede",
            "withhold": [meeting, view, referral_reason],
            f"reason-{meeting}": REASON,
            f"reason-{view}": REASON,
            f"reason-{referral_reason}": "rechten en vrijheden van anderen",
        },
    )
    assert response.status_code == 302
    assert set(Withholding.objects.values_list("passage", flat=True)) == {
        meeting,
        view,
        referral_reason,
    }
    event = AuditEvent.objects.get(action="privacy.subject_access_withheld")
    assert event.object_id == str(person.pk) and event.actor == fg
    assert sorted(event.data["weggelaten"]) == sorted([meeting, view, referral_reason])
    assert REASON not in json.dumps(event.data)  # reasons stay out of the trail
    assert "Hofstede" not in json.dumps(event.data)

    # A second reviewer with the page loaded before: refused, nothing lost.
    stale = client.post(url, {"version": review.version, "other_persons": ""})
    assert "Iemand anders heeft deze beoordeling intussen gewijzigd" in stale.content.decode()
    assert Withholding.objects.count() == 3

    release = url + "vrijgeven/"
    response = client.post(release, {"format": "json"})
    text = response.content.decode()
    assert SECRET not in text and "PERSONMARKER1" not in text and "Hofstede" not in text
    data = json.loads(text)
    assert {w["id"] for w in data["withheld"]} == {meeting, view, referral_reason}
    assert not any(r.get("actor_username") == world["adviser"].username for r in data["access_log"])
    assert {"id": view, "withheld": REASON} in data["access_log"]
    pdf = _pdf_text(client.post(release, {"format": "pdf"}).content)
    assert SECRET not in pdf and "PERSONMARKER1" not in pdf
    assert f"weggelaten: {REASON}" in pdf
    assert "weggelaten: rechten en vrijheden van anderen" in pdf
    exported = AuditEvent.objects.filter(action="privacy.subject_access_exported")
    assert [e.data["formaat"] for e in exported.order_by("pk")] == ["json", "pdf"]
    assert all(e.data["weggelaten"] == 3 for e in exported)
    review.refresh_from_db()
    assert review.released_at is not None
    # Each release is an exchange in the register: per case, to the person, legal duty.
    rows = SharingRecord.objects.filter(kind=ExchangeKind.SUBJECT_ACCESS)
    assert rows.count() == 4  # two cases, two releases
    assert {r.case_code for r in rows} == {world["case"].code, world["second"].code}
    assert {(r.legal_basis, r.actor_label, r.to_label) for r in rows} == {
        ("wettelijke_plicht", fg.username, "de betrokkene (inzageverzoek)")
    }


def test_page_access_and_bad_input(client: Client, world: dict[str, Any]) -> None:
    person = world["person"]
    url = reverse("subject_access")
    client.force_login(world["regisseur"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"person": person.pk}).status_code == 403
    client.force_login(UserFactory(roles=[(Role.PRIVACY_OFFICER, None)]))
    html = client.post(url, {"bsn": "", "name": "", "birth_date": ""}).content.decode()
    assert "Vul een BSN in, of de naam samen met de geboortedatum." in html
    before = AuditEvent.objects.count()
    client.get(url)
    assert AuditEvent.objects.count() == before  # GET writes nothing
    assert client.post(url, {"person": "x"}).status_code == 400
    review_url = _review_url(client, person)
    assert client.post(review_url + "vrijgeven/", {"format": "docx"}).status_code == 400
    # A GET of the review page is a recorded read; a GET of the release writes nothing.
    client.get(review_url)
    assert AuditEvent.objects.filter(action="privacy.subject_access_reviewed").count() == 1
    assert client.get(review_url + "vrijgeven/").status_code == 302
    html = client.post(
        review_url, {"version": "1", "withhold": ["nonsense:1"], "reason-nonsense:1": "x"}
    ).content.decode()
    assert "Deze passage staat niet (meer) in het overzicht." in html


def test_find_by_bsn_or_dutch_name_and_birth_date(world: dict[str, Any]) -> None:
    person = world["person"]
    assert find_persons(bsn=person.bsn) == [person]
    typed = f"{person.voornamen.upper()} {person.achternaam.lower()}"
    assert find_persons(name=typed, birth_date=person.geboortedatum) == [person]
    assert find_persons(name=typed, birth_date=dt.date(1901, 1, 1)) == []
    assert find_persons(name=typed) == []
    assert find_persons(bsn=person.bsn, house_ids=[world["case"].house_id]) == [person]
    assert find_persons(bsn=person.bsn, house_ids=[HouseFactory().pk]) == []


def test_trail_is_read_by_indexed_keys(world: dict[str, Any]) -> None:
    """The trail is read by case id and by the person record, never a scan."""
    with CaptureQueriesContext(connection) as ctx:
        build_export(world["person"])
    audit_sql = [q["sql"] for q in ctx.captured_queries if '"audit_auditevent"' in q["sql"]]
    assert len(audit_sql) == 2
    assert all('"case_id" IN' in s or '"object_id" =' in s for s in audit_sql)


def test_query_count_does_not_grow_with_other_persons_data(world: dict[str, Any]) -> None:
    """The export's cost depends on the person, not on the size of the installation:
    more cases, events and register rows of other persons add no query."""
    person = world["person"]
    with CaptureQueriesContext(connection) as before:
        build_export(person)
    regisseur = world["regisseur"]
    for _ in range(5):
        stranger_case = CaseFactory(house=world["case"].house)
        Referral.objects.create(case=stranger_case, referrer=regisseur, reason="x")
        record_exchange(
            ExchangeKind.MEETING_INVITATION,
            actor=regisseur,
            case=stranger_case,
            to_label="Casusteam",
            from_house=True,
        )
        audit.record_many(
            audit.PendingEvent(action="case.viewed", actor=regisseur, case_id=stranger_case.pk)
            for _ in range(200)
        )
    with CaptureQueriesContext(connection) as after:
        build_export(person)
    assert len(after.captured_queries) == len(before.captured_queries)
    assert AuditEvent.objects.count() > 1000


def test_command_writes_json_and_pdf(world: dict[str, Any], tmp_path: Path) -> None:
    person = world["person"]
    fg = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    review = SubjectAccessReview.objects.create(
        person=person, opened_by=fg, opened_at=timezone.now(), other_persons="Gerrit Hofstede"
    )
    call_command("subject_access", "--bsn", person.bsn, "--out", str(tmp_path))
    data = json.loads((tmp_path / f"inzage-{person.pk}.json").read_text())
    assert any(r.get("actor_username") == world["adviser"].username for r in data["access_log"])
    assert (tmp_path / f"inzage-{person.pk}.pdf").read_bytes().startswith(b"%PDF")
    assert "Hofstede" in json.dumps(data)
    call_command(
        "subject_access", "--bsn", person.bsn, "--out", str(tmp_path), "--review", str(review.pk)
    )
    data = json.loads((tmp_path / f"inzage-{person.pk}.json").read_text())
    assert "Hofstede" not in json.dumps(data)
    assert (
        AuditEvent.objects.filter(
            action="privacy.subject_access_exported", object_id=str(person.pk)
        ).count()
        == 2
    )
    rows = SharingRecord.objects.filter(kind=ExchangeKind.SUBJECT_ACCESS)
    assert rows.count() == 4 and {r.actor_label for r in rows} == {"opdrachtregel"}


def test_scope_of_nothing_is_empty(world: dict[str, Any]) -> None:
    export = build_export(world["person"], scope=Scope.of([]))
    assert export["cases"] == [] and export["scope"]["houses"] == []


def test_pdf_access_lines_keep_every_view(world: dict[str, Any], client: Client) -> None:
    """The PDF puts one person's views of one case on one day on one line, with every
    time (or the count beyond a dozen); no row of the JSON is lost."""
    from ketenregie.privacy.subject_access_output import TIMES_LISTED, access_log_lines

    client.force_login(world["adviser"])
    for _ in range(TIMES_LISTED + 3):
        client.get(reverse("case_detail", args=[world["case"].pk]))
    export = build_export(world["person"])
    lines = access_log_lines(export)
    views = [
        line
        for line in lines
        if "row" in line
        and line["row"]["actor_username"] == world["adviser"].username
        and line["row"]["kind"] == "view"
    ]
    assert len(views) == 1
    assert views[0]["times"][0].startswith(f"{TIMES_LISTED + 4} keer, van ")

    def rows_of(line: dict[str, Any]) -> int:
        if "count" in line:
            return int(line["count"])
        times = line["times"]
        return int(times[0].split()[0]) if "keer" in times[0] else len(times)

    assert sum(rows_of(line) for line in lines) == len(export["access_log"])
