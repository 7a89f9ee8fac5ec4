"""Form rendering in the NL Design System (Utrecht) look, shared by every form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.core.converters import MAX_ID, parse_id
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.timeutil import today

# Free text without a bound of its own (a model TextField, a form-only text): at most this
# many characters. Long texts (a textarea) hold a plan's analysis or minutes; a single
# line holds a name or a short reason. Far above what anyone types, far below what fills
# a database or a PDF by accident or on purpose.
LONG_TEXT_MAX = 10_000
SHORT_TEXT_MAX = 200
TOO_LONG = _("Deze tekst is te lang: hoogstens %(limit_value)s tekens (nu %(show_value)s).")


def check_free_text(text: str) -> None:
    """The rules of a form's free text, for texts posted outside a form class (a table of
    scores, notes per item): at most LONG_TEXT_MAX characters, no NUL characters (which
    PostgreSQL cannot store). Raises a ValidationError with the Dutch message."""
    MaxLengthValidator(LONG_TEXT_MAX, message=TOO_LONG)(text)
    ProhibitNullCharactersValidator()(text)


IN_PAST = _("Deze datum ligt in het verleden. Kies vandaag of een latere datum.")
MOMENT_IN_PAST = _("Dit tijdstip ligt in het verleden. Kies een later tijdstip.")
IN_FUTURE = _("Deze datum ligt in de toekomst. Kies vandaag of een eerdere datum.")
MOMENT_IN_FUTURE = _("Dit moment ligt nog in de toekomst.")


def not_in_past(value: dt.date | dt.datetime | None, message: Any = None) -> None:
    """The one rule for "cannot lie in the past": a date before today (Europe/Amsterdam),
    or a moment before now. A field validator, and callable from a service or a clean()
    with a message of its own. Raises a ValidationError with code "in_past"."""
    if value is None:
        return
    if isinstance(value, dt.datetime):
        late = value < timezone.now()
        default = MOMENT_IN_PAST
    else:
        late = value < today()
        default = IN_PAST
    if late:
        raise ValidationError(message or default, code="in_past")


def not_in_future(value: dt.date | dt.datetime | None, message: Any = None) -> None:
    """The one rule for "cannot lie in the future": a date after today, or a moment after
    now (what happened is recorded once it has happened). Code "in_future"."""
    if value is None:
        return
    if isinstance(value, dt.datetime):
        early = value > timezone.now()
        default = MOMENT_IN_FUTURE
    else:
        early = value > today()
        default = IN_FUTURE
    if early:
        raise ValidationError(message or default, code="in_future")


def bound_number(field: forms.Field) -> None:
    """Keep a whole number without bounds of its own within the database's integer: a
    larger one cannot be stored or looked up (an OverflowError on SQLite)."""
    if not isinstance(field, forms.IntegerField):
        return
    if field.max_value is None:
        field.max_value = MAX_ID
        field.validators.append(MaxValueValidator(MAX_ID))
    if field.min_value is None:
        field.min_value = -MAX_ID - 1
        field.validators.append(MinValueValidator(-MAX_ID - 1))


def bound_text(field: forms.Field) -> None:
    """Give a text field without a maximum length the product's default maximum."""
    if not isinstance(field, forms.CharField) or field.max_length is not None:
        return
    if isinstance(field.widget, forms.PasswordInput):
        return  # passwords follow the password rules (accounts), not a text length
    limit = LONG_TEXT_MAX if isinstance(field.widget, forms.Textarea) else SHORT_TEXT_MAX
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit, message=TOO_LONG))
    field.widget.attrs.setdefault("maxlength", str(limit))


class UtrechtFormRenderer(DjangoTemplates):
    form_template_name = "core/form.html"
    field_template_name = "core/field.html"


WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
}


class StyledFormMixin:
    """Adds Utrecht classes and aria-invalid to widgets; keeps typed input on errors."""

    fields: dict[str, forms.Field]
    data: Any
    # Several forms on one page need distinct element ids (labels point at them).
    id_prefix: str | None = None
    # Fields the service requires (with its own Dutch message): marked "(verplicht)" too.
    service_required: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        """Give every widget its Utrecht class and every free text its maximum length;
        forms call it again after adding fields."""
        for name in self.service_required:
            if name in self.fields:
                setattr(self.fields[name], "show_required", True)  # noqa: B010 - not a Field attribute
                self.fields[name].widget.attrs["aria-required"] = "true"
        for field in self.fields.values():
            bound_text(field)
            bound_number(field)
            widget = field.widget
            if widget.attrs.get("data-styled"):
                continue
            css = next(
                (c for t, c in WIDGET_CLASSES.items() if type(widget) is t),
                "utrecht-textbox utrecht-textbox--html-input",
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            widget.attrs["data-styled"] = "1"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "errors", {}):
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def add_service_error(self, error: ValidationError, current_version: int | None = None) -> None:
        """Show a service's error on the form; after a concurrent edit, take the new version.

        The typed input stays; a deliberate second save then replaces the other change
        instead of failing forever on the stale version.
        """
        if isinstance(error, ConcurrentEditError) and current_version is not None:
            data = self.data.copy()
            data["version"] = str(current_version)
            self.data = data
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        # Errors for fields this form does not have still reach the page, at the top.
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)


