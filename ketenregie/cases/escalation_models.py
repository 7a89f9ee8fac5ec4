"""The escalation map (escalatiekaart, seed 002 section 5) as configuration per house, the
recorded overrides of the competence check, and the notices a level change sends.

Re-exported by cases.models. The map says per level who directs and who is responsible;
cases.competence reads the required profile from it, cases.escalation_map the notices.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import CompetenceProfile, House
from ketenregie.core.models import VersionedModel


class EscalationMapLevel(VersionedModel):
    """One level (1 to 5) of a house's escalation map, edited by the functioneel beheerder.

    The texts are the map's own words; `required_profile` is what a casus- or
    procesregisseur must hold at this level (empty: no requirement), and the three
    `notify_*` flags say who is told when a case reaches this level.
    """

    house = models.ForeignKey(
        House, verbose_name=_("huis"), on_delete=models.CASCADE, related_name="escalation_map"
    )
    level = models.PositiveSmallIntegerField(
        _("niveau"), choices=[(i, str(i)) for i in range(1, 6)]
    )
    casusregie = models.TextField(_("casusregie"))
    procesregie = models.TextField(_("procesregie"))
    operational = models.TextField(_("operationeel verantwoordelijk"))
    administrative = models.TextField(_("bestuurlijk verantwoordelijk"), blank=True)
    escalates_to = models.TextField(_("opschalen naar"))
    required_profile = models.CharField(
        _("vereist competentieprofiel regisseur"),
        max_length=2,
        choices=CompetenceProfile.Level.choices,
        blank=True,
    )
    next_step = models.TextField(_("volgende stap"))
    notify_directors = models.BooleanField(_("casus- en procesregisseur informeren"), default=True)
    notify_managers = models.BooleanField(_("managers van het huis informeren"), default=False)
    notify_pga_experts = models.BooleanField(
        _("PGA-experts van het huis informeren"), default=False
    )

    class Meta:
        ordering = ["house__name", "level"]
        verbose_name = _("niveau van de escalatiekaart")
        constraints = [
            models.UniqueConstraint(fields=["house", "level"], name="unique_escalation_map_level"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="escalation_map_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.house} · niveau {self.level}"


# The roles the check covers (cases.models.DIRECTOR_ROLES; not imported: models imports us).
DIRECTOR_ROLE_CHOICES = [
    ("procesregisseur", _("Procesregisseur")),
    ("casusregisseur", _("Casusregisseur")),
]


class ProfileOverride(models.Model):
    """A regisseur assigned below the profile the map asks for, with the reason given.

    The reason is free text about the case, so it lives here (deleted with the case);
    the audit event only says that an override was recorded.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="profile_overrides"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rol"), max_length=30, choices=DIRECTOR_ROLE_CHOICES)
    level = models.PositiveSmallIntegerField(_("niveau"))
    required = models.CharField(
        _("vereist profiel"), max_length=2, choices=CompetenceProfile.Level.choices
    )
    held = models.CharField(
        _("profiel van de regisseur"),
        max_length=2,
        choices=CompetenceProfile.Level.choices,
        blank=True,
    )
    reason = models.TextField(_("reden"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.role} {self.held or '-'} < {self.required}"


class EscalationNotice(models.Model):
    """An in-app notice to someone the map names when a case changed level.

    Carries no case content: the recipient sees the case code, the levels and the map's
    next step; opening the case still goes through the gate.
    """

    class Responsibility(models.TextChoices):
        DIRECTOR = "regisseur", _("Regisseur van de casus")
        MANAGER = "manager", _("Manager van het huis")
        PGA_EXPERT = "pga_expert", _("PGA-expert van het huis")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    change = models.ForeignKey(
        "cases.EscalationChange", on_delete=models.CASCADE, related_name="notices"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="escalation_notices"
    )
    responsibility = models.CharField(max_length=20, choices=Responsibility.choices)
    created_at = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["user", "seen_at"], name="escnotice_user_seen")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.change_id}"
