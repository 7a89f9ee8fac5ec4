"""Referral, screening, enrichment (bekendheidscheck) and the weekly integral triage.

The sharing grounds (LegalBasis, SpecialCategoryException, SecrecyGround) live in
`cases.grounds`, one layer down, so that every app that shares data (and the data-sharing
register) uses the same ones; they are imported here under their old names.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House, Organisation
from ketenregie.cases.grounds import LegalBasis as LegalBasis
from ketenregie.cases.grounds import SecrecyGround as SecrecyGround
from ketenregie.cases.grounds import SpecialCategoryException as SpecialCategoryException
from ketenregie.cases.models import Case, EscalationLevel, LifeDomain, SharingGrounds
from ketenregie.core.models import VersionedModel
from ketenregie.core.templatetags.dates import short_date


class CriteriaSet(models.Model):
    """The inclusion criteria of one house, as data.

    Rule ALL_OF_A_GROUP: met when every criterion of at least one group is ticked
    (landelijk kader: (1 and 2 and 3) or 4). Rule AT_LEAST: met when at least
    `min_count` criteria are ticked (local PGA: 2 of 3).
    """

    class Rule(models.TextChoices):
        ALL_OF_A_GROUP = "all_of_a_group", _("Alle criteria van minstens één groep")
        AT_LEAST = "at_least", _("Minstens een aantal criteria")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="criteria_sets")
    # A house has its own set and, when it works in the household variant (issue 15), a
    # second one: the criteria for a vulnerable household (seed 002 section 2.4).
    household = models.BooleanField(_("criteria voor kwetsbare huishoudens"), default=False)
    name = models.CharField(_("naam"), max_length=150)
    rule = models.CharField(_("regel"), max_length=20, choices=Rule.choices)
    min_count = models.PositiveSmallIntegerField(_("minimum aantal"), default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["house", "household"], name="unique_criteria_set_kind")
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField(_("nummer"))
    text = models.TextField(_("criterium"))
    group = models.PositiveSmallIntegerField(_("groep"), default=1)

    class Meta:
        ordering = ["criteria_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "number"], name="unique_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


class TriageMeeting(models.Model):
    """One integral triage of a house: the weekly one (created on demand from its
    configuration, one per day), or an extra (ad-hoc) one at a moment the chair picks for
    an acute referral."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="triage_meetings")
    date = models.DateField(_("datum"))
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))
    ad_hoc = models.BooleanField(_("extra triage"), default=False)
    cancelled = models.BooleanField(_("vervallen"), default=False)
    cancel_reason = models.CharField(_("reden vervallen"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["house", "date"],
                condition=Q(ad_hoc=False),
                name="unique_weekly_triage_per_day",
            )
        ]

    def __str__(self) -> str:
        kind = "Extra triage" if self.ad_hoc else "Triage"
        return f"{kind} {self.house.code} {short_date(self.date)}"


