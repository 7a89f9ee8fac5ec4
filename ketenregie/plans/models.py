"""The PGA in execution: case meetings and minutes, the integrated plan with its
versions, goals and actions, the safety plan, and escalation between directors; and the
social map (needs and interventions) that goals and actions are tagged with (ADR 24)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House, Organisation
from ketenregie.cases.models import Case, HouseholdMember, LifeDomain
from ketenregie.core.models import VersionedModel
from ketenregie.core.templatetags.dates import short_date
from ketenregie.core.timeutil import today
from ketenregie.plans.safety_models import (
    SafetyAgreement,
    SafetyContact,
    SafetyPlan,
    SafetyScore,
    Signatures,
    SignedHow,
)
from ketenregie.plans.socialmap_models import Intervention, Need, NeedTags

# Defined in their own modules, part of this app and imported from here.
__all__ = [
    "Intervention",
    "Need",
    "SafetyAgreement",
    "SafetyContact",
    "SafetyPlan",
    "SafetyScore",
    "SignedHow",
]

MINUTES_DEADLINE_DAYS = 7


class MeetingQuerySet(models.QuerySet["Meeting"]):
    """The meeting rules as queries; the instance predicates below say the same in Python."""

    def live(self) -> MeetingQuerySet:
        """Not cancelled: planned or held."""
        return self.exclude(state=Meeting.State.CANCELLED)

    def upcoming_q(self) -> models.Q:
        """Planned and not begun (`Meeting.is_upcoming`): listed as "Gepland"."""
        return models.Q(state=Meeting.State.PLANNED, starts_at__gt=timezone.now())

    def upcoming(self) -> MeetingQuerySet:
        return self.filter(self.upcoming_q())

    def first_of(self, case_id: int) -> MeetingQuerySet:
        """The case's first case meeting, unless it was cancelled (then a new first one)."""
        return self.live().filter(case_id=case_id, kind=Meeting.Kind.FIRST)

    def begun_of(self, case_id: int) -> MeetingQuerySet:
        """The case's meetings that have begun and were not cancelled: those in which an
        action can have been agreed, the latest first."""
        return (
            self.live()
            .filter(case_id=case_id, starts_at__lte=timezone.now())
            .order_by("-starts_at", "-pk")
        )

    def current_of(self, case_id: int) -> Meeting | None:
        """The meeting the case is in now: begun, minutes not sent, within the week the
        minutes are due. Actions added on the plan meanwhile belong to its action list."""
        since = timezone.now() - dt.timedelta(days=MINUTES_DEADLINE_DAYS)
        return (
            self.begun_of(case_id)
            .filter(minutes_sent_at__isnull=True, starts_at__gte=since)
            .first()
        )

    def kinds_to_plan(self, case_id: int) -> list[str]:
        """The kinds a case meeting may be planned as: one first meeting, then incidental."""
        if self.first_of(case_id).exists():
            return [Meeting.Kind.INCIDENTAL]
        return [Meeting.Kind.FIRST, Meeting.Kind.INCIDENTAL]

    def minutes_late(self, day: dt.date | None = None) -> MeetingQuerySet:
        """Meetings whose minutes were not sent within the week (`Meeting.minutes_late_on`).

        A meeting whose attendance was never recorded is not thereby excused: planned
        meetings that have passed count too.
        """
        day = day or today()
        # starts_at before the start of (day - deadline) in local time: the due date passed.
        limit = timezone.make_aware(
            dt.datetime.combine(day - dt.timedelta(days=MINUTES_DEADLINE_DAYS), dt.time.min)
        )
        return self.live().filter(minutes_sent_at__isnull=True, starts_at__lt=limit)


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> ActionQuerySet:
        return self.filter(state=Action.State.OPEN)

    def overdue(self, day: dt.date | None = None) -> ActionQuerySet:
        """Open actions past their due date (`Action.overdue_on`)."""
        return self.open().filter(due_date__lt=day or today())


