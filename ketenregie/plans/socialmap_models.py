"""The social map (issue 14, ADR 24): the needs of the target group and the interventions
that meet them, kept by the functioneel beheerder, and the tags by which a plan's goals
and actions name the need they address and the intervention used. Part of the plans app's
models (`plans.models` imports them): plans tag goals and actions with them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import Region
from ketenregie.cases.models import LifeDomain
from ketenregie.core.models import VersionedModel


class Need(VersionedModel):
    """A need of the target group: a life domain itself (no name), or a finer need under
    one ("Huisvesting: woonplek"). Configuration kept by the functioneel beheerder; every
    life domain has its own domain-level need (migration), so the domains are the default
    needs."""

    domain = models.ForeignKey(
        LifeDomain, verbose_name=_("leefgebied"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(
        _("nadere behoefte"),
        max_length=100,
        blank=True,
        help_text=_("Leeg laten: de behoefte is het leefgebied zelf."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["domain__order", "domain__name", "order", "name"]
        verbose_name = _("behoefte")
        constraints = [
            models.UniqueConstraint(fields=["domain", "name"], name="one_need_per_name"),
        ]

    def __str__(self) -> str:
        return f"{self.domain.name}: {self.name}" if self.name else self.domain.name


class Intervention(VersionedModel):
    """An intervention or place on the social map: who provides it, where (a region, or one
    municipality in it), which needs it meets, how many places and the waiting time."""

    name = models.CharField(_("interventie of voorziening"), max_length=150)
    provider = models.CharField(_("aanbieder"), max_length=150)
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.CharField(
        _("gemeente"),
        max_length=100,
        blank=True,
        help_text=_("Leeg laten als het aanbod voor de hele regio is."),
    )
    needs = models.ManyToManyField(
        Need, verbose_name=_("behoeften waarin het voorziet"), related_name="interventions"
    )
    capacity = models.PositiveIntegerField(
        _("capaciteit (plaatsen)"),
        help_text=_("Het aantal plaatsen of trajecten dat tegelijk kan lopen."),
    )
    waiting_weeks = models.PositiveSmallIntegerField(_("wachttijd in weken"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["region__name", "name", "pk"]
        verbose_name = _("interventie")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "municipality", "name", "provider"],
                name="one_intervention_per_provider_place",
            ),
        ]

    def __str__(self) -> str:
        where = f", {self.municipality}" if self.municipality else ""
        return f"{self.name} ({self.provider}{where})"


class NeedTags(models.Model):
    """The need a goal or action addresses and the intervention used (the needs matrix).
    On an action an empty need means it serves its goal's need."""

    need = models.ForeignKey(
        Need,
        verbose_name=_("behoefte"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("ingezette interventie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
