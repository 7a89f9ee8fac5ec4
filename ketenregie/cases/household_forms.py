"""Forms of the household pages: members, the informal network, consent, preference."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import Organisation
from ketenregie.cases.forms import PersonChecksMixin
from ketenregie.cases.household_services import MEMBER_FIELDS, MEMBER_PERSON_FIELDS
from ketenregie.cases.models import Consent, HouseholdMember, NetworkContact
from ketenregie.core.forms import DateInput, PeriodFormMixin, StyledFormMixin


class MemberForm(PersonChecksMixin, PeriodFormMixin, StyledFormMixin, forms.Form):
    """A member as the support plan's "Gezinsleden" asks (seed 002 7.1): the person (name,
    date of birth, BSN, own address, phone and e-mail) and their place in the household
    (role, custody, home, period, gender, marital status, profession or school)."""

    period_fields = ("valid_from", "valid_to")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    person_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    voornamen = forms.CharField(label=_("Voornamen"), max_length=200)
    tussenvoegsel = forms.CharField(label=_("Tussenvoegsel"), max_length=30, required=False)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=200)
    # Not required: a form sent without it (an older page) keeps "onbekend".
    gender = forms.TypedChoiceField(
        label=_("Geslacht"),
        choices=HouseholdMember.Gender.choices,
        initial=HouseholdMember.Gender.ONBEKEND,
        required=False,
        empty_value=HouseholdMember.Gender.ONBEKEND,
    )
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
    marital_status = forms.TypedChoiceField(
        label=_("Burgerlijke staat"),
        choices=HouseholdMember.MaritalStatus.choices,
        initial=HouseholdMember.MaritalStatus.ONBEKEND,
        required=False,
        empty_value=HouseholdMember.MaritalStatus.ONBEKEND,
    )
    occupation = forms.CharField(
        label=_("Beroep of school"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: verpleegkundige, werkzoekend, groep 6 basisschool."),
    )
    straat = forms.CharField(label=_("Straat en huisnummer"), max_length=200, required=False)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=7, required=False, help_text=_("Bijvoorbeeld 5911 AB.")
    )
    woonplaats = forms.CharField(label=_("Woonplaats"), max_length=100, required=False)
    telefoon = forms.CharField(label=_("Telefoon"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    lives_in_home = forms.BooleanField(label=_("Woont in het huis"), required=False, initial=True)
    valid_from = forms.DateField(label=_("Lid van het huishouden vanaf"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Lid tot en met"), widget=DateInput(), required=False, help_text=_("Leeg: nog lid.")
    )

    # The page shows the fields in these groups (the order of seed 002 7.1).
    groups = (
        (
            _("Persoon"),
            ("voornamen", "tussenvoegsel", "achternaam", "gender", "geboortedatum", "bsn"),
        ),
        (
            _("In het gezin"),
            ("relation", "custody", "marital_status", "occupation", "lives_in_home"),
        ),
        (
            _("Eigen adres en contact"),
            ("straat", "postcode", "woonplaats", "telefoon", "email"),
        ),
        (_("Periode"), ("valid_from", "valid_to")),
    )

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(legend), [self[name] for name in names]) for legend, names in self.groups]

    def person_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in MEMBER_PERSON_FIELDS}

    def member_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in MEMBER_FIELDS}

    @staticmethod
    def initial_for(member: HouseholdMember) -> dict[str, Any]:
        """The edit page's values: the member's and their person's, as stored."""
        person = member.person
        return {
            "version": member.version,
            "person_version": person.version,
            **{k: getattr(member, k) for k in MEMBER_FIELDS},
            **{k: getattr(person, k) for k in MEMBER_PERSON_FIELDS},
            "bsn": person.bsn or "",
        }


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


class ConsentGiverFields(forms.Form):
    """Who gave a consent, when and how: the household page's consent form and the
    household start (intake) record a consent with the same fields and the same names."""

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

    def limit_givers(self, members: list[HouseholdMember]) -> None:
        """Only the household's members can be chosen, named with their role."""
        field = self.fields["given_by_member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = HouseholdMember.objects.filter(pk__in=[m.pk for m in members])
        names = {
            m.pk: f"{m.person.full_name} ({m.get_relation_display().lower()})" for m in members
        }
        field.label_from_instance = lambda obj: names.get(obj.pk, str(obj))  # type: ignore[method-assign]


class ConsentForm(StyledFormMixin, ConsentGiverFields):
    field_order = [
        "subject",
        "partners",
        "given_by_member",
        "given_by_representative",
        "given_on",
        "form",
        "note",
    ]
    subject = forms.ChoiceField(label=_("Toestemming voor"), choices=Consent.Subject.choices)
    partners = forms.CharField(
        label=_("Met welke partners of personen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Verplicht bij het delen met genoemde partners."),
    )
    note = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, members: list[HouseholdMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_givers(members)


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
