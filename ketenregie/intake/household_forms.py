"""The household variant's start form (issue 15): start coordination without the triage,
on the client's consent to coordination or explicitly without it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House, User
from ketenregie.accounts.roles import Role
from ketenregie.cases.household_forms import ConsentGiverFields
from ketenregie.cases.models import Consent, HouseholdMember
from ketenregie.core.forms import StyledFormMixin
from ketenregie.core.templatetags.dates import short_date
from ketenregie.intake.services.household_start import CONSENT_CHOICES, CONSENT_RECORDED


class HouseholdStartForm(StyledFormMixin, ConsentGiverFields):
    """Household variant (issue 15): start coordination without the triage, on the
    client's consent to coordination or, explicitly, without it (seed 002: the meldcode
    is then followed). The consent given now is recorded in the same transaction."""

    template_name = "intake/household_start_form.html"
    field_order = [
        "version",
        "decision",
        "procesregisseur",
        "consent_choice",
        "given_by_member",
        "given_by_representative",
        "given_on",
        "form",
        "without_consent_reason",
    ]
    id_prefix = "huishouden"
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.CharField(widget=forms.HiddenInput, initial="household_start")
    procesregisseur = forms.ModelChoiceField(
        label=_("Procesregisseur"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Wie de procesregie voert, spreekt u bij de start onderling af."),
    )
    consent_choice = forms.ChoiceField(
        label=_("Heeft de klant toestemming gegeven voor coördinatie van zorg?"),
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    without_consent_reason = forms.CharField(
        label=_("Reden om zonder toestemming te starten"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Bijvoorbeeld: de klant weigert, maar er zijn signalen van onveiligheid. "
            "Na de start volgt u de meldcode huiselijk geweld en kindermishandeling."
        ),
    )

    def __init__(
        self,
        *args: Any,
        house: House,
        members: list[HouseholdMember],
        held: Consent | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procesregisseur"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True,
            role_assignments__role=Role.PROCESREGISSEUR,
            role_assignments__house=house,
        ).distinct()
        self.limit_givers(members)
        # Asked only when the consent is given now: the service says what is missing.
        self.fields["given_on"].required = False
        self.fields["form"].required = False
        choice = self.fields["consent_choice"]
        assert isinstance(choice, forms.ChoiceField)
        if held is None:
            # Nothing recorded yet: the screener says explicitly which way it goes.
            choice.choices = [c for c in CONSENT_CHOICES if c[0] != CONSENT_RECORDED]
        else:
            by = (
                held.given_by_member.person.full_name
                if held.given_by_member is not None
                else held.given_by_representative
            )
            choice.choices = [
                (
                    CONSENT_RECORDED,
                    _("Ja, de toestemming is vastgelegd: %(wie)s, %(datum)s, %(hoe)s")
                    % {
                        "wie": by,
                        "datum": short_date(held.given_on),
                        "hoe": held.get_form_display().lower(),
                    },
                ),
                *(c for c in CONSENT_CHOICES if c[0] != CONSENT_RECORDED),
            ]
            choice.initial = CONSENT_RECORDED
        self.style_fields()

    def new_consent(self) -> dict[str, Any]:
        """The consent given now (used when the choice says so)."""
        d = self.cleaned_data
        return {
            "given_by_member": d.get("given_by_member"),
            "given_by_representative": d.get("given_by_representative", ""),
            "given_on": d.get("given_on"),
            "form": d.get("form", ""),
        }
