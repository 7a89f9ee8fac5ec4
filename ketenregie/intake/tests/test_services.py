"""Intake services against the real database: referral to triage outcome, and faults."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone

from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import Case, CaseMembership, CaseRole, Person
from ketenregie.cases.workflow import Status
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.tests.samples import pdf_bytes
from ketenregie.intake import services
from ketenregie.intake.models import (
    AgendaItem,
    Attachment,
    EnrichmentRequest,
    Feedback,
    Invitee,
    Referral,
    RejectionCount,
)
from ketenregie.intake.tests.conftest import referral_input
from ketenregie.tests_support.clock import during
from ketenregie.tests_support.factories import NECESSARY, CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


def _approve(referral: Referral, chair: Any) -> Referral:
    return services.approve_for_enrichment(
        referral.case, actor=chair, expected_version=referral.version
    )


def test_draft_is_saved_without_required_fields(intake: dict[str, Any]) -> None:
    data = referral_input(intake)
    data.values["reason"] = ""
    referral = services.save_referral(actor=intake["referrer"], house=intake["house"], data=data)
    assert referral.case.status == Status.CONCEPT and referral.submitted_at is None
    assert CaseMembership.objects.get(case=referral.case).role == CaseRole.AANMELDER


def test_submit_requires_fields_and_confirmation_and_saves_nothing(intake: dict[str, Any]) -> None:
    data = referral_input(intake)
    data.values["reason"] = ""
    data.problems = {}
    with pytest.raises(ValidationError) as err:
        services.save_referral(
            actor=intake["referrer"], house=intake["house"], data=data, submit=True
        )
    assert {"reason", "problems", "confirm"} <= set(err.value.message_dict)
    assert not Case.objects.exists() and not Person.objects.exists()


def test_submit_sets_triage_date_feedback_and_mail(
    intake: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.UTC)):  # 16:30 local
        with django_capture_on_commit_callbacks(execute=True):
            referral = services.save_referral(
                actor=intake["referrer"],
                house=intake["house"],
                data=referral_input(intake),
                submit=True,
                confirmed=True,
            )
    assert referral.case.status == Status.AANGEMELD
    assert referral.triage_meeting is not None
    assert referral.triage_meeting.date == dt.date(2026, 12, 10)  # after the 16:00 cut-off
    assert referral.meets_criteria is True
    assert referral.accountability_confirmed_by == intake["referrer"]
    assert Feedback.objects.filter(recipient=intake["referrer"]).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["agent@example.invalid"]
    assert referral.case.household.members.count() == 2  # type: ignore[union-attr]


def test_criteria_not_met_is_marked(intake: dict[str, Any]) -> None:
    data = referral_input(intake)
    data.criteria = {intake["criteria"][0].pk: "alleen 1"}
    referral = services.save_referral(
        actor=intake["referrer"], house=intake["house"], data=data, submit=True, confirmed=True
    )
    assert referral.meets_criteria is False


def test_attachments_are_checked_by_content(
    intake: dict[str, Any], settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    data = referral_input(intake)
    data.files = [SimpleUploadedFile("rapport.pdf", PDF, "application/pdf")]
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.save_referral(
            actor=intake["referrer"], house=intake["house"], data=data
        )
    att = Attachment.objects.get(referral=referral)
    assert att.content_type == "application/pdf" and (tmp_path / att.file.name).exists()
    assert "rapport" not in att.file.name  # stored name carries no personal data

    fake = referral_input(intake, bsn=None, achternaam="Anders")
    fake.files = [SimpleUploadedFile("foto.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")]
    with pytest.raises(ValidationError, match="geen PDF of afbeelding"):
        services.save_referral(actor=intake["referrer"], house=intake["house"], data=fake)
    settings.KETENREGIE_MAX_ATTACHMENT_BYTES = 10
    big = referral_input(intake, bsn=None, achternaam="Groot")
    big.files = [SimpleUploadedFile("groot.pdf", PDF, "application/pdf")]
    with pytest.raises(ValidationError, match="te groot"):
        services.save_referral(actor=intake["referrer"], house=intake["house"], data=big)
    assert Case.objects.count() == 1
    assert len(list(tmp_path.iterdir())) == 1  # the failed saves left no files


def test_approval_creates_requests_for_fixed_partners(
    submitted: Referral, intake: dict[str, Any]
) -> None:
    _approve(submitted, intake["chair"])
    reqs = EnrichmentRequest.objects.filter(referral=submitted)
    assert {r.organisation_id for r in reqs} == {intake["police"].pk, intake["care"].pk}
    assert all(r.deadline < submitted.triage_meeting.starts_at for r in reqs)  # type: ignore[union-attr]


def test_second_decision_on_a_decided_referral_is_refused(
    submitted: Referral, intake: dict[str, Any]
) -> None:
    version = submitted.version
    _approve(submitted, intake["chair"])
    with pytest.raises(ValidationError, match="zojuist al door iemand anders"):
        services.reject_referral(
            submitted.case,
            actor=intake["chair"],
            expected_version=version,
            category="criteria",
            reason="x",
            advice="y",
        )
    assert Case.objects.filter(pk=submitted.case_id).exists()


def test_answer_with_content_needs_legal_basis(submitted: Referral, intake: dict[str, Any]) -> None:
    _approve(submitted, intake["chair"])
    req = EnrichmentRequest.objects.get(referral=submitted, organisation=intake["police"])
    with pytest.raises(ValidationError) as err:
        services.answer_enrichment(
            req,
            actor=intake["police_user"],
            expected_version=req.version,
            answer="bekend",
            summary="Drie meldingen.",
            legal_basis="",
            special_category="",
            secrecy_ground="",
        )
    assert "legal_basis" in err.value.message_dict
    req.refresh_from_db()
    assert req.answer == ""
    answered = services.answer_enrichment(
        req,
        actor=intake["police_user"],
        expected_version=req.version,
        answer="bekend",
        summary="Drie meldingen.",
        legal_basis="publieke_taak",
        special_category="strafrechtelijk_wet",
        secrecy_ground="",
        necessity=NECESSARY,
    )
    assert answered.answered_by == intake["police_user"]
    with pytest.raises(ConcurrentEditError):
        services.answer_enrichment(
            req,
            actor=intake["police_user"],
            expected_version=req.version,
            answer="niet_bekend",
            summary="",
            legal_basis="",
            special_category="",
            secrecy_ground="",
        )


def test_listen_only_is_for_care_partners_without_content(
    submitted: Referral, intake: dict[str, Any]
) -> None:
    _approve(submitted, intake["chair"])
    care = EnrichmentRequest.objects.get(referral=submitted, organisation=intake["care"])
    with pytest.raises(ValidationError):
        services.answer_enrichment(
            care,
            actor=intake["care_user"],
            expected_version=care.version,
            answer="alleen_luisteren",
            summary="toch iets",
            legal_basis="toestemming",
            special_category="",
            secrecy_ground="",
        )
    services.answer_enrichment(
        care,
        actor=intake["care_user"],
        expected_version=care.version,
        answer="alleen_luisteren",
        summary="",
        legal_basis="",
        special_category="",
        secrecy_ground="",
    )
    police = EnrichmentRequest.objects.get(referral=submitted, organisation=intake["police"])
    with pytest.raises(ValidationError, match="zorgpartners"):
        services.answer_enrichment(
            police,
            actor=intake["police_user"],
            expected_version=police.version,
            answer="alleen_luisteren",
            summary="",
            legal_basis="",
            special_category="",
            secrecy_ground="",
        )


def _agenda(submitted: Referral, intake: dict[str, Any]) -> AgendaItem:
    referral = _approve(submitted, intake["chair"])
    return services.put_on_agenda(
        referral.case,
        actor=intake["chair"],
        expected_version=referral.version,
        proposed_level=4,
        reasoning="Meerdere partners bekend.",
    )


def test_agenda_slots_and_invitation(
    submitted: Referral, intake: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item = _agenda(submitted, intake)
    assert (
        item.position == 1
        and submitted.case.__class__.objects.get(pk=submitted.case_id).status == Status.GEAGENDEERD
    )
    start, end = services.slot_of(item)
    assert (end - start) == dt.timedelta(minutes=20) and start == item.meeting.starts_at
    invitation = [m for m in mail.outbox if m.attachments]
    assert invitation and invitation[-1].attachments[0][0] == "uitnodiging.ics"
    assert (
        b"BEGIN:VEVENT" in invitation[-1].attachments[0][1].encode()
        if isinstance(invitation[-1].attachments[0][1], str)
        else b"BEGIN:VEVENT" in invitation[-1].attachments[0][1]
    )


def test_absent_referrer_moves_case_to_next_triage(
    submitted: Referral, intake: dict[str, Any]
) -> None:
    item = _agenda(submitted, intake)
    with during(item.meeting):
        services.record_attendance(
            item, actor=intake["chair"], present=False, note="niet verschenen"
        )
        item.refresh_from_db()
        assert item.outcome == AgendaItem.Outcome.MOVED
        moved = AgendaItem.objects.exclude(pk=item.pk).get(referral=submitted)
        assert moved.meeting.date == item.meeting.date + dt.timedelta(days=7)
        assert Case.objects.get(pk=submitted.case_id).status == Status.GEAGENDEERD
        with pytest.raises(ValidationError, match="zojuist al besloten"):
            services.record_attendance(item, actor=intake["chair"], present=True)


def test_outcome_start_pga_with_invitees(submitted: Referral, intake: dict[str, Any]) -> None:
    item = _agenda(submitted, intake)
    with during(item.meeting):
        services.record_attendance(item, actor=intake["chair"], present=True)
        extra = services.IncidentalInvitee(intake["care"], "expertise", "")
        with pytest.raises(ValidationError) as err:
            services.decide_outcome(
                item,
                actor=intake["chair"],
                outcome="start_pga",
                procesregisseur=intake["regisseur"],
                incidental=[extra],
            )
        assert "incidental" in err.value.message_dict
        from ketenregie.tests_support.factories import OrganisationFactory

        school = OrganisationFactory(name="School test")
        services.decide_outcome(
            item,
            actor=intake["chair"],
            outcome="start_pga",
            procesregisseur=intake["regisseur"],
            fixed_invitees=[intake["police"]],
            incidental=[services.IncidentalInvitee(school, "expertise", "Leerplicht speelt.")],
        )
        case = Case.objects.get(pk=submitted.case_id)
        assert case.status == Status.PGA_GESTART and case.escalation_level == 4
        assert (
            CaseMembership.objects.get(case=case, role=CaseRole.PROCESREGISSEUR).user
            == intake["regisseur"]
        )
        assert set(
            Invitee.objects.filter(case=case).values_list("organisation_id", "incidental")
        ) == {
            (intake["police"].pk, False),
            (school.pk, True),
        }


def test_attendance_and_outcome_refused_before_the_triage_begins(
    submitted: Referral, intake: dict[str, Any]
) -> None:
    """Issue 12: attendance and outcomes of a triage two weeks ahead cannot be true."""
    item = _agenda(submitted, intake)
    assert item.meeting.starts_at > timezone.now()
    with pytest.raises(ValidationError, match="begint pas op"):
        services.record_attendance(item, actor=intake["chair"], present=True)
    item.refresh_from_db()
    assert item.referrer_present is None
    AgendaItem.objects.filter(pk=item.pk).update(referrer_present=True)
    item.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        services.decide_outcome(item, actor=intake["chair"], outcome="geen_pga", advice="Wijkteam.")
    assert "begint pas op" in " ".join(err.value.message_dict["outcome"])
    assert Case.objects.get(pk=submitted.case_id).status == Status.GEAGENDEERD
    with during(item.meeting):
        services.decide_outcome(item, actor=intake["chair"], outcome="geen_pga", advice="Wijkteam.")
    assert Case.objects.get(pk=submitted.case_id).status == Status.GEEN_PGA


def test_outcome_no_pga_requires_advice(submitted: Referral, intake: dict[str, Any]) -> None:
    item = _agenda(submitted, intake)
    with during(item.meeting):
        services.record_attendance(item, actor=intake["chair"], present=True)
        with pytest.raises(ValidationError, match="advies"):
            services.decide_outcome(item, actor=intake["chair"], outcome="geen_pga")
        services.decide_outcome(item, actor=intake["chair"], outcome="geen_pga", advice="Wijkteam.")
        assert Case.objects.get(pk=submitted.case_id).status == Status.GEEN_PGA


def test_cancelled_meeting_moves_items_and_new_referrals(
    submitted: Referral, intake: dict[str, Any]
) -> None:
    item = _agenda(submitted, intake)
    meeting = item.meeting
    services.cancel_meeting(meeting, actor=intake["chair"], reason="Hemelvaartsdag")
    moved = AgendaItem.objects.exclude(pk=item.pk).get(referral=submitted)
    assert moved.meeting.date == meeting.date + dt.timedelta(days=7)
    data = referral_input(intake, bsn=None, achternaam="Later")
    later = services.save_referral(
        actor=intake["referrer"], house=intake["house"], data=data, submit=True, confirmed=True
    )
    assert later.triage_meeting is not None and later.triage_meeting.date != meeting.date


def _tables_containing(needle: str) -> list[str]:
    """Every model row, in every app, with a text-like column containing `needle`."""
    hits = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not text_fields:
            continue
        annotations = {f"_t_{n}": Cast(n, models.TextField()) for n in text_fields}
        cond = Q()
        for n in text_fields:
            cond |= Q(**{f"_t_{n}__icontains": needle})
        if model._default_manager.annotate(**annotations).filter(cond).exists():
            hits.append(model._meta.label)
    return hits


def test_rejected_referral_leaves_no_personal_data(
    intake: dict[str, Any], settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    data = referral_input(intake)
    data.files = [SimpleUploadedFile("verslag.pdf", PDF, "application/pdf")]
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.save_referral(
            actor=intake["referrer"], house=intake["house"], data=data, submit=True, confirmed=True
        )
    assert len(list(tmp_path.iterdir())) == 1
    case_id = referral.case_id
    assert _tables_containing("Zwartewaterklooster")  # present before
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_referral(
            referral.case,
            actor=intake["chair"],
            expected_version=referral.version,
            category="andere_regio",
            reason="Woont in een andere regio.",
            advice="Meld aan bij het huis van die regio.",
        )
    for needle in ("Zwartewaterklooster", "Bartholomeus", "999990019", "Gerritje", "Proefstraat"):
        assert _tables_containing(needle) == [], needle
    assert not Case.objects.filter(pk=case_id).exists()
    assert list(tmp_path.iterdir()) == []
    count = RejectionCount.objects.get(house=intake["house"])
    assert (count.category, count.count) == ("andere_regio", 1)
    feedback = Feedback.objects.get(recipient=intake["referrer"], case_id=None)
    assert "niet geagendeerd" in feedback.message
    assert AuditEvent.objects.filter(
        action="referral.rejected_and_deleted", case_id=case_id
    ).exists()


def test_rejection_keeps_a_person_another_case_holds(intake: dict[str, Any]) -> None:
    known = PersonFactory(voornamen="Bekende", achternaam="Persoonsma", bsn="999990032")
    other = CaseFactory(person=known)
    referral = services.save_referral(
        actor=intake["referrer"],
        house=intake["house"],
        data=referral_input(intake, bsn="999990032", voornamen="Bekende", achternaam="Persoonsma"),
        submit=True,
        confirmed=True,
    )
    # Not linked: the referrer must not see (or change) what another case recorded.
    assert referral.case.person_id != known.pk and referral.case.person.bsn is None
    assert referral.claimed_bsn == "999990032"
    from ketenregie.intake.matching import possible_duplicates

    matches = possible_duplicates(referral.case.person, referral.claimed_bsn)
    assert [(m.person.pk, m.reason) for m in matches][0] == (known.pk, "zelfde BSN")
    services.reject_referral(
        referral.case,
        actor=intake["chair"],
        expected_version=referral.version,
        category="criteria",
        reason="Geen meervoudige problematiek.",
        advice="Wijkteam.",
    )
    for needle in ("Persoonsma", "999990032"):
        assert set(_tables_containing(needle)) <= {"cases.Person", "cases.PersonVersion"}
    known.refresh_from_db()
    assert known.version == 1  # the referral changed nothing of the known person
    assert Person.objects.filter(pk=known.pk).exists() and Case.objects.filter(pk=other.pk).exists()


def test_outgoing_mail_carries_no_personal_data(
    submitted: Referral, intake: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item = _agenda(submitted, intake)
        with during(item.meeting):
            services.record_attendance(item, actor=intake["chair"], present=False)
    assert len(mail.outbox) >= 4
    person = submitted.case.person
    for message in mail.outbox:
        blob = (
            message.subject
            + message.body
            + "".join(
                a[1].decode() if isinstance(a[1], bytes) else str(a[1]) for a in message.attachments
            )
        )
        for secret in (person.achternaam, person.voornamen, person.bsn, "1984", "Proefstraat"):
            assert secret not in blob, (secret, message.subject)
        assert "http://" in message.body


def test_failed_mail_does_not_lose_the_write(
    intake: dict[str, Any], django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from django.core.mail import EmailMessage

    def broken(self: Any, *a: Any, **k: Any) -> int:
        raise OSError("mailserver weg")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.save_referral(
            actor=intake["referrer"],
            house=intake["house"],
            data=referral_input(intake),
            submit=True,
            confirmed=True,
        )
    assert Case.objects.get(pk=referral.case_id).status == Status.AANGEMELD
    assert Feedback.objects.filter(case_id=referral.case_id).exists()


def test_household_and_content_changes_are_audited(intake: dict[str, Any]) -> None:
    referral = services.save_referral(
        actor=intake["referrer"], house=intake["house"], data=referral_input(intake)
    )
    actions = set(
        AuditEvent.objects.filter(case_id=referral.case_id).values_list("action", flat=True)
    )
    assert {"household.member_added", "referral.content_saved"} <= actions
    content = AuditEvent.objects.get(action="referral.content_saved")
    assert content.data["criteria"] and "Schulden" not in str(content.data)
