"""Every intake write: referral drafts and submission, screening, enrichment, triage.

Each function is one transaction: lock, check, write, audit, then (after commit)
link-only e-mail. A rejected referral is deleted with its person data and attachments;
only an anonymous count per house, week and reason category remains.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.models import House, HousePartner, Organisation, User
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.audit.writes import check_version, lock, save_audited
from ketenregie.cases import services as case_services
from ketenregie.cases.models import (
    Case,
    CaseRole,
    Household,
    HouseholdMember,
    Person,
)
from ketenregie.cases.workflow import Status
from ketenregie.core.ics import meeting_ics
from ketenregie.core.mail import absolute_url, send_link_mail
from ketenregie.core.timeutil import today
from ketenregie.intake import schedule
from ketenregie.intake.criteria import ensure_default_criteria, is_met
from ketenregie.intake.models import (
    AgendaItem,
    Attachment,
    EnrichmentRequest,
    Feedback,
    Invitee,
    Referral,
    ReferralCriterion,
    ReferralProblem,
    RejectionCount,
    TriageMeeting,
)

SLOT_MINUTES = 20
# Domains whose organisations are public bodies: no "legitimate interest" ground for them.
PUBLIC_DOMAINS = frozenset({"veiligheid", "justitie", "sociaal_domein"})

ALLOWED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


# ---------------------------------------------------------------- feedback and mail


def _feedback(referral: Referral, message: str, *, subject: str) -> None:
    """A terugmelding in the product, and a link-only e-mail to the referrer."""
    case = referral.case
    Feedback.objects.create(
        recipient=referral.referrer,
        case_id=case.pk,
        case_code=case.code,
        message=message,
        created_at=timezone.now(),
    )
    send_link_mail(
        [referral.referrer.email],
        subject=subject,
        text=f"Er is een terugmelding over aanmelding {case.code}.",
        path=reverse("my_referrals"),
    )


# ---------------------------------------------------------------- triage meetings


def meeting_on(house: House, day: dt.date) -> TriageMeeting:
    start, end = schedule.triage_window(house, day)
    meeting, _created = TriageMeeting.objects.get_or_create(
        house=house, date=day, defaults={"starts_at": start, "ends_at": end}
    )
    return meeting


def _cancelled_dates(house: House) -> set[dt.date]:
    return set(
        TriageMeeting.objects.filter(house=house, cancelled=True, date__gte=today()).values_list(
            "date", flat=True
        )
    )


def submission_date(house: House, submitted_at: dt.datetime) -> dt.date:
    """The triage date a referral submitted now would get (reads only; for the form)."""
    return schedule.next_triage_date(house, submitted_at, _cancelled_dates(house))


def meeting_for_submission(house: House, submitted_at: dt.datetime) -> TriageMeeting:
    day = schedule.next_triage_date(house, submitted_at, _cancelled_dates(house))
    return meeting_on(house, day)


def next_open_meeting(meeting: TriageMeeting) -> TriageMeeting:
    day = meeting.date + dt.timedelta(days=7)
    cancelled = _cancelled_dates(meeting.house)
    while day in cancelled:
        day += dt.timedelta(days=7)
    return meeting_on(meeting.house, day)


def next_meeting_after_now(house: House) -> TriageMeeting:
    """The first triage of the house that has not started and is not cancelled."""
    now = timezone.now()
    day = today() + dt.timedelta(days=(house.triage_weekday - today().weekday()) % 7)
    cancelled = _cancelled_dates(house)
    while day in cancelled or schedule.triage_window(house, day)[0] <= now:
        day += dt.timedelta(days=7)
    return meeting_on(house, day)


def upcoming_meetings(house: House, weeks: int = 6) -> list[TriageMeeting]:
    """The coming triage dates of a house from its configuration (reads only).

    A date that has no stored meeting yet comes back unsaved (pk None): the services that
    need a meeting (submission, agenda, cancelling) create it, a page view never does.
    """
    # From today's meeting on (it stays listed while outcomes are recorded).
    first = today() + dt.timedelta(days=(house.triage_weekday - today().weekday()) % 7)
    days = [first + dt.timedelta(days=7 * i) for i in range(weeks)]
    stored = {m.date: m for m in TriageMeeting.objects.filter(house=house, date__in=days)}
    out = []
    for day in days:
        meeting = stored.get(day)
        if meeting is None:
            start, end = schedule.triage_window(house, day)
            meeting = TriageMeeting(house=house, date=day, starts_at=start, ends_at=end)
        out.append(meeting)
    return out


@transaction.atomic
def cancel_meeting_on(house: House, day: dt.date, *, actor: User, reason: str) -> TriageMeeting:
    """Cancel the triage of a date that may have no stored meeting yet."""
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden waarom de triage vervalt.")})
    return cancel_meeting(meeting_on(house, day), actor=actor, reason=reason)


# ---------------------------------------------------------------- referral


@dataclass
class ReferralInput:
    """What the referral form collected, already validated by the form."""

    person: dict[str, Any]
    household: list[dict[str, Any]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    problems: dict[int, str] = field(default_factory=dict)
    criteria: dict[int, str] = field(default_factory=dict)
    files: Sequence[UploadedFile[bytes]] = ()


REFERRAL_FIELDS = [
    "reason",
    "urgency",
    "meeting_goal",
    "suggested_partners",
    "other_meetings",
    "informed",
    "informed_how",
]


def check_attachment(upload: UploadedFile[bytes]) -> str:
    """The content type from the file's first bytes; raises a Dutch error otherwise."""
    limit = settings.KETENREGIE_MAX_ATTACHMENT_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {
                "attachments": _("‘%(naam)s’ is te groot (%(mb).1f MB); de grens is %(max)d MB.")
                % {
                    "naam": upload.name,
                    "mb": upload.size / 1024 / 1024,
                    "max": limit // 1024 // 1024,
                }
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in ALLOWED_SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ValidationError(
        {
            "attachments": _(
                "‘%(naam)s’ is geen PDF of afbeelding (PNG, JPEG); alleen die zijn toegestaan."
            )
            % {"naam": upload.name}
        }
    )


def _store_attachments(
    referral: Referral, files: Iterable[UploadedFile[bytes]], actor: User, written: list[str]
) -> None:
    for upload in files:
        content_type = check_attachment(upload)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        att = Attachment(
            referral=referral,
            original_name=(upload.name or "bijlage")[:200],
            content_type=content_type,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        att.file.save("bijlage", upload, save=False)
        written.append(str(att.file.name))
        att.save()
        audit.record(
            "referral.attachment_added",
            actor=actor,
            case_id=referral.case_id,
            obj=att,
            data={"type": content_type, "grootte": att.size},
        )


def _person_for(actor: User, values: dict[str, Any], person: Person | None) -> tuple[Person, str]:
    """The referral's own person record, and the BSN it claims if that BSN is known.

    A referral never links to (or changes) a person another case recorded: the referrer
    would see that case's data. A BSN that is already registered is kept on the
    referral as claimed; the screener sees the match among the possible duplicates.
    """
    values = dict(values)
    claimed = ""
    bsn = values.get("bsn")
    if bsn:
        clash = Person.objects.filter(bsn=bsn)
        if person is not None:
            clash = clash.exclude(pk=person.pk)
        if clash.exists():
            claimed, values["bsn"] = bsn, None
    if person is None:
        return case_services.create_person(actor=actor, values=values), claimed
    updated = case_services.update_person(
        person, actor=actor, values=values, expected_version=person.version
    )
    return updated, claimed


def _household(case: Case, members: list[dict[str, Any]], actor: User) -> None:
    if not members:
        return
    if case.household_id is None:
        household = Household.objects.create(name=f"Huishouden {case.code}")
        HouseholdMember.objects.create(
            household=household, person=case.person, relation=HouseholdMember.Relation.BETROKKENE
        )
        case.household = household
        case.save(update_fields=["household"])
    assert case.household is not None
    for member in members:
        relation = member.pop("relation")
        person = case_services.create_person(actor=actor, values=member, case_id=case.pk)
        hm = HouseholdMember.objects.create(
            household=case.household, person=person, relation=relation
        )
        audit.record(
            "household.member_added",
            actor=actor,
            case_id=case.pk,
            obj=hm,
            data={"persoon": person.pk, "relatie": relation},
        )


def _referral_content(referral: Referral, data: ReferralInput, actor: User) -> None:
    ReferralProblem.objects.filter(referral=referral).delete()
    ReferralProblem.objects.bulk_create(
        ReferralProblem(referral=referral, domain_id=domain_id, description=text)
        for domain_id, text in data.problems.items()
        if text.strip()
    )
    ReferralCriterion.objects.filter(referral=referral).delete()
    ReferralCriterion.objects.bulk_create(
        ReferralCriterion(referral=referral, criterion_id=cid, explanation=text)
        for cid, text in data.criteria.items()
    )
    cset = ensure_default_criteria(referral.case.house)
    referral.meets_criteria = is_met(cset, list(cset.criteria.all()), data.criteria.keys())
    referral.save(update_fields=["meets_criteria"])
    # Which domains and criteria, not the free text (it may name people).
    audit.record(
        "referral.content_saved",
        actor=actor,
        case_id=referral.case_id,
        obj=referral,
        data={
            "leefgebieden": sorted(d for d, t in data.problems.items() if t.strip()),
            "criteria": sorted(data.criteria),
            "voldoet": referral.meets_criteria,
        },
    )


def _submit_errors(data: ReferralInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (data.values.get("reason") or "").strip():
        errors["reason"] = _("Beschrijf de aanleiding.")
    if not any(t.strip() for t in data.problems.values()):
        errors["problems"] = _("Beschrijf de problemen op minstens één leefgebied.")
    if not data.values.get("informed"):
        errors["informed"] = _("Geef aan of de betrokkene is geïnformeerd.")
    if not (data.values.get("informed_how") or "").strip():
        errors["informed_how"] = _("Geef aan hoe de betrokkene is geïnformeerd, of waarom niet.")
    return errors


def save_referral(
    *,
    actor: User,
    house: House,
    data: ReferralInput,
    case: Case | None = None,
    expected_version: int | None = None,
    submit: bool = False,
    confirmed: bool = False,
) -> Referral:
    """Create or update a draft referral, and submit it when asked.

    Files are written to disk inside the transaction; if it fails they are removed, so
    a failed save leaves nothing behind.
    """
    written: list[str] = []
    try:
        with transaction.atomic():
            return _save_referral(
                actor, house, data, case, expected_version, submit, confirmed, written
            )
    except BaseException:
        storage = Attachment._meta.get_field("file").storage
        for name in written:
            storage.delete(name)
        raise


def _save_referral(
    actor: User,
    house: House,
    data: ReferralInput,
    case: Case | None,
    expected_version: int | None,
    submit: bool,
    confirmed: bool,
    written: list[str],
) -> Referral:
    if submit:
        errors = _submit_errors(data)
        if not confirmed:
            errors["confirm"] = _(
                "Bevestig dat u verantwoordelijk bent voor de kwaliteit en juistheid van "
                "deze aanmelding."
            )
        if errors:
            raise ValidationError(errors)
    if case is None:
        person, claimed = _person_for(actor, data.person, None)
        case = case_services.create_case(actor=actor, house=house, person=person)
        referral = Referral.objects.create(
            case=case,
            referrer=actor,
            claimed_bsn=claimed,
            **{k: data.values.get(k, "") or "" for k in REFERRAL_FIELDS},
        )
        if actor.organisation is None:
            raise ValidationError(
                _("Uw account hoort bij geen organisatie; u kunt niet aanmelden.")
            )
        case_services.add_membership(
            case,
            actor=actor,
            role=CaseRole.AANMELDER,
            organisation=actor.organisation,
            user=actor,
            valid_from=today(),
        )
        audit.record(
            "referral.created",
            actor=actor,
            case_id=case.pk,
            obj=referral,
            data={"huis": house.pk},
        )
    else:
        locked = lock(case)
        if locked.status != Status.CONCEPT:
            raise ValidationError(
                _("Deze aanmelding is al ingediend en kan niet meer worden gewijzigd.")
            )
        referral = lock(Referral.objects.get(case=locked), expected_version=expected_version)
        _person, claimed = _person_for(actor, data.person, locked.person)
        if claimed != referral.claimed_bsn:
            # A BSN is person data: kept on the referral, never in the trail.
            referral.claimed_bsn = claimed
            referral.save(update_fields=["claimed_bsn"])
        # Free text by field name; every save of the draft is recorded.
        save_audited(
            referral,
            actor=actor,
            action="referral.updated",
            values={k: data.values.get(k, "") or "" for k in REFERRAL_FIELDS},
            case_id=locked.pk,
            mode="names",
            always=True,
            clean=False,
        )
        case = locked
    _household(case, [dict(m) for m in data.household], actor)
    _referral_content(referral, data, actor)
    _store_attachments(referral, data.files, actor, written)
    if submit:
        _submit(referral, actor)
    return referral


def _submit(referral: Referral, actor: User) -> None:
    now = timezone.now()
    case = referral.case
    meeting = meeting_for_submission(case.house, now)
    referral.submitted_at = now
    referral.accountability_confirmed_at = now
    referral.accountability_confirmed_by = actor
    referral.triage_meeting = meeting
    referral.save(
        update_fields=[
            "submitted_at",
            "accountability_confirmed_at",
            "accountability_confirmed_by",
            "triage_meeting",
        ]
    )
    referral.case = case_services.change_status(case, to=Status.AANGEMELD, actor=actor)
    audit.record(
        "referral.submitted",
        actor=actor,
        case_id=case.pk,
        obj=referral,
        data={
            "verantwoordelijkheid_bevestigd": True,
            "triage": meeting.date.isoformat(),
            "voldoet_aan_criteria": referral.meets_criteria,
        },
    )
    _feedback(
        referral,
        _("Uw aanmelding is ontvangen. Zij wordt besproken in de integrale triage van %(datum)s.")
        % {"datum": _format_meeting(meeting)},
        subject=_("aanmelding ontvangen"),
    )


def _format_meeting(meeting: TriageMeeting) -> str:
    from django.utils.formats import date_format

    start = timezone.localtime(meeting.starts_at)
    return f"{date_format(start, 'l j F Y')} om {start:%H:%M} uur"


# ---------------------------------------------------------------- screening


def _locked_referral(case: Case, expected_status: Status, expected_version: int | None) -> Referral:
    locked = lock(case)
    referral = lock(Referral.objects.get(case=locked), related=["referrer"])
    if locked.status != expected_status:
        raise ValidationError(
            _(
                "Deze aanmelding is zojuist al door iemand anders behandeld (status nu: "
                "‘%(status)s’). Uw invoer is niet opgeslagen."
            )
            % {"status": Status(locked.status).label}
        )
    check_version(referral, expected_version)
    referral.case = locked
    return referral


def _bump(referral: Referral, *fields: str) -> None:
    referral.version += 1
    referral.save(update_fields=[*fields, "version"])


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


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


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
        house=locked.house, week=_monday(today()), category=category
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


# ---------------------------------------------------------------- enrichment


@transaction.atomic
def answer_enrichment(
    request: EnrichmentRequest,
    *,
    actor: User,
    expected_version: int,
    answer: str,
    summary: str,
    legal_basis: str,
    special_category: str,
    secrecy_ground: str,
) -> EnrichmentRequest:
    locked = lock(request, expected_version=expected_version, related=["organisation"])
    errors: dict[str, str] = {}
    if answer not in EnrichmentRequest.Answer.values:
        errors["answer"] = _("Kies bekend, niet bekend of alleen luisteren.")
    if answer == EnrichmentRequest.Answer.LISTEN_ONLY:
        from ketenregie.accounts.models import Domain

        if locked.organisation.domain != Domain.ZORG:
            errors["answer"] = _("Alleen zorgpartners met beroepsgeheim kunnen alleen luisteren.")
        if summary.strip():
            errors["summary"] = _("Bij ‘alleen luisteren’ deelt u geen inhoud; laat dit leeg.")
    if summary.strip() and not legal_basis:
        errors["legal_basis"] = _(
            "Informatie delen mag alleen met een grondslag: kies de grondslag (AVG art. 6)."
        )
    from ketenregie.accounts.models import Domain

    if summary.strip() and locked.organisation.domain == Domain.ZORG and not secrecy_ground:
        errors["secrecy_ground"] = _(
            "Een zorgpartner met beroepsgeheim deelt alleen met uitdrukkelijke toestemming, "
            "een wettelijke plicht of bij een conflict van plichten: kies de grond."
        )
    if legal_basis == "gerechtvaardigd_belang" and locked.organisation.domain in PUBLIC_DOMAINS:
        errors["legal_basis"] = _(
            "Gerechtvaardigd belang is geen grondslag voor overheidsorganisaties (AVG art. 6 "
            "lid 1, laatste alinea)."
        )
    if answer == EnrichmentRequest.Answer.KNOWN and not summary.strip():
        errors["summary"] = _("Vat samen wat relevant is, of kies ‘alleen luisteren’.")
    if errors:
        raise ValidationError(errors)
    shared = bool(summary.strip())
    # The summary is free text: the trail keeps the answer and the grounds, not the words.
    save_audited(
        locked,
        actor=actor,
        action="enrichment.answered",
        values={
            "answer": answer,
            "summary": summary.strip(),
            "legal_basis": legal_basis if shared else "",
            "special_category": special_category if shared else "",
            "secrecy_ground": secrecy_ground if shared else "",
        },
        case_id=locked.referral.case_id,
        shown=["answer"],
        labels={"answer": "antwoord"},
        extra=lambda saved: {
            "grondslag": saved.legal_basis,
            "art9": saved.special_category,
            "beroepsgeheim": saved.secrecy_ground,
        },
        touch={"answered_by": actor, "answered_at": timezone.now()},
        always=True,
        purpose="bekendheidscheck",
        clean=False,
    )
    return locked


def _add_to_agenda(referral: Referral, meeting: TriageMeeting) -> AgendaItem:
    # Lock the meeting: two cases added at once get distinct slots, and a meeting
    # cancelled a moment ago is not used.
    meeting = lock(meeting, related=["house"])
    if meeting.cancelled:
        meeting = next_open_meeting(meeting)
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(meeting=meeting, referral=referral, position=last + 1)
    referral.triage_meeting = meeting
    referral.save(update_fields=["triage_meeting"])
    return item


def slot_of(item: AgendaItem) -> tuple[dt.datetime, dt.datetime]:
    start = item.meeting.starts_at + dt.timedelta(minutes=SLOT_MINUTES * (item.position - 1))
    return start, start + dt.timedelta(minutes=SLOT_MINUTES)


def _invite_referrer(item: AgendaItem) -> None:
    referral = item.referral
    start, end = slot_of(item)
    path = reverse("referral_detail", args=[referral.case_id])
    ics = meeting_ics(
        uid=f"triage-{item.meeting_id}-{referral.case_id}@ketenregie",
        start=start,
        end=end,
        summary=f"Integrale triage {item.meeting.house.name}: casus {referral.case.code}",
        location=item.meeting.house.name + " (of online)",
        url=absolute_url(path),
    )
    send_link_mail(
        [referral.referrer.email],
        subject=_("uitnodiging integrale triage"),
        text=_(
            "U bent uitgenodigd voor de integrale triage; uw aanwezigheid is nodig om de "
            "casus te bespreken. De uitnodiging zit als agenda-item bij dit bericht."
        ),
        path=path,
        ics=ics,
    )


@transaction.atomic
def put_on_agenda(
    case: Case, *, actor: User, expected_version: int, proposed_level: int | None, reasoning: str
) -> AgendaItem:
    errors = {}
    if proposed_level not in (1, 2, 3, 4, 5):
        errors["proposed_level"] = _("Kies het voorgestelde escalatieniveau (1 tot en met 5).")
    if not reasoning.strip():
        errors["reasoning"] = _("Licht de weging volgens het de-escalatiemodel toe.")
    if errors:
        raise ValidationError(errors)
    referral = _locked_referral(case, Status.VERRIJKING, expected_version)
    referral.proposed_level = proposed_level
    referral.proposed_level_reasoning = reasoning.strip()
    _bump(referral, "proposed_level", "proposed_level_reasoning")
    meeting = referral.triage_meeting
    if meeting is None or meeting.cancelled or meeting.starts_at <= timezone.now():
        meeting = next_meeting_after_now(referral.case.house)
    item = _add_to_agenda(referral, meeting)
    referral.case = case_services.change_status(referral.case, to=Status.GEAGENDEERD, actor=actor)
    open_requests = EnrichmentRequest.objects.filter(referral=referral, answer="").count()
    audit.record(
        "referral.put_on_agenda",
        actor=actor,
        case_id=referral.case_id,
        obj=referral,
        data={
            "triage": meeting.date.isoformat(),
            "positie": item.position,
            "voorgesteld_niveau": proposed_level,
            "onbeantwoorde_verzoeken": open_requests,
        },
    )
    start, _end = slot_of(item)
    _feedback(
        referral,
        _(
            "Uw aanmelding staat op de agenda van de integrale triage op %(datum)s, tijdsblok "
            "%(tijd)s (20 minuten). Uw aanwezigheid is nodig; u krijgt een uitnodiging."
        )
        % {"datum": _format_meeting(meeting), "tijd": f"{timezone.localtime(start):%H:%M}"},
        subject=_("aanmelding geagendeerd"),
    )
    _invite_referrer(item)
    return item


# ---------------------------------------------------------------- triage


def _locked_item(item: AgendaItem) -> AgendaItem:
    locked = (
        AgendaItem.objects.select_for_update()
        .select_related("meeting__house", "referral__case", "referral__referrer")
        .get(pk=item.pk)
    )
    if locked.outcome:
        raise ValidationError(
            _(
                "Over dit agendapunt is zojuist al besloten (%(uitkomst)s). "
                "Uw invoer is niet opgeslagen."
            )
            % {"uitkomst": AgendaItem.Outcome(locked.outcome).label}
        )
    return locked


@transaction.atomic
def record_attendance(
    item: AgendaItem, *, actor: User, present: bool, note: str = ""
) -> AgendaItem:
    locked = _locked_item(item)
    locked.referrer_present = present
    locked.note = note.strip()
    fields = ["referrer_present", "note"]
    if not present:
        # Without the referrer the case cannot be discussed: it moves to the next triage.
        locked.outcome = AgendaItem.Outcome.MOVED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        fields += ["outcome", "decided_by", "decided_at"]
    locked.save(update_fields=fields)
    audit.record(
        "triage.attendance_recorded",
        actor=actor,
        case_id=locked.referral.case_id,
        obj=locked,
        data={"aanmelder_aanwezig": present},
    )
    if not present:
        nxt = next_open_meeting(locked.meeting)
        new_item = _add_to_agenda(locked.referral, nxt)
        audit.record(
            "triage.moved",
            actor=actor,
            case_id=locked.referral.case_id,
            obj=new_item,
            data={"van": locked.meeting.date.isoformat(), "naar": nxt.date.isoformat()},
        )
        _feedback(
            locked.referral,
            _(
                "U was niet aanwezig bij de triage; zonder u kan de casus niet worden besproken. "
                "Zij staat nu op de agenda van %(datum)s."
            )
            % {"datum": _format_meeting(nxt)},
            subject=_("casus verplaatst naar volgende triage"),
        )
        _invite_referrer(new_item)
    return locked


@dataclass
class IncidentalInvitee:
    organisation: Organisation
    justification: str
    explanation: str


@transaction.atomic
def decide_outcome(
    item: AgendaItem,
    *,
    actor: User,
    outcome: str,
    advice: str = "",
    referred_to: str = "",
    procesregisseur: User | None = None,
    fixed_invitees: Iterable[Organisation] = (),
    incidental: Iterable[IncidentalInvitee] = (),
) -> AgendaItem:
    fixed_invitees = list(fixed_invitees)
    locked = _locked_item(item)
    errors: dict[str, str] = {}
    if locked.referrer_present is not True:
        errors["outcome"] = _("Leg eerst vast dat de aanmelder aanwezig is.")
    if outcome == AgendaItem.Outcome.NO_PGA and not advice.strip():
        errors["advice"] = _("Geef de aanmelder een advies over andere steun.")
    if outcome == AgendaItem.Outcome.REFER and not referred_to.strip():
        errors["referred_to"] = _("Geef aan naar welke regio of welk overleg.")
    incidental = list(incidental)
    if outcome == AgendaItem.Outcome.START_PGA:
        if procesregisseur is None:
            errors["procesregisseur"] = _("Kies de procesregisseur die de PGA start.")
        elif procesregisseur.organisation is None:
            errors["procesregisseur"] = _("Deze procesregisseur hoort bij geen organisatie.")
        chosen = [o.pk for o in fixed_invitees] + [i.organisation.pk for i in incidental]
        if len(chosen) != len(set(chosen)):
            errors["incidental"] = _("Nodig elke organisatie maar één keer uit.")
        for inv in incidental:
            if (
                inv.justification
                not in (
                    Invitee.Justification.EXPERTISE,
                    Invitee.Justification.LEGAL_TASK,
                )
                or not inv.explanation.strip()
            ):
                errors["incidental"] = _(
                    "Een incidentele deelnemer mag alleen met benodigde expertise of een "
                    "relevante wettelijke of publieke taak; licht dat per deelnemer toe."
                )
    if outcome not in (
        AgendaItem.Outcome.NO_PGA,
        AgendaItem.Outcome.START_PGA,
        AgendaItem.Outcome.REFER,
    ):
        errors["outcome"] = _("Kies een uitkomst.")
    if errors:
        raise ValidationError(errors)
    referral = locked.referral
    case = referral.case
    locked.outcome = outcome
    locked.advice = advice.strip()
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["outcome", "advice", "decided_by", "decided_at"])
    if outcome == AgendaItem.Outcome.NO_PGA:
        case_services.change_status(case, to=Status.GEEN_PGA, actor=actor, reason=advice.strip())
        message = _("De triage start geen PGA. Advies: %(advies)s") % {"advies": advice.strip()}
    elif outcome == AgendaItem.Outcome.REFER:
        referral.referred_to = referred_to.strip()
        referral.save(update_fields=["referred_to"])
        case_services.change_status(
            case, to=Status.DOORVERWEZEN, actor=actor, reason=referred_to.strip()
        )
        message = _("De triage verwijst de casus door naar: %(naar)s.") % {"naar": referred_to}
    else:
        assert procesregisseur is not None
        case_services.change_status(case, to=Status.PGA_GESTART, actor=actor)
        if referral.proposed_level:
            case_services.change_escalation_level(
                case,
                level=referral.proposed_level,
                actor=actor,
                reason=_("Vastgesteld in de integrale triage."),
            )
        case_services.add_membership(
            case,
            actor=actor,
            role=CaseRole.PROCESREGISSEUR,
            organisation=procesregisseur.organisation,  # type: ignore[arg-type]
            user=procesregisseur,
            valid_from=today(),
        )
        for org in fixed_invitees:
            Invitee.objects.create(
                case=case, organisation=org, justification=Invitee.Justification.FIXED
            )
        for inv in incidental:
            Invitee.objects.create(
                case=case,
                organisation=inv.organisation,
                incidental=True,
                justification=inv.justification,
                explanation=inv.explanation.strip(),
            )
        message = _(
            "De triage start een persoonsgerichte aanpak (PGA). De procesregisseur neemt "
            "contact met u op over het informeren van de betrokkene."
        )
    audit.record(
        "triage.outcome",
        actor=actor,
        case_id=case.pk,
        obj=locked,
        data={
            "uitkomst": outcome,
            "procesregisseur": procesregisseur.pk if procesregisseur else None,
            "uitgenodigd": sorted(
                [o.pk for o in fixed_invitees] + [i.organisation.pk for i in incidental]
            ),
        },
    )
    _feedback(referral, message, subject=_("uitkomst integrale triage"))
    return locked


@transaction.atomic
def cancel_meeting(meeting: TriageMeeting, *, actor: User, reason: str) -> TriageMeeting:
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden waarom de triage vervalt.")})
    locked = lock(meeting, related=["house"])
    if locked.cancelled:
        raise ValidationError(_("Deze triage is al vervallen."))
    # The reason is free text (it may name a person on the agenda): it stays on the
    # meeting; the trail records that one was given.
    save_audited(
        locked,
        actor=actor,
        action="triage.cancelled",
        values={"cancelled": True, "cancel_reason": reason.strip()},
        mode="none",
        extra={"datum": locked.date.isoformat(), "reden_vastgelegd": True},
        clean=False,
    )
    nxt = next_open_meeting(locked)
    waiting = Referral.objects.filter(
        triage_meeting=locked,
        agenda_items__isnull=True,
        case__status__in=[Status.AANGEMELD, Status.VERRIJKING],
    ).select_related("case", "referrer")
    for ref in waiting:
        audit.record(
            "triage.moved",
            actor=actor,
            case_id=ref.case_id,
            obj=ref,
            data={"van": locked.date.isoformat(), "naar": nxt.date.isoformat()},
        )
        ref.triage_meeting = nxt
        ref.save(update_fields=["triage_meeting"])
        _feedback(
            ref,
            _("De triage van %(oud)s vervalt; uw aanmelding wordt besproken op %(nieuw)s.")
            % {"oud": locked.date.strftime("%d-%m-%Y"), "nieuw": _format_meeting(nxt)},
            subject=_("triage verplaatst"),
        )
    for item in (
        AgendaItem.objects.select_for_update()
        .filter(meeting=locked, outcome="")
        .select_related("referral__case", "referral__referrer")
    ):
        audit.record(
            "triage.moved",
            actor=actor,
            case_id=item.referral.case_id,
            obj=item,
            data={"van": locked.date.isoformat(), "naar": nxt.date.isoformat()},
        )
        item.outcome = AgendaItem.Outcome.MOVED
        item.decided_by, item.decided_at = actor, timezone.now()
        item.note = _("Triage vervallen: %(reden)s") % {"reden": reason.strip()}
        item.save(update_fields=["outcome", "decided_by", "decided_at", "note"])
        new_item = _add_to_agenda(item.referral, nxt)
        _feedback(
            item.referral,
            _("De triage van %(oud)s vervalt; uw casus staat nu op de agenda van %(nieuw)s.")
            % {"oud": locked.date.strftime("%d-%m-%Y"), "nieuw": _format_meeting(nxt)},
            subject=_("triage verplaatst"),
        )
        _invite_referrer(new_item)
    return locked


@transaction.atomic
def mark_feedback_read(recipient: User) -> int:
    return Feedback.objects.filter(recipient=recipient, read_at=None).update(read_at=timezone.now())
