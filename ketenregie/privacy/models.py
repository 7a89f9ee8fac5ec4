"""The privacy app's records (issue 13): retention configuration and legal holds, and the
person's requests under the AVG (access, correction, erasure, restriction, objection) as
the house logs and answers them: received, deadline, extension, outcome; and each house's
processing register (AVG art. 30), kept as numbered versions: each save freezes the whole
register as a new `RegisterVersion`, the newest is the current register (ADR 21), and
`ProcessingRegister.version` is its number, so a save based on an older one is refused;
and the review of a subject access export before it is released, with the passages
withheld from it and their reasons (AVG art. 15 lid 4, art. 23: e.g. a running criminal
investigation).

A house's privacy officer sets, per data category, how long closed data is kept and on
which legal ground (`RetentionPeriod`; a missing row means the default of
`privacy.retention.DEFAULTS`). A `LegalHold` keeps one case from deletion whatever its
period says, until it is lifted.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House
from ketenregie.cases.models import Case, Person
from ketenregie.core.models import VersionedModel


class Category(models.TextChoices):
    """What a retention period applies to."""

    PGA_CLOSED = "pga_afgesloten", _("Afgesloten PGA-casus")
    TRANSFERRED = "opgeschaald", _("Casus opgeschaald naar een Zorg- en Veiligheidshuis")
    NO_PGA = "geen_pga", _("Aanmelding na triage zonder PGA (geen PGA of doorverwezen)")
    REJECTED_FEEDBACK = "terugmelding_afwijzing", _("Terugmelding bij een afgewezen aanmelding")
    SHARING_REGISTER = "register", _("Register van gegevensdeling")
    AUDIT_TRAIL = "audittrail", _("Audittrail")


class RetentionPeriod(VersionedModel):
    """The period one house keeps one category, with its legal reference."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("categorie"), max_length=30, choices=Category.choices)
    months = models.PositiveIntegerField(_("bewaartermijn in maanden"))
    legal_reference = models.TextField(_("wettelijke grondslag of bron"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["house", "category"], name="one_period_per_category"),
            models.CheckConstraint(condition=models.Q(months__gte=1), name="period_at_least_1"),
        ]

    def __str__(self) -> str:
        return f"{self.house_id} {self.category}: {self.months}"


class LegalHold(models.Model):
    """A case kept from deletion (a complaint, a court case, an investigation)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.TextField(_("reden"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(_("reden van opheffen"), blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_active_hold_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {'opgeheven' if self.lifted_at else 'actief'}"


class PrivacyRequestQuerySet(models.QuerySet["PrivacyRequest"]):
    def still_open(self) -> PrivacyRequestQuerySet:
        return self.filter(status__in=PrivacyRequest.OPEN_STATUSES)

    def with_overdue(self, day: dt.date) -> PrivacyRequestQuerySet:
        """Annotate `overdue` by the one rule (`PrivacyRequest.overdue_condition`)."""
        return self.annotate(
            overdue=models.ExpressionWrapper(
                PrivacyRequest.overdue_condition(day), output_field=models.BooleanField()
            )
        )

    def overdue(self, day: dt.date) -> PrivacyRequestQuerySet:
        return self.filter(PrivacyRequest.overdue_condition(day))

    def due_within(self, day: dt.date, days: int) -> PrivacyRequestQuerySet:
        """Open and not yet overdue, with the deadline in the next `days` days."""
        return self.still_open().filter(
            deadline__gte=day, deadline__lte=day + dt.timedelta(days=days)
        )


class PrivacyRequest(VersionedModel):
    """One request of a person about their data, from receipt to the answer."""

    class Kind(models.TextChoices):
        ACCESS = "inzage", _("Inzage (art. 15)")
        CORRECTION = "rectificatie", _("Rectificatie (art. 16)")
        ERASURE = "wissing", _("Wissing (art. 17)")
        RESTRICTION = "beperking", _("Beperking van de verwerking (art. 18)")
        OBJECTION = "bezwaar", _("Bezwaar (art. 21)")

    class Channel(models.TextChoices):
        LETTER = "brief", _("Brief")
        EMAIL = "email", _("E-mail")
        DESK = "balie", _("Balie")
        PHONE = "telefoon", _("Telefoon")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        EXTENDED = "verlengd", _("Verlengd")
        CLOSED = "afgehandeld", _("Afgehandeld")

    class Outcome(models.TextChoices):
        GRANTED = "toegewezen", _("Toegewezen")
        PARTIAL = "gedeeltelijk", _("Gedeeltelijk toegewezen")
        REFUSED = "afgewezen", _("Afgewezen")

    OPEN_STATUSES = (Status.OPEN, Status.EXTENDED)

    house = models.ForeignKey(
        House, verbose_name=_("huis"), on_delete=models.PROTECT, related_name="+"
    )
    # Empty while the person is not (yet) found in Ketenregie, and after retention
    # deleted them: then the name and date of birth as the request gave them.
    person = models.ForeignKey(
        Person,
        verbose_name=_("betrokkene"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requester_name = models.CharField(_("naam verzoeker"), max_length=200, blank=True)
    requester_birth_date = models.DateField(_("geboortedatum verzoeker"), null=True, blank=True)
    kind = models.CharField(_("soort verzoek"), max_length=20, choices=Kind.choices)
    received_on = models.DateField(_("ontvangen op"))
    channel = models.CharField(_("ontvangen via"), max_length=10, choices=Channel.choices)
    summary = models.TextField(_("samenvatting van het verzoek"))
    deadline = models.DateField(_("uiterste antwoorddatum"))
    extension_months = models.PositiveSmallIntegerField(_("verlengd met (maanden)"), default=0)
    extension_reason = models.TextField(_("reden van verlenging"), blank=True)
    extension_told_on = models.DateField(
        _("verzoeker geïnformeerd over verlenging op"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("uitkomst"), max_length=12, choices=Outcome.choices, blank=True)
    reasoning = models.TextField(_("motivering"), blank=True)
    handled_on = models.DateField(_("afgehandeld op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PrivacyRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("verzoek van betrokkene")
        indexes = [
            # The dashboard and the list: open requests of some houses by due date.
            models.Index(fields=["status", "deadline"], name="privacy_request_due"),
            models.Index(fields=["house", "status", "deadline"], name="privacy_request_house"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"

    @staticmethod
    def overdue_condition(day: dt.date) -> Q:
        """The one "overdue" rule: still open and past its (extended) deadline on `day`."""
        return Q(status__in=PrivacyRequest.OPEN_STATUSES, deadline__lt=day)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def who(self) -> str:
        """The person as the pages name them: the linked record, else the request's name."""
        return self.person.full_name if self.person else self.requester_name


