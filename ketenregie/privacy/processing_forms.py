"""Forms of the processing register: they parse what was typed; the rules of what a
register must hold are `privacy.processing` (checked by the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketenregie.accounts.models import Organisation
from ketenregie.cases.grounds import LegalBasis
from ketenregie.core.forms import IdsChoiceField, StyledFormMixin
from ketenregie.privacy import processing

NOTE_HELP = _(
    "Staat bij de nieuwe versie in de versielijst, bijvoorbeeld: ‘bewaartermijn aangepast "
    "na advies FG’."
)


def _text(label: str, *, rows: int = 3, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class _VersionedForm(StyledFormMixin, forms.Form):
    # Which version the form was opened on: a save based on an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Required by the service (with the register's other rules, so all show at once).
    note = forms.CharField(
        label=_("Toelichting op de wijziging"), max_length=500, help_text=NOTE_HELP, required=False
    )


class GeneralForm(_VersionedForm):
    controller = _text(processing.GENERAL_FIELDS["controller"])
    controller_contact = _text(processing.GENERAL_FIELDS["controller_contact"])
    dpo = _text(processing.GENERAL_FIELDS["dpo"])
    service_required = (*processing.GENERAL_FIELDS, "note")
    field_order = [*processing.GENERAL_FIELDS, "note", "version"]


# Legitimate interest is never a ground for a house (a public body): not offered at all.
BASIS_CHOICES = [c for c in LegalBasis.choices if c[0] != LegalBasis.LEGITIMATE_INTEREST]


class ProcessingForm(_VersionedForm):
    name = forms.CharField(label=processing.TEXT_FIELDS["name"], max_length=200, required=False)
    purposes = _text(processing.TEXT_FIELDS["purposes"])
    persons = _text(processing.TEXT_FIELDS["persons"], rows=2)
    categories = _text(processing.TEXT_FIELDS["categories"])
    special = _text(processing.TEXT_FIELDS["special"], rows=2)
    criminal = _text(processing.TEXT_FIELDS["criminal"], rows=2)
    recipients = _text(processing.TEXT_FIELDS["recipients"], rows=2)
    transfers = _text(processing.TEXT_FIELDS["transfers"], rows=2)
    retention = _text(processing.TEXT_FIELDS["retention"])
    legal_bases = forms.MultipleChoiceField(
        label=processing.LIST_FIELDS["legal_bases"],
        choices=BASIS_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Gerechtvaardigd belang staat er niet bij: dat is geen grondslag voor "
            "overheidsorganisaties."
        ),
    )
    legal_basis_text = _text(processing.TEXT_FIELDS["legal_basis_text"])
    exception = _text(processing.TEXT_FIELDS["exception"])
    joint_controllers = IdsChoiceField(
        label=processing.LIST_FIELDS["joint_controllers"],
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "De partnerorganisaties van het huis die samen met het huis verantwoordelijk zijn."
        ),
    )
    arrangement = _text(processing.TEXT_FIELDS["arrangement"])
    security = _text(processing.TEXT_FIELDS["security"])
    service_required = (*processing.REQUIRED, "legal_bases", "note")
    field_order = [*processing.PROCESSING_ORDER, "note", "version"]

    def __init__(self, *args: Any, partners: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["joint_controllers"]
        assert isinstance(field, IdsChoiceField)
        field.queryset = partners
        self.fields["special"].help_text = _(
            "Bijvoorbeeld gegevens over gezondheid. Leeg als de verwerking ze niet bevat."
        )
        self.fields["exception"].help_text = _(
            "Verplicht als er bijzondere of strafrechtelijke gegevens in de verwerking zitten."
        )
        self.fields["security"].help_text = _(
            "De maatregelen van Ketenregie staan in de beveiligingsdocumentatie (docs/security)."
        )

    @staticmethod
    def initial_from(item: dict[str, Any], version: int) -> dict[str, Any]:
        """The form's initial values from a processing in the content."""
        initial = {f: item.get(f, "") for f in processing.TEXT_FIELDS}
        initial["legal_bases"] = list(item.get("legal_bases") or [])
        initial["joint_controllers"] = [c["id"] for c in item.get("joint_controllers") or []]
        initial["version"] = version
        return initial


class RemoveForm(_VersionedForm):
    service_required = ("note",)


class CompareForm(StyledFormMixin, forms.Form):
    """Two versions of the register to compare (GET)."""

    van = forms.TypedChoiceField(label=_("Versie"), coerce=int, choices=())
    naar = forms.TypedChoiceField(label=_("met versie"), coerce=int, choices=())

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, str(n)) for n in numbers]
        for name in ("van", "naar"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("van") is not None and data.get("van") == data.get("naar"):
            raise forms.ValidationError(_("Kies twee verschillende versies om te vergelijken."))
        return data
