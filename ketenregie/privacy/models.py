"""Retention configuration and legal holds (issue 13).

A house's privacy officer sets, per data category, how long closed data is kept and on
which legal ground (`RetentionPeriod`; a missing row means the default of
`privacy.retention.DEFAULTS`). A `LegalHold` keeps one case from deletion whatever its
period says, until it is lifted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House
from ketenregie.cases.models import Case
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
