"""The privacy officer's forms: the audit trail search, the data-sharing register's
filters and the house's fixed basis per exchange kind, retention, the person's requests
and the period of the rejected-referral counts."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House, Organisation
from ketenregie.cases.grounds import LegalBasis
from ketenregie.cases.models import ExchangeKind, Person
from ketenregie.cases.queries import persons_known_at
from ketenregie.cases.sharing import CATEGORY_CHOICES, Grounds
from ketenregie.core.bsn import normalise_bsn, validate_bsn
from ketenregie.core.forms import DateInput, HouseChoiceMixin, PeriodFormMixin, StyledFormMixin
from ketenregie.intake.forms import NecessityFields, sharing_ground_fields
from ketenregie.privacy.models import PrivacyRequest
from ketenregie.privacy.subject_access import find_persons


class AuditSearchForm(PeriodFormMixin, StyledFormMixin, forms.Form):
    person = forms.CharField(
        label=_("Betrokkene"),
        required=False,
        help_text=_("Achternaam, voor- en achternaam of BSN"),
        max_length=100,
    )
    case = forms.CharField(label=_("Casusnummer"), required=False, max_length=30)
    user = forms.CharField(label=_("Gebruikersnaam"), required=False, max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("Alle"),
    )
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())


class SubjectAccessForm(StyledFormMixin, forms.Form):
    """Who asks for access: a BSN, or a name with the date of birth."""

    bsn = forms.CharField(label=_("BSN"), required=False, max_length=11)
    name = forms.CharField(
        label=_("Naam"),
        required=False,
        max_length=200,
        help_text=_("Voor- en achternaam; alleen samen met de geboortedatum"),
    )
    birth_date = forms.DateField(label=_("Geboortedatum"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("bsn") and not (data.get("name") and data.get("birth_date")):
            raise forms.ValidationError(_("Vul een BSN in, of de naam samen met de geboortedatum."))
        return data


class RegisterFilterForm(PeriodFormMixin, HouseChoiceMixin, StyledFormMixin, forms.Form):
    """Filters of the data-sharing register: period, house, organisation, basis, category."""

    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    house = forms.ModelChoiceField(
        label=_("Huis"), queryset=House.objects.none(), required=False, empty_label=_("Alle")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie (van of aan)"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("Alle"),
    )
    kind = forms.ChoiceField(
        label=_("Soort uitwisseling"),
        choices=[("", _("Alle")), *ExchangeKind.choices],
        required=False,
    )
    legal_basis = forms.ChoiceField(
        label=_("Grondslag"), choices=[("", _("Alle")), *LegalBasis.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Categorie gegevens"),
        choices=[("", _("Alle")), *CATEGORY_CHOICES],
        required=False,
    )


class RetentionPeriodForm(StyledFormMixin, forms.Form):
    """One category's period for one house: a number of months or years, and its source."""

    UNITS = (("jaar", _("jaar")), ("maanden", _("maanden")))

    amount = forms.IntegerField(label=_("Termijn"), min_value=1, max_value=1200)
    unit = forms.ChoiceField(label=_("Eenheid"), choices=UNITS)
    legal_reference = forms.CharField(
        label=_("Wettelijke grondslag of bron"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Bijvoorbeeld het artikel van het convenant of de wet waarop de termijn rust."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def months(self) -> int:
        data = self.cleaned_data
        return int(data["amount"]) * (12 if data["unit"] == "jaar" else 1)


class HoldForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Bijvoorbeeld een lopende klacht, rechtszaak of onderzoek. Noem geen namen: de "
            "reden blijft bewaard zolang de blokkade geldt."
        ),
    )


class LiftForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden van opheffen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Bijvoorbeeld: de klacht is afgehandeld. Noem geen namen."),
    )