class ProcessingRegister(VersionedModel):
    """A house's register of processing activities; `version` is its current number."""

    house = models.OneToOneField(
        House, on_delete=models.PROTECT, related_name="processing_register", verbose_name=_("huis")
    )
    started_at = models.DateTimeField(_("gestart op"), default=timezone.now)

    class Meta:
        verbose_name = _("verwerkingsregister")
        verbose_name_plural = _("verwerkingsregisters")

    def __str__(self) -> str:
        return f"Verwerkingsregister {self.house}"


class RegisterVersion(models.Model):
    """One frozen state of a register: who saved it, when, why, and the whole content."""

    register = models.ForeignKey(
        ProcessingRegister, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versie"))
    saved_at = models.DateTimeField(_("opgeslagen op"), default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opgeslagen door"),
    )
    note = models.CharField(_("toelichting op de wijziging"), max_length=500)
    # The register as saved (privacy.processing.CONTENT describes the keys): organisation
    # names are frozen in it, so an old version reads as it was.
    content = models.JSONField(_("inhoud"))

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number"], name="privacy_register_version_once"
            )
        ]
        verbose_name = _("versie van het verwerkingsregister")
        verbose_name_plural = _("versies van het verwerkingsregister")

    def __str__(self) -> str:
        return f"{self.register} versie {self.number}"


class SubjectAccessReview(VersionedModel):
    """One subject access request under review: who opened it, the other persons whose
    names are to be blacked out (one per line), and when it was last released.

    Deleted with the person (retention): the reasons and names are about them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    other_persons = models.TextField(
        _("andere personen"),
        blank=True,
        help_text=_("Eén naam per regel; deze namen worden overal in het overzicht weggelaten."),
    )
    released_at = models.DateTimeField(_("laatst vrijgegeven"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "opened_at"], name="sar_person_opened")]

    def other_names(self) -> list[str]:
        return [line.strip() for line in self.other_persons.splitlines() if line.strip()]

    def __str__(self) -> str:
        return f"Inzageverzoek {self.pk}"


class Withholding(models.Model):
    """A passage of the export the reviewer withholds, with the reason the person reads
    in its place ("weggelaten: <reden>")."""

    review = models.ForeignKey(
        SubjectAccessReview, on_delete=models.CASCADE, related_name="withholdings"
    )
    passage = models.CharField(_("passage"), max_length=120)
    reason = models.CharField(_("reden"), max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "passage"], name="withholding_once")
        ]

    def __str__(self) -> str:
        return self.passage
