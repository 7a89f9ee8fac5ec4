"""Forms of the Verwijsindex pages; the rules themselves are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.cases.models import Person
from ketenregie.core.forms import DateInput, StyledFormMixin
from ketenregie.core.timeutil import age_on, today
from ketenregie.safeguarding.vi_models import ConsultationOutcome, RiskCategory, WithdrawalReason


def _person_label(person: Person) -> str:
    if person.geboortedatum is None:
        return _("%(name)s (geboortedatum onbekend)") % {"name": person.full_name}
    return _("%(name)s (%(age)s jaar)") % {
        "name": person.full_name,
        "age": age_on(person.geboortedatum, today()),
    }


class SignalForm(StyledFormMixin, forms.Form):
    person = forms.TypedChoiceField(
        label=_("Jongere"),
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Alleen voor jongeren onder de 23 jaar."),
    )
    category = forms.ChoiceField(
        label=_("Risico waarop het signaal berust (Jeugdwet art. 7.1.4.1)"),
        choices=RiskCategory.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Alleen vastgelegd als grondslag; andere signaleerders zien het nooit. Beschrijf "
            "de feiten en omstandigheden in de casus, niet hier."
        ),
    )
    informed_on = forms.DateField(
        label=_("Jongere of ouders geïnformeerd op"),
        required=False,
        widget=DateInput(),
        help_text=_("Vul de datum in, of hieronder waarom nog niet is geïnformeerd."),
    )
    not_informed_reason = forms.CharField(
        label=_("Nog niet geïnformeerd: waarom niet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Informeer de jongere en/of de ouders zo spoedig mogelijk, uiterlijk wanneer er "
            "een match ontstaat."
        ),
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(p.pk, _person_label(p)) for p in people]


class InformedForm(StyledFormMixin, forms.Form):
    informed_on = forms.DateField(label=_("Geïnformeerd op"), widget=DateInput())


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Reden van intrekken"), choices=WithdrawalReason.choices, widget=forms.RadioSelect
    )


class ConsultationForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Afstemming gehouden op"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Uitkomst"), choices=ConsultationOutcome.choices, widget=forms.RadioSelect
    )
