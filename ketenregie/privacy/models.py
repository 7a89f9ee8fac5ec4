"""The processing register (AVG art. 30) of each house, kept as numbered versions.

The register's content lives only in its versions: each save freezes the whole register
(general part and every processing) as a new `RegisterVersion`, and the newest version
is the current register (ADR 21). `ProcessingRegister.version` is the number of that
newest version: the edit forms carry it, so a save based on an older version is refused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House
from ketenregie.core.models import VersionedModel


class ProcessingRegister(VersionedModel):
    """A house's register of processing activities; `version` is its current number."""

    house = models.OneToOneField(
        House, on_delete=models.PROTECT, related_name="processing_register", verbose_name=_("huis")
    )
    started_at = models.DateTimeField(_("gestart op"), default=timezone.now)

    class Meta:
        verbose_name = _("verwerkingsregister")
        verbose_name_plural = _("verwerkingsregisters")

    def __str__(self) -> str:
        return f"Verwerkingsregister {self.house}"


class RegisterVersion(models.Model):
    """One frozen state of a register: who saved it, when, why, and the whole content."""

    register = models.ForeignKey(
        ProcessingRegister, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versie"))
    saved_at = models.DateTimeField(_("opgeslagen op"), default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opgeslagen door"),
    )
    note = models.CharField(_("toelichting op de wijziging"), max_length=500)
    # The register as saved (privacy.processing.CONTENT describes the keys): organisation
    # names are frozen in it, so an old version reads as it was.
    content = models.JSONField(_("inhoud"))

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number"], name="privacy_register_version_once"
            )
        ]
        verbose_name = _("versie van het verwerkingsregister")
        verbose_name_plural = _("versies van het verwerkingsregister")

    def __str__(self) -> str:
        return f"{self.register} versie {self.number}"
