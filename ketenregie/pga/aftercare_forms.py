"""Forms of phase 6 (issue 15): aftercare agreements, the trajectory's evaluation, 6a.

Only shape and parsing here; the rules (who is required, the score, the evaluation
before closing) are the service's (`pga.aftercare`), so its Dutch messages show on the
page next to the field and the form keeps what was typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import Organisation, User
from ketenregie.cases.models import CaseMembership
from ketenregie.core.forms import DateInput, StyledFormMixin
from ketenregie.pga.aftercare_models import TrajectoryEvaluation


class AftercareForm(StyledFormMixin, forms.Form):
    id_prefix = "nazorg"
    service_required = ("what", "starts_on", "frequency")

    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    who = forms.CharField(
        label=_("Persoon"),
        max_length=200,
        required=False,
        help_text=_("Iemand uit het netwerk of een professional; vul dit of de organisatie in."),
    )
    what = forms.CharField(label=_("Wat"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    starts_on = forms.DateField(label=_("Vanaf"), widget=DateInput(), required=False)
    frequency = forms.CharField(
        label=_("Hoe vaak"),
        max_length=150,
        required=False,
        help_text=_("Bijvoorbeeld: wekelijks, eens per maand, eenmalig."),
    )
    ends_on = forms.DateField(label=_("Tot en met"), widget=DateInput(), required=False)
    follow_up_on = forms.DateField(
        label=_("Opvolgen op"),
        widget=DateInput(),
        required=False,
        help_text=_("Wanneer de procesregisseur nagaat hoe de nazorg loopt."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvaluationForm(StyledFormMixin, forms.Form):
    id_prefix = "evaluatie"
    service_required = (
        "held_on",
        "went_well",
        "went_less_well",
        "goals_reached",
        "client_satisfaction",
        "lessons",
    )

    held_on = forms.DateField(label=_("Datum evaluatie"), widget=DateInput(), required=False)
    with_client = forms.BooleanField(label=_("Geëvalueerd met de klant"), required=False)
    with_professionals = forms.BooleanField(
        label=_("Geëvalueerd met de professionals"), required=False
    )
    went_well = forms.CharField(
        label=_("Wat ging goed"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    went_less_well = forms.CharField(
        label=_("Wat ging minder goed"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    goals_reached = forms.ChoiceField(
        label=_("Zijn de doelen bereikt?"),
        choices=[("", "---------"), *TrajectoryEvaluation.GoalsReached.choices],
        required=False,
    )
    client_satisfaction = forms.TypedChoiceField(
        label=_("Tevredenheid van de klant (1 tot en met 10)"),
        choices=[("", "---------"), *((n, str(n)) for n in range(1, 11))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    client_view = forms.CharField(
        label=_("Wat de klant zegt"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    lessons = forms.CharField(
        label=_("Lessen voor een volgende keer"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _member_label(m: CaseMembership) -> str:
    name = m.user.get_full_name() if m.user else ""
    return f"{name} ({m.get_role_display()}, {m.organisation.name})"


class ProfessionalChangeForm(StyledFormMixin, forms.Form):
    id_prefix = "wisseling"
    service_required = ("handover_note",)

    membership = forms.ModelChoiceField(
        label=_("Wie stopt of draagt over"), queryset=CaseMembership.objects.none()
    )
    successor = forms.ModelChoiceField(
        label=_("Aan wie"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "Leeg: de betrokkenheid stopt zonder opvolger (niet bij procesregie). De "
            "procesregie gaat over op alle lopende casussen van het huishouden."
        ),
    )
    on_date = forms.DateField(label=_("Per"), widget=DateInput())
    handover_note = forms.CharField(
        label=_("Warme overdracht"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Wat de opvolger, de klant en de betrokkenen moeten weten."),
    )

    def __init__(
        self,
        *args: Any,
        members: QuerySet[CaseMembership],
        successors: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        member_field = self.fields["membership"]
        assert isinstance(member_field, forms.ModelChoiceField)
        member_field.queryset = members
        member_field.label_from_instance = _member_label  # type: ignore[method-assign, assignment]
        successor_field = self.fields["successor"]
        assert isinstance(successor_field, forms.ModelChoiceField)
        successor_field.queryset = successors
