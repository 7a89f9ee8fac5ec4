"""The safety plan of a case (seed 002 section 7.2): the plan, its agreements and the
safety scores given over time, and the signatures that the support plan (7.1) and the
safety plan both carry. Part of the plans app's models (`plans.models` imports them)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.cases.models import Case
from ketenregie.core.models import VersionedModel


class SignedHow(models.TextChoices):
    """How a signature was given: recorded as a fact, never kept as an image."""

    PAPER = "papier", _("Getekend op papier")
    DIGITAL = "digitaal", _("Digitaal akkoord gegeven")
    VERBAL = "mondeling", _("Mondeling akkoord, vastgelegd door de professional")


class Signatures(models.Model):
    """Separate signatures of the client(s) and of the professional(s) (seed 002 7.2
    "Ondertekening"; the support plan carries the same): who, when and how."""

    client_signed_by = models.TextField(
        _("ondertekend door klant(en) en/of wettelijk vertegenwoordiger(s)"), blank=True
    )
    client_signed_on = models.DateField(_("datum ondertekening klant"), null=True, blank=True)
    client_signed_how = models.CharField(
        _("wijze van ondertekenen klant"), max_length=10, choices=SignedHow.choices, blank=True
    )
    professional_signed_by = models.TextField(_("ondertekend door professional(s)"), blank=True)
    professional_signed_on = models.DateField(
        _("datum ondertekening professional"), null=True, blank=True
    )
    professional_signed_how = models.CharField(
        _("wijze van ondertekenen professional"),
        max_length=10,
        choices=SignedHow.choices,
        blank=True,
    )

    class Meta:
        abstract = True


SIGNATURE_FIELDS = [
    "client_signed_by",
    "client_signed_on",
    "client_signed_how",
    "professional_signed_by",
    "professional_signed_on",
    "professional_signed_how",
]


class SafetyPlan(Signatures, VersionedModel):
    """The safety plan (veiligheidsplan) when there are concerns about safety."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="safety_plan")
    # Doelencheck: what the support plan and this plan hold goals and actions for.
    check_goal_in_plan = models.BooleanField(
        _("het doel ‘ik houd mij aan de veiligheidsafspraken’ staat in het ondersteuningsplan"),
        default=False,
    )
    check_end_unsafety = models.BooleanField(
        _("doelen en acties voor het opheffen van de (acute) onveiligheid"), default=False
    )
    check_treat_causes = models.BooleanField(
        _("doelen en acties voor het behandelen van de oorzaken van de onveiligheid"),
        default=False,
    )
    check_recovery = models.BooleanField(
        _("doelen en acties voor behandeling en nazorg om te herstellen van schade"),
        default=False,
    )
    conditions = models.TextField(_("veiligheidsvoorwaarden"), blank=True)
    strengths = models.TextField(_("krachten rond veiligheid"), blank=True)
    concerns = models.TextField(_("zorgen over onveiligheid"), blank=True)
    first_incident_on = models.DateField(_("datum eerste incident"), null=True, blank=True)
    first_incident = models.TextField(_("eerste incident"), blank=True)
    worst_incident_on = models.DateField(_("datum ergste incident"), null=True, blank=True)
    worst_incident = models.TextField(_("ergste incident"), blank=True)
    last_incident_on = models.DateField(_("datum laatste incident"), null=True, blank=True)
    last_incident = models.TextField(_("laatste incident"), blank=True)
    frequency = models.TextField(_("frequentie"), blank=True)
    harm = models.TextField(_("opgelopen schade"), blank=True)
    worst_case = models.TextField(_("het ergste dat kan gebeuren"), blank=True)
    complicating_factors = models.TextField(_("complicerende factoren"), blank=True)
    # The contacts before they were rows (issue 15, slice planvi, ADR 32): kept verbatim
    # and shown read-only until a director has taken them over into the rows and clears it.
    earlier_contacts = models.TextField(
        _("contactgegevens, eerder vastgelegd als vrije tekst"), blank=True
    )
    evaluation_date = models.DateField(_("evaluatiedatum"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Veiligheidsplan {self.case_id}"


class SafetyAgreement(models.Model):
    """A safety agreement: what must happen (who, when), what is needed for it, who checks
    it and what happens if it is not kept."""

    safety_plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="agreements")
    what = models.TextField(_("wat moet er gebeuren"))
    who = models.CharField(_("wie"), max_length=200, blank=True)
    when = models.CharField(_("waar en wanneer"), max_length=200, blank=True)
    needed = models.TextField(_("wat is hiervoor nodig"), blank=True)
    who_checks = models.CharField(_("wie controleert"), max_length=200)
    if_not_kept = models.TextField(_("wat gebeurt er als het niet gebeurt"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.what[:40]


# A phone number as people write it: digits, spaces, a leading +, dashes, brackets.
PHONE = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{1,28}[0-9]$",
    _("Vul een telefoonnummer in met cijfers (eventueel met +, spaties of streepjes)."),
)


class SafetyContact(models.Model):
    """A contact person or important phone number of the safety plan (seed 002 7.2
    "Contactgegevens": name, when to call, phone, e-mail), with their role or relation.
    Ordered as the director lists them; written with the safety plan (one form, one
    version check, one transaction)."""

    safety_plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="contacts")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    name = models.CharField(_("naam"), max_length=200)
    role = models.CharField(_("rol of relatie"), max_length=200, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True, validators=[PHONE])
    email = models.EmailField(_("e-mail"), blank=True)
    when_to_call = models.CharField(_("wanneer te bellen"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("contactpersoon veiligheidsplan")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name[:40]


class SafetyScore(models.Model):
    """The scaling question (0 = totally unsafe, 10 = safe enough) for one person, one day."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_scores")
    who = models.CharField(_("wie geeft de score"), max_length=150)
    score = models.PositiveSmallIntegerField(
        _("score (0-10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    on_date = models.DateField(_("datum"))
    note = models.TextField(_("toelichting"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on_date", "pk"]

    def __str__(self) -> str:
        return f"{self.who}: {self.score}"
