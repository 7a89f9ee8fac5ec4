"""Forms of the meldcode pages: parsing only; the rules live in `meldcode_services` and
`meldcode_rules` (their errors come back onto these forms by `core.forms.apply_service`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.core.forms import DateInput, StyledFormMixin
from ketenregie.safeguarding.meldcode_models import (
    MeldcodeStep,
    MeldcodeTrajectory,
    VeiligThuisReport,
)
from ketenregie.safeguarding.meldcode_rules import CONSEQUENCES, QUESTIONS

TEXTAREA = {"rows": 3}
YES_NO = [("ja", _("Ja")), ("nee", _("Nee"))]


def yes_no(value: str) -> bool | None:
    return {"ja": True, "nee": False}.get(value)


class StartForm(StyledFormMixin, forms.Form):
    id_prefix = "start"

    acute_danger = forms.BooleanField(
        label=_("Er dreigt acuut gevaar (levensbedreigende situatie)"), required=False
    )


class StepForm(StyledFormMixin, forms.Form):
    id_prefix = "step"
    service_required = ("note",)

    number = forms.TypedChoiceField(
        label=_("Stap"), choices=MeldcodeStep.Number.choices, coerce=int
    )
    taken_on = forms.DateField(label=_("Datum"), widget=DateInput())
    note = forms.CharField(
        label=_("Wat heeft u gedaan en vastgesteld"),
        widget=forms.Textarea(attrs=TEXTAREA),
        required=False,
        help_text=_("Feiten: wat is gezien, gehoord of geroken; met wie is overlegd."),
    )
    acute_danger = forms.BooleanField(
        label=_("Stap 1: er dreigt acuut gevaar (levensbedreigende situatie)"), required=False
    )
    vt_consulted = forms.BooleanField(
        label=_("Stap 2: Veilig Thuis om advies gevraagd"), required=False
    )
    instrument = forms.ChoiceField(
        label=_("Stap 4: hoe is de weging ondersteund"),
        choices=[("", _("(kies bij stap 4)")), *MeldcodeStep.Instrument.choices],
        required=False,
    )
    instrument_other = forms.CharField(
        label=_("Stap 4: naam van het andere instrument"), max_length=200, required=False
    )
    order_reason = forms.CharField(
        label=_("Reden van afwijken van de volgorde"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Alleen nodig als een eerdere stap nog niet is gezet."),
    )


class AnswersForm(StyledFormMixin, forms.Form):
    """The five decision questions, verbatim, each yes / no / not asked, with a note."""

    id_prefix = "afweging"

    answered_on = forms.DateField(label=_("Datum"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, question in enumerate(QUESTIONS, start=1):
            no, yes = CONSEQUENCES[n - 1]
            self.fields[f"q{n}"] = forms.ChoiceField(
                label=question,
                # A radio choice cannot be cleared in the browser: "not asked" is a choice.
                choices=[*YES_NO, ("", _("Niet gesteld"))],
                initial="",
                widget=forms.RadioSelect,
                required=False,
                help_text=_("Nee: %(no)s Ja: %(yes)s") % {"no": no, "yes": yes},
            )
            self.fields[f"note{n}"] = forms.CharField(
                label=_("Toelichting bij afweging %(n)s") % {"n": n},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
        self.style_fields()

    def answers(self) -> list[bool | None]:
        return [yes_no(self.cleaned_data.get(f"q{n}", "")) for n in range(1, 6)]

    def notes(self) -> list[str]:
        return [self.cleaned_data.get(f"note{n}", "") for n in range(1, 6)]


class AcuteForm(StyledFormMixin, forms.Form):
    id_prefix = "acuut"

    version = forms.IntegerField(widget=forms.HiddenInput)
    acute = forms.TypedChoiceField(
        choices=YES_NO, coerce=lambda v: v == "ja", widget=forms.HiddenInput
    )


class EndForm(StyledFormMixin, forms.Form):
    id_prefix = "einde"

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Reden"),
        choices=MeldcodeTrajectory.EndReason.choices,
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(label=_("Datum"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Bij duurzame veiligheid: de afspraken over het volgen van toekomstige (on)veiligheid."
        ),
    )


class ReportForm(StyledFormMixin, forms.Form):
    id_prefix = "melding"
    service_required = ("content",)

    reported_on = forms.DateField(label=_("Gemeld op"), widget=DateInput())
    reference = forms.CharField(
        label=_("Kenmerk bij Veilig Thuis"),
        max_length=100,
        required=False,
        help_text=_("Het nummer dat Veilig Thuis aan de melding gaf (kan later volgen)."),
    )
    content = forms.CharField(
        label=_("Wat is gemeld"), widget=forms.Textarea(attrs=TEXTAREA), required=False
    )
    person_informed = forms.ChoiceField(
        label=_("Is de betrokkene verteld dat u meldt?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    not_informed_reason = forms.CharField(
        label=_("Zo nee: waarom niet"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Bijvoorbeeld: vertellen brengt de veiligheid van iemand in gevaar."),
    )


FOLLOW_UP_STATUSES = [
    (value, label)
    for value, label in VeiligThuisReport.Status.choices
    if value != VeiligThuisReport.Status.REPORTED
]


class FollowUpForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Reactie van Veilig Thuis"), choices=FOLLOW_UP_STATUSES)
    on_date = forms.DateField(label=_("Datum"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, report_id: int, **kwargs: Any) -> None:
        self.id_prefix = f"reactie{report_id}"
        super().__init__(*args, **kwargs)
