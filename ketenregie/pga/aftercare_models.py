"""Phase 6 of household coordination (seed 002 sections 3.11 and 3.12): aftercare
agreements and the evaluation of the whole trajectory at closing (6b), and the record of
a professional leaving or procesregie moving (6a). Deleted with their case (retention)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.cases.models import CaseRole
from ketenregie.core.models import VersionedModel


class AftercareAgreement(VersionedModel):
    """Who gives which support after closing, from when, how often and until when
    (6b step 4: "leg vast wie, wat, wanneer en hoe vaak inzet nodig is")."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="aftercare_agreements"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A person of the network (a grandmother, the GP) or a named professional.
    who = models.CharField(_("persoon"), max_length=200, blank=True)
    what = models.TextField(_("wat"))
    starts_on = models.DateField(_("vanaf"))
    frequency = models.CharField(_("hoe vaak"), max_length=150)
    ends_on = models.DateField(_("tot en met"), null=True, blank=True)
    # When the procesregisseur checks how the aftercare goes (the dashboard shows it).
    follow_up_on = models.DateField(_("opvolgen op"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("nazorgafspraak")
        indexes = [models.Index(fields=["follow_up_on"], name="aftercare_follow_up")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="aftercare_period_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Nazorg {self.case_id}: {self.what[:40]}"


class TrajectoryEvaluation(VersionedModel):
    """The evaluation of the whole trajectory at the last meeting (6b step 7), with the
    client and with the professionals. Required before a household case closes for good;
    one per closing (a case reopened and closed again is evaluated again)."""

    class GoalsReached(models.TextChoices):
        YES = "ja", _("Ja, alle doelen")
        PARTLY = "deels", _("Deels")
        NO = "nee", _("Nee")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="trajectory_evaluations"
    )
    held_on = models.DateField(_("datum evaluatie"))
    with_client = models.BooleanField(_("geëvalueerd met de klant"), default=False)
    with_professionals = models.BooleanField(_("geëvalueerd met de professionals"), default=False)
    went_well = models.TextField(_("wat ging goed"))
    went_less_well = models.TextField(_("wat ging minder goed"))
    goals_reached = models.CharField(
        _("doelen bereikt"), max_length=10, choices=GoalsReached.choices
    )
    client_satisfaction = models.PositiveSmallIntegerField(
        _("tevredenheid klant (1-10)"),
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    client_view = models.TextField(_("wat de klant zegt"), blank=True)
    lessons = models.TextField(_("lessen"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("evaluatie van het traject")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(client_satisfaction__gte=1, client_satisfaction__lte=10),
                name="evaluation_satisfaction_1_10",
            )
        ]

    def __str__(self) -> str:
        return f"Evaluatie {self.case_id} {self.held_on}"


class ProfessionalChange(models.Model):
    """Phase 6a: a professional leaves the case or procesregie moves, with the warm
    handover note. The role itself moves through the team's handover (`hand_over`); a
    procesregie move writes one row on every case of the household it moved on."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="professional_changes"
    )
    role = models.CharField(_("rol"), max_length=30, choices=CaseRole.choices)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # None: the professional leaves without a successor (their involvement ends).
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aan wie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    on_date = models.DateField(_("per"))
    handover_note = models.TextField(_("warme overdracht"))
    household_wide = models.BooleanField(_("op alle casussen van het huishouden"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-on_date", "-pk"]
        verbose_name = _("wisseling professional (fase 6a)")

    def __str__(self) -> str:
        return f"6a {self.case_id} {self.role} {self.on_date}"