class Referral(VersionedModel):
    """The referral (aanmelding) behind a case, with everything the form asks."""

    class Urgency(models.TextChoices):
        NORMAAL = "normaal", _("Normaal")
        HOOG = "hoog", _("Hoog: binnen twee weken bespreken")
        ACUUT = "acuut", _("Acuut: direct contact opnemen")

    class Informed(models.TextChoices):
        YES = "ja", _("Ja, de betrokkene is geïnformeerd")
        NO = "nee", _("Nee, (nog) niet geïnformeerd")

    class RejectCategory(models.TextChoices):
        OTHER_REGION = "andere_regio", _("Hoort in een andere regio")
        CRITERIA = "criteria", _("Voldoet niet aan de criteria")
        EXISTING_MEETING = "bestaand_overleg", _("Wordt al in een ander overleg besproken")
        OTHER = "overig", _("Overig")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="referral")
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals"
    )
    reason = models.TextField(_("aanleiding"), blank=True)
    urgency = models.CharField(
        _("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAAL
    )
    meeting_goal = models.TextField(_("doel van de casusbespreking"), blank=True)
    suggested_partners = models.TextField(_("partners om uit te nodigen"), blank=True)
    other_meetings = models.TextField(_("andere overleggen waar de casus speelt"), blank=True)
    informed = models.CharField(
        _("betrokkene geïnformeerd"), max_length=5, choices=Informed.choices, blank=True
    )
    informed_how = models.TextField(_("hoe geïnformeerd, of waarom niet"), blank=True)
    meets_criteria = models.BooleanField(_("voldoet aan de criteria"), default=False)
    # A BSN typed by the referrer that another person record already holds (see ADR 5).
    claimed_bsn = models.CharField(_("opgegeven BSN (al bekend)"), max_length=9, blank=True)
    accountability_confirmed_at = models.DateTimeField(null=True, blank=True)
    accountability_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    triage_meeting = models.ForeignKey(
        TriageMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    referred_to = models.CharField(_("doorverwezen naar"), max_length=200, blank=True)
    proposed_level = models.PositiveSmallIntegerField(
        _("voorgesteld escalatieniveau"), choices=EscalationLevel.choices, null=True, blank=True
    )
    proposed_level_reasoning = models.TextField(_("weging de-escalatiemodel"), blank=True)
    # The earlier case the chair linked this referral to when the duplicate check found
    # the person already known (its team is told).
    linked_case = models.ForeignKey(
        Case,
        verbose_name=_("gekoppeld aan eerdere casus"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_referrals",
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Aanmelding {self.case.code}"


class ReferralAddition(models.Model):
    """Information the referrer added after submitting, until screening decided.

    Kept apart from the submitted referral: what the referrer confirmed at submission
    stays as it was, and the screener sees what came later and when.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="additions")
    text = models.TextField(_("aanvulling"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"Aanvulling {self.referral_id} {self.added_at:%d-%m-%Y}"


class ReferralProblem(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="problems")
    domain = models.ForeignKey(LifeDomain, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("probleem"))

    class Meta:
        ordering = ["domain__order"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "domain"], name="unique_problem_domain")
        ]

    def __str__(self) -> str:
        return f"{self.domain}"


class ReferralCriterion(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    explanation = models.TextField(_("toelichting"))

    class Meta:
        ordering = ["criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "criterion"], name="unique_ref_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.number}"


class AttachmentStorage(FileSystemStorage):
    """Attachments live outside the web root and are served only through the access gate.

    The location is read from settings on every use, so tests and deployments can move it.
    """

    @property
    def base_location(self) -> str:
        return str(settings.KETENREGIE_ATTACHMENT_ROOT)

    @property
    def location(self) -> str:
        import os

        return os.path.abspath(self.base_location)


def attachment_storage() -> FileSystemStorage:
    return AttachmentStorage()


def _attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploaded name: that may contain a person's name.
    return f"{uuid.uuid4().hex}"


class Attachment(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, storage=attachment_storage)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.original_name


class DraftUpload(models.Model):
    """An attachment kept for a referral form that has not been saved yet.

    After any error on the referral form the chosen files are checked and kept here,
    tied to the user who uploaded them, so the form comes back without asking for them
    again; saving the referral turns them into its attachments. Whatever is not used
    within KEEP_FOR is removed by `manage.py check_files --remove`.
    """

    KEEP_FOR = dt.timedelta(days=1)

    # What the form carries instead of the file: random, and only valid for its owner.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=_attachment_path, storage=attachment_storage)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.original_name


class RejectionCount(models.Model):
    """The only trace of a referral that was not put on the agenda: an anonymous count."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("week (maandag)"))
    category = models.CharField(max_length=20, choices=Referral.RejectCategory.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["house", "week", "category"], name="unique_rejection_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.house_id} {self.week} {self.category}: {self.count}"


class EnrichmentRequest(VersionedModel, SharingGrounds):
    """A bekendheidscheck at one fixed partner: is this person known, and what is relevant?"""

    class Answer(models.TextChoices):
        KNOWN = "bekend", _("Bekend")
        UNKNOWN = "niet_bekend", _("Niet bekend")
        LISTEN_ONLY = "alleen_luisteren", _("Alleen luisteren (beroepsgeheim)")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="enrichment")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="enrichment_requests"
    )
    requested_at = models.DateTimeField()
    deadline = models.DateTimeField(_("antwoorden vóór"))
    answer = models.CharField(_("antwoord"), max_length=20, choices=Answer.choices, blank=True)
    summary = models.TextField(_("samenvatting relevante informatie"), blank=True)
    # The grounds and necessity checks of the answer: `SharingGrounds` (asked only when
    # the answer shares content).
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["referral", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "organisation"], name="unique_enrichment_request"
            )
        ]
        # The enrichment list's order has its own index on PostgreSQL (migration 0003:
        # SQLite cannot index NULLS FIRST).
        indexes = [
            # The dashboard's count of the organisation's open requests, index-only.
            models.Index(
                fields=["organisation", "referral"],
                condition=Q(answer=""),
                name="enrichment_org_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Bekendheidscheck {self.organisation_id} / {self.referral_id}"


class AgendaItem(models.Model):
    """A referral on a triage agenda: a 20-minute slot, attendance and the outcome."""

    class Outcome(models.TextChoices):
        NO_PGA = "geen_pga", _("Geen PGA (advies aan aanmelder)")
        START_PGA = "start_pga", _("Start PGA")
        REFER = "doorverwijzen", _("Doorverwijzen")
        MOVED = "verplaatst", _("Verplaatst naar volgende triage")

    meeting = models.ForeignKey(TriageMeeting, on_delete=models.PROTECT, related_name="items")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    referrer_present = models.BooleanField(null=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    advice = models.TextField(_("advies aan de aanmelder"), blank=True)
    note = models.TextField(_("notitie"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position"]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.position}"


class Invitee(models.Model):
    """Who is invited to the first case meeting, decided at triage."""

    class Justification(models.TextChoices):
        FIXED = "vaste_partner", _("Vaste triagepartner")
        EXPERTISE = "expertise", _("Benodigde expertise")
        LEGAL_TASK = "wettelijke_taak", _("Relevante wettelijke of publieke taak")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="invitees")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incidental = models.BooleanField(default=False)
    justification = models.CharField(max_length=20, choices=Justification.choices)
    explanation = models.TextField(_("toelichting"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="unique_invitee")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} ({self.justification})"


class Feedback(models.Model):
    """A terugmelding to the referrer. Survives deletion of the referral (plain case id)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback"
    )
    case_id = models.BigIntegerField(null=True, blank=True)
    case_code = models.CharField(max_length=30)
    message = models.TextField()
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_code}: {self.message[:40]}"
