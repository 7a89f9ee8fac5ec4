"""Forms of the safety plan (seed 002 7.2), the signatures both plans carry, and the
safety concerns recorded on a case."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.cases.safety import NOTE_MAX
from ketenregie.core.forms import DateInput, StyledFormMixin
from ketenregie.plans.safety_models import PHONE, SignedHow
from ketenregie.plans.services.safety import CONTACT_FIELDS, CONTACTS_MAX, contact_row_gaps

TEXTAREA = {"rows": 3}


def _text(label: Any, help_text: Any = "", rows: int = 3) -> forms.CharField:
    """An optional free text of the template (labels are lazy translations)."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class SafetyPlanForm(StyledFormMixin, forms.Form):
    """Every part of the template except agreements, scores and signatures (own forms)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    check_goal_in_plan = forms.BooleanField(
        label=_(
            "Het doel ‘ik houd mij aan de veiligheidsafspraken van dit veiligheidsplan’ "
            "staat in het ondersteuningsplan"
        ),
        required=False,
    )
    check_end_unsafety = forms.BooleanField(
        label=_("Er zijn doelen en acties voor het opheffen van de (acute) onveiligheid"),
        required=False,
    )
    check_treat_causes = forms.BooleanField(
        label=_(
            "Er zijn doelen en acties voor het behandelen van de problemen waardoor de "
            "onveiligheid is ontstaan"
        ),
        required=False,
    )
    check_recovery = forms.BooleanField(
        label=_(
            "Er zijn doelen en acties voor behandeling en nazorg, zodat herstel van "
            "opgelopen schade mogelijk is"
        ),
        required=False,
    )
    conditions = _text(_("Veiligheidsvoorwaarden (indien aanwezig)"))
    strengths = _text(
        _("Krachten: bestaande veiligheid"),
        _("Wat is er al dat veiligheid geeft voor de grootste zorg(en)? Wie zegt het?"),
    )
    concerns = _text(
        _("Zorgen over onveiligheid"),
        _("Wat is er gebeurd waardoor er zorgen zijn? Wie zegt het?"),
    )
    first_incident_on = forms.DateField(
        label=_("Eerste incident: datum"), required=False, widget=DateInput()
    )
    first_incident = _text(_("Eerste incident: wat is er gebeurd"), rows=2)
    worst_incident_on = forms.DateField(
        label=_("Ergste incident: datum"), required=False, widget=DateInput()
    )
    worst_incident = _text(_("Ergste incident: wat is er gebeurd"), rows=2)
    last_incident_on = forms.DateField(
        label=_("Laatste incident: datum"), required=False, widget=DateInput()
    )
    last_incident = _text(_("Laatste incident: wat is er gebeurd"), rows=2)
    frequency = _text(_("Frequentie: hoe vaak gebeurt het"), rows=2)
    harm = _text(
        _("Opgelopen schade"),
        _("Welke mogelijke schade hebben de klant of gezinsleden opgelopen door de onveiligheid?"),
    )
    worst_case = _text(
        _("Grootste zorg of gevaar: het ergste dat kan gebeuren als er niets verandert")
    )
    complicating_factors = _text(
        _("Complicerende factoren, triggers en stressoren"),
        _("Wat maakt het soms moeilijker om het veilig te houden?"),
    )
    evaluation_date = forms.DateField(
        label=_("Datum (vervolg)evaluatie"), required=False, widget=DateInput()
    )
    # Only while contacts written as free text before the rows are still there (ADR 32).
    clear_earlier_contacts = forms.BooleanField(
        label=_("De eerder vastgelegde contactgegevens staan nu in de tabel: tekst verwijderen"),
        required=False,
    )

    def __init__(self, *args: Any, earlier_contacts: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not earlier_contacts:
            del self.fields["clear_earlier_contacts"]


class SafetyContactForm(StyledFormMixin, forms.Form):
    """One row of the safety plan's contacts (seed 002 7.2 "Contactgegevens"). A row
    left empty is no contact; a filled row needs a name and a phone number or e-mail."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    role = forms.CharField(label=_("Rol of relatie"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Telefoonnummer"), max_length=30, required=False, validators=[PHONE]
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    when_to_call = forms.CharField(
        label=_("Wanneer te bellen"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = any(data.get(name) for name in CONTACT_FIELDS) or any(
            self.has_error(name) for name in CONTACT_FIELDS
        )
        if not filled:
            return data
        for column, gap in contact_row_gaps(data).items():
            # A cell with its own error (a malformed phone or e-mail) says that first.
            if not self.has_error(column) and not (column == "phone" and self.has_error("email")):
                self.add_error(column, gap[0].upper() + gap[1:])
        return data


class BaseContactFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The rows in the order shown, with a Dutch "Verwijderen" box per stored row."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Verwijderen")
            form.fields["DELETE"].widget.attrs["class"] = (
                "utrecht-checkbox utrecht-checkbox--html-input"
            )

    def rows(self) -> list[dict[str, Any]]:
        """The rows to keep, for the service: deleted ones left out."""
        return [
            {
                "id": f.cleaned_data.get("id"),
                **{c: f.cleaned_data.get(c, "") for c in CONTACT_FIELDS},
            }
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


CONTACT_PREFIX = "contact"
# formset_factory returns a subclass of `formset`: typed as such, for `rows()`.
ContactFormSet = cast(
    type[BaseContactFormSet],
    forms.formset_factory(
        SafetyContactForm,
        formset=BaseContactFormSet,
        extra=2,
        can_delete=True,
        can_delete_extra=False,
        max_num=CONTACTS_MAX,
        validate_max=True,
        absolute_max=CONTACTS_MAX,
    ),
)


class SafetyAgreementForm(StyledFormMixin, forms.Form):
    id_prefix = "agreement"

    what = forms.CharField(
        label=_("Wat moet er concreet en direct gebeuren"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    who = forms.CharField(label=_("Wie"), max_length=200, required=False)
    when = forms.CharField(label=_("Waar en wanneer"), max_length=200, required=False)
    needed = forms.CharField(
        label=_("Wat is hiervoor nodig"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wat doet de klant zelf, en door wie wordt de klant daarbij ondersteund?"),
    )
    who_checks = forms.CharField(label=_("Wie ziet erop toe"), max_length=200)
    if_not_kept = forms.CharField(
        label=_("Wat gebeurt er als de afspraak niet wordt nagekomen"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SafetyScoreForm(StyledFormMixin, forms.Form):
    id_prefix = "score"

    who = forms.CharField(
        label=_("Wie geeft de score"),
        max_length=150,
        help_text=_("Bijvoorbeeld: betrokkene, partner, wijkagent."),
    )
    score = forms.IntegerField(
        label=_("Score (0 = totaal onveilig, 10 = veilig genoeg)"), min_value=0, max_value=10
    )
    on_date = forms.DateField(label=_("Datum"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignaturesForm(StyledFormMixin, forms.Form):
    """The client's and the professional's signature, each with who, when and how."""

    id_prefix = "sign"

    version = forms.IntegerField(widget=forms.HiddenInput)
    client_signed_by = forms.CharField(
        label=_("Klant(en) en/of wettelijk vertegenwoordiger(s): naam"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    client_signed_on = forms.DateField(
        label=_("Datum ondertekening klant"), required=False, widget=DateInput()
    )
    client_signed_how = forms.ChoiceField(
        label=_("Hoe heeft de klant ondertekend"),
        choices=[("", _("Nog niet ondertekend")), *SignedHow.choices],
        required=False,
    )
    professional_signed_by = forms.CharField(
        label=_("Professional(s): naam"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    professional_signed_on = forms.DateField(
        label=_("Datum ondertekening professional"), required=False, widget=DateInput()
    )
    professional_signed_how = forms.ChoiceField(
        label=_("Hoe heeft de professional ondertekend"),
        choices=[("", _("Nog niet ondertekend")), *SignedHow.choices],
        required=False,
    )


class SafetyConcernsForm(StyledFormMixin, forms.Form):
    id_prefix = "concerns"

    version = forms.IntegerField(widget=forms.HiddenInput)
    concerns = forms.BooleanField(
        label=_("Er zijn zorgen over de basiszorg of de veiligheid"), required=False
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kort: welke zorgen, zonder details die in het veiligheidsplan horen."),
    )
