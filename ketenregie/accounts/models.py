"""Regions, houses (ZVH or local PGA), partner organisations, users and their roles."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.roles import Role
from ketenregie.core.models import VersionedModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
    SATURDAY = 5, _("zaterdag")
    SUNDAY = 6, _("zondag")


class Domain(models.TextChoices):
    ZORG = "zorg", _("Zorg")
    VEILIGHEID = "veiligheid", _("Veiligheid")
    JUSTITIE = "justitie", _("Justitie")
    SOCIAAL = "sociaal_domein", _("Sociaal domein")
    ONDERWIJS = "onderwijs", _("Onderwijs")
    WONEN = "wonen", _("Wonen")
    WERK_INKOMEN = "werk_inkomen", _("Werk en inkomen")


class Region(VersionedModel):
    name = models.CharField(_("naam"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regio")

    def __str__(self) -> str:
        return self.name


# What a referrer does at once when a situation is acute: the referral waits for a
# triage, an emergency does not. A house may set its own text (local crisis numbers).
DEFAULT_ACUTE_INSTRUCTIONS = (
    "Direct gevaar voor iemands leven of veiligheid: bel 112.\n"
    "Acute psychiatrische crisis: bel de huisarts of de huisartsenpost; zij schakelen de "
    "crisisdienst in.\n"
    "(Vermoeden van) huiselijk geweld of kindermishandeling: bel Veilig Thuis, 0800-2000 "
    "(gratis, dag en nacht).\n"
    "Doe dat eerst en meld daarna hier aan: de triagevoorzitters krijgen een acute "
    "aanmelding direct te zien."
)


class House(VersionedModel):
    class Kind(models.TextChoices):
        ZVH = "zvh", _("Zorg- en Veiligheidshuis")
        LOCAL_PGA = "local_pga", _("Lokale PGA")

    name = models.CharField(_("naam"), max_length=150, unique=True)
    code = models.CharField(
        _("code"), max_length=10, unique=True, help_text=_("Korte code voor casusnummers.")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="houses"
    )
    triage_weekday = models.PositiveSmallIntegerField(
        _("triagedag"), choices=Weekday.choices, default=Weekday.THURSDAY
    )
    triage_start = models.TimeField(_("triage begint"), default=dt.time(13, 0))
    triage_end = models.TimeField(_("triage eindigt"), default=dt.time(14, 30))
    cutoff_weekday = models.PositiveSmallIntegerField(
        _("aanmelddeadline: dag"), choices=Weekday.choices, default=Weekday.THURSDAY
    )
    cutoff_time = models.TimeField(_("aanmelddeadline: tijd"), default=dt.time(16, 0))
    acute_instructions = models.TextField(
        _("wat de aanmelder bij acute urgentie direct doet"),
        blank=True,
        default=DEFAULT_ACUTE_INSTRUCTIONS,
        help_text=_(
            "Staat op het aanmeldformulier bij de urgentie. Leeg: de standaardtekst van Ketenregie."
        ),
    )
    # Issue 15: the house works in the household variant (1Gezin1Plan1Regisseur): its
    # referrals are screened against the household criteria and whoever processes one
    # may start coordination without the ZVH triage.
    household_variant = models.BooleanField(
        _("werkt in de huishoudvariant"),
        default=False,
        help_text=_(
            "Eén gezin, één plan, één regisseur: aanmeldingen worden gewogen tegen de "
            "criteria voor kwetsbare huishoudens en wie een aanmelding verwerkt, kan de "
            "coördinatie zonder integrale triage starten."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("huis")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(triage_end__gt=models.F("triage_start")),
                name="house_triage_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def acute_text(self) -> str:
        """The house's own acute instructions, or the product's default."""
        return self.acute_instructions.strip() or DEFAULT_ACUTE_INSTRUCTIONS


class Organisation(VersionedModel):
    name = models.CharField(_("naam"), max_length=150, unique=True)
    domain = models.CharField(_("domein"), max_length=20, choices=Domain.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Leeg voor landelijke organisaties."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ketenpartner")

    def __str__(self) -> str:
        return self.name


class HousePartner(models.Model):
    """An organisation working with a house; fixed partners sit at every triage."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="partner_links")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="house_links"
    )
    is_fixed_triage_partner = models.BooleanField(_("vaste triagepartner"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["house", "organisation"], name="unique_house_partner")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}@{self.house_id}"


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    job_title = models.CharField(_("functie"), max_length=120, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    # Marks generated demo accounts: only these may have their TOTP code printed.
    is_demo = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1)
    # Raised to end every running session of the user at once (an MFA reset: whoever
    # holds the lost device must not stay logged in). Part of the session auth hash.
    session_stamp = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("gebruiker")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django ties a session to the password hash; the stamp ties it to the MFA state
        # too. Sessions are in the database but not indexed by user, so changing the hash
        # is how every session of one user ends (checked on the session's next request).
        return salted_hmac(
            "ketenregie.accounts.User.session_auth_hash",
            f"{self.password}|{self.session_stamp}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class RoleAssignment(models.Model):
    """A role a user holds, optionally for one house (e.g. triagevoorzitter at house X)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    house = models.ForeignKey(
        House,
        verbose_name=_("huis"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "house"], name="unique_role_assignment"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(house__isnull=True),
                name="unique_role_assignment_no_house",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.house or '-'})"


class RoleGrantRequest(models.Model):
    """A role one beheerder asked to grant; it takes effect when a second, different
    beheerder approves it (four eyes, ADR 11). The database refuses a decision by the
    requester."""

    class State(models.TextChoices):
        PENDING = "pending", _("Wacht op goedkeuring")
        APPROVED = "approved", _("Goedgekeurd")
        REJECTED = "rejected", _("Afgewezen")

    user = models.ForeignKey(
        User, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="grant_requests"
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    house = models.ForeignKey(
        House, verbose_name=_("huis"), on_delete=models.CASCADE, null=True, blank=True
    )
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PENDING
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("aangevraagd door"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("besloten door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("aanvraag rol")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "house"],
                condition=models.Q(state="pending"),
                name="unique_pending_grant",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(state="pending", house__isnull=True),
                name="unique_pending_grant_no_house",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="grant_decided_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.house or '-'})"

    @property
    def key(self) -> str:
        return f"{self.role}@{self.house_id or '-'}"


def hash_setup_token(token: str) -> str:
    """The stored form of a set-up token: only its SHA-256 (a 256-bit random token needs
    no key or slow hash; a database copy then opens no account)."""
    return hashlib.sha256(token.encode()).hexdigest()


class AccountSetupLink(models.Model):
    """A one-time link with which a new user chooses their first password (ADR 11)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="setup_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"setup:{self.user_id}"

    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class CompetenceProfile(VersionedModel):
    """The competence profile (A, B or B+, seed 002 section 6) of a user who directs
    cases, kept by the functioneel beheerder. Which profile a level needs is the
    escalation map's (cases.escalation_map); this row only says what the user holds."""

    class Level(models.TextChoices):
        A = "A", _("A")
        B = "B", _("B")
        B_PLUS = "B+", _("B+")

    user = models.OneToOneField(
        User,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="competence_profile",
    )
    profile = models.CharField(_("competentieprofiel"), max_length=2, choices=Level.choices)
    since = models.DateField(_("sinds"))
    note = models.CharField(
        _("toelichting"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld de gevolgde opleiding. Geen gegevens over cliënten."),
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("competentieprofiel")

    def __str__(self) -> str:
        return f"{self.user}: {self.profile}"


# A < B < B+: a profile meets every requirement at or below its own rank.
PROFILE_RANK = {
    CompetenceProfile.Level.A: 1,
    CompetenceProfile.Level.B: 2,
    CompetenceProfile.Level.B_PLUS: 3,
}
