"""Input parsing for person data, case teams and the case list filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.access import active_case_workers
from ketenregie.accounts.forms import VersionedForm
from ketenregie.accounts.models import House, Organisation, User
from ketenregie.cases.competence import REASON_FIELD
from ketenregie.cases.escalation_models import EscalationMapLevel
from ketenregie.cases.models import CaseRole, EscalationCriterion, EscalationLevel, Person
from ketenregie.cases.services import PERSON_FIELDS
from ketenregie.cases.workflow import Phase
from ketenregie.core.bsn import normalise_bsn, validate_bsn
from ketenregie.core.contact import check_phone, normalise_postcode
from ketenregie.core.forms import DateInput, IdsChoiceField, PeriodFormMixin, StyledFormMixin
from ketenregie.core.timeutil import today


class PersonChecksMixin:
    """The checks on a person's BSN, date of birth, postcode and phone, for every form that
    edits them (the person's own page, the referral, a household member's)."""

    cleaned_data: dict[str, Any]

    def clean_bsn(self) -> str | None:
        raw = self.cleaned_data.get("bsn") or ""
        if not raw.strip():
            return None
        value = normalise_bsn(raw)
        validate_bsn(value)
        return value

    def clean_geboortedatum(self) -> Any:
        value = self.cleaned_data.get("geboortedatum")
        if value and value > today():
            raise forms.ValidationError(_("De geboortedatum ligt in de toekomst."))
        return value

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data.get("postcode") or "")

    def clean_telefoon(self) -> str:
        return check_phone(self.cleaned_data.get("telefoon") or "")


class PersonForm(PersonChecksMixin, StyledFormMixin, forms.ModelForm[Person]):
    version = forms.IntegerField(widget=forms.HiddenInput)
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=11,
        help_text=_("9 cijfers; laat leeg als het BSN niet bekend is."),
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"geboortedatum": DateInput()}

    def validate_unique(self) -> None:
        # Uniqueness (BSN) is checked by the service under the same rules, with one message.
        return None


class ProfileReasonMixin:
    """The reason field of the competence check (issue 15): hidden until the service
    refuses a regisseur below the map's profile, then a text box next to that message;
    a reason once typed stays visible. Put before StyledFormMixin."""

    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[REASON_FIELD] = forms.CharField(
            label=_("Reden om toch toe te wijzen"),
            required=False,
            max_length=1000,
            widget=forms.HiddenInput,
            help_text=_(
                "Waarom deze regisseur toch past, bijvoorbeeld de vertrouwensband met het "
                "gezin. De reden wordt bij de casus vastgelegd."
            ),
        )
        if self.is_bound and str(self.data.get(REASON_FIELD) or "").strip():
            self.reveal_profile_reason()

    def reveal_profile_reason(self) -> None:
        field = self.fields[REASON_FIELD]
        if isinstance(field.widget, forms.HiddenInput):
            field.widget = forms.Textarea(attrs={"rows": 3, "maxlength": "1000"})
            self.style_fields()  # type: ignore[attr-defined]

    def add_service_error(self, error: Any, current_version: int | None = None) -> None:
        super().add_service_error(error, current_version)  # type: ignore[misc]
        if REASON_FIELD in getattr(self, "errors", {}):
            self.reveal_profile_reason()
            self.fields[REASON_FIELD].widget.attrs["aria-invalid"] = "true"


class MembershipForm(ProfileReasonMixin, PeriodFormMixin, StyledFormMixin, forms.Form):
    period_fields = ("valid_from", "valid_to")
    role = forms.ChoiceField(label=_("Rol in de casus"), choices=CaseRole.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.filter(is_active=True)
    )
    user = forms.ModelChoiceField(
        label=_("Persoon"),
        # Only people whose role is case work can be put on a team.
        queryset=active_case_workers().select_related("organisation"),
        required=False,
        help_text=_("Leeg laten om de hele organisatie toe te voegen."),
    )
    valid_from = forms.DateField(label=_("Vanaf"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Tot en met"), widget=DateInput(), required=False, help_text=_("Leeg: doorlopend.")
    )
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=300)


class EndMembershipForm(StyledFormMixin, forms.Form):
    valid_to = forms.DateField(label=_("Laatste dag in deze rol"), widget=DateInput())
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=300)


class CaseFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=100,
        help_text=_("Casusnummer of naam van de betrokkene"),
    )
    house = forms.ModelChoiceField(
        label=_("Huis"), queryset=House.objects.all(), required=False, empty_label=_("Alle")
    )
    phase = forms.ChoiceField(
        label=_("Fase"), choices=[("", _("Alle")), *Phase.choices], required=False
    )
    level = forms.TypedChoiceField(
        label=_("Escalatieniveau"),
        choices=[("", _("Alle")), *EscalationLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    my_role = forms.ChoiceField(
        label=_("Mijn rol"), choices=[("", _("Alle")), *CaseRole.choices], required=False
    )


class TimelineFilterForm(StyledFormMixin, forms.Form):
    """The timeline's filter: one phase, and the reads ("inzage") only when asked."""

    id_prefix = "tijdlijn"

    fase = forms.ChoiceField(
        label=_("Fase"), choices=[("", _("Alle fasen")), *Phase.choices], required=False
    )
    inzage = forms.BooleanField(label=_("Toon ook inzage"), required=False)


