"""The PGA-scan (issue 14): its statements (configuration data), rounds, invitations and
the anonymous responses.

Who answered is kept on ScanParticipant (to count and to remind); what was answered is
kept on ScanResponse. While a participant is still filling in, the response points at the
participant (save and come back); on submitting, that link is cut, so from then on no row
says who gave which answers (ADR 23).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House, Organisation
from ketenregie.core.models import VersionedModel


class ScanPart(models.TextChoices):
    """The AMO model's three parts, in the seed's order."""

    KUNNEN = "kunnen", _("Kunnen")
    WILLEN = "willen", _("Willen")
    MOGEN = "mogen", _("Mogen")


PART_ORDER = {part.value: i for i, part in enumerate(ScanPart)}


class ScanAnswer(models.IntegerChoices):
    """The five-point scale, from "helemaal oneens" to "helemaal eens"."""

    HELEMAAL_ONEENS = 1, _("Helemaal oneens")
    ONEENS = 2, _("Oneens")
    NEUTRAAL = 3, _("Neutraal")
    EENS = 4, _("Eens")
    HELEMAAL_EENS = 5, _("Helemaal eens")


class ScanStatement(VersionedModel):
    """One statement of the scan; the functioneel beheerder edits them (accounts.beheer)."""

    part = models.CharField(_("onderdeel"), max_length=10, choices=ScanPart.choices)
    position = models.PositiveSmallIntegerField(
        _("volgorde"), help_text=_("De plaats van de stelling binnen haar onderdeel.")
    )
    text = models.CharField(_("stelling"), max_length=400)
    is_active = models.BooleanField(
        _("actief"),
        default=True,
        help_text=_("Alleen actieve stellingen komen in een nieuwe ronde."),
    )

    class Meta:
        ordering = ["part", "position"]
        verbose_name = _("stelling PGA-scan")
        constraints = [
            models.UniqueConstraint(fields=["part", "position"], name="unique_scan_position")
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()} {self.position}: {self.text}"


class ScanRound(VersionedModel):
    """One round of the scan at a house (ZVH or local PGA), opened by its PGA expert or
    manager, with the partner organisations taking part and a closing date."""

    house = models.ForeignKey(
        House, verbose_name=_("huis"), on_delete=models.PROTECT, related_name="scan_rounds"
    )
    title = models.CharField(_("naam van de ronde"), max_length=150)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("deelnemende organisaties"), related_name="+"
    )
    # The statements of the round: the active ones when it opened.
    statements = models.ManyToManyField(ScanStatement, related_name="+")
    closes_on = models.DateField(_("sluitingsdatum"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    # Closed early by the expert; otherwise the round closes after `closes_on`.
    closed_at = models.DateTimeField(null=True, blank=True)
    # The conversation the seed describes, led by the PGA expert.
    conversation_on = models.DateField(_("datum van het gesprek"), null=True, blank=True)
    follow_up = models.TextField(_("afgesproken vervolgacties"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("ronde PGA-scan")

    def __str__(self) -> str:
        return self.title


class ScanParticipant(models.Model):
    """A professional invited to a round: who answered (to count and remind), never what."""

    round = models.ForeignKey(ScanRound, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The organisation they answer for, fixed at the invitation.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="unique_scan_participant")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.round_id}"


class ScanResponse(models.Model):
    """One person's answers, filed under their organisation only once submitted.

    `answers` maps a statement id (as text) to 1-5. `participant` is set while the
    answers are a draft and cleared when they are submitted.
    """

    round = models.ForeignKey(ScanRound, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    participant = models.OneToOneField(
        ScanParticipant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="draft",
    )
    answers = models.JSONField(default=dict)
    submitted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submitted=False, participant__isnull=False)
                | models.Q(submitted=True, participant__isnull=True),
                name="scan_response_draft_xor_submitted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}@{self.round_id}"
