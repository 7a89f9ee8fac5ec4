"""The management-information pages and exports: scope per role, no personal data, the
small-number rule on the real pages, audited exports and a query count that does not
grow with the data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.models import House, Organisation
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import CaseRole, LifeDomain, StatusChange
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.intake.models import Referral, RejectionCount
from ketenregie.pga.models import Closing
from ketenregie.plans.models import Action, Goal, Meeting, Plan, PlanVersion
from ketenregie.reports.mi import TOPICS
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NAME_MARKER = "Geheimnaam"
TEXT_MARKER = "VRIJETEKSTMARKER"
CODE_PREFIX = "MIGEHEIM"
DIRECTOR_SURNAME = "Regisseursnaam"


def _at(days_ago: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def full_case(house: House, n: int, director: Any, partner: Organisation, spare: Any) -> None:
    """A case that went the whole way: referral, triage, start, first meeting, plan
    (two versions), an overdue action, closing with a warm handover."""
    created = _at(200 - n)
    person = PersonFactory(voornamen=f"{NAME_MARKER}{n}", achternaam=f"{NAME_MARKER}Achter{n}")
    case = CaseFactory(
        house=house,
        person=person,
        code=f"{CODE_PREFIX}-{house.code}-{n:04d}",
        status=Status.AFGESLOTEN,
        created_at=created,
    )
    StatusChange.objects.filter(case=case).delete()
    steps = [
        ("", Status.AANGEMELD, 0),
        (Status.AANGEMELD, Status.VERRIJKING, 2),
        (Status.VERRIJKING, Status.GEAGENDEERD, 5),
        (Status.GEAGENDEERD, Status.PGA_GESTART, 9 + n % 3),
        (Status.PGA_GESTART, Status.IN_UITVOERING, 20 + n % 5),
        (Status.IN_UITVOERING, Status.AFGESLOTEN, 120 + n),
    ]
    for old, new, day in steps:
        StatusChange.objects.create(
            case=case,
            from_status=old,
            to_status=new,
            reason=TEXT_MARKER,
            changed_at=created + dt.timedelta(days=day),
        )
    Referral.objects.create(case=case, referrer=spare, reason=TEXT_MARKER)
    MembershipFactory(case=case, user=director, role=CaseRole.PROCESREGISSEUR)
    meeting_at = created + dt.timedelta(days=30)
    Meeting.objects.create(
        house=house,
        case=case,
        kind=Meeting.Kind.FIRST,
        state=Meeting.State.HELD,
        starts_at=meeting_at,
        ends_at=meeting_at + dt.timedelta(hours=1),
        location=TEXT_MARKER,
        organiser=director,
        minutes=TEXT_MARKER,
        minutes_sent_at=meeting_at + dt.timedelta(days=3 if n % 4 else 12),
    )
    plan = Plan.objects.create(case=case, joint_goal=TEXT_MARKER)
    Goal.objects.create(
        plan=plan,
        text=TEXT_MARKER,
        good_enough=TEXT_MARKER,
        reached=Goal.Reached.YES if n % 3 else Goal.Reached.NO,
    )
    domains = {d.name: {"score": 2, "problematiek": TEXT_MARKER} for d in LifeDomain.objects.all()}
    for number, shift in ((1, 0), (2, 1 if n % 2 else 0)):
        content = {"domeinen": {k: {**v, "score": v["score"] + shift} for k, v in domains.items()}}
        PlanVersion.objects.create(
            plan=plan,
            number=number,
            adopted_at=meeting_at + dt.timedelta(days=number * 20),
            adopted_by=director,
            content=content,
        )
    Action.objects.create(
        case=case,
        what=TEXT_MARKER,
        owner_organisation=partner,
        due_date=today() - dt.timedelta(days=5),
        created_by=director,
    )
    Closing.objects.create(
        case=case,
        decided_with=TEXT_MARKER,
        handover_organisation=partner,
        handover_note=TEXT_MARKER,
        closed_by=director,
        closed_at=created + dt.timedelta(days=120 + n),
    )


@pytest.fixture
def world() -> dict[str, Any]:
    if not LifeDomain.objects.exists():
        for i, name in enumerate(("Financiën", "Huisvesting", "Psychische gezondheid")):
            LifeDomain.objects.create(name=name, order=i)
    region = RegionFactory(name="Regio MI")
    house_a = HouseFactory(region=region, name="Huis Alfa")
    house_b = HouseFactory(region=region, name="Huis Beta")
    house_c = HouseFactory(name="Huis Elders")  # another region
    municipality = OrganisationFactory(name="Gemeente MI", region=region)
    partner = OrganisationFactory(name="Woningcorporatie MI")
    director = UserFactory(last_name=DIRECTOR_SURNAME, roles=[(Role.PROCESREGISSEUR, house_a)])
    spare = UserFactory(roles=[(Role.AANMELDER, None)])
    for n in range(12):
        full_case(house_a, n, director, partner, spare)
    for n in range(3):
        full_case(house_c, 100 + n, director, partner, spare)
    for n in range(6):
        running = CaseFactory(
            house=house_a,
            code=f"{CODE_PREFIX}-LOPEND-{n}",
            person=PersonFactory(voornamen=f"{NAME_MARKER}L{n}"),
            status=Status.IN_UITVOERING,
            escalation_level=2 + n % 3,
        )
        MembershipFactory(case=running, user=director, role=CaseRole.PROCESREGISSEUR)
    RejectionCount.objects.create(
        house=house_a,
        week=today() - dt.timedelta(days=today().weekday() + 14),
        category=Referral.RejectCategory.CRITERIA,
        count=2,
    )
    return {
        "house_a": house_a,
        "house_b": house_b,
        "house_c": house_c,
        "manager": UserFactory(roles=[(Role.MANAGER, house_a)]),
        "expert": UserFactory(roles=[(Role.PGA_EXPERT, house_a)]),
        "beleid": UserFactory(organisation=municipality, roles=[(Role.BELEID, None)]),
        "director": director,
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _urls(slug: str) -> list[str]:
    return [
        reverse("management_info_topic", args=[slug]),
        reverse("management_info_csv", args=[slug]),
        reverse("management_info_pdf", args=[slug]),
    ]


def _text(response: Any) -> str:
    if response["Content-Type"].startswith("application/pdf"):
        import io

        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() for page in reader.pages)
    return str(response.content.decode())


@pytest.mark.parametrize("who", ["manager", "expert", "beleid"])
def test_no_personal_data_on_any_page_or_export(world: dict[str, Any], who: str) -> None:
    client = _client(world[who])
    for topic in TOPICS:
        for url in _urls(topic.slug):
            response = client.get(url)
            assert response.status_code == 200, url
            text = _text(response)
            for marker in (NAME_MARKER, TEXT_MARKER, CODE_PREFIX):
                assert marker not in text, (url, marker)
            # No BSN of a person in the world (the test range: nine digits).
            for bsn in PersonFactory._meta.model.objects.values_list("bsn", flat=True):
                assert not bsn or bsn not in text, (url, bsn)
            if who != "manager":
                assert DIRECTOR_SURNAME not in text, url


def test_the_manager_sees_caseload_by_name_for_the_own_house(world: dict[str, Any]) -> None:
    url = reverse("management_info_topic", args=["caseload"])
    page = _client(world["manager"]).get(url).content.decode()
    assert DIRECTOR_SURNAME in page
    assert DIRECTOR_SURNAME not in _client(world["expert"]).get(url).content.decode()


def test_small_counts_show_as_less_than_five(world: dict[str, Any]) -> None:
    page = _client(world["manager"]).get(reverse("management_info")).content.decode()
    # Two referrals rejected for the criteria: a small number.
    assert "Niet geagendeerd: voldoet niet aan de criteria" in page
    row = page.split("Niet geagendeerd: voldoet niet aan de criteria</th>")[1][:120]
    assert "&lt; 5" in row and ">2<" not in row


def test_policy_reads_its_region_and_the_manager_only_the_own_house(
    world: dict[str, Any],
) -> None:
    url = reverse("management_info_topic", args=["fasen"])
    beleid = _client(world["beleid"]).get(url)
    assert "Huis Alfa" in beleid.content.decode() and "Huis Beta" in beleid.content.decode()
    assert "Huis Elders" not in beleid.content.decode()
    manager = _client(world["manager"]).get(url)
    assert "Huis Beta" not in manager.content.decode()
    # A house outside the scope is refused with a message, not shown.
    refused = _client(world["manager"]).get(url, {"house": world["house_c"].pk})
    assert refused.status_code == 200
    assert "geen geldige keuze" in refused.content.decode().lower() or "Selecteer een geldige" in (
        refused.content.decode()
    )


def test_bad_period_gives_a_dutch_message_and_keeps_the_input(world: dict[str, Any]) -> None:
    response = _client(world["manager"]).get(
        reverse("management_info"), {"date_from": "2026-05-01", "date_to": "2026-01-01"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "De einddatum ligt voor de begindatum." in page
    assert 'value="2026-05-01"' in page
    garbage = _client(world["manager"]).get(reverse("management_info"), {"date_from": "gisteren"})
    assert garbage.status_code == 200 and "Voer een geldige datum in." in garbage.content.decode()


def test_other_roles_are_refused(world: dict[str, Any]) -> None:
    client = _client(world["director"])
    for url in _urls("instroom"):
        assert client.get(url).status_code == 403


def test_unknown_topic_is_not_found(world: dict[str, Any]) -> None:
    response = _client(world["manager"]).get(reverse("management_info_topic", args=["nope"]))
    assert response.status_code == 404


def test_pages_and_exports_are_audited_as_reads(world: dict[str, Any]) -> None:
    client = _client(world["manager"])
    for url in _urls("verslagen"):
        client.get(url)
    codes = list(AuditEvent.objects.filter(actor=world["manager"]).values_list("action", flat=True))
    assert {"reports.mi_viewed", "reports.mi_csv_exported", "reports.mi_pdf_exported"} <= set(codes)


def test_figures_are_right(world: dict[str, Any]) -> None:
    """The manager's house has twelve cases that went the whole way."""
    client = _client(world["manager"])
    period = {"date_from": (today() - dt.timedelta(days=400)).isoformat()}
    closing = client.get(reverse("management_info_topic", args=["afsluiting"]), period)
    assert "Afgesloten met warme overdracht</th>" in closing.content.decode()
    row = closing.content.decode().split("Afgesloten met warme overdracht</th>")[1][:100]
    assert ">12<" in row
    durations = client.get(reverse("management_info_topic", args=["doorlooptijden"]), period)
    # Referral to triage decision: 9 to 11 days for every case; the median is 10.
    row = durations.content.decode().split("Aanmelding → triagebesluit</th>")[1][:400]
    assert ">12<" in row and ">10<" in row


