"""Persons (betrokkenen), households, cases, their status history and case teams."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House, Organisation
from ketenregie.cases.workflow import PHASE_OF, Phase, Status
from ketenregie.core.bsn import validate_bsn
from ketenregie.core.models import VersionedModel
from ketenregie.core.names import first_names_search_key, surname_search_key
from ketenregie.core.timeutil import today


class NameKeyField(models.TextField[str, str]):
    """A search key derived from the person's name whenever the row is written.

    Derived in `pre_save`, which Django runs for `save()` and for `bulk_create()`
    alike, and `core.bulk.insert_rows` (the generators' COPY) for fields marked
    `computed_on_save`, so no write path can store a name without its key.
    """

    computed_on_save = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        assert isinstance(model_instance, Person)
        value = model_instance.search_keys()[self.attname]
        setattr(model_instance, self.attname, value)
        return value


# A change to one of these changes the stored search keys.
NAME_FIELDS = frozenset({"voornamen", "tussenvoegsel", "achternaam"})


class Person(VersionedModel):
    voornamen = models.CharField(_("voornamen"), max_length=200)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    achternaam = models.CharField(_("achternaam"), max_length=200)
    geboortedatum = models.DateField(_("geboortedatum"), null=True, blank=True)
    # Stored as NULL when unknown so the unique constraint ignores missing numbers.
    bsn = models.CharField(
        _("BSN"), max_length=9, null=True, blank=True, unique=True, validators=[validate_bsn]
    )
    straat = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    woonplaats = models.CharField(_("woonplaats"), max_length=100, blank=True)
    gemeente = models.CharField(_("gemeente"), max_length=100, blank=True)
    telefoon = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Normalised names (core.names) for the case search, the audit search and duplicate
    # matching. On PostgreSQL both have a pg_trgm GIN index (migration 0008), so a
    # `contains` lookup on them is an index scan.
    surname_key = NameKeyField()
    first_names_key = NameKeyField()

    class Meta:
        verbose_name = _("betrokkene")
        indexes = [
            models.Index(fields=["achternaam", "geboortedatum"], name="person_name_dob"),
            # Duplicate candidates: the same date of birth, then the names compared.
            models.Index(fields=["geboortedatum"], name="person_dob"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(bsn=""), name="person_bsn_null_not_empty")
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A partial save that changes a name writes the keys derived from it too.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and NAME_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "surname_key", "first_names_key"}
        super().save(*args, **kwargs)

    def search_keys(self) -> dict[str, str]:
        """The stored search keys for the current name (see core.names)."""
        return {
            "surname_key": surname_search_key(self.tussenvoegsel, self.achternaam),
            "first_names_key": first_names_search_key(self.voornamen),
        }

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.voornamen, self.tussenvoegsel, self.achternaam) if p)


class PersonVersion(models.Model):
    """The values of a person's data at each version, kept beside the audit trail.

    The trail is permanent and hash-chained; person data must be deletable (a referral
    that is not put on the agenda, retention). So audit events about a person name the
    version and carry the SHA-256 of its values, and the values live here, deleted with
    the person.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    values = models.JSONField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["person", "version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="unique_person_version")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} v{self.version}"


class Household(models.Model):
    name = models.CharField(_("omschrijving"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("huishouden")

    def __str__(self) -> str:
        return self.name or f"Huishouden {self.pk}"


class HouseholdMember(VersionedModel):
    """A member of a client system (household). The role is relative to the case's person
    (the primary client); every change is kept as a `HouseholdMemberVersion` row.

    The household-variant fields (custody, in the home, the period) are issue 15's:
    a member who leaves keeps their row with an end date, so the history stays readable.
    """

    class Relation(models.TextChoices):
        BETROKKENE = "betrokkene", _("Betrokkene zelf")
        MOEDER = "moeder", _("Moeder")
        VADER = "vader", _("Vader")
        PARTNER = "partner", _("Partner")
        KIND = "kind", _("Kind")
        OUDER = "ouder", _("Ouder / verzorger")
        PLEEGOUDER = "pleegouder", _("Pleegouder")
        GROOTOUDER = "grootouder", _("Grootouder")
        BROER_ZUS = "broer_zus", _("Broer of zus")
        HUISGENOOT = "huisgenoot", _("Huisgenoot")
        OVERIG = "overig", _("Overig familielid")

    class Custody(models.TextChoices):
        JA = "ja", _("Ja, heeft gezag")
        NEE = "nee", _("Nee, geen gezag")
        GEDEELTELIJK = "gedeeltelijk", _("Gedeeltelijk / gedeeld")
        ONBEKEND = "onbekend", _("Onbekend")

    # Seed 002 7.1 "Gezinsleden" (ADR 0031): asked for the support plan, so kept on the
    # membership (deleted with the household), not on the person every case shares.
    class Gender(models.TextChoices):
        VROUW = "vrouw", _("Vrouw")
        MAN = "man", _("Man")
        ANDERS = "anders", _("Anders")
        ONBEKEND = "onbekend", _("Onbekend")
        LIEVER_NIET = "liever_niet", _("Zeg ik liever niet")

    class MaritalStatus(models.TextChoices):
        ONGEHUWD = "ongehuwd", _("Ongehuwd")
        GEHUWD = "gehuwd", _("Gehuwd")
        PARTNERSCHAP = "partnerschap", _("Geregistreerd partnerschap")
        GESCHEIDEN = "gescheiden", _("Gescheiden")
        VERWEDUWD = "verweduwd", _("Weduwe of weduwnaar")
        ONBEKEND = "onbekend", _("Onbekend")
        LIEVER_NIET = "liever_niet", _("Zeg ik liever niet")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="households")
    relation = models.CharField(_("rol in het gezin"), max_length=20, choices=Relation.choices)
    custody = models.CharField(
        _("gezag"), max_length=20, choices=Custody.choices, default=Custody.ONBEKEND
    )
    lives_in_home = models.BooleanField(_("woont in het huis"), default=True)
    valid_from = models.DateField(_("lid vanaf"), null=True, blank=True)
    valid_to = models.DateField(_("lid tot en met"), null=True, blank=True)
    gender = models.CharField(
        _("geslacht"), max_length=20, choices=Gender.choices, default=Gender.ONBEKEND
    )
    marital_status = models.CharField(
        _("burgerlijke staat"),
        max_length=20,
        choices=MaritalStatus.choices,
        default=MaritalStatus.ONBEKEND,
    )
    occupation = models.CharField(_("beroep of school"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="unique_household_member"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="household_member_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.relation})"

    def is_current(self, day: dt.date) -> bool:
        """Still a member on `day` (an end date is the last day as a member)."""
        return self.valid_to is None or self.valid_to >= day


class HouseholdMemberVersion(models.Model):
    """A household member's role, custody, home, period and 7.1 fields (gender, marital
    status, profession or school) at each version: the history the household page shows
    (the trail names only the version, like `PersonVersion`)."""

    member = models.ForeignKey(HouseholdMember, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    values = models.JSONField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["member", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "version"], name="unique_household_member_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} v{self.version}"


class LifeDomain(models.Model):
    """A life domain (leefgebied) for problems and scores; the list is configuration.

    The default list is the Zelfredzaamheid-Matrix (ZRM 2017), 13 domains.
    """

    name = models.CharField(_("leefgebied"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("leefgebied")

    def __str__(self) -> str:
        return self.name


class EscalationLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("1 · regulier")
    LEVEL_2 = 2, _("2 · zorgen, afstemming nodig")
    LEVEL_3 = 3, _("3 · onveilig, ketenbrede samenwerking")
    LEVEL_4 = 4, _("4 · niet zelfredzaam, procesregie PGA")
    LEVEL_5 = 5, _("5 · maatschappelijke onrust, burgemeester")


class Case(VersionedModel):
    # Filled in only on cases read through the gate (`cases.access.visible_cases`): False
    # means the viewer sees this case pseudonymised. A case read any other way keeps the
    # class default False, so forgetting the gate shows too little, never too much.
    full_access: bool = False

    code = models.CharField(_("casusnummer"), max_length=30, unique=True)
    house = models.ForeignKey(
        House, verbose_name=_("huis"), on_delete=models.PROTECT, related_name="cases"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("betrokkene"), on_delete=models.PROTECT, related_name="cases"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("huishouden"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalatieniveau"), choices=EscalationLevel.choices, default=EscalationLevel.LEVEL_3
    )
    # Slice templates (issue 15): safety concerns recorded on the case make a safety plan
    # required (`cases.safety.safety_plan_required`); set by a director through
    # `cases.safety.set_safety_concerns`, later also by the meldcode when signals are mapped.
    safety_concerns = models.BooleanField(_("zorgen over basiszorg of veiligheid"), default=False)
    safety_concerns_note = models.CharField(
        _("toelichting zorgen over veiligheid"), max_length=500, blank=True
    )
    created_at = models.DateTimeField(_("aangemaakt"))
    status_changed_at = models.DateTimeField(_("status gewijzigd"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-status_changed_at", "-pk"]
        verbose_name = _("casus")
        indexes = [
            models.Index(fields=["house", "status"], name="case_house_status"),
            models.Index(fields=["status_changed_at"], name="case_status_changed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(escalation_level__gte=1, escalation_level__lte=5),
                name="case_escalation_level_1_5",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def phase(self) -> Phase:
        return PHASE_OF[Status(self.status)]


class NoUpdateQuerySet(models.QuerySet["StatusChange"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Status history is append-only.")


class StatusChange(models.Model):
    """Append-only status history of a case (the timeline's backbone).

    Rows are never changed; they go only with their case (deletion, retention).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    reason = models.TextField(_("reden"), blank=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = NoUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]
        # Management information (phase durations) selects the cases whose status changed
        # in a period: by time, then case (at 100,000 cases a scan of 600k rows otherwise).
        indexes = [models.Index(fields=["changed_at", "case"], name="statuschange_when_case")]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Status history is append-only.")
        super().save(*args, **kwargs)


class EscalationChange(models.Model):
    """History of escalation level changes: who decided, why, on which criteria.

    The reason is free text and may name people, so it lives here (deleted with the
    case) and not in the permanent audit trail.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    from_level = models.PositiveSmallIntegerField(choices=EscalationLevel.choices)
    to_level = models.PositiveSmallIntegerField(choices=EscalationLevel.choices)
    reason = models.TextField(_("reden"))
    criteria = models.JSONField(_("toegepaste criteria"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_level} -> {self.to_level}"


class EscalationCriterion(models.Model):
    """A criterion of the escalation map (regiekaart) to move a case up or down a level.

    Configuration data; the defaults condense seed 002 section 5.
    """

    class Direction(models.TextChoices):
        UP = "op", _("Opschalen")
        DOWN = "af", _("Afschalen")

    direction = models.CharField(_("richting"), max_length=2, choices=Direction.choices)
    from_level = models.PositiveSmallIntegerField(
        _("vanaf niveau"), choices=EscalationLevel.choices
    )
    text = models.TextField(_("criterium"))
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["from_level", "direction", "order"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} vanaf {self.from_level}: {self.text[:40]}"


class CaseNumber(models.Model):
    """The last case number per house and year: numbers are never given out twice,
    also not after a referral was deleted."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["house", "year"], name="unique_case_number_year")
        ]

    def __str__(self) -> str:
        return f"{self.house_id}/{self.year}: {self.last}"


class CaseRole(models.TextChoices):
    PROCESREGISSEUR = "procesregisseur", _("Procesregisseur")
    CASUSREGISSEUR = "casusregisseur", _("Casusregisseur")
    BETROKKEN_PARTNER = "betrokken_partner", _("Betrokken partner")
    ADVISEUR = "adviseur", _("Adviseur (gepseudonimiseerd)")
    AANMELDER = "aanmelder", _("Aanmelder")


# The directing roles: they keep the plan, the safety plan and the action list. Only a
# personal membership directs (an organisation on the team directs nothing).
DIRECTOR_ROLES = (CaseRole.PROCESREGISSEUR, CaseRole.CASUSREGISSEUR)


def active_on_q(day: dt.date) -> models.Q:
    """A membership period that includes `day`: inclusive dates, an open end is ongoing.

    A role handed over ends *at* the handover: the handover day is its last day on
    paper (the holder did hold it that day), but from the handover on the successor
    holds it, so the former holder's row no longer counts on that day.
    """
    return models.Q(valid_from__lte=day) & (
        models.Q(valid_to__isnull=True)
        | models.Q(valid_to__gt=day)
        | models.Q(valid_to=day, handed_over=False)
    )


def ended_before_q(day: dt.date) -> models.Q:
    """A membership that has ended by `day` (the counterpart of `active_on_q`'s end)."""
    return models.Q(valid_to__lt=day) | models.Q(valid_to=day, handed_over=True)


class CaseMembershipQuerySet(models.QuerySet["CaseMembership"]):
    def active_on(self, day: dt.date) -> CaseMembershipQuerySet:
        return self.filter(active_on_q(day))


class CaseMembership(models.Model):
    """Who holds which role on a case, and when. Inclusive dates; open end is ongoing.

    A membership names a user, or only an organisation (then every user of that
    organisation is on the team for that period).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persoon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="case_memberships",
    )
    role = models.CharField(_("rol in de casus"), max_length=30, choices=CaseRole.choices)
    valid_from = models.DateField(_("vanaf"))
    valid_to = models.DateField(_("tot en met"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    # Ended by a handover on `valid_to`: the successor holds the role from that day.
    handed_over = models.BooleanField(_("overgedragen"), default=False)

    objects = CaseMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from", "pk"]
        # The gate (`cases.access`) reads memberships by user, and organisation-wide
        # memberships by organisation; the indexes hold all it needs (period, role,
        # case), so PostgreSQL answers from the index alone.
        indexes = [
            models.Index(
                fields=["user", "valid_from", "valid_to", "handed_over", "role", "case"],
                condition=models.Q(user__isnull=False),
                name="membership_user",
            ),
            models.Index(
                fields=["organisation", "valid_from", "valid_to", "handed_over", "role", "case"],
                condition=models.Q(user__isnull=True),
                name="membership_org_wide",
            ),
            # Per case (a case page, `full_access` of listed rows, lists walked in date
            # order): who is on it, read from the index alone.
            models.Index(
                fields=[
                    "case",
                    "user",
                    "organisation",
                    "role",
                    "valid_from",
                    "valid_to",
                    "handed_over",
                ],
                name="membership_case_team",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="membership_period_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.user_id or self.organisation_id}"

    def active_on(self, day: dt.date) -> bool:
        """The same rule as `CaseMembershipQuerySet.active_on`, for a loaded row."""
        return self.valid_from <= day and (
            self.valid_to is None
            or self.valid_to > day
            or (self.valid_to == day and not self.handed_over)
        )

    @property
    def is_past(self) -> bool:
        """Ended by today (a former member); a role handed over today is past at once."""
        if self.valid_to is None:
            return False
        day = today()
        return self.valid_to < day or (self.valid_to == day and self.handed_over)


class DeletedCaseCount(models.Model):
    """The only trace of a case deleted after its retention period: an anonymous count per
    house, closing year, phase reached and outcome, for management information."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar van afsluiten"))
    phase_reached = models.CharField(_("bereikte fase"), max_length=20, choices=Phase.choices)
    outcome = models.CharField(_("uitkomst"), max_length=30, choices=Status.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["house", "year", "phase_reached", "outcome"],
                name="unique_deleted_case_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.house_id} {self.year} {self.phase_reached} {self.outcome}: {self.count}"


# Issue 15, slice hh: the client system's informal network, consent and preference.
# Issue 15 (escmap): the escalation map, competence overrides and level-change notices.
from ketenregie.cases.escalation_models import (  # noqa: E402, F401
    EscalationMapLevel,
    EscalationNotice,
    ProfileOverride,
)
from ketenregie.cases.household_models import *  # noqa: E402, F403

# The data-sharing register (ADR 17): the kinds, the one grounds model and the rows;
# `X as X` marks them as this module's exports.
from ketenregie.cases.sharing_models import ExchangeBasis as ExchangeBasis  # noqa: E402
from ketenregie.cases.sharing_models import ExchangeKind as ExchangeKind  # noqa: E402
from ketenregie.cases.sharing_models import SharingGrounds as SharingGrounds  # noqa: E402
from ketenregie.cases.sharing_models import SharingRecord as SharingRecord  # noqa: E402
from ketenregie.cases.sharing_models import (  # noqa: E402
    SharingRecordQuerySet as SharingRecordQuerySet,
)
