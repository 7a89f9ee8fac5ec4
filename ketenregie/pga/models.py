"""The PGA after triage: informing the person (WGS), the start conversation, the letter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House
from ketenregie.cases.models import Case, SharingGrounds
from ketenregie.core.models import VersionedModel

# Phase 6 of household coordination (issue 15) keeps its own module; imported so Django
# finds the models.
from ketenregie.pga.aftercare_models import AftercareAgreement as AftercareAgreement
from ketenregie.pga.aftercare_models import ProfessionalChange as ProfessionalChange
from ketenregie.pga.aftercare_models import TrajectoryEvaluation as TrajectoryEvaluation


class Informing(models.Model):
    """One record of informing the person of the referral and the approach, or of
    postponing it (with the reason and a review date that becomes a task)."""

    class Kind(models.TextChoices):
        INFORMED = "geinformeerd", _("Geïnformeerd")
        POSTPONED = "uitgesteld", _("Informeren uitgesteld")

    class Method(models.TextChoices):
        LETTER_IN_PERSON = (
            "brief_persoonlijk",
            _("Brief van de gemeente (burgemeester), persoonlijk overhandigd"),
        )
        LETTER_POST = "brief_post", _("Brief per post")
        ORAL = "mondeling", _("Mondeling")
        OTHER = "anders", _("Anders")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="informing")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    on_date = models.DateField(_("datum"), null=True, blank=True)
    by_whom = models.CharField(_("door wie"), max_length=150, blank=True)
    method = models.CharField(_("hoe"), max_length=30, choices=Method.choices, blank=True)
    postponed_reason = models.TextField(_("reden van uitstel"), blank=True)
    review_date = models.DateField(_("herbeoordelen op"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


class StartConversation(models.Model):
    """The startgesprek, or a recorded non-response to the invitation."""

    class Outcome(models.TextChoices):
        HELD = "gevoerd", _("Startgesprek gevoerd")
        NO_RESPONSE = "geen_reactie", _("Geen reactie na herhaalde uitnodiging")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="start_conversations")
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices)
    on_date = models.DateField(_("datum"))
    explained_why = models.BooleanField(_("waarom de PGA"), default=False)
    explained_approach = models.BooleanField(_("wat de PGA betekent"), default=False)
    explained_data = models.BooleanField(_("welke gegevens worden gedeeld"), default=False)
    explained_rights = models.BooleanField(_("zijn of haar rechten"), default=False)
    own_view = models.TextField(_("eigen kijk op oorzaken en oplossingen"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("aantal uitnodigingen"), default=1)
    enforcement_focus = models.BooleanField(_("verder met focus op handhaving"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.outcome}"


class LetterTemplate(VersionedModel):
    """The information letter of a house, edited by the functioneel beheerder.

    A real letter: the municipality it comes from, who signs it and in what function,
    whom the person asks about their data (privacy contact) and where they can complain.
    What differs per letter (the contact person, date and place of the start conversation)
    the procesregisseur fills in when taking it out (pga.letter).

    The house's own fields may be stored empty (the default letter, stored so beheer can
    edit it); the beheer form requires them and the letter is not printed without them.

    Placeholders in the text: {naam}, {casusnummer}, {huis}, {gemeente}, {datum}.
    """

    house = models.OneToOneField(
        House, verbose_name=_("huis"), on_delete=models.CASCADE, related_name="letter_template"
    )
    municipality = models.CharField(
        _("gemeente"),
        max_length=150,
        blank=True,
        help_text=_("De gemeente namens wie de brief gaat, bijvoorbeeld: Gemeente Heerlen."),
    )
    letterhead = models.CharField(_("briefhoofd"), max_length=200)
    body = models.TextField(_("tekst"))
    signatory_name = models.CharField(
        _("ondertekenaar"),
        max_length=150,
        blank=True,
        help_text=_("De naam van wie ondertekent, bijvoorbeeld: mr. A.B. Jansen."),
    )
    signatory_title = models.CharField(
        _("functie ondertekenaar"),
        max_length=150,
        blank=True,
        help_text=_("Bijvoorbeeld: burgemeester van Heerlen."),
    )
    privacy_contact = models.TextField(
        _("privacycontact"),
        blank=True,
        help_text=_(
            "Waar de betrokkene terechtkan met vragen over zijn of haar gegevens, zoals de "
            "functionaris gegevensbescherming met e-mailadres of telefoonnummer."
        ),
    )
    complaint_route = models.TextField(
        _("klachtroute"),
        blank=True,
        help_text=_("Hoe en waar de betrokkene een klacht indient, en bij wie daarna."),
    )

    class Meta:
        verbose_name = _("informatiebrief")

    def __str__(self) -> str:
        return f"Brief {self.house}"

    @property
    def missing(self) -> list[str]:
        """The labels of the fields a letter cannot go without that are still empty."""
        required = (
            "municipality",
            "letterhead",
            "body",
            "signatory_name",
            "signatory_title",
            "privacy_contact",
            "complaint_route",
        )
        fields = {f.name: f for f in self._meta.concrete_fields}
        return [
            str(fields[name].verbose_name)
            for name in required
            if not str(getattr(self, name)).strip()
        ]


class Signal(models.Model):
    """A signal on a case: acute unsafety, an action that cannot be done, or a change."""

    class Kind(models.TextChoices):
        ACUTE_UNSAFETY = "acute_onveiligheid", _("Acute onveiligheid")
        ACTION_IMPOSSIBLE = "actie_onuitvoerbaar", _("Afspraak of actie niet uitvoerbaar")
        CHANGE = "verandering", _("Verandering die het plan raakt")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signals")
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    text = models.TextField(_("toelichting"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    resolution = models.TextField(_("afhandeling"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"

    @property
    def is_acute(self) -> bool:
        """Acute unsafety: an open one blocks closing the case."""
        return self.kind == self.Kind.ACUTE_UNSAFETY


class Closing(models.Model):
    """Closing (or provisionally closing) a case with a warm handover to regular care."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closings")
    provisional = models.BooleanField(_("voorlopig"), default=False)
    decided_with = models.TextField(_("besloten met"))
    handover_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("warme overdracht aan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handover_note = models.TextField(_("overdrachtsnotitie"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField()

    class Meta:
        ordering = ["closed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {'voorlopig ' if self.provisional else ''}afgesloten"


class ClosingConversation(models.Model):
    """The eindgesprek: the reason for closing explained and the person's feedback."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closing_conversations")
    on_date = models.DateField(_("datum"))
    reason_explained = models.BooleanField(_("reden van afsluiten uitgelegd"), default=False)
    feedback = models.TextField(_("feedback van de betrokkene"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Eindgesprek {self.case_id}"


class Transfer(SharingGrounds):
    """A local PGA case escalated to a Zorg- en Veiligheidshuis: purpose and legal basis."""

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers_out")
    to_case_id = models.BigIntegerField()
    to_house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    # Purpose, grounds and necessity checks: `SharingGrounds`, asked as the
    # bekendheidscheck asks them (intake.forms).
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    transferred_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.from_case_id} -> {self.to_case_id}"
