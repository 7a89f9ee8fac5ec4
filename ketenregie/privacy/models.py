"""The privacy officer's records: the review of a subject access export before it is
released, and the passages withheld from it with their reasons (AVG art. 15 lid 4,
art. 23: e.g. a running criminal investigation)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.cases.models import Person
from ketenregie.core.models import VersionedModel


class SubjectAccessReview(VersionedModel):
    """One subject access request under review: who opened it, the other persons whose
    names are to be blacked out (one per line), and when it was last released.

    Deleted with the person (retention): the reasons and names are about them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    other_persons = models.TextField(
        _("andere personen"),
        blank=True,
        help_text=_("Eén naam per regel; deze namen worden overal in het overzicht weggelaten."),
    )
    released_at = models.DateTimeField(_("laatst vrijgegeven"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "opened_at"], name="sar_person_opened")]

    def other_names(self) -> list[str]:
        return [line.strip() for line in self.other_persons.splitlines() if line.strip()]

    def __str__(self) -> str:
        return f"Inzageverzoek {self.pk}"


class Withholding(models.Model):
    """A passage of the export the reviewer withholds, with the reason the person reads
    in its place ("weggelaten: <reden>")."""

    review = models.ForeignKey(
        SubjectAccessReview, on_delete=models.CASCADE, related_name="withholdings"
    )
    passage = models.CharField(_("passage"), max_length=120)
    reason = models.CharField(_("reden"), max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "passage"], name="withholding_once")
        ]

    def __str__(self) -> str:
        return self.passage
