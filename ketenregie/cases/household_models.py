"""The client system around a case (issue 15, household variant): the informal network,
the client's consent and the client's preference for a procesregisseur.

They hang from the case (the client system's case), so the gate that guards the case
guards them, and deleting the case (retention, a rejected referral) deletes them.
Imported by `cases.models`, so Django finds them there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import Organisation
from ketenregie.cases.models import Case, HouseholdMember
from ketenregie.core.models import VersionedModel

__all__ = ["Consent", "CoordinationStart", "NetworkContact", "RegisseurPreference"]


class NetworkContact(VersionedModel):
    """Someone of the informal network (family, friends, neighbours, GP) and what support
    they give. Ended, not deleted, when they stop."""

    class Relation(models.TextChoices):
        FAMILIE = "familie", _("Familie")
        VRIEND = "vriend", _("Vriend of vriendin")
        BUUR = "buur", _("Buurtbewoner")
        HUISARTS = "huisarts", _("Huisarts")
        OVERIG = "overig", _("Overig")

    class Support(models.TextChoices):
        PRAKTISCH = "praktisch", _("Praktische steun")
        EMOTIONEEL = "emotioneel", _("Emotionele steun")
        VEILIGHEID = "veiligheid", _("Veiligheid (bijv. opvang, meekijken)")
        KINDEROPVANG = "kinderopvang", _("Opvang van de kinderen")
        FINANCIEEL = "financieel", _("Financiële steun")
        ADVIES = "advies", _("Advies en informatie")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="network_contacts")
    name = models.CharField(_("naam"), max_length=200)
    relation = models.CharField(_("relatie"), max_length=20, choices=Relation.choices)
    support_kinds = models.JSONField(_("soort steun"), default=list, blank=True)
    support_note = models.TextField(_("welke steun, toelichting"), blank=True)
    contact = models.CharField(_("contactgegevens"), max_length=200, blank=True)
    valid_from = models.DateField(_("betrokken vanaf"))
    valid_to = models.DateField(_("betrokken tot en met"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["valid_to", "name", "pk"]
        verbose_name = _("netwerkcontact")

    def __str__(self) -> str:
        return self.name

    def support_labels(self) -> list[str]:
        labels = dict(self.Support.choices)
        return [str(labels.get(k, k)) for k in self.support_kinds]


class Consent(models.Model):
    """The client's consent to coordination or sharing: what, given by whom (a member or a
    legal representative), when and how; withdrawn when and by whom. A withdrawn consent
    stays as a row: the history of what was allowed when."""

    class Subject(models.TextChoices):
        COORDINATIE = "coordinatie", _("Coördinatie van zorg (1Gezin1Plan1Regisseur)")
        DELEN_PARTNERS = "delen_partners", _("Gegevens delen met genoemde partners")
        DELEN_NETWERK = "delen_netwerk", _("Plan delen met het informele netwerk")
        VERWIJSINDEX = "verwijsindex", _("Informeren over signaal Verwijsindex")
        OVERIG = "overig", _("Overig")

    class Form(models.TextChoices):
        SCHRIFTELIJK = "schriftelijk", _("Schriftelijk")
        MONDELING = "mondeling", _("Mondeling")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    subject = models.CharField(_("toestemming voor"), max_length=20, choices=Subject.choices)
    partners = models.TextField(_("met welke partners of personen"), blank=True)
    given_by_member = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("gegeven door (gezinslid)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    given_by_representative = models.CharField(
        _("of: gegeven door wettelijk vertegenwoordiger"), max_length=200, blank=True
    )
    given_on = models.DateField(_("gegeven op"))
    form = models.CharField(_("hoe gegeven"), max_length=20, choices=Form.choices)
    note = models.TextField(_("toelichting"), blank=True)
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.CharField(_("ingetrokken door"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("toestemming")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.subject}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None


class CoordinationStart(models.Model):
    """On what footing coordination of the client system started without the triage
    (seed 002 section 3.4): the client's consent to coordination it rested on, or, when
    the client gave none, the reason it started anyway. Seed 002 section 4: without
    consent to coordination the meldcode is followed, so the case page then points there.

    One per case, written once by the start; the consent row itself may be withdrawn
    later (it stays, marked withdrawn), which the case page shows as a warning."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="coordination_start")
    # RESTRICT, not PROTECT: deleting the case (retention) takes both rows along.
    consent = models.ForeignKey(
        Consent,
        verbose_name=_("toestemming"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
    )
    without_consent_reason = models.TextField(_("reden: gestart zonder toestemming"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("start van de coördinatie")
        constraints = [
            # Either the consent it rests on, or a reason to start without one.
            models.CheckConstraint(
                condition=(models.Q(consent__isnull=False) & models.Q(without_consent_reason=""))
                | (models.Q(consent__isnull=True) & ~models.Q(without_consent_reason="")),
                name="coordination_start_consent_or_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}"

    @property
    def without_consent(self) -> bool:
        return self.consent_id is None


class RegisseurPreference(VersionedModel):
    """The client's preference for a procesregisseur (seed 002, phase 3a step 4): free
    text, perhaps someone of the own network, and an optional preferred organisation."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="regisseur_preference")
    preference = models.TextField(_("voorkeur van de klant"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("voorkeursorganisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("voorkeur procesregisseur")

    def __str__(self) -> str:
        return f"{self.case_id}"