def apply_service(
    form: StyledFormMixin,
    action: Callable[[], object],
    current_version: Callable[[], int | None] | None = None,
    *,
    also: Sequence[StyledFormMixin] = (),
) -> bool:
    """Run a service call for a valid form; on a ValidationError show it on the form.

    Returns True when the write succeeded. The one place where views turn service errors
    into Dutch messages on the page (and take the new version after a concurrent edit).
    `also`: other forms of the same page (say the person on a referral), which show the
    errors of their own fields next to those fields.
    """
    try:
        action()
    except ValidationError as exc:
        error = exc
        if also and hasattr(exc, "error_dict"):
            rest: dict[str, Any] = {}
            for name, errors in exc.error_dict.items():
                other = next((f for f in also if name in f.fields), None)
                if other is not None and name not in form.fields:
                    other.add_error(name, errors)
                else:
                    rest[name] = errors
            error = ValidationError(rest)
        form.add_service_error(error, current_version() if current_version else None)
        return False
    return True


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class IdsChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A choice of several records by id; a value that is no id is a form error.

    Django's field looks the values up with `pk__in`, which sends an id beyond the
    database's integer range to the database as is: a server error (OverflowError on
    SQLite). Each value is checked against the one id rule (`parse_id`) first. Every
    multiple choice of records in the product's forms uses this field.
    """

    default_error_messages = {
        "invalid_pk_value": _("Kies uit de mogelijkheden die getoond worden."),
        "invalid_choice": _("Kies uit de mogelijkheden die getoond worden."),
    }

    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None and isinstance(value, list | tuple):
            if any(parse_id(pk) is None for pk in value):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value"
                )
        return super()._check_values(value)  # type: ignore[misc]


@dataclass(frozen=True)
class SummaryError:
    """One line of a form's error summary: the field's label and message, and the id of
    the element to jump to (empty for a message about the whole form)."""

    label: str
    message: str
    anchor: str = ""


def error_summary(
    forms_with_prefix: Iterable[tuple[forms.BaseForm, str]],
) -> list[SummaryError]:
    """The errors of a page's forms in page order, each naming and linking its field.

    A prefix tells two forms' fields of the same name apart ("Gezinslid 2: Achternaam").
    The summary sits at the top of the page (`core/_error_summary.html`); the message
    also stands beside its field.
    """
    items: list[SummaryError] = []
    for form, prefix in forms_with_prefix:
        errors = form.errors
        if not errors:
            continue
        items += [SummaryError(prefix.rstrip(": "), str(e)) for e in form.non_field_errors()]
        for name in form.fields:
            if name not in errors:
                continue
            bound = form[name]
            # A radio group has no single labelled input: jump to the group itself.
            anchor = bound.id_for_label or bound.auto_id or ""
            # "… (WGS)." as a label: no full stop before the message follows.
            label = f"{prefix}{bound.label}".rstrip(".: ")
            items += [SummaryError(label, str(e), anchor) for e in errors[name]]
    return items


# The one rule for a period on a form or in a service: the end may not lie before the start.
END_BEFORE_START = _("De einddatum ligt voor de begindatum.")


def end_before_start(start: dt.date | None, end: dt.date | None) -> bool:
    return start is not None and end is not None and end < start


class PeriodFormMixin:
    """A form with a period (`period_fields`: start and end field): an end before the
    start is an error on the end field."""

    period_fields: tuple[str, str] = ("date_from", "date_to")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        start_name, end_name = self.period_fields
        if end_before_start(data.get(start_name), data.get(end_name)):
            self.add_error(end_name, END_BEFORE_START)  # type: ignore[attr-defined]
        return data


class HouseChoiceMixin:
    """A form whose `house` field offers only the houses the view passes (the user's)."""

    def __init__(self, *args: Any, houses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["house"]  # type: ignore[attr-defined]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = houses