class Meeting(VersionedModel):
    """A case meeting: the first one, an incidental one for one case, or the structural
    monitoring meeting that walks all running cases of a house."""

    class Kind(models.TextChoices):
        FIRST = "eerste", _("Eerste casusoverleg")
        INCIDENTAL = "incidenteel", _("Incidenteel casusoverleg")
        MONITORING = "monitoring", _("Structureel monitoringsoverleg")

    class State(models.TextChoices):
        PLANNED = "gepland", _("Gepland")
        HELD = "gehouden", _("Gehouden")
        CANCELLED = "vervallen", _("Vervallen")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="case_meetings")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="meetings"
    )
    kind = models.CharField(_("soort overleg"), max_length=20, choices=Kind.choices)
    state = models.CharField(
        _("stand"), max_length=20, choices=State.choices, default=State.PLANNED
    )
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    location = models.CharField(_("locatie"), max_length=200)
    person_invited = models.BooleanField(_("betrokkene uitgenodigd"), default=False)
    person_not_invited_reason = models.TextField(
        _("zwaarwegende redenen om de betrokkene niet uit te nodigen"), blank=True
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    minutes = models.TextField(_("verslag"), blank=True)
    decisions = models.TextField(_("besluiten"), blank=True)
    minutes_sent_at = models.DateTimeField(_("verslag verstuurd op"), null=True, blank=True)
    minutes_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        # The meeting lists and the late-minutes panels read meetings in date order.
        indexes = [
            models.Index(fields=["starts_at"], name="meeting_starts"),
            models.Index(
                fields=["starts_at"],
                condition=models.Q(minutes_sent_at__isnull=True),
                name="meeting_minutes_unsent",
            ),
            # A case's first case meeting (management information: start -> first meeting).
            models.Index(
                fields=["case", "starts_at"],
                condition=models.Q(kind="eerste") & ~models.Q(state="vervallen"),
                name="meeting_first_per_case",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="monitoring", case__isnull=True)
                | (~models.Q(kind="monitoring") & models.Q(case__isnull=False)),
                name="meeting_case_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {short_date(self.starts_at)}"

    @property
    def minutes_due(self) -> dt.date:
        """The minutes go to the team within a week of the meeting."""
        return self.minutes_due_after(timezone.localdate(self.starts_at))

    @staticmethod
    def minutes_due_after(meeting_day: dt.date) -> dt.date:
        """The minutes' due date for a meeting on `meeting_day` (local date)."""
        return meeting_day + dt.timedelta(days=MINUTES_DEADLINE_DAYS)

    @staticmethod
    def minutes_in_time(meeting_day: dt.date, sent_day: dt.date | None) -> bool:
        """Minutes sent on `sent_day` (local date) for a meeting on `meeting_day` went out
        within the week: on or before the due date."""
        return sent_day is not None and sent_day <= Meeting.minutes_due_after(meeting_day)

    def minutes_late_on(self, day: dt.date) -> bool:
        # A meeting whose attendance was never recorded is not thereby excused.
        return (
            self.state != self.State.CANCELLED
            and self.minutes_sent_at is None
            and day > self.minutes_due
        )

    @property
    def minutes_sent_in_time(self) -> bool:
        """The minutes went out within the week (on or before `minutes_due`)."""
        sent = self.minutes_sent_at
        return self.minutes_in_time(
            timezone.localdate(self.starts_at), timezone.localdate(sent) if sent else None
        )

    @property
    def awaits_record(self) -> bool:
        """Still planned though it has begun: what happened is yet to be recorded (its
        attendance, minutes or another outcome make it held)."""
        return self.state == self.State.PLANNED and self.has_begun

    @property
    def is_upcoming(self) -> bool:
        """Planned and not begun: still to come. Only then is the invitation answered
        ("Komt u?") or someone invited, and is it listed as "Gepland"."""
        return self.state == self.State.PLANNED and not self.has_begun

    @property
    def state_label(self) -> str:
        """The state as the lists show it: a planned meeting whose time has come is no
        longer "Gepland"."""
        if self.awaits_record:
            return str(_("Voorbij, nog vast te leggen"))
        return str(self.get_state_display())

    @property
    def is_incidental(self) -> bool:
        return self.kind == self.Kind.INCIDENTAL

    @property
    def is_planned(self) -> bool:
        return self.state == self.State.PLANNED

    @property
    def is_held(self) -> bool:
        return self.state == self.State.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def minutes_late(self) -> bool:
        return self.minutes_late_on(today())

    @property
    def has_begun(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def minutes_pending(self) -> bool:
        """The meeting has begun, its minutes are not sent yet and not late yet."""
        return (
            self.state != self.State.CANCELLED
            and self.minutes_sent_at is None
            and self.starts_at <= timezone.now()
            and not self.minutes_late
        )


class Participant(models.Model):
    """An invited participant: the reply, the declared capacity and the attendance."""

    class Reply(models.TextChoices):
        NONE = "", _("Nog geen antwoord")
        YES = "ja", _("Komt")
        NO = "nee", _("Komt niet")

    class Capacity(models.TextChoices):
        UNDECLARED = "", _("Nog niet verklaard")
        INVOLVED = "betrokken", _("Betrokken")
        ADVISER = "adviseur", _("Adviseur")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reply = models.CharField(_("antwoord"), max_length=5, choices=Reply.choices, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    capacity = models.CharField(
        _("hoedanigheid"), max_length=12, choices=Capacity.choices, blank=True
    )
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_participation"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.meeting_id}"


class MonitoringItem(models.Model):
    """One running case on the agenda of a structural monitoring meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("stand van zaken"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="case_once_per_monitoring"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.case_id}"


class CasusregisseurAgreement(models.Model):
    """At the first meeting the participants agree who is casusregisseur; who agreed is kept."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="casusregisseur_agreements"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    casusregisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agreed_by = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.casusregisseur_id}"


class Plan(Signatures, VersionedModel):
    """The working text of the integrated plan of approach (plan van aanpak) of a case,
    the support plan (ondersteuningsplan) of seed 002 section 7.1.

    Adopting it (vaststellen) stores a PlanVersion snapshot; versions are never changed.
    Whether there are safety concerns is the case's (`Case.safety_concerns`).
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    reason = models.TextField(_("aanleiding, vraag of zorg"), blank=True)
    joint_goal = models.TextField(_("gezamenlijk doel"), blank=True)
    earlier_help = models.TextField(_("eerdere hulp en resultaat"), blank=True)
    analysis = models.TextField(_("integrale analyse"), blank=True)
    desired_result = models.TextField(_("gewenst resultaat"), blank=True)
    summary = models.TextField(_("samenvatting"), blank=True)
    # "Overige gegevens": checks for an application or decision (aanvraag of beschikking).
    residence_checked = models.BooleanField(
        _("het woonplaatsbeginsel is gecontroleerd"), default=False
    )
    residence_checked_by = models.CharField(
        _("woonplaatsbeginsel gecontroleerd door"), max_length=150, blank=True
    )
    identity_checked = models.BooleanField(_("legitimatie is gecontroleerd"), default=False)
    identity_checked_by = models.CharField(
        _("legitimatie gecontroleerd door"), max_length=150, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Plan {self.case_id}"


class DomainScore(models.Model):
    """Problems and the 1-5 score on one life domain in the working plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="domain_scores")
    domain = models.ForeignKey(LifeDomain, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    problem = models.TextField(_("problematiek"), blank=True)

    class Meta:
        ordering = ["domain__order", "domain__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "domain"], name="one_score_per_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.domain_id}: {self.score}"


class Statement(models.Model):
    """A strength or concern, quoted with who said it."""

    class Kind(models.TextChoices):
        STRENGTH = "kracht", _("Kracht")
        CONCERN = "zorg", _("Zorg")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("uitspraak"))
    said_by = models.CharField(_("gezegd door"), max_length=150)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.said_by}"


class Goal(NeedTags):
    """A goal of the plan, with when it is good enough to close and whether it is reached."""

    class Reached(models.TextChoices):
        NOT_YET = "nog_niet", _("Nog niet")
        YES = "ja", _("Ja")
        NO = "nee", _("Nee")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    # Whose goal: one household member, or (empty) the whole client system.
    member = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("voor wie"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("doel"))
    good_enough = models.TextField(_("goed genoeg om af te sluiten als"))
    # Doelcheck (seed 002 7.1 "Doel"): positive, aimed at the future, the desired situation.
    check_positive = models.BooleanField(_("positief geformuleerd"), default=False)
    check_future = models.BooleanField(_("gericht op de toekomst"), default=False)
    check_desired = models.BooleanField(_("beschrijft de gewenste situatie"), default=False)
    check_agreed = models.BooleanField(_("samen met de klant opgesteld"), default=False)
    needed = models.TextField(_("wat is nodig"), blank=True)
    own_part = models.TextField(_("wat doet de klant zelf (eigen kracht)"), blank=True)
    network_part = models.TextField(_("wat doet het netwerk"), blank=True)
    reached = models.CharField(
        _("bereikt"), max_length=10, choices=Reached.choices, default=Reached.NOT_YET
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:40]


# The goal check of a goal (its boolean fields), as a form and a version name them.
GOAL_CHECK_CHOICES = [
    ("check_positive", _("Positief geformuleerd")),
    ("check_future", _("Gericht op de toekomst")),
    ("check_desired", _("Beschrijft de gewenste situatie of omstandigheid")),
    ("check_agreed", _("Samen met de klant opgesteld")),
]


class ScoresField(models.JSONField):
    """The life-domain scores of a version's snapshot ({domain: score}), derived from
    `content` whenever the row is written (`save`, `bulk_create` and `core.bulk.insert_rows`,
    which honours `computed_on_save`).

    Management information compares first and last versions per domain; reading these
    few numbers instead of the whole snapshot keeps that a narrow read at scale (ADR 22).
    """

    computed_on_save = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> dict[str, int]:
        # Any model with a snapshot (also the historical model in a migration).
        value = scores_of(getattr(model_instance, "content", None))
        setattr(model_instance, self.attname, value)
        return value


def scores_of(content: dict[str, Any] | None) -> dict[str, int]:
    """{domain: score} of a plan snapshot, leaving out domains without a score."""
    domains = (content or {}).get("domeinen") or {}
    return {
        name: row["score"]
        for name, row in domains.items()
        if isinstance(row, dict) and row.get("score") is not None
    }


class PlanVersion(models.Model):
    """An adopted version of the plan: a frozen snapshot of its whole content."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    adopted_at = models.DateTimeField()
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content = models.JSONField()
    scores = ScoresField()

    class Meta:
        ordering = ["number"]
        # Management information reads the versions adopted in a period.
        indexes = [models.Index(fields=["adopted_at"], name="planversion_adopted")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_number"),
        ]

    def __str__(self) -> str:
        return f"Plan {self.plan_id} v{self.number}"


class Action(NeedTags, VersionedModel):
    """An action of the plan's action list: who (a user or an organisation), what, when."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "gedaan", _("Gedaan")
        IMPOSSIBLE = "niet_uitvoerbaar", _("Kan niet worden uitgevoerd")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    what = models.TextField(_("wat"))
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar (persoon)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("eigenaar (organisatie)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("uiterlijk"))
    state = models.CharField(_("stand"), max_length=20, choices=State.choices, default=State.OPEN)
    state_reason = models.TextField(_("reden"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        # "Mijn acties" reads by owner (user, or organisation) and state in date order; a
        # plan and a director's overdue panel read by case.
        indexes = [
            models.Index(fields=["state", "due_date"]),
            models.Index(
                fields=["owner_organisation", "state", "due_date"], name="action_owner_org"
            ),
            models.Index(
                fields=["owner_user", "state", "due_date"],
                condition=models.Q(owner_user__isnull=False),
                name="action_owner_user",
            ),
            models.Index(fields=["case", "state", "due_date"], name="action_case_state"),
        ]

    def __str__(self) -> str:
        return self.what[:40]

    def overdue_on(self, day: dt.date) -> bool:
        return self.state == self.State.OPEN and self.due_date < day

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.overdue_on(today())


class ActionReport(models.Model):
    """A report back on an action: progress, done, cannot be done, or a change."""

    class Kind(models.TextChoices):
        REPORT = "terugmelding", _("Terugmelding")
        DONE = "gedaan", _("Gedaan")
        IMPOSSIBLE = "niet_uitvoerbaar", _("Kan niet worden uitgevoerd")
        CHANGE = "verandering", _("Er is iets veranderd")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("toelichting"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.kind}"


class ActionReminder(models.Model):
    """One reminder per overdue action per day: what makes the daily job idempotent."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    on_date = models.DateField()
    sent_to = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "on_date"], name="one_reminder_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.on_date}"


class DirectorEscalation(models.Model):
    """The casusregisseur escalates to the procesregisseur, the procesregisseur to the
    manager of the house: each with a reason, shown on the case's timeline."""

    class To(models.TextChoices):
        PROCESREGISSEUR = "procesregisseur", _("Procesregisseur")
        MANAGER = "manager", _("Manager")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="director_escalations")
    to = models.CharField(_("naar"), max_length=20, choices=To.choices)
    reason = models.TextField(_("reden"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    handled_note = models.TextField(_("afhandeling"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} -> {self.to}"
