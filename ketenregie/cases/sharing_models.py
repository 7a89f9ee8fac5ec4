"""The data-sharing register's models (ADR 17): the kinds of exchange, the one abstract
grounds model (purpose, legal basis, exceptions, necessity checks) that every exchange
shares, each house's fixed basis per kind, and the append-only register rows.
Re-exported by `cases.models`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House, Organisation
from ketenregie.cases.grounds import LegalBasis, SecrecyGround, SpecialCategoryException
from ketenregie.cases.models import Case
from ketenregie.core.models import VersionedModel


class ExchangeKind(models.TextChoices):
    """The moments personal data leaves one party for another (issue 13, DOMAIN.md 3)."""

    ENRICHMENT_ANSWER = "bekendheidscheck", _("Antwoord bekendheidscheck")
    ESCALATION = "opschaling_zvh", _("Opschaling naar Zorg- en Veiligheidshuis")
    MEETING_INVITATION = "uitnodiging_overleg", _("Uitnodiging casusoverleg")
    MINUTES_SENT = "verslag_verstuurd", _("Verslag casusoverleg verstuurd")
    PLAN_PDF = "plan_pdf", _("Plan van aanpak gedownload (PDF)")
    SAFETY_PLAN_PDF = "veiligheidsplan_pdf", _("Veiligheidsplan gedownload (PDF)")
    ATTACHMENT = "bijlage", _("Bijlage gedownload")
    MEETING_HELD = "casusoverleg", _("Casusoverleg gehouden")
    LETTER_PDF = "informatiebrief", _("Informatiebrief aan betrokkene (PDF)")
    SUBJECT_ACCESS = "inzageverzoek", _("Inzageverzoek: export aan betrokkene")
    # Slice meldcode (issue 15): a report under the meldrecht (Wmo 2015 art. 5.2.6,
    # Jeugdwet art. 7.3.8).
    VEILIG_THUIS_REPORT = "melding_veilig_thuis", _("Melding aan Veilig Thuis (meldrecht)")


class SharingGrounds(models.Model):
    """Purpose, legal basis and necessity checks of sharing a person's data: the one set
    of fields of the register row (`SharingRecord`), the house's fixed basis per kind
    (`ExchangeBasis`) and the records where a person chose them (a bekendheidscheck
    answer, an escalation to a Zorg- en Veiligheidshuis). Checked by `cases.grounds`.

    Blank is allowed at the database: a bekendheidscheck answer that shares nothing has
    no grounds; the services ask what each exchange needs (`sharing_errors`,
    `Necessity.errors`).
    """

    purpose = models.TextField(_("doel"), blank=True)
    legal_basis = models.CharField(
        _("grondslag (AVG art. 6)"), max_length=30, blank=True, choices=LegalBasis.choices
    )
    special_category = models.CharField(
        _("uitzondering bijzondere of strafrechtelijke gegevens (AVG art. 9/10)"),
        max_length=30,
        blank=True,
        choices=SpecialCategoryException.choices,
    )
    secrecy_ground = models.CharField(
        _("grond doorbreking beroepsgeheim"),
        max_length=30,
        blank=True,
        choices=SecrecyGround.choices,
    )
    legal_reference = models.TextField(_("wettelijke bepaling"), blank=True)
    # The necessity checks of the seed's data-sharing checklist. None: not asked (an
    # exchange recorded before the checks existed, or nothing shared).
    proportional = models.BooleanField(_("alleen noodzakelijke gegevens"), null=True)
    proportionality_note = models.TextField(_("toelichting proportionaliteit"), blank=True)
    subsidiary = models.BooleanField(_("geen minder ingrijpende weg"), null=True)
    subsidiarity_note = models.TextField(_("toelichting subsidiariteit"), blank=True)
    person_informed = models.BooleanField(_("betrokkene geïnformeerd"), null=True)
    not_informed_reason = models.TextField(_("reden niet geïnformeerd"), blank=True)

    class Meta:
        abstract = True


class ExchangeBasis(VersionedModel, SharingGrounds):
    """The basis a house fixed once for an exchange kind whose basis no person chooses
    (a case meeting rests on the house's WGS task, not on a choice per invitation), with
    the necessity checks stated once for every exchange of that kind."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="exchange_bases")
    kind = models.CharField(_("soort uitwisseling"), max_length=30, choices=ExchangeKind.choices)
    changed_at = models.DateTimeField(_("gewijzigd op"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("vaste grondslag per uitwisseling")
        constraints = [
            models.UniqueConstraint(fields=["house", "kind"], name="exchange_basis_house_kind")
        ]

    def __str__(self) -> str:
        return f"{self.house_id}: {self.kind}"


class SharingRecordQuerySet(models.QuerySet["SharingRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The data-sharing register is append-only.")


class SharingRecord(SharingGrounds):
    """One row of the data-sharing register: one exchange of personal data, with its
    purpose, legal basis, categories and necessity checks (AVG art. 5, 6, 9, 10, 30).

    Labels are kept next to the keys: the register must still read after a user leaves
    or a case is deleted by retention (the case code stays, the case link goes).
    """

    class Source(models.TextChoices):
        CHOSEN = "gekozen", _("Gekozen bij het delen")
        HOUSE = "huis", _("Vastgesteld door het huis")
        DEFAULT = "standaard", _("Standaard (huis heeft nog niets vastgesteld)")
        LAW = "wet", _("Bepaald door de wet")

    occurred_at = models.DateTimeField(_("moment"))
    kind = models.CharField(_("soort uitwisseling"), max_length=30, choices=ExchangeKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_code = models.CharField(_("casusnummer"), max_length=30)
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    # Who made the exchange happen (answered, sent, downloaded).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(_("door (gebruiker)"), max_length=150)
    # The party the data left: the actor's organisation when they send it, the house
    # when someone takes it out of the house's file (a download).
    from_label = models.CharField(_("van"), max_length=200)
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_label = models.CharField(_("aan"), max_length=300)
    to_organisations = models.ManyToManyField(Organisation, related_name="+", blank=True)
    recipients = models.PositiveIntegerField(_("aantal ontvangers"), default=1)
    identifying = models.BooleanField(_("identificerende gegevens"), default=True)
    special_categories = models.BooleanField(_("bijzondere gegevens (art. 9)"), default=False)
    criminal_data = models.BooleanField(_("strafrechtelijke gegevens (art. 10)"), default=False)
    secrecy_bound = models.BooleanField(_("onder beroepsgeheim"), default=False)
    basis_source = models.CharField(_("herkomst grondslag"), max_length=20, choices=Source.choices)

    objects = SharingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("gegevensuitwisseling")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["house", "occurred_at"], name="sharing_house_when"),
            models.Index(fields=["case"], name="sharing_case"),
            models.Index(fields=["occurred_at"], name="sharing_when"),
        ]

    def __str__(self) -> str:
        return f"{self.case_code} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The data-sharing register is append-only.")
        super().save(*args, **kwargs)
