"""Forms of the execution phase. Services check the rules; forms parse and keep input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.forms import VersionedForm
from ketenregie.accounts.models import Organisation, User
from ketenregie.cases.forms import ProfileReasonMixin
from ketenregie.cases.models import HouseholdMember
from ketenregie.core.forms import (
    WIDGET_CLASSES,
    DateInput,
    IdsChoiceField,
    StyledFormMixin,
    TimeInput,
    check_free_text,
    not_in_future,
    not_in_past,
)
from ketenregie.plans.models import (
    GOAL_CHECK_CHOICES,
    ActionReport,
    DirectorEscalation,
    Goal,
    Intervention,
    Meeting,
    Need,
    Participant,
    Statement,
)

TEXTAREA = {"rows": 3}


class ByOrganisationIterator(ModelChoiceIterator):  # type: ignore[type-arg]
    """People offered grouped by their organisation (optgroups): the organisations the
    field names in `first_organisations` first (say, those the triage invited), then the
    others alphabetically. A flat list of every person of every partner is unreadable."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[tuple[int, str], list[Any]] = {}
        for obj in self.queryset:
            groups.setdefault((obj.organisation_id, str(obj.organisation)), []).append(
                self.choice(obj)
            )
        first: frozenset[int] = getattr(self.field, "first_organisations", frozenset())
        for key in sorted(groups, key=lambda k: (k[0] not in first, k[1])):
            yield (key[1], groups[key])

    def __len__(self) -> int:
        return sum(1 for _ in self)


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    iterator = ByOrganisationIterator
    first_organisations: frozenset[int] = frozenset()

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()} ({obj.organisation})"


