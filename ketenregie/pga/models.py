"""The PGA after triage: informing the person (WGS), the start conversation, the letter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House
from ketenregie.cases.models import Case
from ketenregie.core.models import VersionedModel


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

    Placeholders in the text: {naam}, {casusnummer}, {huis}, {datum}.
    """

    house = models.OneToOneField(
        House, verbose_name=_("huis"), on_delete=models.CASCADE, related_name="letter_template"
    )
    letterhead = models.CharField(_("briefhoofd"), max_length=200)
    body = models.TextField(_("tekst"))
    signatory_name = models.CharField(_("ondertekenaar"), max_length=150)
    signatory_title = models.CharField(_("functie ondertekenaar"), max_length=150)

    class Meta:
        verbose_name = _("informatiebrief")

    def __str__(self) -> str:
        return f"Brief {self.house}"
