"""The safety plan of a case (seed 002 section 7.2): the plan, its agreements and the
safety scores given over time. Part of the plans app's models (`plans.models` imports
them)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.cases.models import Case
from ketenregie.core.models import VersionedModel


class SafetyPlan(VersionedModel):
    """The safety plan (veiligheidsplan) when there are concerns about safety."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="safety_plan")
    strengths = models.TextField(_("krachten rond veiligheid"), blank=True)
    concerns = models.TextField(_("zorgen over onveiligheid"), blank=True)
    worst_case = models.TextField(_("het ergste dat kan gebeuren"), blank=True)
    complicating_factors = models.TextField(_("complicerende factoren"), blank=True)
    contacts = models.TextField(_("contactpersonen en telefoonnummers"), blank=True)
    signed_by = models.TextField(_("ondertekend door"), blank=True)
    signed_on = models.DateField(_("ondertekend op"), null=True, blank=True)
    evaluation_date = models.DateField(_("evaluatiedatum"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Veiligheidsplan {self.case_id}"


class SafetyAgreement(models.Model):
    """A safety agreement: what must happen, who checks it, what happens if it is not kept."""

    safety_plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="agreements")
    what = models.TextField(_("wat moet er gebeuren"))
    who_checks = models.CharField(_("wie controleert"), max_length=200)
    if_not_kept = models.TextField(_("wat gebeurt er als het niet gebeurt"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.what[:40]


class SafetyScore(models.Model):
    """The scaling question (0 = totally unsafe, 10 = safe enough) for one person, one day."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_scores")
    who = models.CharField(_("wie geeft de score"), max_length=150)
    score = models.PositiveSmallIntegerField(
        _("score (0-10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    on_date = models.DateField(_("datum"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on_date", "pk"]

    def __str__(self) -> str:
        return f"{self.who}: {self.score}"
