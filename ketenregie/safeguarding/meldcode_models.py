"""Models of the meldcode instrument (issue 15, seed 002 section 4): a case's meldcode
trajectory, the five steps as they are taken, the answer sets of the five decision
questions (afwegingsvragen, asked again at each progress meeting) and reports to Veilig
Thuis with their follow-up. The consequences of an answer set are never stored: they are
computed by `meldcode_rules.decide` from the answers (one rule, one place)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.cases.models import Case
from ketenregie.core.models import VersionedModel
from ketenregie.plans.models import Meeting

__all__ = [
    "DecisionAnswers",
    "MeldcodeStep",
    "MeldcodeTrajectory",
    "VeiligThuisReport",
    "VeiligThuisUpdate",
]


class MeldcodeTrajectory(VersionedModel):
    """The meldcode followed for a case with signals of domestic violence or child abuse.

    At most one open trajectory per case; it ends when the casusregisseur records that
    safety is lasting (duurzaam veilig) or that there is no suspicion after all (decision
    question 1 answered no). `acute_danger` puts the immediate steps of a life-threatening
    situation (seed 4.2) first on the page while it is set.
    """

    class EndReason(models.TextChoices):
        LASTING_SAFETY = "duurzaam_veilig", _("Duurzame veiligheid bereikt")
        NO_SUSPICION = "geen_vermoeden", _("Geen vermoeden van huiselijk geweld")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meldcode_trajectories")
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acute_danger = models.BooleanField(_("acuut onveilig"), default=False)
    acute_changed_at = models.DateTimeField(null=True, blank=True)
    ended_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(
        _("reden van afsluiten"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("toelichting bij afsluiten"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_meldcode_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Meldcode {self.case_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class MeldcodeStep(models.Model):
    """One step of the meldcode as it was taken: when, by whom, with a note.

    A step may be taken again (seed 4.7: "je doorloopt de meldcode nogmaals"). Steps in
    order is the norm; a step taken before an earlier one carries the reason
    (`order_reason`), say step 3 left out because talking to the client endangers them.
    """

    class Number(models.IntegerChoices):
        SIGNALS = 1, _("Stap 1. Breng signalen in kaart")
        CONSULT = 2, _("Stap 2. Overleg met deskundige professional(s) en/of Veilig Thuis")
        TALK = 3, _("Stap 3. Ga in gesprek met de klant")
        WEIGH = 4, _("Stap 4. Weeg de onveiligheid (afwegingskader)")
        DECIDE = 5, _("Stap 5. Beslis over melden en hulpverlenen")

    class Instrument(models.TextChoices):
        # Seed 4.3 item 8 and 4.6 items 3-4: how the weighing was supported.
        LIRIK = "lirik", _("LIRIK (risicotaxatie-instrument)")
        ARIJ = "arij", _("ARIJ (risicotaxatie-instrument)")
        OTHER_INSTRUMENT = "ander_instrument", _("Ander risicotaxatie-instrument")
        VT_CONSULTATION = "consultatie_vt", _("Telefonische consultatie met Veilig Thuis")
        SAVE_CONSULTATION = "consultatie_save", _("Telefonische consultatie met SAVE/GI")

    trajectory = models.ForeignKey(
        MeldcodeTrajectory, on_delete=models.CASCADE, related_name="steps"
    )
    number = models.PositiveSmallIntegerField(_("stap"), choices=Number.choices)
    taken_on = models.DateField(_("datum"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("toelichting"))
    vt_consulted = models.BooleanField(_("Veilig Thuis om advies gevraagd"), default=False)
    instrument = models.CharField(
        _("risicotaxatie"), max_length=20, choices=Instrument.choices, blank=True
    )
    instrument_other = models.CharField(_("naam van het instrument"), max_length=200, blank=True)
    order_reason = models.TextField(_("reden van afwijken van de volgorde"), blank=True)
    answers = models.ForeignKey(
        "DecisionAnswers",
        # RESTRICT, not PROTECT: the answer set goes when its trajectory goes (retention).
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afwegingsvragen waarop het besluit rust"),
    )

    class Meta:
        ordering = ["taken_on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Stap {self.number} ({self.trajectory_id})"


class DecisionAnswers(models.Model):
    """One answer set of the five decision questions (seed 4.6), at a progress meeting
    or at step 4/5 outside a meeting. None: the question was not asked (the scheme
    stopped before it)."""

    trajectory = models.ForeignKey(
        MeldcodeTrajectory, on_delete=models.CASCADE, related_name="answer_sets"
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overleg"),
    )
    answered_on = models.DateField(_("datum"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    q1 = models.BooleanField(null=True, blank=True)
    q2 = models.BooleanField(null=True, blank=True)
    q3 = models.BooleanField(null=True, blank=True)
    q4 = models.BooleanField(null=True, blank=True)
    q5 = models.BooleanField(null=True, blank=True)
    note1 = models.TextField(blank=True)
    note2 = models.TextField(blank=True)
    note3 = models.TextField(blank=True)
    note4 = models.TextField(blank=True)
    note5 = models.TextField(blank=True)

    class Meta:
        ordering = ["-answered_on", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["trajectory", "meeting"], name="meldcode_answers_meeting")]

    def __str__(self) -> str:
        return f"Afwegingsvragen {self.trajectory_id} {self.answered_on}"

    def answer_tuple(self) -> tuple[bool | None, ...]:
        return (self.q1, self.q2, self.q3, self.q4, self.q5)

    def note_tuple(self) -> tuple[str, ...]:
        return (self.note1, self.note2, self.note3, self.note4, self.note5)


class VeiligThuisReport(VersionedModel):
    """A report (melding) to Veilig Thuis, made by the casusregisseur (seed 4.1: Veilig
    Thuis needs the report from who observed the signals), with its current status; each
    status change is a `VeiligThuisUpdate`."""

    class Status(models.TextChoices):
        REPORTED = "gemeld", _("Gemeld")
        RECEIVED = "ontvangen", _("Ontvangen door Veilig Thuis")
        INVESTIGATING = "onderzoek", _("In onderzoek bij Veilig Thuis")
        HANDED_BACK = "terugverwezen", _("Teruggelegd bij het lokale veld")
        CLOSED = "afgesloten", _("Afgesloten door Veilig Thuis")

    trajectory = models.ForeignKey(
        MeldcodeTrajectory, on_delete=models.CASCADE, related_name="vt_reports"
    )
    reported_on = models.DateField(_("gemeld op"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    reference = models.CharField(_("kenmerk bij Veilig Thuis"), max_length=100, blank=True)
    content = models.TextField(_("wat is gemeld"))
    answers = models.ForeignKey(
        DecisionAnswers,
        # RESTRICT, not PROTECT: the answer set goes when its trajectory goes (retention).
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afwegingsvragen waarop de melding rust"),
    )
    status = models.CharField(
        _("stand"), max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    status_on = models.DateField(_("stand sinds"))

    class Meta:
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"Melding Veilig Thuis {self.reference or self.pk}"


class VeiligThuisUpdate(models.Model):
    """One step in the follow-up of a report: Veilig Thuis's response and its date."""

    report = models.ForeignKey(VeiligThuisReport, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("stand"), max_length=20, choices=VeiligThuisReport.Status.choices)
    on_date = models.DateField(_("datum"))
    note = models.TextField(_("toelichting"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on_date", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.status} {self.on_date}"
