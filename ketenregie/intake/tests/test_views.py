"""Intake pages through the test client: forms keep input, htmx fragment, role pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Case, LifeDomain, SharingRecord
from ketenregie.cases.workflow import Status
from ketenregie.intake import services
from ketenregie.intake.models import AgendaItem, EnrichmentRequest, Feedback, Referral
from ketenregie.tests_support.clock import during
from ketenregie.tests_support.factories import NECESSITY_POST

pytestmark = pytest.mark.django_db


def _post_data(intake: dict[str, Any], **extra: Any) -> dict[str, Any]:
    domain = LifeDomain.objects.order_by("order").first()
    assert domain is not None
    crit = intake["criteria"]
    data = {
        "p-voornamen": "Getypte",
        "p-achternaam": "Aanmeldpersoon",
        "p-geboortedatum": "1990-01-02",
        "p-bsn": "",
        "hh-TOTAL_FORMS": "3",
        "hh-INITIAL_FORMS": "0",
        "hh-MIN_NUM_FORMS": "0",
        "hh-MAX_NUM_FORMS": "8",
        "reason": "Getypte aanleiding",
        "urgency": "normaal",
        "informed": "ja",
        "informed_how": "Mondeling",
        f"problem_{domain.pk}": "Getypt probleem",
        f"crit_{crit[0].number}": "on",
        f"crit_{crit[0].number}_uitleg": "uitleg",
    }
    data.update(extra)
    return data


def test_start_page_shows_houses_and_triage_date(client: Client, intake: dict[str, Any]) -> None:
    client.force_login(intake["referrer"])
    html = client.get(reverse("referral_start")).content.decode()
    assert intake["house"].name in html and "bespreken op" in html


def test_submit_without_confirmation_keeps_everything(
    client: Client, intake: dict[str, Any]
) -> None:
    client.force_login(intake["referrer"])
    url = reverse("referral_create", args=[intake["house"].pk])
    resp = client.post(url, _post_data(intake, submit="1"))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Bevestig dat u verantwoordelijk bent" in html
    assert 'value="Getypte"' in html and "Getypte aanleiding" in html and "Getypt probleem" in html
    assert not Case.objects.exists()


def test_error_summary_names_and_links_the_fields(client: Client, intake: dict[str, Any]) -> None:
    """Issue 12: the summary said only "verbeter de gemarkeerde velden". It names each
    field with its message and links to it (the field's id), in page order; an error
    about a whole section (the problems) links to its fieldset."""
    client.force_login(intake["referrer"])
    domain = LifeDomain.objects.order_by("order").first()
    assert domain is not None
    resp = client.post(
        reverse("referral_create", args=[intake["house"].pk]),
        _post_data(
            intake,
            submit="1",
            confirm="on",
            reason="",
            **{f"problem_{domain.pk}": "", "p-bsn": "123456789"},
        ),
    )
    html = resp.content.decode()
    start = html.index('class="kr-error-summary"')
    summary = html[start : html.index("</ul>", start)]
    assert "De aanmelding is niet opgeslagen" in summary
    assert '<a class="utrecht-link utrecht-link--html-a" href="#id_p-bsn">BSN' in summary
    # The form stopped at the BSN; fixing it brings the submission's own checks.
    resp = client.post(
        reverse("referral_create", args=[intake["house"].pk]),
        _post_data(intake, submit="1", confirm="on", reason="", **{f"problem_{domain.pk}": ""}),
    )
    html = resp.content.decode()
    start = html.index('class="kr-error-summary"')
    summary = html[start : html.index("</ul>", start)]
    reason = summary.index('href="#id_reason">Aanleiding — Beschrijf de aanleiding.</a>')
    problems = summary.index(
        'href="#problemen">Problemen per leefgebied — Beschrijf de problemen op minstens'
    )
    assert reason < problems  # page order
    assert 'id="problemen"' in html and 'id="id_reason"' in html


def test_bad_bsn_and_bad_attachment_show_dutch_errors(
    client: Client, intake: dict[str, Any]
) -> None:
    client.force_login(intake["referrer"])
    url = reverse("referral_create", args=[intake["house"].pk])
    resp = client.post(url, _post_data(intake, **{"p-bsn": "123456789", "draft": "1"}))
    assert "11-proef" in resp.content.decode()
    bad = SimpleUploadedFile("script.pdf", b"#!/bin/sh\necho", "application/pdf")
    resp = client.post(url, {**_post_data(intake, draft="1"), "attachments": [bad]})
    html = resp.content.decode()
    assert "geen PDF of afbeelding" in html and 'value="Getypte"' in html
    assert not Case.objects.exists()


def test_submit_shows_triage_date_and_detail(client: Client, intake: dict[str, Any]) -> None:
    client.force_login(intake["referrer"])
    url = reverse("referral_create", args=[intake["house"].pk])
    resp = client.post(url, _post_data(intake, submit="1", confirm="on"), follow=True)
    html = resp.content.decode()
    referral = Referral.objects.get()
    assert referral.case.status == Status.AANGEMELD
    assert "Aanmelding ingediend" in html and 'id="triage-date"' in html
    assert "voldoet niet aan de criteria" in html  # only criterion 1 ticked
    # The referrer does not see enrichment answers.
    assert "Bekendheidscheck" not in html.split("<main")[1]


def test_draft_then_edit_then_submit(client: Client, intake: dict[str, Any]) -> None:
    client.force_login(intake["referrer"])
    url = reverse("referral_create", args=[intake["house"].pk])
    client.post(url, _post_data(intake, draft="1"))
    case = Case.objects.get()
    assert case.status == Status.CONCEPT
    edit = reverse("referral_edit", args=[case.pk])
    page = client.get(edit).content.decode()
    assert "Getypte aanleiding" in page
    version = Referral.objects.get().version
    resp = client.post(edit, _post_data(intake, submit="1", confirm="on", version=version))
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.AANGEMELD
    # Issue 12: editing it again says it was submitted, not "Uw rol geeft geen toegang".
    for again in (client.get(edit), client.post(edit, _post_data(intake, version=version))):
        html = again.content.decode()
        assert again.status_code == 409 and "al ingediend" in html
        assert "geen toegang" not in html and reverse("referral_detail", args=[case.pk]) in html
    # Someone else still gets the plain refusal.
    client.force_login(intake["chair"])
    assert client.get(edit).status_code in (403, 404)


def test_a_concept_needs_no_explanations_a_submission_does(
    client: Client, intake: dict[str, Any]
) -> None:
    """Issue 12: a ticked criterion without its explanation blocked saving a concept. The
    concept is saved; submitting asks for the explanation beside the criterion."""
    client.force_login(intake["referrer"])
    number = intake["criteria"][0].number
    url = reverse("referral_create", args=[intake["house"].pk])
    bare = {f"crit_{number}_uitleg": "", "reason": "", "informed_how": ""}
    resp = client.post(url, _post_data(intake, draft="1", **bare))
    assert resp.status_code == 302
    case = Case.objects.get()
    assert case.status == Status.CONCEPT
    edit = reverse("referral_edit", args=[case.pk])
    version = Referral.objects.get().version
    resp = client.post(edit, _post_data(intake, submit="1", confirm="on", version=version, **bare))
    html = resp.content.decode()
    assert resp.status_code == 200 and "Licht toe waarom dit criterium" in html
    assert f'id="id_crit_{number}_uitleg_error"' in html
    case.refresh_from_db()
    assert case.status == Status.CONCEPT


def test_criteria_htmx_fragment(client: Client, intake: dict[str, Any]) -> None:
    client.force_login(intake["referrer"])
    crit = intake["criteria"]
    url = reverse("criteria_check", args=[intake["house"].pk])
    met = client.post(
        url, {f"crit_{c.number}": "on" for c in crit[:3]}, headers={"HX-Request": "true"}
    )
    assert met.content.decode().lstrip().startswith('<div id="criteria-status"')
    assert "voldoen aan de regel" in met.content.decode()
    not_met = client.post(url, {f"crit_{crit[0].number}": "on"}, headers={"HX-Request": "true"})
    assert "(nog) niet" in not_met.content.decode()


def test_chair_screens_with_duplicates_audited(
    client: Client, intake: dict[str, Any], submitted: Referral
) -> None:
    client.force_login(intake["chair"])
    listing = client.get(reverse("screening_list")).content.decode()
    assert submitted.case.code in listing
    html = client.get(reverse("referral_detail", args=[submitted.case_id])).content.decode()
    assert "Mogelijke dubbelen" in html and "Screening: besluit" in html
    assert AuditEvent.objects.filter(action="intake.duplicates_viewed").exists()
    resp = client.post(
        reverse("referral_screen", args=[submitted.case_id]),
        {
            "decision": "reject",
            "version": submitted.version,
            "category": "",
            "reason": "",
            "advice": "",
        },
    )
    html = resp.content.decode()
    assert (
        resp.status_code == 200
        and "Kies een reden" in html
        and "Geef de aanmelder een advies" in html
    )
    resp = client.post(
        reverse("referral_screen", args=[submitted.case_id]),
        {"decision": "approve", "version": submitted.version},
    )
    assert resp.status_code == 302
    assert EnrichmentRequest.objects.filter(referral=submitted).count() == 2


def test_second_chair_hears_the_referral_was_just_decided(
    client: Client, intake: dict[str, Any], submitted: Referral
) -> None:
    """Issue 12: two chairs decide one referral in the same second; the winner's rejection
    deleted it and the other got a bare 404, losing the typed text. Now: the Dutch
    "zojuist al besloten" with their text, for chairs of that house only."""
    from django.core.exceptions import ValidationError

    from ketenregie.accounts.roles import Role
    from ketenregie.tests_support.factories import UserFactory

    other_chair = UserFactory(roles=[(Role.TRIAGEVOORZITTER, intake["house"])])
    url = reverse("referral_screen", args=[submitted.case_id])
    stale_case = submitted.case
    decision = {
        "decision": "reject",
        "version": submitted.version,
        "category": Referral.RejectCategory.values[0],
        "reason": "Mijn getypte reden",
        "advice": "Mijn getypte advies",
    }
    client.force_login(intake["chair"])
    assert client.post(url, {**decision, "reason": "Winnaar"}).status_code == 302
    client.force_login(other_chair)
    resp = client.post(url, decision)
    html = resp.content.decode()
    assert resp.status_code == 409 and "zojuist al besloten" in html
    assert "Mijn getypte reden" in html and "Mijn getypte advies" in html
    # The same second, inside the service: the lock finds the case gone.
    with pytest.raises(ValidationError, match="zojuist al besloten"):
        services.reject_referral(
            stale_case,
            actor=other_chair,
            expected_version=submitted.version,
            category=decision["category"],
            reason="x",
            advice="y",
        )
    # A chair of another house (or anyone else) learns nothing: still 404.
    client.force_login(UserFactory(roles=[(Role.TRIAGEVOORZITTER, None)]))
    assert client.post(url, decision).status_code == 404


def test_partner_answers_enrichment_with_legal_basis(
    client: Client, intake: dict[str, Any], submitted: Referral
) -> None:
    services.approve_for_enrichment(
        submitted.case, actor=intake["chair"], expected_version=submitted.version
    )
    req = EnrichmentRequest.objects.get(referral=submitted, organisation=intake["police"])
    client.force_login(intake["police_user"])
    listing = client.get(reverse("enrichment_list")).content.decode()
    assert submitted.case.code in listing and "Overlast" not in listing  # no referral content
    url = reverse("enrichment_answer", args=[req.pk])
    resp = client.post(
        url, {"version": req.version, "answer": "bekend", "summary": "Getypte samenvatting"}
    )
    html = resp.content.decode()
    assert "grondslag" in html and "Getypte samenvatting" in html
    resp = client.post(
        url,
        {
            "version": req.version,
            "answer": "bekend",
            "summary": "Getypte samenvatting",
            "legal_basis": "publieke_taak",
            **NECESSITY_POST,
        },
    )
    assert resp.status_code == 302
    # Another organisation's user cannot open it.
    client.force_login(intake["care_user"])
    assert client.get(url).status_code == 404


def test_triage_pages(client: Client, intake: dict[str, Any], submitted: Referral) -> None:
    referral = services.approve_for_enrichment(
        submitted.case, actor=intake["chair"], expected_version=submitted.version
    )
    item = services.put_on_agenda(
        referral.case,
        actor=intake["chair"],
        expected_version=referral.version,
        proposed_level=3,
        reasoning="Weging.",
    )
    client.force_login(intake["chair"])
    listing = client.get(reverse("triage_list")).content.decode()
    assert item.meeting.date.strftime("%Y") in listing
    detail = client.get(reverse("triage_detail", args=[item.meeting_id])).content.decode()
    assert submitted.case.code in detail and "Politie test" in detail
    # Before the triage begins: no attendance form, and a posted one is refused in Dutch.
    assert "zodra de triage begonnen is" in detail
    refused = client.post(
        reverse("triage_attendance", args=[item.pk]), {"present": "1"}, follow=True
    )
    assert "begint pas op" in refused.content.decode()
    item.refresh_from_db()
    assert item.referrer_present is None
    with during(item.meeting):
        client.force_login(intake["chair"])
        detail = client.get(reverse("triage_detail", args=[item.meeting_id])).content.decode()
        assert "Aanwezigheid vastleggen" in detail
        client.post(reverse("triage_attendance", args=[item.pk]), {"present": "1"})
        resp = client.post(
            reverse("triage_outcome", args=[item.pk]),
            {"outcome": "start_pga", "fixed_invitees": [intake["police"].pk]},
        )
        assert "Kies de procesregisseur" in resp.content.decode()
        resp = client.post(
            reverse("triage_outcome", args=[item.pk]),
            {
                "outcome": "start_pga",
                "procesregisseur": intake["regisseur"].pk,
                "fixed_invitees": [intake["police"].pk],
            },
        )
        assert resp.status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).outcome == "start_pga"
    assert Case.objects.get(pk=submitted.case_id).status == Status.PGA_GESTART


def test_my_referrals_shows_feedback(
    client: Client, intake: dict[str, Any], submitted: Referral
) -> None:
    client.force_login(intake["referrer"])
    html = client.get(reverse("my_referrals")).content.decode()
    assert "Uw aanmelding is ontvangen" in html and submitted.case.code in html
    # Viewing marks nothing read; the button (a POST) does.
    assert "nieuw" in html and "Terugmeldingen als gelezen markeren" in html
    assert Feedback.objects.filter(recipient=intake["referrer"], read_at=None).exists()
    resp = client.post(reverse("feedback_read"))
    assert resp.status_code == 302 and resp["Location"] == reverse("my_referrals")
    assert not Feedback.objects.filter(recipient=intake["referrer"], read_at=None).exists()
    event = AuditEvent.objects.get(action="feedback.read")
    assert event.actor_id == intake["referrer"].pk and event.data == {"aantal": 1}
    html = client.get(reverse("my_referrals")).content.decode()
    assert "Terugmeldingen als gelezen markeren" not in html


def test_the_triage_list_writes_nothing_and_cancels_a_date_without_a_meeting(
    client: Client, intake: dict[str, Any]
) -> None:
    """Viewing the coming triages creates no meeting rows (a GET never writes); cancelling
    a date creates and cancels its meeting in one audited service call."""
    from ketenregie.accounts.roles import Role
    from ketenregie.intake.models import TriageMeeting
    from ketenregie.tests_support.factories import HouseFactory, UserFactory

    client.force_login(intake["chair"])
    html = client.get(reverse("triage_list")).content.decode()
    assert TriageMeeting.objects.count() == 0
    day = services.upcoming_meetings(intake["house"])[1].date
    assert day.strftime("%Y") in html
    url = reverse("triage_cancel_date", args=[intake["house"].pk, day.isoformat()])
    assert url in html
    assert client.post(url, {"reason": ""}).status_code == 302
    assert TriageMeeting.objects.count() == 0  # refused without a reason: nothing written
    assert client.post(url, {"reason": "Kerstreces"}).status_code == 302
    meeting = TriageMeeting.objects.get(house=intake["house"], date=day)
    assert meeting.cancelled
    assert AuditEvent.objects.filter(action="triage.cancelled", object_id=str(meeting.pk)).exists()
    other = UserFactory(roles=[(Role.TRIAGEVOORZITTER, HouseFactory())])
    client.force_login(other)
    assert client.post(url, {"reason": "x"}).status_code == 404


def test_enrichment_answer_is_refused_without_the_necessity_checks(
    client: Client, intake: dict[str, Any], submitted: Referral
) -> None:
    """Sharing content asks proportionality, subsidiarity and transparency (seed 004's
    checklist): refused with Dutch messages, the typed answer kept; then stored on the
    answer and on its register row."""
    services.approve_for_enrichment(
        submitted.case, actor=intake["chair"], expected_version=submitted.version
    )
    req = EnrichmentRequest.objects.get(referral=submitted, organisation=intake["police"])
    client.force_login(intake["police_user"])
    url = reverse("enrichment_answer", args=[req.pk])
    post = {
        "version": req.version,
        "answer": "bekend",
        "summary": "Getypte samenvatting",
        "legal_basis": "publieke_taak",
        "proportionality_note": "Alleen de meldingen",
        "person_informed": "nee",
    }
    html = client.post(url, post).content.decode()
    assert "Bevestig dat u alleen de gegevens deelt" in html
    assert "(subsidiariteit)" in html
    assert "Geef aan waarom de betrokkene niet is geïnformeerd." in html
    assert "Getypte samenvatting" in html and "Alleen de meldingen" in html
    req.refresh_from_db()
    assert req.answer == "" and not SharingRecord.objects.exists()
    post |= {
        "proportional": "on",
        "subsidiary": "on",
        "subsidiarity_note": "Zonder de meldingen geen beeld",
        "not_informed_reason": "Lopend politieonderzoek",
    }
    assert client.post(url, post).status_code == 302
    req.refresh_from_db()
    assert req.proportional and req.subsidiary and req.person_informed is False
    assert req.not_informed_reason == "Lopend politieonderzoek"
    row = SharingRecord.objects.get()
    assert row.proportionality_note == "Alleen de meldingen"
    assert row.subsidiarity_note == "Zonder de meldingen geen beeld"
    assert row.person_informed is False and row.not_informed_reason == "Lopend politieonderzoek"
