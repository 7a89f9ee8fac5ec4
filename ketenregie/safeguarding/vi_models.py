"""Models of the Verwijsindex (youth risk index) instrument (issue 15, seed 002 section 8).

A signal records only THAT a professional is involved with a young person under 23: who
(the signalling professional and their organisation), about whom (the person, so the BSN),
when, and whether the young person or parents were informed. The risk category is kept as
the legal ground of the signal (Jeugdwet art. 7.1.4.1) and is never shown to another
signaller; the facts stay in the case. A match links two active signals on the same young
person by different professionals; a consultation must follow within five working days.

The transport fields (`transport`, `external_id`, `sent_at`, `state`) are there so that a
link to the regional "Verwijsindex risicojongeren" is an adapter, not a migration of
meaning (ADR 30, `vi_transport.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import Organisation
from ketenregie.cases.models import Case, Person


class RiskCategory(models.TextChoices):
    """The twelve risks of Jeugdwet art. 7.1.4.1 lid 1 (a-l), verbatim from seed 002 section 8."""

    GEWELD = (
        "a",
        _(
            "De jeugdige staat bloot aan geestelijk, lichamelijk of seksueel geweld, enige andere "
            "vernederende behandeling, of verwaarlozing"
        ),
    )
    PSYCHISCH = (
        "b",
        _(
            "De jeugdige heeft meer of andere dan bij zijn leeftijd normaliter voorkomende "
            "psychische problemen waaronder verslaving aan alcohol, drugs of kansspelen"
        ),
    )
    OPGROEIEN = (
        "c",
        _(
            "De jeugdige heeft meer of andere dan bij zijn leeftijd normaliter "
            "voorkomende ernstige opgroei- of opvoedingsproblemen"
        ),
    )
    MOEDER_ZWANGER = "d", _("De jeugdige is minderjarig en moeder of zwanger")
    SCHOOLVERZUIM = (
        "e",
        _(
            "De jeugdige verzuimt veelvuldig van school of van een andere onderwijsinstelling, dan "
            "wel verlaat die voortijdig of dreigt die voortijdig te verlaten"
        ),
    )
    ARBEID = (
        "f",
        _(
            "De jeugdige is niet gemotiveerd om door legale arbeid in zijn "
            "levensonderhoud te voorzien"
        ),
    )
    FINANCIEEL = (
        "g",
        _(
            "De jeugdige heeft meer of andere dan bij zijn leeftijd normaliter voorkomende "
            "financiële problemen"
        ),
    )
    WOONPLAATS = "h", _("De jeugdige heeft geen vaste woon- of verblijfplaats")
    GEVAAR = (
        "i",
        _(
            "De jeugdige is een gevaar voor anderen door lichamelijk of geestelijk geweld of ander "
            "intimiderend gedrag"
        ),
    )
    STRAFBAAR = "j", _("De jeugdige laat zich in met activiteiten die strafbaar zijn gesteld")
    OUDERS = (
        "k",
        _(
            "De ouders of andere verzorgers van de jeugdige schieten ernstig tekort in "
            "de verzorging of opvoeding van de jeugdige"
        ),
    )
    ETNISCH = (
        "l",
        _(
            "De jeugdige staat bloot aan risico’s die in bepaalde etnische groepen "
            "onevenredig vaak voorkomen"
        ),
    )


class WithdrawalReason(models.TextChoices):
    CONCERNS_GONE = "zorg_weg", _("De zorgen zijn weggenomen")
    INVOLVEMENT_ENDED = "betrokkenheid_beeindigd", _("Mijn betrokkenheid is beëindigd")
    IN_ERROR = "onterecht", _("Het signaal is ten onrechte afgegeven")


class Transport(models.TextChoices):
    """Where the signal lives: matched in this product, or sent to a regional index."""

    IN_HOUSE = "lokaal", _("In Ketenregie (lokale matching)")
    REGIONAL = "regionaal", _("Regionale Verwijsindex risicojongeren")


class TransportState(models.TextChoices):
    NEW = "nieuw", _("Nog niet verwerkt")
    SENT = "verzonden", _("Verzonden, wacht op bevestiging")
    ACCEPTED = "verwerkt", _("Verwerkt door de index")
    FAILED = "mislukt", _("Verzenden mislukt")


class VerwijsindexSignal(models.Model):
    """One professional's signal on one young person: only that they are involved."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="vi_signals")
    # The young person: the case's person or a member of its household. The BSN is the
    # person's; a match is on the same person (BSN unique, so the same person row).
    person = models.ForeignKey(
        Person, verbose_name=_("jongere"), on_delete=models.CASCADE, related_name="vi_signals"
    )
    signaller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signaleerder"),
        on_delete=models.PROTECT,
        related_name="vi_signals",
    )
    # The signaller's organisation when they signalled (a match shows this one).
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    # The legal ground; never shown to another signaller.
    category = models.CharField(
        _("risico (Jeugdwet art. 7.1.4.1)"), max_length=2, choices=RiskCategory.choices
    )
    signalled_on = models.DateField(_("datum signaal"))
    informed_on = models.DateField(_("jongere of ouders geïnformeerd op"), null=True, blank=True)
    not_informed_reason = models.TextField(_("reden nog niet geïnformeerd"), blank=True)
    # The last day is the one before: removed after at most two years, or at 23, whichever
    # comes first; a withdrawal brings it forward to the day of withdrawal.
    expires_on = models.DateField(_("vervalt op"))
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.CharField(
        _("reden intrekken"), max_length=30, choices=WithdrawalReason.choices, blank=True
    )
    created_at = models.DateTimeField()
    # The link to an outside index (ADR 30): the in-house index fills these at once.
    transport = models.CharField(
        _("index"), max_length=20, choices=Transport.choices, default=Transport.IN_HOUSE
    )
    external_id = models.CharField(_("kenmerk in de index"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    state = models.CharField(
        _("verwerking"), max_length=20, choices=TransportState.choices, default=TransportState.NEW
    )

    class Meta:
        verbose_name = _("signaal Verwijsindex")
        ordering = ["-signalled_on", "-pk"]
        indexes = [
            # Matching: the active signals on one person.
            models.Index(fields=["person", "expires_on"], name="vi_signal_person_active"),
            # Retention: what has expired.
            models.Index(fields=["expires_on"], name="vi_signal_expires"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(informed_on__isnull=True, not_informed_reason=""),
                name="vi_signal_informed_or_reason",
            )
        ]

    def __str__(self) -> str:
        return f"VI {self.pk} ({self.person_id})"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ConsultationOutcome(models.TextChoices):
    COORDINATION = "coordinatie", _("Afgestemd: coördinatie van zorg wordt ingezet")
    NO_COORDINATION = "geen_coordinatie", _("Afgestemd: coördinatie van zorg is niet nodig")
    ALREADY = "loopt_al", _("Afgestemd: coördinatie van zorg loopt al")


class VerwijsindexMatch(models.Model):
    """Two active signals on the same young person by different professionals. Each of the
    two signallers sees the other's name, organisation and contact details, nothing else."""

    first = models.ForeignKey(VerwijsindexSignal, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(VerwijsindexSignal, on_delete=models.CASCADE, related_name="+")
    matched_at = models.DateTimeField(_("match ontstaan"))
    consultation_due = models.DateField(_("afstemming uiterlijk"))
    consultation_held_on = models.DateField(_("afstemming gehouden op"), null=True, blank=True)
    consultation_outcome = models.CharField(
        _("uitkomst afstemming"), max_length=30, choices=ConsultationOutcome.choices, blank=True
    )
    consultation_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("match Verwijsindex")
        ordering = ["-matched_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="vi_match_pair"),
            # One row per pair: the older signal first.
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="vi_match_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"VI match {self.first_id}-{self.second_id}"


__all__ = [
    "ConsultationOutcome",
    "RiskCategory",
    "Transport",
    "TransportState",
    "VerwijsindexMatch",
    "VerwijsindexSignal",
    "WithdrawalReason",
]
