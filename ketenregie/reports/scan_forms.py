"""Forms of the PGA-scan: opening a round, inviting participants, the conversation
afterwards, and the statements on the functioneel beheerder's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.forms import VersionedForm
from ketenregie.accounts.models import House, Organisation, User
from ketenregie.core.forms import DateInput, IdsChoiceField, StyledFormMixin
from ketenregie.reports.models import ScanStatement


class RoundForm(StyledFormMixin, forms.Form):
    id_prefix = "ronde"

    house = forms.ModelChoiceField(label=_("Huis of lokale PGA"), queryset=House.objects.none())
    title = forms.CharField(
        label=_("Naam van de ronde"),
        max_length=150,
        help_text=_("Bijvoorbeeld: PGA-scan voorjaar 2027."),
    )
    closes_on = forms.DateField(
        label=_("Sluitingsdatum"),
        widget=DateInput(),
        help_text=_("Tot en met deze dag kunnen de deelnemers invullen."),
    )
    organisations = IdsChoiceField(
        label=_("Deelnemende organisaties"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ketenpartners van het huis. Kies er ten minste twee."),
    )

    def __init__(
        self, *args: Any, houses: QuerySet[House], partners: QuerySet[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        house_field = self.fields["house"]
        assert isinstance(house_field, forms.ModelChoiceField)
        house_field.queryset = houses
        org_field = self.fields["organisations"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = partners


class ParticipantChoice(IdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, User)
        job = f", {obj.job_title}" if obj.job_title else ""
        return f"{obj.get_full_name() or obj.username}{job} ({obj.organisation})"


class InviteForm(StyledFormMixin, forms.Form):
    id_prefix = "uitnodigen"

    users = ParticipantChoice(
        label=_("Deelnemers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Medewerkers van de deelnemende organisaties. Zij krijgen een e-mail met alleen "
            "een link."
        ),
    )

    def __init__(self, *args: Any, users: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["users"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            User.objects.filter(pk__in=[u.pk for u in users])
            .select_related("organisation")
            .order_by("organisation__name", "last_name", "first_name")
        )


class VersionForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConversationForm(StyledFormMixin, forms.Form):
    id_prefix = "gesprek"

    conversation_on = forms.DateField(label=_("Datum van het gesprek"), widget=DateInput())
    follow_up = forms.CharField(
        label=_("Afgesproken vervolgacties"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat is afgesproken, wie pakt het op en wanneer komt u erop terug."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ScanStatementForm(VersionedForm):
    class Meta:
        model = ScanStatement
        fields = ["part", "position", "text", "is_active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
