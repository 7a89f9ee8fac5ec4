"""Carrying what is known forward (issue 12): the referral from the case page, the
household on the case, linking a referral to an earlier case, and the referrer's
aanvulling after submitting."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Case, CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.tests.samples import pdf_bytes
from ketenregie.intake import services
from ketenregie.intake.models import Attachment, EnrichmentRequest, Referral, ReferralAddition
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _actions(case_id: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(case_id=case_id).order_by("pk").values_list("action", flat=True)
    )


# -- The referral, seen from the case --------------------------------------------------


@pytest.fixture
def running(intake: dict[str, Any], submitted: Referral) -> dict[str, Any]:
    """The submitted referral's case, now running, with a procesregisseur and an adviser;
    the care partner answered the bekendheidscheck."""
    case = submitted.case
    EnrichmentRequest.objects.create(
        referral=submitted,
        organisation=intake["care"],
        requested_at=timezone.now(),
        deadline=timezone.now(),
        answer="bekend",
        summary="In zorg bij de GGZ sinds 2024.",
        legal_basis="toestemming",
        secrecy_ground="toestemming",
    )
    Case.objects.filter(pk=case.pk).update(status=Status.IN_UITVOERING)
    MembershipFactory(case=case, user=intake["regisseur"], role=CaseRole.PROCESREGISSEUR)
    adviser = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    MembershipFactory(case=case, user=adviser, role=CaseRole.ADVISEUR)
    return {"case": case, "regisseur": intake["regisseur"], "adviser": adviser}


def test_procesregisseur_reaches_the_referral_from_the_case_page(
    client: Client, running: dict[str, Any]
) -> None:
    case = running["case"]
    client.force_login(running["regisseur"])
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("referral_detail", args=[case.pk]) in page and "Aanmelding bekijken" in page
    # The household shows on the case, not only on the referral.
    assert "Huishouden" in page and "Gerritje Zwartewaterklooster" in page
    referral = client.get(reverse("referral_detail", args=[case.pk]))
    html = referral.content.decode()
    assert referral.status_code == 200
    assert "Overlast en zorgen." in html and "Schulden." in html
    assert "In zorg bij de GGZ sinds 2024." in html
    # Crumbs lead back to the case, not to "Mijn aanmeldingen".
    assert reverse("case_detail", args=[case.pk]) in html
    # Read through the gate and recorded as reads.
    assert {"referral.viewed", "enrichment.viewed"} <= set(_actions(case.pk))


def test_adviser_gets_no_referral_link_nor_household(
    client: Client, running: dict[str, Any]
) -> None:
    client.force_login(running["adviser"])
    page = client.get(reverse("case_detail", args=[running["case"].pk])).content.decode()
    assert "Aanmelding bekijken" not in page and "Gerritje" not in page
    html = client.get(reverse("referral_detail", args=[running["case"].pk])).content.decode()
    assert "Schulden." not in html and "In zorg bij de GGZ" not in html


def test_outsider_gets_404_for_the_referral(client: Client, running: dict[str, Any]) -> None:
    client.force_login(UserFactory(roles=[(Role.PROCESREGISSEUR, running["case"].house)]))
    assert client.get(reverse("referral_detail", args=[running["case"].pk])).status_code == 404


# -- Linking a referral to an earlier case ---------------------------------------------


@pytest.fixture
def earlier(intake: dict[str, Any], submitted: Referral) -> dict[str, Any]:
    """An earlier, running case of the same person at another house, with its team."""
    case = CaseFactory(
        person=submitted.case.person, house=HouseFactory(), status=Status.IN_UITVOERING
    )
    member = UserFactory(roles=[(Role.PROCESREGISSEUR, case.house)], email="eerder@example.invalid")
    MembershipFactory(case=case, user=member, role=CaseRole.PROCESREGISSEUR)
    return {"case": case, "member": member}


def test_chair_links_the_referral_to_the_earlier_case_and_its_team_hears(
    client: Client,
    intake: dict[str, Any],
    submitted: Referral,
    earlier: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = submitted.case
    client.force_login(intake["chair"])
    page = client.get(reverse("referral_detail", args=[case.pk])).content.decode()
    assert "Koppelen aan eerdere casus" in page and earlier["case"].code in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            reverse("referral_link", args=[case.pk]),
            {"earlier_case": earlier["case"].pk, "version": submitted.version},
        )
    assert resp.status_code == 302
    submitted.refresh_from_db()
    assert submitted.linked_case == earlier["case"] and submitted.linked_by == intake["chair"]
    sent = [m for m in mail.outbox if "eerder@example.invalid" in m.to]
    assert len(sent) == 1
    body = sent[0].body
    # Link-only: the codes and the earlier case's page, never the person's name.
    assert case.code in body and earlier["case"].code in body
    assert reverse("case_detail", args=[earlier["case"].pk]) in body
    assert "Zwartewaterklooster" not in body and "Zwartewaterklooster" not in sent[0].subject
    assert "referral.linked_to_case" in _actions(case.pk)
    assert "case.referral_linked" in _actions(earlier["case"].pk)
    # The earlier team sees the code of the linked referral on their case page.
    client.force_login(earlier["member"])
    page = client.get(reverse("case_detail", args=[earlier["case"].pk])).content.decode()
    assert case.code in page and "gekoppeld" in page


def test_link_only_to_a_case_the_duplicate_check_found(
    client: Client, intake: dict[str, Any], submitted: Referral, earlier: dict[str, Any]
) -> None:
    stranger = CaseFactory(status=Status.IN_UITVOERING)
    client.force_login(intake["chair"])
    resp = client.post(
        reverse("referral_link", args=[submitted.case.pk]),
        {"earlier_case": stranger.pk, "version": submitted.version},
    )
    assert resp.status_code == 200
    submitted.refresh_from_db()
    assert submitted.linked_case is None
    with pytest.raises(Exception, match="mogelijke dubbelen"):
        services.link_to_earlier_case(
            submitted.case,
            actor=intake["chair"],
            earlier_case_id=stranger.pk,
            expected_version=submitted.version,
        )


def test_only_the_chair_links(
    client: Client, intake: dict[str, Any], submitted: Referral, earlier: dict[str, Any]
) -> None:
    client.force_login(intake["referrer"])
    resp = client.post(
        reverse("referral_link", args=[submitted.case.pk]),
        {"earlier_case": earlier["case"].pk, "version": submitted.version},
    )
    assert resp.status_code == 403
    submitted.refresh_from_db()
    assert submitted.linked_case is None


# -- The referrer's aanvulling ---------------------------------------------------------


def test_referrer_adds_information_and_an_attachment_until_screening(
    client: Client,
    intake: dict[str, Any],
    submitted: Referral,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = submitted.case
    url = reverse("referral_add", args=[case.pk])
    client.force_login(intake["referrer"])
    detail = client.get(reverse("referral_detail", args=[case.pk])).content.decode()
    assert url in detail
    assert client.get(url).status_code == 200
    empty = client.post(url, {"text": ""})
    assert "Schrijf een aanvulling of kies een bijlage." in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            url,
            {
                "text": "Sinds gisteren dakloos.",
                "attachments": [SimpleUploadedFile("verslag.pdf", pdf_bytes())],
            },
        )
    assert resp.status_code == 302
    addition = ReferralAddition.objects.get(referral=submitted)
    assert addition.text == "Sinds gisteren dakloos." and addition.added_by == intake["referrer"]
    assert Attachment.objects.filter(referral=submitted, original_name="verslag.pdf").exists()
    assert "referral.addition_added" in _actions(case.pk)
    # The chair sees the aanvulling on the referral.
    client.force_login(intake["chair"])
    html = client.get(reverse("referral_detail", args=[case.pk])).content.decode()
    assert "Sinds gisteren dakloos." in html and "verslag.pdf" in html
    # Once screening decided, adding is over: said on the page, nothing written.
    services.approve_for_enrichment(case, actor=intake["chair"], expected_version=submitted.version)
    client.force_login(intake["referrer"])
    closed = client.get(url).content.decode()
    assert "Aanvullen kan niet meer" in closed
    client.post(url, {"text": "Nog iets."})
    assert ReferralAddition.objects.filter(referral=submitted).count() == 1
    detail = client.get(reverse("referral_detail", args=[case.pk])).content.decode()
    assert url not in detail


def test_only_the_referrer_adds(
    client: Client, intake: dict[str, Any], submitted: Referral
) -> None:
    client.force_login(intake["chair"])
    url = reverse("referral_add", args=[submitted.case.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "x"}).status_code == 403
    assert not ReferralAddition.objects.exists()