class PrivacyRequestForm(HouseChoiceMixin, StyledFormMixin, forms.Form):
    """Logging a request as it came in."""

    service_required = ("summary",)

    house = forms.ModelChoiceField(label=_("Huis"), queryset=House.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Soort verzoek"), choices=PrivacyRequest.Kind.choices)
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Ontvangen via"), choices=PrivacyRequest.Channel.choices)
    bsn = forms.CharField(
        label=_("BSN (als bekend)"),
        required=False,
        max_length=11,
        help_text=_("Met een BSN wordt het verzoek gekoppeld aan de betrokkene in Ketenregie."),
    )
    requester_name = forms.CharField(
        label=_("Naam verzoeker"),
        required=False,
        max_length=200,
        help_text=_("Zoals in het verzoek; nodig als de betrokkene niet in Ketenregie staat."),
    )
    requester_birth_date = forms.DateField(
        label=_("Geboortedatum verzoeker"), required=False, widget=DateInput()
    )
    summary = forms.CharField(
        label=_("Samenvatting van het verzoek"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, houses: QuerySet[House], **kwargs: Any) -> None:
        super().__init__(*args, houses=houses, **kwargs)
        self.person: Person | None = None

    def clean_bsn(self) -> str:
        raw = self.cleaned_data.get("bsn", "")
        if not raw.strip():
            return ""
        digits = normalise_bsn(raw)
        validate_bsn(digits)
        house = self.cleaned_data.get("house")
        known = persons_known_at(house.pk) if house else Person.objects.none()
        found = list(known.filter(pk__in=[p.pk for p in find_persons(bsn=digits)]))
        if not found:
            raise forms.ValidationError(
                _(
                    "Er staat niemand met dit BSN in de casussen van dit huis. Laat het veld "
                    "leeg en vul de naam en geboortedatum in."
                )
            )
        self.person = found[0]
        return digits


class ExtendRequestForm(StyledFormMixin, forms.Form):
    months = forms.TypedChoiceField(
        label=_("Verlengen met"),
        coerce=int,
        choices=[(1, _("één maand")), (2, _("twee maanden"))],
    )
    reason = forms.CharField(
        label=_("Reden van de verlenging"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld de complexiteit of het aantal verzoeken (AVG art. 12 lid 3)."),
    )
    told_on = forms.DateField(
        label=_("Verzoeker geïnformeerd op"),
        widget=DateInput(),
        help_text=_("Binnen de eerste maand na ontvangst."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput())
    service_required = ("reason",)


class CloseRequestForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[("", _("Kies…")), *PrivacyRequest.Outcome.choices],
        required=False,
    )
    reasoning = forms.CharField(
        label=_("Motivering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Verplicht bij (gedeeltelijke) afwijzing."),
    )
    handled_on = forms.DateField(label=_("Antwoord verstuurd op"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput())
    service_required = ("outcome",)


class RequestFilterForm(HouseChoiceMixin, StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle")), *PrivacyRequest.Status.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Soort"), choices=[("", _("Alle")), *PrivacyRequest.Kind.choices], required=False
    )
    house = forms.ModelChoiceField(
        label=_("Huis"), queryset=House.objects.none(), required=False, empty_label=_("Alle")
    )


class PeriodForm(PeriodFormMixin, HouseChoiceMixin, StyledFormMixin, forms.Form):
    """The period (and house) of the rejected-referral counts."""

    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    house = forms.ModelChoiceField(
        label=_("Huis"), queryset=House.objects.none(), required=False, empty_label=_("Alle")
    )


class LinkPersonForm(StyledFormMixin, forms.Form):
    """The person found for a request (one of the candidates shown), with the version."""

    person = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)
    version = forms.IntegerField(widget=forms.HiddenInput())


class LinkSearchForm(SubjectAccessForm):
    """Finding the person a request is about: as for subject access, on the request's page."""

    id_prefix = "koppelen"


class ExchangeBasisForm(StyledFormMixin, NecessityFields):
    """The basis a house fixes once for an exchange kind: purpose, the grounds (asked as
    wherever a person chooses them) with the legal reference, and the necessity checks
    stated once for every exchange of the kind."""

    service_required = ("purpose", "legal_basis", "proportional", "subsidiary", "person_informed")

    version = forms.IntegerField(widget=forms.HiddenInput)
    purpose = forms.CharField(
        label=_("Doel van de uitwisseling"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    legal_basis, special_category, secrecy_ground = sharing_ground_fields()
    legal_reference = forms.CharField(
        label=_("Wettelijke bepaling"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld: Wet gegevensverwerking door samenwerkingsverbanden, art. 2.4."),
    )

    def grounds(self) -> Grounds:
        d = self.cleaned_data
        return Grounds(
            purpose=d["purpose"],
            legal_basis=d["legal_basis"],
            special_category=d["special_category"],
            secrecy_ground=d["secrecy_ground"],
            legal_reference=d["legal_reference"],
            necessity=self.necessity(),
        )


class ReviewForm(StyledFormMixin, forms.Form):
    """The review's own fields; the withholdings are checkboxes per passage
    (`parse_withholdings`), as many as the export has passages."""

    other_persons = forms.CharField(
        label=_("Andere personen"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Namen van anderen die in het overzicht voorkomen, bijvoorbeeld in een citaat "
            "van een partner; één naam per regel. Ze worden overal weggelaten."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


REASON_MAX = 300


def parse_withholdings(
    data: Mapping[str, Any], offered: Collection[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The passages ticked (`withhold`, one value per passage) with the reason typed next
    to each (`reason-<passage>`), and an error per passage that cannot be withheld so:
    no reason, a too long reason, or a passage the export does not have (any more)."""
    getlist = getattr(data, "getlist", None)
    ticked = getlist("withhold") if getlist else data.get("withhold", [])
    marked: dict[str, str] = {}
    errors: dict[str, str] = {}
    for passage in ticked:
        reason = str(data.get(f"reason-{passage}", "")).strip()
        marked[passage] = reason
        if passage not in offered:
            errors[passage] = str(_("Deze passage staat niet (meer) in het overzicht."))
        elif not reason:
            errors[passage] = str(_("Geef de reden waarom deze passage wordt weggelaten."))
        elif len(reason) > REASON_MAX:
            errors[passage] = str(_("De reden is te lang (ten hoogste 300 tekens)."))
    return marked, errors
