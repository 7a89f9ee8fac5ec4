"""Forms for informing the person, the start conversation and the letter template."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.forms import VersionedForm
from ketenregie.accounts.models import House, Organisation
from ketenregie.core.forms import DateInput, StyledFormMixin, TimeInput
from ketenregie.intake.criteria import criteria_of
from ketenregie.intake.forms import NecessityFields, sharing_ground_fields
from ketenregie.intake.models import (
    Criterion,
)
from ketenregie.pga.models import Informing, LetterTemplate, Signal, StartConversation


class InformingForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Is de betrokkene geïnformeerd?"),
        choices=Informing.Kind.choices,
        widget=forms.RadioSelect,
    )
    on_date = forms.DateField(label=_("Datum geïnformeerd"), required=False, widget=DateInput())
    by_whom = forms.CharField(
        label=_("Door wie"),
        required=False,
        max_length=150,
        help_text=_("Bijvoorbeeld: de wijkagent, namens de burgemeester."),
    )
    method = forms.ChoiceField(
        label=_("Hoe"), choices=[("", "---------"), *Informing.Method.choices], required=False
    )
    postponed_reason = forms.CharField(
        label=_("Reden van uitstel"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    review_date = forms.DateField(
        label=_("Uitstel herbeoordelen op"), required=False, widget=DateInput()
    )
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=500)


class StartConversationForm(StyledFormMixin, forms.Form):
    id_prefix = "conversation"

    outcome = forms.ChoiceField(
        label=_("Startgesprek"), choices=StartConversation.Outcome.choices, widget=forms.RadioSelect
    )
    on_date = forms.DateField(label=_("Datum"), widget=DateInput())
    explained_why = forms.BooleanField(label=_("Uitgelegd: waarom de PGA"), required=False)
    explained_approach = forms.BooleanField(
        label=_("Uitgelegd: wat de PGA betekent"), required=False
    )
    explained_data = forms.BooleanField(
        label=_("Uitgelegd: welke gegevens worden gedeeld"), required=False
    )
    explained_rights = forms.BooleanField(
        label=_("Uitgelegd: zijn of haar rechten"), required=False
    )
    own_view = forms.CharField(
        label=_("Eigen kijk van de betrokkene op oorzaken en oplossingen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attempts = forms.IntegerField(
        label=_("Aantal uitnodigingen"), min_value=1, max_value=20, initial=1
    )


class LetterTemplateForm(VersionedForm):
    class Meta:
        model = LetterTemplate
        fields = [
            "house",
            "municipality",
            "letterhead",
            "body",
            "signatory_name",
            "signatory_title",
            "privacy_contact",
            "complaint_route",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "privacy_contact": forms.Textarea(attrs={"rows": 3}),
            "complaint_route": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "body": _(
                "U kunt gebruiken: {naam}, {casusnummer}, {huis}, {gemeente} en {datum}. "
                "De uitnodiging voor het startgesprek, de contactpersoon, het privacycontact "
                "en de klachtroute komen er vanzelf onder."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Stored empty only as the unedited default; a letter needs every one of them.
        for name in self.Meta.fields:
            self.fields[name].required = True


class LetterForm(StyledFormMixin, forms.Form):
    """What differs per letter: filled in by the procesregisseur when taking it out."""

    id_prefix = "letter"

    contact_name = forms.CharField(label=_("Contactpersoon"), max_length=150)
    contact_details = forms.CharField(
        label=_("Bereikbaar via"),
        max_length=150,
        help_text=_("Telefoonnummer of e-mailadres van de contactpersoon."),
    )
    conversation_date = forms.DateField(label=_("Datum startgesprek"), widget=DateInput())
    conversation_time = forms.TimeField(label=_("Tijd startgesprek"), widget=TimeInput())
    conversation_place = forms.CharField(
        label=_("Plaats startgesprek"),
        max_length=200,
        help_text=_("Bijvoorbeeld: het adres van het Zorg- en Veiligheidshuis, of bij u thuis."),
    )

    def clean_conversation_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["conversation_date"]
        if value < timezone.localdate():
            raise forms.ValidationError(
                _("Het startgesprek kan niet in het verleden liggen: kies vandaag of later.")
            )
        return value


class SignalForm(StyledFormMixin, forms.Form):
    # The safe default is the one that does not block closing: acute unsafety is a
    # deliberate choice, never what a form falls back to.
    kind = forms.ChoiceField(
        label=_("Soort signaal"), choices=Signal.Kind.choices, initial=Signal.Kind.CHANGE
    )
    text = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}))


class ResolveSignalForm(StyledFormMixin, forms.Form):
    resolution = forms.CharField(label=_("Afhandeling"), max_length=500)


class CloseForm(StyledFormMixin, forms.Form):
    service_required = ("decided_with", "handover_organisation", "handover_note")

    provisional = forms.TypedChoiceField(
        label=_("Afsluiten"),
        choices=[("0", _("Afsluiten")), ("1", _("Voorlopig afsluiten"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    decided_with = forms.CharField(
        label=_("Besloten met"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("De casusregisseur en de partners die hebben ingestemd."),
    )
    handover_organisation = forms.ModelChoiceField(
        label=_("Warme overdracht aan"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text=_("De reguliere zorg, bijvoorbeeld het lokale (wijk)team."),
    )
    handover_note = forms.CharField(
        label=_("Overdrachtsnotitie"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ClosingConversationForm(StyledFormMixin, forms.Form):
    on_date = forms.DateField(label=_("Datum eindgesprek"), widget=DateInput())
    reason_explained = forms.BooleanField(
        label=_("De reden van afsluiten is uitgelegd"), required=False
    )
    feedback = forms.CharField(
        label=_("Feedback van de betrokkene"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reden om te heropenen"), max_length=500, required=False)


class EscalateForm(StyledFormMixin, NecessityFields):
    """Escalating a local PGA case to a ZVH: a referral there, with the grounds for sharing
    (asked as the bekendheidscheck asks them) and the receiving house's criteria."""

    service_required = (
        "to_house",
        "summary",
        "purpose",
        "legal_basis",
        "proportional",
        "subsidiary",
        "person_informed",
    )

    to_house = forms.ModelChoiceField(
        label=_("Zorg- en Veiligheidshuis"),
        queryset=House.objects.filter(kind=House.Kind.ZVH),
    )
    summary = forms.CharField(
        label=_("Samenvatting voor het ontvangende huis"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    purpose = forms.CharField(
        label=_("Doel van de overdracht"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    legal_basis, special_category, secrecy_ground = sharing_ground_fields()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The criteria of a Zorg- en Veiligheidshuis (the landelijk kader); the service
        # checks the ticked numbers against the chosen house's own set.
        zvh = House.objects.filter(kind=House.Kind.ZVH).order_by("pk").first()
        self.criteria: list[Criterion] = criteria_of(zvh)[1] if zvh is not None else []
        for c in self.criteria:
            self.fields[f"crit_{c.number}"] = forms.BooleanField(
                label=f"{c.number}. {c.text}", required=False
            )
            self.fields[f"crit_{c.number}_uitleg"] = forms.CharField(
                label=_("Toelichting bij criterium %(n)s") % {"n": c.number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.necessity_last()
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for c in self.criteria:
            if (
                data.get(f"crit_{c.number}")
                and not (data.get(f"crit_{c.number}_uitleg") or "").strip()
            ):
                self.add_error(
                    f"crit_{c.number}_uitleg",
                    _("Licht toe waarom dit criterium van toepassing is."),
                )
        return data

    def service_values(self) -> dict[str, Any]:
        """The cleaned values as the service takes them: criteria by number."""
        d = self.cleaned_data
        return {
            **{
                k: d[k]
                for k in (
                    "to_house",
                    "summary",
                    "purpose",
                    "legal_basis",
                    "special_category",
                    "secrecy_ground",
                )
            },
            "criteria": {
                c.number: d.get(f"crit_{c.number}_uitleg", "").strip()
                for c in self.criteria
                if d.get(f"crit_{c.number}")
            },
            "necessity": self.necessity(),
        }
