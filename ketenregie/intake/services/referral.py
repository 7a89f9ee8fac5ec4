"""Referral drafts and their submission: the referral's content, the person and household,
checked attachments, and putting the submitted referral on the next triage meeting.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.access import users_with_role_at
from ketenregie.accounts.models import House, User
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.audit.flood import record_flood_prone
from ketenregie.audit.writes import lock, save_audited
from ketenregie.cases import household_services
from ketenregie.cases import services as case_services
from ketenregie.cases.models import (
    Case,
    CaseRole,
    Person,
)
from ketenregie.cases.workflow import Status
from ketenregie.core import uploads
from ketenregie.core.mail import send_link_mail
from ketenregie.core.timeutil import today
from ketenregie.core.uploads import CheckedFile
from ketenregie.intake.criteria import ensure_default_criteria, is_met
from ketenregie.intake.models import (
    Attachment,
    Criterion,
    DraftUpload,
    Referral,
    ReferralAddition,
    ReferralCriterion,
    ReferralProblem,
    attachment_storage,
)
from ketenregie.intake.services.feedback import _feedback, format_meeting
from ketenregie.intake.services.meeting_dates import meeting_for_submission


@dataclass
class ReferralInput:
    """What the referral form collected, already validated by the form."""

    person: dict[str, Any]
    household: list[dict[str, Any]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    problems: dict[int, str] = field(default_factory=dict)
    criteria: dict[int, str] = field(default_factory=dict)
    files: Sequence[UploadedFile[bytes]] = ()
    # Uploads kept after an earlier error on the form (`keep_uploads`).
    drafts: Sequence[DraftUpload] = ()


REFERRAL_FIELDS = [
    "reason",
    "urgency",
    "meeting_goal",
    "suggested_partners",
    "other_meetings",
    "informed",
    "informed_how",
]


def _add_attachment(referral: Referral, actor: User, name: str, values: dict[str, Any]) -> None:
    att = Attachment(referral=referral, uploaded_by=actor, uploaded_at=timezone.now(), **values)
    att.file.name = name
    att.save()
    audit.record(
        "referral.attachment_added",
        actor=actor,
        case_id=referral.case_id,
        obj=att,
        data={"type": att.content_type, "grootte": att.size},
    )


def _file_values(checked: CheckedFile) -> dict[str, Any]:
    return {
        "original_name": checked.display_name,
        "content_type": checked.type.content_type,
        "size": checked.size,
        "sha256": checked.sha256,
    }


def _store_attachments(
    referral: Referral, files: Iterable[CheckedFile], actor: User, staged: list[str]
) -> None:
    """Stage each checked file and add its row; the file moves into place on commit."""
    root = Path(settings.KETENREGIE_ATTACHMENT_ROOT)
    for checked in files:
        name = uploads.stage(root, checked)
        staged.append(name)
        _add_attachment(referral, actor, name, _file_values(checked))


def _attach_drafts(referral: Referral, drafts: Sequence[DraftUpload], actor: User) -> None:
    """The kept uploads become the referral's attachments (the file stays where it is)."""
    rows = DraftUpload.objects.select_for_update().filter(
        owner=actor, pk__in=[d.pk for d in drafts]
    )
    for draft in rows.order_by("pk"):
        values = {
            "original_name": draft.original_name,
            "content_type": draft.content_type,
            "size": draft.size,
            "sha256": draft.sha256,
        }
        _add_attachment(referral, actor, str(draft.file.name), values)
        draft.delete()


# At most this many kept uploads are read from one form post.
MAX_KEPT_UPLOADS = 20


def kept_uploads(actor: User, tokens: Iterable[str]) -> list[DraftUpload]:
    """The actor's own unexpired kept uploads the form names; other tokens are ignored."""
    wanted: list[uuid.UUID] = []
    for token in tokens:
        try:
            wanted.append(uuid.UUID(str(token)))
        except ValueError:
            continue
    if not wanted:
        return []
    return list(
        DraftUpload.objects.filter(
            owner=actor,
            token__in=wanted[:MAX_KEPT_UPLOADS],
            created_at__gte=timezone.now() - DraftUpload.KEEP_FOR,
        ).order_by("pk")
    )