@pytest.mark.parametrize("topic", [t.slug for t in TOPICS])
def test_query_count_does_not_grow_with_the_data(world: dict[str, Any], topic: str) -> None:
    client = _client(world["manager"])
    url = reverse("management_info_topic", args=[topic])
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    partner = OrganisationFactory()
    for n in range(200, 215):
        full_case(world["house_a"], n, world["director"], partner, UserFactory())
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before), topic


def test_figures_per_municipality(world: dict[str, Any]) -> None:
    """The persons in the world live in Heerlen: per municipality the figures follow."""
    client = _client(world["beleid"])
    url = reverse("management_info_topic", args=["fasen"])
    page = client.get(url).content.decode()
    assert '<option value="Heerlen">Heerlen</option>' in page
    heerlen = client.get(url, {"municipality": "Heerlen"}).content.decode()
    assert "gemeente Heerlen" in heerlen
    elders = client.get(url, {"municipality": "Maastricht"})
    assert "Selecteer een geldige keuze" in elders.content.decode()


def test_a_version_keeps_its_scores_beside_the_snapshot(world: dict[str, Any]) -> None:
    version = PlanVersion.objects.filter(number=2).first()
    assert version is not None
    domains = version.content["domeinen"]
    assert version.scores == {name: row["score"] for name, row in domains.items()}
