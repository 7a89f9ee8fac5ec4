"""Input parsing for referral, screening, enrichment answers and triage decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import House, Organisation, User
from ketenregie.accounts.roles import Role
from ketenregie.cases.forms import PersonForm, ProfileReasonMixin
from ketenregie.cases.grounds import Necessity
from ketenregie.cases.models import Case, EscalationLevel, HouseholdMember, LifeDomain
from ketenregie.core.forms import (
    DateInput,
    IdsChoiceField,
    StyledFormMixin,
    SummaryError,
    TimeInput,
    error_summary,
)
from ketenregie.intake.models import (
    AgendaItem,
    CriteriaSet,
    Criterion,
    EnrichmentRequest,
    Invitee,
    LegalBasis,
    Referral,
    SecrecyGround,
    SpecialCategoryException,
)


class ReferralPersonForm(PersonForm):
    version = None  # type: ignore[assignment]

    class Meta(PersonForm.Meta):
        fields = [f for f in PersonForm.Meta.fields if f != "email"]


class HouseholdMemberForm(StyledFormMixin, forms.Form):
    voornamen = forms.CharField(label=_("Voornamen"), max_length=200, required=False)
    tussenvoegsel = forms.CharField(label=_("Tussenvoegsel"), max_length=30, required=False)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=200, required=False)
    geboortedatum = forms.DateField(label=_("Geboortedatum"), required=False, widget=DateInput())
    relation = forms.ChoiceField(
        label=_("Relatie tot betrokkene"),
        choices=[("", "---------")]
        + [c for c in HouseholdMember.Relation.choices if c[0] != "betrokkene"],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = any(data.get(k) for k in ("voornamen", "achternaam", "geboortedatum"))
        if filled:
            if not data.get("achternaam"):
                self.add_error("achternaam", _("Vul de achternaam in."))
            if not data.get("relation"):
                self.add_error("relation", _("Kies de relatie tot de betrokkene."))
        return data


HouseholdFormSet = forms.formset_factory(HouseholdMemberForm, extra=3, max_num=8)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReferralForm(StyledFormMixin, forms.Form):
    """Everything about the referral except the person and household (own forms)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Aanleiding"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Wat is er aan de hand, en waarom nu?"),
    )
    urgency = forms.ChoiceField(label=_("Urgentie"), choices=Referral.Urgency.choices)
    meeting_goal = forms.CharField(
        label=_("Doel van de casusbespreking"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    suggested_partners = forms.CharField(
        label=_("Partners die volgens u moeten aansluiten"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Organisatie en contactpersoon; alleen wie voor deze casus nodig is."),
    )
    other_meetings = forms.CharField(
        label=_("Andere overleggen waar deze casus al besproken wordt"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    informed = forms.ChoiceField(
        label=_("Is de betrokkene geïnformeerd over deze aanmelding?"),
        choices=Referral.Informed.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    informed_how = forms.CharField(
        label=_("Hoe geïnformeerd, of waarom (nog) niet"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Bijlagen"),
        required=False,
        help_text=_("Alleen PDF of afbeeldingen (PNG, JPEG)."),
    )
    confirm = forms.BooleanField(
        label=_(
            "Ik ben als aanmelder verantwoordelijk voor de kwaliteit en juistheid van deze "
            "aanmelding (WGS)."
        ),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        house: House,
        criteria_set: CriteriaSet,
        criteria: list[Criterion],
        **kwargs: Any,
    ) -> None:
        editing = bool(kwargs.get("initial", {}).get("version")) or bool(
            args and args[0] and args[0].get("version")
        )
        self.house = house
        self.criteria_set = criteria_set
        self.domains = list(LifeDomain.objects.filter(is_active=True))
        # Fields named by the criterion's number: the unsaved defaults of a house without a
        # stored set (shown on GET) have a number but no id yet.
        self.criteria = criteria
        super().__init__(*args, **kwargs)
        # Editing a saved draft: the version guards against a lost update.
        self.fields["version"].required = editing
        self.fields["attachments"].help_text = _(
            "Alleen PDF of afbeeldingen (PNG, JPEG), elk hoogstens %(mb)d MB. Na een fout "
            "elders op het formulier blijven gekozen bestanden bewaard."
        ) % {"mb": settings.KETENREGIE_MAX_ATTACHMENT_BYTES // 1024 // 1024}
        for d in self.domains:
            self.fields[f"problem_{d.pk}"] = forms.CharField(
                label=d.name, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        for c in self.criteria:
            self.fields[f"crit_{c.number}"] = forms.BooleanField(
                label=f"{c.number}. {c.text}", required=False
            )
            self.fields[f"crit_{c.number}_uitleg"] = forms.CharField(
                label=_("Toelichting bij criterium %(n)s") % {"n": c.number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.style_fields()
        # In page order, so the error summary lists the fields as the page shows them.
        self.order_fields(
            [
                *self.DETAIL_FIELDS,
                *(f"problem_{d.pk}" for d in self.domains),
                *(
                    n
                    for c in self.criteria
                    for n in (f"crit_{c.number}", f"crit_{c.number}_uitleg")
                ),
                "informed",
                "informed_how",
                "attachments",
                "confirm",
            ]
        )
        # Errors about a whole section (no single field): shown on its fieldset.
        self.section_errors: dict[str, list[str]] = {}

    DETAIL_FIELDS = ("reason", "urgency", "meeting_goal", "suggested_partners", "other_meetings")
    # Sections of the page a service error may name, with the id of their fieldset.
    SECTIONS = {"problems": (_("Problemen per leefgebied"), "problemen")}

    def add_service_error(self, error: ValidationError, current_version: int | None = None) -> None:
        if hasattr(error, "error_dict") and set(error.error_dict) & set(self.SECTIONS):
            rest = {}
            for name, errors in error.error_dict.items():
                if name in self.SECTIONS:
                    self.section_errors[name] = [m for e in errors for m in e.messages]
                else:
                    rest[name] = errors
            if not rest:
                return
            error = ValidationError(rest)
        super().add_service_error(error, current_version)

    def summary(self) -> list[SummaryError]:
        """The error summary of this form, a section's error at its place on the page
        (the problems come after the detail fields)."""
        items = error_summary([(self, "")])
        details = {self[n].auto_id for n in self.DETAIL_FIELDS}
        at = sum(1 for e in items if not e.anchor or e.anchor in details)
        sections = [
            SummaryError(str(label), message, anchor)
            for name, (label, anchor) in self.SECTIONS.items()
            for message in self.section_errors.get(name, [])
        ]
        return items[:at] + sections + items[at:]

    def problem_fields(self) -> list[forms.BoundField]:
        return [self[f"problem_{d.pk}"] for d in self.domains]

    def criterion_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"crit_{c.number}"], self[f"crit_{c.number}_uitleg"]) for c in self.criteria]

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.DETAIL_FIELDS]

    def problems(self) -> dict[int, str]:
        return {d.pk: self.cleaned_data.get(f"problem_{d.pk}", "") for d in self.domains}

    def ticked(self) -> dict[int, str]:
        """Ticked criteria by id with their explanation; the set is stored by then (POST)."""
        return {
            c.pk: self.cleaned_data.get(f"crit_{c.number}_uitleg", "")
            for c in self.criteria
            if self.cleaned_data.get(f"crit_{c.number}")
        }


class ScreeningForm(StyledFormMixin, forms.Form):
    DECISIONS = [
        ("approve", _("Goedkeuren voor verrijking (bekendheidscheck bij de vaste partners)")),
        ("reject", _("Niet agenderen: aanmelder informeren en aanmelding verwijderen")),
        ("refer", _("Doorverwijzen naar een andere regio of een bestaand overleg")),
    ]
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Besluit"), choices=DECISIONS, widget=forms.RadioSelect)
    category = forms.ChoiceField(
        label=_("Reden (bij niet agenderen)"),
        choices=[("", "---------"), *Referral.RejectCategory.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Toelichting reden"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    advice = forms.CharField(
        label=_("Advies aan de aanmelder"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    referred_to = forms.CharField(label=_("Doorverwezen naar"), max_length=200, required=False)


class AgendaForm(StyledFormMixin, forms.Form):
    """Weighing and putting on the agenda; an acute referral may go to an extra triage at
    a moment the chair picks instead of the weekly one."""

    WEEKLY, EXTRA = "wekelijks", "extra"

    version = forms.IntegerField(widget=forms.HiddenInput)
    proposed_level = forms.TypedChoiceField(
        label=_("Voorgesteld escalatieniveau (de-escalatiemodel)"),
        choices=[("", "---------"), *EscalationLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reasoning = forms.CharField(
        label=_("Weging van de antwoorden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, acute: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if acute:
            self.fields["triage"] = forms.ChoiceField(
                label=_("Welke triage"),
                choices=[
                    (self.WEEKLY, _("De eerstvolgende wekelijkse triage")),
                    (self.EXTRA, _("Een extra triage (acuut) op het moment dat u kiest")),
                ],
                initial=self.EXTRA,
                widget=forms.RadioSelect,
            )
            self.fields["extra_day"] = forms.DateField(
                label=_("Datum extra triage"), required=False, widget=DateInput()
            )
            self.fields["extra_time"] = forms.TimeField(
                label=_("Begintijd extra triage"), required=False, widget=TimeInput()
            )
            self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("triage") == self.EXTRA:
            if not data.get("extra_day"):
                self.add_error("extra_day", _("Kies de datum van de extra triage."))
            if not data.get("extra_time"):
                self.add_error("extra_time", _("Kies de begintijd van de extra triage."))
        return data

    def extra_at(self) -> dt.datetime | None:
        """The moment of the extra triage (Europe/Amsterdam), or None for the weekly one."""
        d = self.cleaned_data
        if d.get("triage") != self.EXTRA or not d.get("extra_day") or not d.get("extra_time"):
            return None
        return dt.datetime.combine(
            d["extra_day"], d["extra_time"], tzinfo=timezone.get_current_timezone()
        )


def sharing_ground_fields() -> tuple[forms.ChoiceField, forms.ChoiceField, forms.ChoiceField]:
    """The grounds every sharing of personal data asks (AVG art. 6, the art. 9/10
    exception, the secrecy ground): one set of fields for the bekendheidscheck answer and
    the escalation, checked by one rule (intake.grounds.sharing_errors)."""
    return (
        forms.ChoiceField(
            label=_("Grondslag voor het delen (AVG art. 6)"),
            choices=[("", "---------"), *LegalBasis.choices],
            required=False,
            help_text=_("Een convenant of privacyreglement is geen grondslag."),
        ),
        forms.ChoiceField(
            label=_("Bijzondere of strafrechtelijke gegevens: uitzondering (AVG art. 9/10)"),
            choices=SpecialCategoryException.choices,
            required=False,
        ),
        forms.ChoiceField(
            label=_("Beroepsgeheim: grond om het te doorbreken"),
            choices=SecrecyGround.choices,
            required=False,
        ),
    )


def _yes_no(value: str) -> bool | None:
    return {"ja": True, "nee": False}.get(value)


def _note(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


NECESSITY_FIELDS = (
    "proportional",
    "proportionality_note",
    "subsidiary",
    "subsidiarity_note",
    "person_informed",
    "not_informed_reason",
)


class NecessityFields(forms.Form):
    """The necessity checks of the data-sharing checklist (proportionality, subsidiarity,
    transparency), asked after the grounds (`sharing_ground_fields`) wherever a person
    chooses to share and by the house's fixed basis per kind; checked by
    `cases.grounds.Necessity`. A form inherits them and reads them with `necessity()`."""

    proportional = forms.BooleanField(
        label=_("Proportionaliteit: ik deel alleen de gegevens die voor dit doel nodig zijn"),
        required=False,
    )
    proportionality_note = _note(
        _("Toelichting proportionaliteit"), _("Kort: welke gegevens en waarom die nodig zijn.")
    )
    subsidiary = forms.BooleanField(
        label=_("Subsidiariteit: het doel is niet op een minder ingrijpende manier te bereiken"),
        required=False,
    )
    subsidiarity_note = _note(_("Toelichting subsidiariteit"))
    person_informed = forms.TypedChoiceField(
        label=_("Transparantie: is de betrokkene geïnformeerd over het delen?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    not_informed_reason = _note(_("Zo nee: waarom niet"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.necessity_last()

    def necessity_last(self) -> None:
        """Put the checks at the end, next to the button (call again after adding fields)."""
        rest = [name for name in self.fields if name not in NECESSITY_FIELDS]
        self.order_fields([*rest, *NECESSITY_FIELDS])

    def necessity(self) -> Necessity:
        """The checks as cleaned."""
        d = self.cleaned_data
        return Necessity(
            proportional=d.get("proportional"),
            proportionality_note=d.get("proportionality_note") or "",
            subsidiary=d.get("subsidiary"),
            subsidiarity_note=d.get("subsidiarity_note") or "",
            person_informed=d.get("person_informed"),
            not_informed_reason=d.get("not_informed_reason") or "",
        )


def necessity_initial(record: Any) -> dict[str, Any]:
    """A form's initial values for the checks stored on a `SharingGrounds` row."""
    informed = record.person_informed
    return {
        **{name: getattr(record, name) for name in NECESSITY_FIELDS},
        "person_informed": "" if informed is None else ("ja" if informed else "nee"),
    }


class EnrichmentAnswerForm(StyledFormMixin, NecessityFields):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(
        label=_("Is de betrokkene bij uw organisatie bekend?"),
        choices=EnrichmentRequest.Answer.choices,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("Samenvatting van wat relevant is"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Deel alleen wat nodig is voor de triage (doelbinding)."),
    )
    legal_basis, special_category, secrecy_ground = sharing_ground_fields()


class AttendanceForm(StyledFormMixin, forms.Form):
    present = forms.TypedChoiceField(
        label=_("Aanmelder aanwezig"),
        choices=[("1", _("Aanwezig")), ("0", _("Afwezig"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Notitie"), required=False, max_length=500)


class OutcomeForm(ProfileReasonMixin, StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[c for c in AgendaItem.Outcome.choices if c[0] != AgendaItem.Outcome.MOVED],
        widget=forms.RadioSelect,
    )
    advice = forms.CharField(
        label=_("Advies aan de aanmelder (bij geen PGA)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    referred_to = forms.CharField(label=_("Doorverwezen naar"), max_length=200, required=False)
    procesregisseur = forms.ModelChoiceField(
        label=_("Procesregisseur (bij start PGA)"), queryset=User.objects.none(), required=False
    )
    fixed_invitees = IdsChoiceField(
        label=_("Vaste partners uitnodigen voor het eerste casusoverleg"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, house: House, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procesregisseur"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True,
            role_assignments__role=Role.PROCESREGISSEUR,
            role_assignments__house=house,
        ).distinct()
        self.fields["fixed_invitees"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            Q(house_links__house=house, house_links__is_fixed_triage_partner=True)
        )
        self.other_orgs = Organisation.objects.filter(is_active=True).exclude(
            house_links__house=house, house_links__is_fixed_triage_partner=True
        )
        for i in range(3):
            self.fields[f"inc_{i}_org"] = forms.ModelChoiceField(
                label=_("Organisatie"),
                queryset=self.other_orgs,
                required=False,
            )
            self.fields[f"inc_{i}_why"] = forms.ChoiceField(
                label=_("Rechtvaardiging"),
                choices=[("", "---------")]
                + [c for c in Invitee.Justification.choices if c[0] != "vaste_partner"],
                required=False,
            )
            self.fields[f"inc_{i}_text"] = forms.CharField(
                label=_("Toelichting"), required=False, max_length=300
            )
        self.style_fields()

    def incidental_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"inc_{i}_org"], self[f"inc_{i}_why"], self[f"inc_{i}_text"]) for i in range(3)
        ]


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=200)


class ReferralAdditionForm(StyledFormMixin, forms.Form):
    """The referrer's aanvulling on a submitted referral: text, attachments or both."""

    text = forms.CharField(
        label=_("Aanvulling"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_(
            "Wat is er sinds het indienen bekend geworden? Deel alleen wat nodig is voor de "
            "screening (doelbinding)."
        ),
    )
    attachments = MultipleFileField(label=_("Bijlagen"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "Alleen PDF of afbeeldingen (PNG, JPEG), elk hoogstens %(mb)d MB."
        ) % {"mb": settings.KETENREGIE_MAX_ATTACHMENT_BYTES // 1024 // 1024}
        self.style_fields()


class LinkCaseForm(StyledFormMixin, forms.Form):
    """The chair links a referral to one of the earlier cases the duplicate check found."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    earlier_case = forms.TypedChoiceField(
        label=_("Eerdere casus"),
        coerce=int,
        choices=[],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, cases: list[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["earlier_case"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (c.pk, f"{c.code}, {c.house.name} ({c.get_status_display().lower()})") for c in cases
        ]
        self.style_fields()
