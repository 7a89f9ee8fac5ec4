"""The privacy officer's forms: the audit trail search and the data-sharing register's
filters."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House, Organisation
from ketenregie.cases.grounds import LegalBasis
from ketenregie.cases.models import ExchangeKind
from ketenregie.cases.sharing import CATEGORY_CHOICES
from ketenregie.core.forms import DateInput, StyledFormMixin


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