class HandoverForm(ProfileReasonMixin, StyledFormMixin, forms.Form):
    successor = forms.ModelChoiceField(
        label=_("Opvolger"),
        queryset=User.objects.none(),
        help_text=_("De opvolger krijgt vanaf de overdrachtsdatum dezelfde rol."),
    )
    from_date = forms.DateField(label=_("Overdracht per"), widget=DateInput())
    note = forms.CharField(
        label=_("Overdrachtsnotitie"),
        required=False,
        max_length=300,
        help_text=_("Bijvoorbeeld: reden van vertrek, wat de opvolger moet weten."),
    )

    def __init__(self, *args: Any, successors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["successor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = successors
        # Grouped by organisation, so the right colleague is found among namesakes.
        groups: dict[str, list[tuple[int, str]]] = {}
        for user in successors:
            groups.setdefault(str(user.organisation), []).append((user.pk, str(user)))
        field.choices = [("", "---------"), *groups.items()]


class EscalationForm(StyledFormMixin, forms.Form):
    level = forms.TypedChoiceField(
        label=_("Nieuw escalatieniveau"), choices=EscalationLevel.choices, coerce=int
    )
    criteria = IdsChoiceField(
        label=_("Criteria van de regiekaart die gelden"),
        queryset=EscalationCriterion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, current_level: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria"].queryset = EscalationCriterion.objects.filter(  # type: ignore[attr-defined]
            is_active=True, from_level=current_level
        ).order_by("direction", "order")
        self.fields["criteria"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.get_direction_display()}: {c.text}"
        )


class EscalationMapLevelForm(VersionedForm):
    """One level of a house's escalation map on the beheer pages (issue 15)."""

    class Meta:
        model = EscalationMapLevel
        fields = [
            "house",
            "level",
            "casusregie",
            "procesregie",
            "operational",
            "administrative",
            "escalates_to",
            "required_profile",
            "next_step",
            "notify_directors",
            "notify_managers",
            "notify_pga_experts",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "casusregie",
                "procesregie",
                "operational",
                "administrative",
                "escalates_to",
                "next_step",
            )
        }

    def validate_unique(self) -> None:
        # One row per house and level, with a Dutch message rather than the model's.
        house, level = self.cleaned_data.get("house"), self.cleaned_data.get("level")
        if house is None or level is None:
            return
        clash = EscalationMapLevel.objects.filter(house=house, level=int(level))
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            self.add_error("level", _("Dit huis heeft al een rij voor dit niveau; wijzig die rij."))
