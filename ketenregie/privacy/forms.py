"""The privacy officer's forms: the audit trail search, the data-sharing register's
filters and the house's fixed basis per exchange kind."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House, Organisation
from ketenregie.cases.grounds import LegalBasis
from ketenregie.cases.models import ExchangeKind
from ketenregie.cases.sharing import CATEGORY_CHOICES, Grounds
from ketenregie.core.forms import DateInput, StyledFormMixin
from ketenregie.intake.forms import NecessityFields, sharing_ground_fields


class AuditSearchForm(StyledFormMixin, forms.Form):
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("De einddatum ligt voor de begindatum."))
        return data


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


class RegisterFilterForm(StyledFormMixin, forms.Form):
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

    def __init__(self, *args: Any, houses: QuerySet[House], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["house"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = houses

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("De einddatum ligt voor de begindatum."))
        return data


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