class UsersChoiceField(IdsChoiceField):
    iterator = ByOrganisationIterator
    first_organisations: frozenset[int] = frozenset()

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()} ({obj.organisation})"


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in a fieldset per organisation (the groups of ByOrganisationIterator)."""

    template_name = "plans/widgets/grouped_checkboxes.html"

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        # The styling mixin matches widget classes exactly: style these as checkboxes.
        super().__init__(
            {"class": WIDGET_CLASSES[forms.CheckboxSelectMultiple], "data-styled": "1"}
            | (attrs or {}),
            choices,
        )


def case_workers() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, organisation__isnull=False)
        .select_related("organisation")
        .order_by("last_name", "first_name")
    )


class MeetingForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Soort overleg"), choices=[])
    day = forms.DateField(label=_("Datum"), widget=DateInput())
    start = forms.TimeField(label=_("Begintijd"), widget=TimeInput())
    end = forms.TimeField(label=_("Eindtijd"), widget=TimeInput())
    location = forms.CharField(
        label=_("Locatie"),
        required=False,
        max_length=200,
        help_text=_(
            "Leeg bij een eerste casusoverleg: fysiek in het huis. Geen huisadres van de "
            "betrokkene: de locatie staat in de agenda-uitnodiging."
        ),
    )
    participants = UsersChoiceField(
        label=_("Deelnemers"),
        queryset=User.objects.none(),
        widget=GroupedCheckboxSelectMultiple,
        help_text=_(
            "Zij krijgen een uitnodiging per e-mail met een link en een agenda-bestand. "
            "Per organisatie; alleen mensen van de partners van het huis en van het casusteam."
        ),
    )
    person_invited = forms.BooleanField(
        label=_("De betrokkene wordt uitgenodigd"), required=False, initial=True
    )
    person_not_invited_reason = forms.CharField(
        label=_("Zwaarwegende redenen om de betrokkene niet uit te nodigen"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    afterwards = forms.BooleanField(
        label=_("Achteraf vastleggen: dit overleg heeft al plaatsgevonden"),
        required=False,
        help_text=_(
            "Alleen voor een overleg dat al is gehouden. Er gaan dan geen uitnodigingen uit; "
            "het overleg staat als gehouden, met de gekozen deelnemers als aanwezig (te "
            "corrigeren bij de aanwezigheid). Daarna legt u het verslag vast."
        ),
    )

    def __init__(
        self,
        *args: Any,
        kinds: Sequence[str],
        people: Any,
        first_organisations: frozenset[int] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in Meeting.Kind.choices if c[0] in kinds]  # type: ignore[attr-defined]
        participants = self.fields["participants"]
        participants.first_organisations = first_organisations  # type: ignore[attr-defined]
        participants.queryset = people  # type: ignore[attr-defined]
        if kinds == [Meeting.Kind.MONITORING]:
            del self.fields["person_invited"]
            del self.fields["person_not_invited_reason"]

    def clean(self) -> dict[str, Any]:
        """A meeting is planned ahead; one that already took place is recorded afterwards,
        as a separate, explicit choice (no invitations then), and never in the future."""
        data = super().clean() or {}
        start, _end = self.moments()
        if start is None:
            return data
        if data.get("afterwards"):
            try:
                not_in_future(
                    start,
                    _(
                        "Dit overleg ligt nog in de toekomst: plannen en uitnodigen in plaats "
                        "van achteraf vastleggen."
                    ),
                )
            except forms.ValidationError as exc:
                self.add_error("day", exc)
            return data
        try:
            not_in_past(
                start,
                _(
                    "Dit tijdstip ligt in het verleden: een overleg plant u vooruit. Heeft het "
                    "al plaatsgevonden, kies dan ‘achteraf vastleggen’."
                ),
            )
        except forms.ValidationError as exc:
            self.add_error("day", exc)
        return data

    def moments(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        day, start, end = (self.cleaned_data.get(k) for k in ("day", "start", "end"))
        if day is None:
            return None, None
        tz = timezone.get_current_timezone()
        return (
            dt.datetime.combine(day, start, tzinfo=tz) if start else None,
            dt.datetime.combine(day, end, tzinfo=tz) if end else None,
        )


class ReplyForm(StyledFormMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Komt u?"),
        choices=[(Participant.Reply.YES, _("Ja, ik kom")), (Participant.Reply.NO, _("Nee"))],
        widget=forms.RadioSelect,
    )
    capacity = forms.ChoiceField(
        label=_("In welke hoedanigheid neemt u deel?"),
        choices=[
            (
                Participant.Capacity.INVOLVED,
                _("Betrokken: mijn organisatie heeft een rol in deze casus"),
            ),
            (
                Participant.Capacity.ADVISER,
                _("Adviseur: ik zie de casus alleen gepseudonimiseerd"),
            ),
        ],
        widget=forms.RadioSelect,
        # Who declines does not take part, so there is nothing to declare (the service
        # asks for it only with a "ja").
        required=False,
        help_text=_("Alleen nodig als u komt."),
    )


class AttendanceForm(StyledFormMixin, forms.Form):
    id_prefix = "attendance"

    version = forms.IntegerField(widget=forms.HiddenInput)
    present = forms.MultipleChoiceField(
        label=_("Aanwezig"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args: Any, participants: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [  # type: ignore[attr-defined]
            (str(p.user_id), f"{p.user.get_full_name()} ({p.user.organisation})")
            for p in participants
        ]


class MinutesForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    minutes = forms.CharField(label=_("Verslag"), widget=forms.Textarea(attrs={"rows": 8}))
    decisions = forms.CharField(
        label=_("Besluiten"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The state of affairs per case of a monitoring meeting comes with the minutes as
        # note-<item id> (rendered beside this form): free text, bounded like the rest.
        for key, value in self.data.items():
            if not key.startswith("note-"):
                continue
            try:
                check_free_text(str(value))
            except forms.ValidationError as exc:
                self.add_error(None, _("Stand van zaken: %(e)s") % {"e": " ".join(exc.messages)})
                break
        return data


class AddParticipantForm(StyledFormMixin, forms.Form):
    id_prefix = "participant"

    user = UserChoiceField(label=_("Deelnemer toevoegen"), queryset=User.objects.none())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people  # type: ignore[attr-defined]


class VersionOnlyForm(StyledFormMixin, forms.Form):
    id_prefix = "v"

    version = forms.IntegerField(widget=forms.HiddenInput)


class CasusregisseurForm(ProfileReasonMixin, StyledFormMixin, forms.Form):
    id_prefix = "casusregisseur"

    casusregisseur = UserChoiceField(label=_("Casusregisseur"), queryset=User.objects.none())
    agreed_by = UsersChoiceField(
        label=_("Ingestemd door"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Who agrees: the whole team; who can be chosen: not the procesregisseur.
        self.fields["casusregisseur"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["agreed_by"].queryset = people  # type: ignore[attr-defined]


class PlanTextForm(StyledFormMixin, forms.Form):
    """The support plan's texts (seed 002 7.1), in the template's order."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Aanleiding: wat is de aanleiding, vraag of zorg?"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    joint_goal = forms.CharField(
        label=_("Gezamenlijk doel"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    earlier_help = forms.CharField(
        label=_("Eerdere hulp en het resultaat"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Welke hulp is door wie en wanneer ingezet, en wat was het resultaat?"),
    )
    analysis = forms.CharField(
        label=_("Integrale analyse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Hoe wordt de gehele situatie gezien: samenhang, patronen en gevolgen."),
    )
    desired_result = forms.CharField(
        label=_("Gewenst resultaat"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    summary = forms.CharField(
        label=_("Samenvatting"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    residence_checked = forms.BooleanField(
        label=_("Het woonplaatsbeginsel is gecontroleerd (bij een aanvraag of beschikking)"),
        required=False,
    )
    residence_checked_by = forms.CharField(
        label=_("Woonplaatsbeginsel gecontroleerd door"), max_length=150, required=False
    )
    identity_checked = forms.BooleanField(
        label=_("Legitimatie is gecontroleerd (bij een aanvraag of beschikking)"), required=False
    )
    identity_checked_by = forms.CharField(
        label=_("Legitimatie gecontroleerd door"), max_length=150, required=False
    )


class StatementForm(StyledFormMixin, forms.Form):
    id_prefix = "statement"

    kind = forms.ChoiceField(
        label=_("Soort"), choices=Statement.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Wat is er gezegd"), widget=forms.Textarea(attrs={"rows": 2}))
    said_by = forms.CharField(label=_("Gezegd door"), max_length=150)


class TagFields(StyledFormMixin, forms.Form):
    """The need a goal or action addresses and the intervention used (ADR 24): both
    optional; the choices are the active needs and the interventions of the case's region."""

    need = forms.ModelChoiceField(
        label=_("Behoefte"),
        queryset=Need.objects.none(),
        required=False,
        empty_label=_("Geen behoefte gekozen"),
        error_messages={"invalid_choice": _("Kies een behoefte uit de lijst.")},
    )
    intervention = forms.ModelChoiceField(
        label=_("Ingezette interventie"),
        queryset=Intervention.objects.none(),
        required=False,
        empty_label=_("Nog geen interventie"),
        error_messages={"invalid_choice": _("Kies een interventie uit de sociale kaart.")},
        help_text=_("Uit de sociale kaart van de regio; leeg als er (nog) niets is ingezet."),
    )

    def __init__(self, *args: Any, needs: Any = None, interventions: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs if needs is not None else Need.objects.none()  # type: ignore[attr-defined]
        self.fields["intervention"].queryset = (  # type: ignore[attr-defined]
            interventions if interventions is not None else Intervention.objects.none()
        )


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.full_name} ({obj.get_relation_display().lower()})"


class GoalForm(TagFields):
    """A goal of the support plan (seed 002 7.1 "Doelen & acties") for one household
    member or the whole client system, with the goal check and what is needed."""

    id_prefix = "goal"

    member = MemberChoiceField(
        label=_("Voor wie"),
        queryset=HouseholdMember.objects.none(),
        required=False,
        empty_label=_("Het hele gezin (cliëntsysteem)"),
        error_messages={"invalid_choice": _("Kies een gezinslid van dit huishouden.")},
    )
    text = forms.CharField(
        label=_("Doel: wat wilt u bereiken?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Positief geformuleerd, gericht op de toekomst: de gewenste situatie."),
    )
    good_enough = forms.CharField(
        label=_("Goed genoeg om af te sluiten als"), widget=forms.Textarea(attrs={"rows": 2})
    )
    checks = forms.MultipleChoiceField(
        label=_("Doelcheck"),
        choices=GOAL_CHECK_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies alleen punten van de doelcheck.")},
    )
    needed = forms.CharField(
        label=_("Wat is nodig?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Concreet en meetbaar; de acties (wie doet wat wanneer) staan in de actielijst."
        ),
    )
    own_part = forms.CharField(
        label=_("Wat doet de klant zelf (eigen kracht)?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    network_part = forms.CharField(
        label=_("Wat doet het netwerk (familie, vrienden, buren)?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = [
        "member",
        "text",
        "good_enough",
        "checks",
        "needed",
        "own_part",
        "network_part",
        "need",
        "intervention",
    ]

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (  # type: ignore[attr-defined]
            members if members is not None else HouseholdMember.objects.none()
        )


class TagForm(TagFields):
    """Change the tags of an existing goal or action."""

    id_prefix = "tags"


class GoalReachedForm(StyledFormMixin, forms.Form):
    id_prefix = "reached"

    reached = forms.ChoiceField(label=_("Bereikt"), choices=Goal.Reached.choices)


class MeetingChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    default_error_messages = {
        "invalid_choice": _("Kies een overleg van deze casus dat begonnen is."),
    }

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()} {date_format(timezone.localtime(obj.starts_at), 'j F Y')}"


class ActionForm(TagFields):
    id_prefix = "action"
    field_order = [
        "what",
        "owner_user",
        "owner_organisation",
        "due_date",
        "goal",
        "need",
        "intervention",
        "meeting",
    ]

    what = forms.CharField(label=_("Wat"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_user = UserChoiceField(
        label=_("Door wie (persoon)"), queryset=User.objects.none(), required=False
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Of door welke organisatie"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_(
            "Kies een persoon, of alleen een organisatie als die zelf de uitvoerder kiest."
        ),
    )
    due_date = forms.DateField(
        label=_("Uiterlijk"),
        widget=DateInput(),
        validators=[not_in_past],
    )
    goal = forms.ModelChoiceField(label=_("Bij doel"), queryset=Goal.objects.none(), required=False)
    meeting = MeetingChoiceField(
        label=_("Afgesproken in overleg"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Niet in een overleg"),
        help_text=_("Dan staat de actie op de actielijst van dat overleg en in het verslag."),
    )

    def __init__(
        self, *args: Any, people: Any, goals: Any = None, meetings: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].help_text = _("Leeg: de behoefte van het doel van de actie.")
        self.fields["owner_user"].queryset = people  # type: ignore[attr-defined]
        if goals is None:
            del self.fields["goal"]
        else:
            self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        # On the meeting's own page the meeting is given; on the plan page it is chosen.
        if meetings is None:
            del self.fields["meeting"]
        else:
            self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class ActionReportForm(StyledFormMixin, forms.Form):
    id_prefix = "report"

    kind = forms.ChoiceField(
        label=_("Wat meldt u?"), choices=ActionReport.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EscalateForm(StyledFormMixin, forms.Form):
    to = forms.ChoiceField(
        label=_("Opschalen naar"), choices=DirectorEscalation.To.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_(
            "De manager ziet geen casuspagina's: beschrijf het knelpunt zonder naam, adres "
            "of andere persoonsgegevens van de betrokkene."
        ),
    )


class HandleEscalationForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Afhandeling"), widget=forms.Textarea(attrs={"rows": 2}))


class NeedForm(VersionedForm):
    """A need on the social map (functioneel beheer)."""

    class Meta:
        model = Need
        fields = ["domain", "name", "order", "is_active"]


class InterventionForm(VersionedForm):
    """An intervention or place on the social map (functioneel beheer)."""

    needs = forms.ModelMultipleChoiceField(
        label=_("Behoeften waarin het voorziet"),
        queryset=Need.objects.select_related("domain"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies ten minste één behoefte waarin dit voorziet."),
            "invalid_choice": _("Kies behoeften uit de lijst."),
        },
    )

    class Meta:
        model = Intervention
        fields = [
            "name",
            "provider",
            "region",
            "municipality",
            "needs",
            "capacity",
            "waiting_weeks",
            "is_active",
        ]