def keep_uploads(
    actor: User, files: Iterable[UploadedFile[bytes]]
) -> tuple[list[DraftUpload], ValidationError | None]:
    """Check a referral form's new files and keep the good ones until the form is saved.

    Returns the kept uploads and the refusal of the others (one message per file). The
    form passes the kept uploads to `save_referral` (as `ReferralInput.drafts`); after
    any error on the form they stay, so the referrer does not choose them again.
    """
    checked: list[CheckedFile] = []
    refused: list[ValidationError] = []
    for upload in files:
        try:
            checked += check_attachments([upload], actor)
        except ValidationError as exc:
            refused += exc.error_dict["attachments"]
    error = ValidationError(refused) if refused else None
    if not checked:
        return [], error
    root = Path(settings.KETENREGIE_ATTACHMENT_ROOT)
    staged: list[str] = []
    try:
        with transaction.atomic():
            kept = []
            for one in checked:
                name = uploads.stage(root, one)
                staged.append(name)
                draft = DraftUpload(owner=actor, created_at=timezone.now(), **_file_values(one))
                draft.file.name = name
                draft.save()
                audit.record(
                    "referral.upload_received",
                    actor=actor,
                    obj=draft,
                    data={"type": draft.content_type, "grootte": draft.size},
                )
                kept.append(draft)
    except BaseException:
        uploads.discard_staged(root, staged)
        raise
    return kept, error


def remove_expired_draft_uploads(remove: bool) -> int:
    """Kept uploads nobody used within DraftUpload.KEEP_FOR: counted, or removed with
    their files (registered with core.uploads, run by `manage.py check_files`)."""
    expired = DraftUpload.objects.filter(created_at__lt=timezone.now() - DraftUpload.KEEP_FOR)
    if not remove:
        return expired.count()
    with transaction.atomic():
        rows = list(expired.select_for_update().order_by("pk"))
        for draft in rows:
            audit.record(
                "referral.draft_upload_expired",
                actor=None,
                obj=draft,
                data={"type": draft.content_type, "grootte": draft.size},
            )
        DraftUpload.objects.filter(pk__in=[d.pk for d in rows]).delete()
        names = [str(d.file.name) for d in rows]
        storage = attachment_storage()

        def remove_files() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(remove_files)
    return len(rows)


