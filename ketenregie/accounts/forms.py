"""Forms for the functioneel beheerder's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.access import active_case_workers
from ketenregie.accounts.models import (
    CompetenceProfile,
    House,
    HousePartner,
    Organisation,
    Region,
    User,
)
from ketenregie.accounts.roles import HOUSE_SCOPED_ROLES, Role
from ketenregie.core.forms import DateInput, IdsChoiceField, StyledFormMixin, TimeInput


class VersionedForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or []}


class RegionForm(VersionedForm):
    class Meta:
        model = Region
        fields = ["name"]


class OrganisationForm(VersionedForm):
    class Meta:
        model = Organisation
        fields = ["name", "domain", "region", "is_active"]


class HouseForm(VersionedForm):
    partner_organisations = IdsChoiceField(
        label=_("Ketenpartners van dit huis"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fixed_partners = IdsChoiceField(
        label=_("Vaste triagepartners"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Deze partners zitten bij elke integrale triage."),
    )

    class Meta:
        model = House
        fields = [
            "name",
            "code",
            "kind",
            "region",
            "triage_weekday",
            "triage_start",
            "triage_end",
            "cutoff_weekday",
            "cutoff_time",
            "acute_instructions",
            "household_variant",
        ]
        widgets = {
            "triage_start": TimeInput(),
            "triage_end": TimeInput(),
            "cutoff_time": TimeInput(),
            "acute_instructions": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            links = list(HousePartner.objects.filter(house=self.instance))
            self.initial["partner_organisations"] = [link.organisation_id for link in links]
            self.initial["fixed_partners"] = [
                link.organisation_id for link in links if link.is_fixed_triage_partner
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("triage_start"), data.get("triage_end")
        if start and end and end <= start:
            self.add_error("triage_end", _("De triage moet eindigen na het begintijdstip."))
        return data


class CompetenceProfileForm(VersionedForm):
    """A regisseur's competence profile (issue 15): only people who do case work."""

    class Meta:
        model = CompetenceProfile
        fields = ["user", "profile", "since", "note"]
        widgets = {"since": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = active_case_workers().select_related("organisation")


def role_choices() -> list[tuple[str, str]]:
    choices = [(f"{r.value}|", str(r.label)) for r in Role if r not in HOUSE_SCOPED_ROLES]
    for house in House.objects.order_by("name"):
        choices += [
            (f"{r.value}|{house.pk}", f"{r.label} · {house.name}") for r in HOUSE_SCOPED_ROLES
        ]
    return choices


class UserForm(VersionedForm):
    roles = forms.MultipleChoiceField(
        label=_("Rollen"),
        choices=role_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Een rol die toegang geeft tot casussen of persoonsgegevens gaat pas in als een "
            "andere beheerder de toekenning goedkeurt. Een nieuw account krijgt geen "
            "wachtwoord van u: de gebruiker kiest het zelf met een eenmalige instellink."
        ),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "job_title",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].required = True
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        if self.instance.pk and not self.is_bound:
            self.initial["roles"] = [
                f"{r.role}|{r.house_id or ''}" for r in self.instance.role_assignments.all()
            ]

    def role_keys(self) -> list[tuple[str, int | None]]:
        out = []
        for key in self.cleaned_data.get("roles", []):
            role, _sep, house = key.partition("|")
            out.append((role, int(house) if house else None))
        return out


class SetupPasswordForm(StyledFormMixin, SetPasswordForm):  # type: ignore[type-arg]
    """The first password, chosen by the user through a set-up link (validators apply)."""
