"""Forms of the household pages: members, the informal network, consent, preference."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import Organisation
from ketenregie.cases.forms import PersonChecksMixin
from ketenregie.cases.models import Consent, HouseholdMember, NetworkContact
from ketenregie.core.forms import DateInput, PeriodFormMixin, StyledFormMixin


class MemberForm(PersonChecksMixin, PeriodFormMixin, StyledFormMixin, forms.Form):
    """A member: the person (name, date of birth, BSN) and their place in the household."""

    period_fields = ("valid_from", "valid_to")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    person_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    voornamen = forms.CharField(label=_("Voornamen"), max_length=200)
    tussenvoegsel = forms.CharField(label=_("Tussenvoegsel"), max_length=30, required=False)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=200)
    geboortedatum = forms.DateField(label=_("Geboortedatum"), widget=DateInput(), required=False)
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=11,
        help_text=_("9 cijfers; laat leeg als het BSN niet bekend is."),
    )
    relation = forms.ChoiceField(
        label=_("Rol in het gezin"), choices=HouseholdMember.Relation.choices
    )
    custody = forms.ChoiceField(
        label=_("Gezag"),
        choices=HouseholdMember.Custody.choices,
        initial=HouseholdMember.Custody.ONBEKEND,
        help_text=_("Heeft dit gezinslid (ouderlijk) gezag over de kinderen?"),
    )
    lives_in_home = forms.BooleanField(label=_("Woont in het huis"), required=False, initial=True)
    valid_from = forms.DateField(label=_("Lid van het huishouden vanaf"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Lid tot en met"), widget=DateInput(), required=False, help_text=_("Leeg: nog lid.")
    )

    def person_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            k: d[k] for k in ("voornamen", "tussenvoegsel", "achternaam", "geboortedatum", "bsn")
        }

    def member_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("relation", "custody", "lives_in_home", "valid_from", "valid_to")}


class EndForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Laatste dag"), widget=DateInput())


class NetworkForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Naam"), max_length=200)
    relation = forms.ChoiceField(label=_("Relatie"), choices=NetworkContact.Relation.choices)
    support_kinds = forms.MultipleChoiceField(
        label=_("Soort steun"),
        choices=NetworkContact.Support.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    support_note = forms.CharField(
        label=_("Welke steun geeft deze persoon?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    contact = forms.CharField(
        label=_("Contactgegevens"),
        max_length=200,
        required=False,
        help_text=_("Optioneel: telefoon of e-mail."),
    )
    valid_from = forms.DateField(label=_("Betrokken vanaf"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("support_kinds") and not (data.get("support_note") or "").strip():
            self.add_error(
                "support_kinds", _("Kies minstens één soort steun of beschrijf de steun.")
            )
        return data

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            k: d[k]
            for k in ("name", "relation", "support_kinds", "support_note", "contact", "valid_from")
        }


class ConsentForm(StyledFormMixin, forms.Form):
    subject = forms.ChoiceField(label=_("Toestemming voor"), choices=Consent.Subject.choices)
    partners = forms.CharField(
        label=_("Met welke partners of personen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Verplicht bij het delen met genoemde partners."),
    )
    given_by_member = forms.ModelChoiceField(
        label=_("Gegeven door (gezinslid)"),
        queryset=HouseholdMember.objects.none(),
        required=False,
    )
    given_by_representative = forms.CharField(
        label=_("Of: gegeven door wettelijk vertegenwoordiger"),
        max_length=200,
        required=False,
        help_text=_("Naam en hoedanigheid, bijv. voogd."),
    )
    given_on = forms.DateField(label=_("Gegeven op"), widget=DateInput())
    form = forms.ChoiceField(
        label=_("Hoe gegeven"), choices=Consent.Form.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, members: list[HouseholdMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["given_by_member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = HouseholdMember.objects.filter(pk__in=[m.pk for m in members])
        names = {
            m.pk: f"{m.person.full_name} ({m.get_relation_display().lower()})" for m in members
        }
        field.label_from_instance = lambda obj: names.get(obj.pk, str(obj))  # type: ignore[method-assign]


class WithdrawForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label=_("Ingetrokken op"), widget=DateInput())
    by = forms.CharField(label=_("Ingetrokken door"), max_length=200)


class PreferenceForm(StyledFormMixin, forms.Form):
    id_prefix = "voorkeur"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    preference = forms.CharField(
        label=_("Voorkeur van de klant voor een procesregisseur"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Bijvoorbeeld iemand uit het eigen netwerk, of een bekende hulpverlener."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Voorkeursorganisatie"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
    )
