"""The PGA-scan: statements as data, a round from opening to the conversation, the
"fewer than 3 respondents -> overige" rule, no person in the results, and the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.models import HousePartner
from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.core.timeutil import today
from ketenregie.reports import scan_services as services
from ketenregie.reports.models import ScanParticipant, ScanResponse, ScanRound, ScanStatement
from ketenregie.reports.scan import active_statements
from ketenregie.reports.scan_results import OTHER, compute, previous_round
from ketenregie.tests_support.factories import HouseFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_33_statements_of_the_seed_are_configuration_data() -> None:
    statements = active_statements()
    parts = [s.part for s in statements]
    assert (parts.count("kunnen"), parts.count("willen"), parts.count("mogen")) == (11, 10, 12)
    # Verbatim, in the seed's order: kunnen first, mogen last.
    assert statements[0].text.startswith("Ik weet waar ik informatie kan halen")
    assert statements[11].text == "Ik wil graag met deze doelgroep werken."
    assert statements[-1].text == (
        "Ik ervaar binnen mijn organisatie voldoende ruimte om mijn deskundigheid te bevorderen."
    )


def _world(orgs: int = 3, sizes: tuple[int, ...] = (4, 3, 2)) -> dict[str, Any]:
    house = HouseFactory()
    expert = UserFactory(roles=[(Role.PGA_EXPERT, house)])
    organisations = [OrganisationFactory() for _ in range(orgs)]
    for org in organisations:
        HousePartner.objects.create(house=house, organisation=org)
    people = {
        org.pk: [
            UserFactory(
                organisation=org,
                roles=[(Role.PROFESSIONAL, None)],
                email=f"p{org.pk}.{i}@example.invalid",
            )
            for i in range(n)
        ]
        for org, n in zip(organisations, sizes, strict=True)
    }
    return {"house": house, "expert": expert, "orgs": organisations, "people": people}


def _open(w: dict[str, Any], title: str = "Ronde 1") -> ScanRound:
    return services.open_round(
        actor=w["expert"],
        house=w["house"],
        title=title,
        closes_on=today() + dt.timedelta(days=14),
        organisations=w["orgs"],
    )


def _answer_all(scan_round: ScanRound, user: Any, value: int | dict[int, int]) -> None:
    participant = ScanParticipant.objects.get(round=scan_round, user=user)
    ids = list(scan_round.statements.values_list("pk", flat=True))
    answers = value if isinstance(value, dict) else {pk: value for pk in ids}
    services.save_answers(participant=participant, answers=answers, submit=True)


def _everyone_invited(w: dict[str, Any], scan_round: ScanRound) -> list[Any]:
    everyone = [u for users in w["people"].values() for u in users]
    services.invite(actor=w["expert"], scan_round=scan_round, users=everyone)
    return everyone


def test_a_round_opens_with_the_active_statements_and_invites_by_link_only_mail(
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = _world()
    ScanStatement.objects.filter(part="mogen", position=12).update(is_active=False)
    scan_round = _open(w)
    assert scan_round.statements.count() == 32
    with django_capture_on_commit_callbacks(execute=True):
        everyone = _everyone_invited(w, scan_round)
    assert len(mail.outbox) == len(everyone) == 9
    message = mail.outbox[0]
    assert len(message.to) == 1  # nobody sees who else was invited
    assert reverse("scan_fill", args=[scan_round.pk]) in message.body
    assert everyone[0].last_name not in message.body
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"scan.round_opened", "scan.participants_invited"} <= codes


def test_opening_refuses_non_partners_and_a_past_closing_date() -> None:
    w = _world()
    stranger = OrganisationFactory()
    with pytest.raises(ValidationError) as exc:
        services.open_round(
            actor=w["expert"],
            house=w["house"],
            title="x",
            closes_on=today() - dt.timedelta(days=1),
            organisations=[w["orgs"][0], stranger],
        )
    assert set(exc.value.error_dict) == {"organisations", "closes_on"}


def test_only_professionals_of_the_round_organisations_can_be_invited() -> None:
    w = _world()
    scan_round = _open(w)
    outsider = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    with pytest.raises(ValidationError):
        services.invite(actor=w["expert"], scan_round=scan_round, users=[outsider])
    assert not ScanParticipant.objects.exists()


def test_save_and_come_back_then_submit_cuts_the_link_to_the_person() -> None:
    w = _world()
    scan_round = _open(w)
    _everyone_invited(w, scan_round)
    user = w["people"][w["orgs"][0].pk][0]
    participant = ScanParticipant.objects.get(round=scan_round, user=user)
    first = scan_round.statements.order_by("pk").first()
    assert first is not None
    services.save_answers(participant=participant, answers={first.pk: 2}, submit=False)
    assert services.draft_answers(participant) == {first.pk: 2}
    # Submitting with statements open is refused, and nothing changes.
    with pytest.raises(ValidationError, match="zonder antwoord"):
        services.save_answers(participant=participant, answers={first.pk: 2}, submit=True)
    _answer_all(scan_round, user, 4)
    participant.refresh_from_db()
    assert participant.submitted_at is not None
    response = ScanResponse.objects.get(round=scan_round)
    assert response.participant_id is None and response.submitted
    assert response.organisation_id == w["orgs"][0].pk
    # The trail says that they submitted, never what.
    event = AuditEvent.objects.filter(action="scan.submitted").get()
    assert event.data == {"beantwoord": 33}
    with pytest.raises(ValidationError, match="al verstuurd"):
        services.save_answers(participant=participant, answers={}, submit=False)


def test_an_organisation_with_fewer_than_3_respondents_is_merged_into_overige() -> None:
    w = _world(orgs=4, sizes=(4, 3, 2, 1))
    scan_round = _open(w)
    _everyone_invited(w, scan_round)
    for users in w["people"].values():
        for user in users:
            _answer_all(scan_round, user, 3)
    services.close_round(actor=w["expert"], scan_round=scan_round, expected_version=None)
    results = compute(ScanRound.objects.get(pk=scan_round.pk))
    a, b, c, d = w["orgs"]
    assert results.groups == [(a.name, 4), (b.name, 3), (OTHER, 3)]
    assert results.merged == 2 and results.left_out == 0
    names = [label for label, _ in results.statements[0].groups]
    assert c.name not in names and d.name not in names


def test_a_merged_group_below_3_is_left_out_of_every_figure() -> None:
    w = _world(orgs=3, sizes=(3, 3, 2))
    scan_round = _open(w)
    _everyone_invited(w, scan_round)
    for org, users in w["people"].items():
        for user in users:
            _answer_all(scan_round, user, 1 if org == w["orgs"][2].pk else 4)
    services.close_round(actor=w["expert"], scan_round=scan_round, expected_version=None)
    results = compute(scan_round)
    assert [label for label, _ in results.groups] == [w["orgs"][0].name, w["orgs"][1].name]
    assert results.left_out == 2 and results.n == 6
    # The totals hold only the shown groups: the two "helemaal oneens" are not in them.
    assert results.statements[0].total.counts == [0, 0, 0, 6, 0]


def test_fewer_than_3_responses_show_no_figures() -> None:
    w = _world(orgs=2, sizes=(2, 2))
    scan_round = _open(w)
    _everyone_invited(w, scan_round)
    _answer_all(scan_round, w["people"][w["orgs"][0].pk][0], 4)
    _answer_all(scan_round, w["people"][w["orgs"][1].pk][0], 4)
    services.close_round(actor=w["expert"], scan_round=scan_round, expected_version=None)
    results = compute(scan_round)
    assert not results.enough and results.statements == []


def _completed(w: dict[str, Any], title: str, low: int, high: int) -> ScanRound:
    """A closed round: the first organisation answers `low` on mogen, the rest `high`."""
    scan_round = _open(w, title)
    _everyone_invited(w, scan_round)
    statements = list(scan_round.statements.all())
    for index, (_org, users) in enumerate(w["people"].items()):
        for user in users:
            answers = {
                s.pk: (low if s.part == "mogen" and index == 0 else high) for s in statements
            }
            _answer_all(scan_round, user, answers)
    services.close_round(actor=w["expert"], scan_round=scan_round, expected_version=None)
    return ScanRound.objects.get(pk=scan_round.pk)


def test_the_four_views_and_the_previous_round() -> None:
    w = _world(orgs=3, sizes=(3, 3, 3))
    before = _completed(w, "Voorjaar", low=3, high=4)
    ScanRound.objects.filter(pk=before.pk).update(
        opened_at=before.opened_at - dt.timedelta(days=200)
    )
    now = _completed(w, "Najaar", low=1, high=5)
    assert previous_round(now) == before
    results = compute(now)
    # 1. per statement the distribution per organisation
    first = results.statements[0]
    assert [label for label, _ in first.groups] == [o.name for o in w["orgs"]]
    assert first.total.counts == [0, 0, 0, 0, 9]
    # 2. the largest differences: the mogen statements, first org 1 against the rest 5
    assert all(s.statement.part == "mogen" and s.spread == 4 for s in results.differences)
    assert results.differences[0].lowest == (w["orgs"][0].name, 1.0)
    # 3. everyone positive: kunnen and willen; nobody everywhere negative
    assert {s.statement.part for s in results.all_positive} == {"kunnen", "willen"}
    assert results.all_negative == []
    # 4. where "oneens" most often: mogen, overall and for the first organisation
    most = results.most_disagreed_part
    assert most is not None and most.part == "mogen"
    assert results.most_disagreed_part_per_group()[0][1] == "Mogen"
    # 5. against the previous round
    comparison = results.comparison
    assert comparison is not None and comparison.previous == before
    mogen = next(c for c in comparison.parts if c.label == "Mogen")
    assert mogen.before == 0 and mogen.now == pytest.approx(100 / 3)


def test_the_conversation_is_recorded_after_closing_with_follow_up_actions() -> None:
    w = _world()
    scan_round = _open(w)
    with pytest.raises(ValidationError, match="sluit eerst"):
        services.record_conversation(
            actor=w["expert"],
            scan_round=scan_round,
            conversation_on=today(),
            follow_up="x",
            expected_version=None,
        )
    scan_round = services.close_round(
        actor=w["expert"], scan_round=scan_round, expected_version=scan_round.version
    )
    services.record_conversation(
        actor=w["expert"],
        scan_round=scan_round,
        conversation_on=today(),
        follow_up="Werkafspraak over tijd voor integraal werken.",
        expected_version=scan_round.version,
    )
    event = AuditEvent.objects.filter(action="scan.conversation_recorded").get()
    # Free text enters the trail by name only.
    assert "Werkafspraak" not in str(event.data)


# --- The pages ----------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_expert_opens_a_round_on_the_page_and_bad_input_keeps_what_was_typed() -> None:
    w = _world()
    client = _client(w["expert"])
    url = reverse("scan_new")
    resp = client.post(
        url,
        {
            "house": w["house"].pk,
            "title": "Mijn ronde",
            "closes_on": "2001-01-01",
            "organisations": [w["orgs"][0].pk],
        },
    )
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "Mijn ronde" in page and "Kies ten minste twee organisaties" in page
    resp = client.post(
        url,
        {
            "house": w["house"].pk,
            "title": "Mijn ronde",
            "closes_on": (today() + dt.timedelta(days=7)).isoformat(),
            "organisations": [o.pk for o in w["orgs"]],
        },
    )
    scan_round = ScanRound.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "scan_round", args=[scan_round.pk]
    )
    users = [u.pk for u in w["people"][w["orgs"][0].pk]]
    resp = client.post(reverse("scan_invite", args=[scan_round.pk]), {"users": users})
    assert resp.status_code == 302
    page = client.get(reverse("scan_round", args=[scan_round.pk])).content.decode()
    assert "0 van 4" in page


def test_filling_in_on_the_page_save_then_submit() -> None:
    w = _world()
    scan_round = _open(w)
    _everyone_invited(w, scan_round)
    user = w["people"][w["orgs"][0].pk][0]
    client = _client(user)
    url = reverse("scan_fill", args=[scan_round.pk])
    page = client.get(url).content.decode()
    assert "Vragen met betrekking tot kennen/kunnen" in page and "startbaan@hu.nl" in page
    ids = list(scan_round.statements.values_list("pk", flat=True))
    resp = client.post(url, {f"s{ids[0]}": "5", f"s{ids[1]}": "9", "opslaan": "1"})
    assert resp.status_code == 200
    assert "een van de vijf antwoorden" in resp.content.decode()
    resp = client.post(url, {f"s{ids[0]}": "5", "opslaan": "1"})
    assert resp.status_code == 302
    assert 'value="5" checked' in client.get(url).content.decode()
    resp = client.post(url, {**{f"s{pk}": "4" for pk in ids}, "versturen": "1"})
    assert resp.status_code == 302
    assert "U heeft de scan verstuurd" in client.get(url).content.decode()
    # Someone not invited does not find the round.
    assert _client(w["expert"]).get(url).status_code == 404


def test_results_page_and_pdf_show_organisations_and_never_a_person() -> None:
    w = _world(orgs=3, sizes=(3, 3, 3))
    before = _completed(w, "Voorjaar", low=3, high=4)
    ScanRound.objects.filter(pk=before.pk).update(
        opened_at=before.opened_at - dt.timedelta(days=200)
    )
    now = _completed(w, "Najaar", low=1, high=5)
    client = _client(w["expert"])
    resp = client.get(reverse("scan_results", args=[now.pk]))
    assert resp.status_code == 200
    page = resp.content.decode()
    for heading in (
        "Per stelling: de antwoorden per organisatie",
        "Zitten er grote verschillen tussen partners?",
        "Stellingen waar iedereen positief of juist negatief op antwoordde",
        "Waar wordt het vaakst oneens gescoord",
        "Vergeleken met de vorige ronde",
    ):
        assert heading in page
    assert "<svg" in page and w["orgs"][0].name in page
    people = [u for users in w["people"].values() for u in users]
    for person in people:
        assert person.last_name not in page and person.username not in page
    assert AuditEvent.objects.filter(action="scan.results_viewed").exists()
    pdf = client.get(reverse("scan_results_pdf", args=[now.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The round page counts, and names only whom the expert invited: not who answered.
    page = client.get(reverse("scan_round", args=[now.pk])).content.decode()
    assert "9 van 9" in page


def test_the_beheerder_edits_a_statement() -> None:
    beheerder = UserFactory(roles=[(Role.BEHEERDER, None)])
    statement = ScanStatement.objects.get(part="willen", position=1)
    client = _client(beheerder)
    url = reverse("manage_edit", args=["scanstellingen", statement.pk])
    assert client.get(url).status_code == 200
    resp = client.post(
        url,
        {
            "part": "willen",
            "position": 1,
            "text": "Ik werk graag met deze doelgroep.",
            "is_active": "on",
            "version": statement.version,
        },
    )
    assert resp.status_code == 302
    statement.refresh_from_db()
    assert statement.text == "Ik werk graag met deze doelgroep."
    assert AuditEvent.objects.filter(action="scanstatement.updated").exists()
