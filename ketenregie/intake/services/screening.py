"""Screening by the chair: approving a referral for enrichment, referring elsewhere, and
rejecting it. A rejected referral is deleted with its person data and attachments; only
an anonymous count per house, week and reason category remains.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.models import HousePartner, User
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.audit.writes import check_version, lock
from ketenregie.cases import services as case_services
from ketenregie.cases.models import (
    Case,
    Household,
    HouseholdMember,
    Person,
)
from ketenregie.cases.workflow import Status
from ketenregie.core.mail import send_link_mail
from ketenregie.core.timeutil import today
from ketenregie.intake.models import (
    Attachment,
    EnrichmentRequest,
    Feedback,
    Invitee,
    Referral,
    RejectionCount,
)
from ketenregie.intake.queries import monday_of
from ketenregie.intake.services.common import _bump, _locked_referral
from ketenregie.intake.services.feedback import _feedback
from ketenregie.intake.services.meeting_dates import meeting_for_submission


@transaction.atomic
def approve_for_enrichment(case: Case, *, actor: User, expected_version: int) -> Referral:
    referral = _locked_referral(case, Status.AANGEMELD, expected_version)
    now = timezone.now()
    referral.screened_by, referral.screened_at = actor, now
    _bump(referral, "screened_by", "screened_at")
    referral.case = case_services.change_status(referral.case, to=Status.VERRIJKING, actor=actor)
    meeting = referral.triage_meeting or meeting_for_submission(referral.case.house, now)
    deadline = meeting.starts_at - dt.timedelta(
        hours=settings.KETENREGIE_ENRICHMENT_HOURS_BEFORE_TRIAGE
    )
    if deadline < now:
        # Approved late: half of the time left before the triage, never after it starts.
        deadline = now + (meeting.starts_at - now) / 2 if meeting.starts_at > now else now
    partners = list(
        HousePartner.objects.filter(
            house=referral.case.house, is_fixed_triage_partner=True
        ).select_related("organisation")
    )
    requests = [
        EnrichmentRequest.objects.create(
            referral=referral, organisation=p.organisation, requested_at=now, deadline=deadline
        )
        for p in partners
    ]
    audit.record(
        "referral.approved_for_enrichment",
        actor=actor,
        case_id=referral.case_id,
        obj=referral,
        data={"verzoeken_aan": [r.organisation_id for r in requests]},
    )
    recipients = User.objects.filter(
        organisation__in=[p.organisation for p in partners],
        is_active=True,
        role_assignments__role=Role.PROFESSIONAL,
    ).values_list("email", flat=True)
    send_link_mail(
        recipients,
        subject=_("verzoek bekendheidscheck"),
        text=_("Uw organisatie heeft een nieuw verzoek om een bekendheidscheck."),
        path=reverse("enrichment_list"),
    )
    _feedback(
        referral,
        _(
            "Uw aanmelding is gescreend en goedgekeurd; de vaste partners doen nu een "
            "bekendheidscheck."
        ),
        subject=_("aanmelding gescreend"),
    )
    return referral


@transaction.atomic
def refer_elsewhere(
    case: Case, *, actor: User, expected_version: int | None, to: str, status: Status
) -> Referral:
    if not to.strip():
        raise ValidationError({"referred_to": _("Geef aan naar welke regio of welk overleg.")})
    referral = _locked_referral(case, status, expected_version)
    referral.referred_to = to.strip()
    _bump(referral, "referred_to")
    referral.case = case_services.change_status(
        referral.case, to=Status.DOORVERWEZEN, actor=actor, reason=to
    )
    _feedback(
        referral,
        _("Uw aanmelding is doorverwezen naar: %(naar)s.") % {"naar": referral.referred_to},
        subject=_("aanmelding doorverwezen"),
    )
    return referral


@transaction.atomic
def reject_referral(
    case: Case,
    *,
    actor: User,
    expected_version: int,
    category: str,
    reason: str,
    advice: str,
) -> None:
    """Not put on the agenda: tell the referrer, then delete the referral and its data."""
    errors = {}
    if category not in Referral.RejectCategory.values:
        errors["category"] = _("Kies een reden.")
    if not reason.strip():
        errors["reason"] = _("Licht de reden toe.")
    if not advice.strip():
        errors["advice"] = _(
            "Geef de aanmelder een advies: er wordt altijd naar andere steun gekeken."
        )
    if errors:
        raise ValidationError(errors)
    referral = _locked_referral(case, Status.AANGEMELD, expected_version)
    locked = referral.case
    Feedback.objects.create(
        recipient=referral.referrer,
        case_id=None,
        case_code=locked.code,
        message=_(
            "Uw aanmelding is niet geagendeerd. Reden: %(reden)s Advies: %(advies)s "
            "De aanmelding is uit Ketenregie verwijderd."
        )
        % {"reden": reason.strip(), "advies": advice.strip()},
        created_at=timezone.now(),
    )
    send_link_mail(
        [referral.referrer.email],
        subject=_("aanmelding niet geagendeerd"),
        text=_("Er is een terugmelding over een aanmelding van u."),
        path=reverse("my_referrals"),
    )
    count, _created = RejectionCount.objects.get_or_create(
        house=locked.house, week=monday_of(today()), category=category
    )
    RejectionCount.objects.filter(pk=count.pk).update(count=F("count") + 1)
    audit.record(
        "referral.rejected_and_deleted",
        actor=actor,
        case_id=locked.pk,
        data={"categorie": category, "huis": locked.house_id},
    )
    delete_referral_data(locked)


def delete_referral_data(case: Case) -> None:
    """Delete a case and everything identifying in it; persons only when no other case or
    household still holds them. Attachment files are removed after commit."""
    referral = Referral.objects.filter(case=case).first()
    files = list(Attachment.objects.filter(referral=referral).values_list("file", flat=True))
    people = {case.person_id}
    household_id = case.household_id
    if household_id:
        people |= set(
            HouseholdMember.objects.filter(household_id=household_id).values_list(
                "person_id", flat=True
            )
        )
    Invitee.objects.filter(case=case).delete()
    case.delete()
    if household_id and not Case.objects.filter(household_id=household_id).exists():
        Household.objects.filter(pk=household_id).delete()
    for person_id in people:
        if not (
            Case.objects.filter(person_id=person_id).exists()
            or HouseholdMember.objects.filter(person_id=person_id).exists()
        ):
            Person.objects.filter(pk=person_id).delete()
    storage = Attachment._meta.get_field("file").storage

    def remove_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


def earlier_cases(case: Case, claimed_bsn: str = "") -> list[Case]:
    """The cases the duplicate check finds for this referral's person, this case aside:
    the only cases a referral may be linked to."""
    from ketenregie.intake.matching import duplicates_for

    claimed = {case.person_id: claimed_bsn} if claimed_bsn else {}
    matches = duplicates_for([case.person], claimed).get(case.person_id, [])
    return [c for m in matches for c in m.cases if c.pk != case.pk]


@transaction.atomic
def link_to_earlier_case(
    case: Case, *, actor: User, earlier_case_id: int, expected_version: int
) -> Referral:
    """The chair links a referral to an earlier case the duplicate check found.

    Audited on both cases; the earlier case's team gets a link-only e-mail (case codes
    only) pointing at their case. Allowed while the referral is being screened.
    """
    from ketenregie.cases.access import team_users
    from ketenregie.cases.workflow import SCREENING_STATUSES

    locked = lock(case)
    referral = lock(Referral.objects.get(case=locked))
    if locked.status not in SCREENING_STATUSES:
        raise ValidationError(
            _(
                "Deze aanmelding is zojuist al door iemand anders behandeld (status nu: "
                "‘%(status)s’). Uw invoer is niet opgeslagen."
            )
            % {"status": Status(locked.status).label}
        )
    check_version(referral, expected_version)
    if referral.linked_case_id is not None:
        raise ValidationError(_("Deze aanmelding is al gekoppeld aan een eerdere casus."))
    earlier = next(
        (c for c in earlier_cases(locked, referral.claimed_bsn) if c.pk == earlier_case_id), None
    )
    if earlier is None:
        raise ValidationError(
            {"earlier_case": _("Kies een eerdere casus uit de mogelijke dubbelen.")}
        )
    referral.linked_case = earlier
    referral.linked_at = timezone.now()
    referral.linked_by = actor
    _bump(referral, "linked_case", "linked_at", "linked_by")
    audit.record(
        "referral.linked_to_case",
        actor=actor,
        case_id=locked.pk,
        obj=referral,
        purpose="screening",
        data={"eerdere_casus": earlier.pk},
    )
    audit.record(
        "case.referral_linked",
        actor=actor,
        case_id=earlier.pk,
        obj=earlier,
        purpose="screening",
        data={"aanmelding_casus": locked.pk},
    )
    send_link_mail(
        team_users(earlier.pk).values_list("email", flat=True),
        subject=_("nieuwe aanmelding gekoppeld aan casus %(code)s") % {"code": earlier.code},
        text=_(
            "De triagevoorzitter heeft aanmelding %(new)s gekoppeld aan casus %(code)s: "
            "dezelfde persoon is opnieuw aangemeld."
        )
        % {"new": locked.code, "code": earlier.code},
        path=reverse("case_detail", args=[earlier.pk]),
    )
    return referral