def check_attachments(
    files: Iterable[UploadedFile[bytes]], actor: User | None = None
) -> list[CheckedFile]:
    """Every upload checked whole (core.uploads); all errors together, on the file field.

    A file refused for malware or active content (or because the scanner could not
    answer) is a security event: audited with the file's type and hash, never its name.
    """
    checked: list[CheckedFile] = []
    errors: list[ValidationError] = []
    for upload in files:
        try:
            checked.append(uploads.check_upload(upload))
        except ValidationError as exc:
            errors.append(exc)
            if exc.code in uploads.SECURITY_REFUSALS:
                upload.seek(0)
                digest = hashlib.sha256(upload.read()).hexdigest()
                upload.seek(0)
                record_flood_prone(
                    "upload.refused",
                    actor=actor,
                    subject=f"user:{actor.pk}" if actor is not None else "anoniem",
                    data={"reden": exc.code, "sha256": digest},
                )
    if errors:
        raise ValidationError({"attachments": errors})
    return checked


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
    """The household members the referral form names join the case's household through
    the household service (issue 15): a version each, members from today."""
    for member in members:
        relation = member.pop("relation")
        household_services.add_member(
            case,
            actor=actor,
            person_values=member,
            values={"relation": relation, "lives_in_home": True, "valid_from": today()},
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
    criteria = list(cset.criteria.all())
    ticked = {c.number for c in criteria if c.pk in data.criteria}
    referral.meets_criteria = is_met(cset, criteria, ticked)
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
    """What only a submission needs; a concept is saved without it (issue 12)."""
    errors: dict[str, str] = {}
    if not (data.values.get("reason") or "").strip():
        errors["reason"] = _("Beschrijf de aanleiding.")
    if not any(t.strip() for t in data.problems.values()):
        errors["problems"] = _("Beschrijf de problemen op minstens één leefgebied.")
    if not data.values.get("informed"):
        errors["informed"] = _("Geef aan of de betrokkene is geïnformeerd.")
    if not (data.values.get("informed_how") or "").strip():
        errors["informed_how"] = _("Geef aan hoe de betrokkene is geïnformeerd, of waarom niet.")
    unexplained = [cid for cid, text in data.criteria.items() if not (text or "").strip()]
    # Named after the form's field of each criterion, so the message stands beside it.
    for number in Criterion.objects.filter(pk__in=unexplained).values_list("number", flat=True):
        errors[f"crit_{number}_uitleg"] = _("Licht toe waarom dit criterium van toepassing is.")
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

    Attachments are checked before the transaction (parsing a large PDF holds no lock),
    written under a temporary name inside it and moved into place when it commits; if it
    fails they are removed, so a failed save leaves nothing behind, and a crash leaves
    only temporary files that `manage.py check_files --remove` clears.
    """
    checked = check_attachments(data.files, actor)
    staged: list[str] = []
    try:
        with transaction.atomic():
            return _save_referral(
                actor, house, data, case, expected_version, submit, confirmed, checked, staged
            )
    except BaseException:
        uploads.discard_staged(Path(settings.KETENREGIE_ATTACHMENT_ROOT), staged)
        raise


def _check_submittable(data: ReferralInput, confirmed: bool) -> None:
    """Refuse a submission that is incomplete or lacks the referrer's accountability."""
    errors = _submit_errors(data)
    if not confirmed:
        errors["confirm"] = _(
            "Bevestig dat u verantwoordelijk bent voor de kwaliteit en juistheid van "
            "deze aanmelding."
        )
    if errors:
        raise ValidationError(errors)


def _create_draft(actor: User, house: House, data: ReferralInput) -> tuple[Case, Referral]:
    """Open a new case with its draft referral; the referrer joins it as aanmelder."""
    person, claimed = _person_for(actor, data.person, None)
    case = case_services.create_case(actor=actor, house=house, person=person)
    referral = Referral.objects.create(
        case=case,
        referrer=actor,
        claimed_bsn=claimed,
        **{k: data.values.get(k, "") or "" for k in REFERRAL_FIELDS},
    )
    if actor.organisation is None:
        raise ValidationError(_("Uw account hoort bij geen organisatie; u kunt niet aanmelden."))
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
    return case, referral


def _update_draft(
    actor: User, data: ReferralInput, case: Case, expected_version: int | None
) -> tuple[Case, Referral]:
    """Update the draft referral of a case that has not been submitted yet."""
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
    return locked, referral


def _save_referral(
    actor: User,
    house: House,
    data: ReferralInput,
    case: Case | None,
    expected_version: int | None,
    submit: bool,
    confirmed: bool,
    checked: list[CheckedFile],
    staged: list[str],
) -> Referral:
    if submit:
        _check_submittable(data, confirmed)
    if case is None:
        case, referral = _create_draft(actor, house, data)
    else:
        case, referral = _update_draft(actor, data, case, expected_version)
    _household(case, [dict(m) for m in data.household], actor)
    _referral_content(referral, data, actor)
    _store_attachments(referral, checked, actor, staged)
    _attach_drafts(referral, data.drafts, actor)
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
    received = _(
        "Uw aanmelding is ontvangen. Zij wordt besproken in de integrale triage van %(datum)s."
    ) % {"datum": format_meeting(meeting)}
    if referral.urgency == Referral.Urgency.ACUUT:
        _alert_chairs(referral, actor)
        received += " " + _(
            "U heeft haar als acuut aangemeld: de triagevoorzitters zijn direct gewaarschuwd "
            "en kunnen haar op een extra triage zetten."
        )
    _feedback(referral, received, subject=_("aanmelding ontvangen"))


def _alert_chairs(referral: Referral, actor: User) -> None:
    """An acute referral does not wait for the list to be opened: the house's chairs get
    a link-only mail at once (after commit), and the trail records who was told."""
    chairs = list(users_with_role_at(Role.TRIAGEVOORZITTER, referral.case.house_id))
    send_link_mail(
        [c.email for c in chairs],
        subject=_("acute aanmelding"),
        text=_(
            "Er is een acute aanmelding binnengekomen bij uw huis. Screen haar zo snel "
            "mogelijk; u kunt haar op een extra triage zetten."
        ),
        path=reverse("referral_detail", args=[referral.case_id]),
    )
    audit.record(
        "referral.acute_alerted",
        actor=actor,
        case_id=referral.case_id,
        obj=referral,
        data={"voorzitters": sorted(c.pk for c in chairs)},
    )


def add_to_referral(
    case: Case, *, actor: User, text: str, files: Sequence[UploadedFile[bytes]] = ()
) -> ReferralAddition:
    """The referrer adds information or attachments to a submitted referral, until the
    chair's screening decided (status "aangemeld"). The submitted content stays as it was.

    Attachments are checked before the transaction and moved into place on commit, as
    when the referral is saved.
    """
    if not text.strip() and not files:
        raise ValidationError({"text": _("Schrijf een aanvulling of kies een bijlage.")})
    checked = check_attachments(files, actor)
    staged: list[str] = []
    try:
        with transaction.atomic():
            locked = lock(case)
            referral = lock(Referral.objects.get(case=locked))
            if locked.status != Status.AANGEMELD or referral.referrer_id != actor.pk:
                raise ValidationError(
                    _(
                        "Aanvullen kan niet meer: de screening heeft al besloten over deze "
                        "aanmelding."
                    )
                )
            addition = ReferralAddition.objects.create(
                referral=referral, text=text.strip(), added_by=actor, added_at=timezone.now()
            )
            _store_attachments(referral, checked, actor, staged)
            # The text may name people: the trail keeps that there is one, not the words.
            audit.record(
                "referral.addition_added",
                actor=actor,
                case_id=locked.pk,
                obj=referral,
                data={"tekst": bool(addition.text), "bijlagen": len(checked)},
            )
            return addition
    except BaseException:
        uploads.discard_staged(Path(settings.KETENREGIE_ATTACHMENT_ROOT), staged)
        raise
