"""apply_service: how a service's error reaches the form (and the page) in Dutch."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.forms import StyledFormMixin, apply_service


class NoteForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField()


def _form() -> NoteForm:
    form = NoteForm({"version": "3", "text": "Wat ik typte"})
    assert form.is_valid()
    return form


def test_a_successful_service_call_returns_true() -> None:
    calls: list[str] = []
    form = _form()
    assert apply_service(form, lambda: calls.append("ja")) is True
    assert calls == ["ja"] and not form.errors


def test_a_concurrent_edit_shows_the_dutch_message_and_takes_the_new_version() -> None:
    form = _form()

    def stale() -> None:
        raise ConcurrentEditError()

    assert apply_service(form, stale, lambda: 4) is False
    assert "Iemand anders heeft dit gegeven opgeslagen" in form.non_field_errors()[0]
    # A deliberate second save now carries the new version; what was typed stays.
    assert form.data["version"] == "4" and form.data["text"] == "Wat ik typte"


def test_without_a_current_version_the_form_keeps_its_own() -> None:
    form = _form()

    def stale() -> None:
        raise ConcurrentEditError()

    assert apply_service(form, stale) is False
    assert form.data["version"] == "3"


def test_field_errors_land_on_the_field_and_unknown_fields_at_the_top() -> None:
    form = _form()

    def refuse() -> None:
        raise ValidationError({"text": "Schrijf iets anders.", "elders": "Dit gaat mis."})

    assert apply_service(form, refuse) is False
    assert form.errors["text"] == ["Schrijf iets anders."]
    assert form.non_field_errors() == ["Dit gaat mis."]
    assert form.fields["text"].widget.attrs["aria-invalid"] == "true"


def test_a_plain_message_goes_to_the_top() -> None:
    form = _form()

    def refuse() -> None:
        raise ValidationError("Dit kan niet bij deze casus.")

    assert apply_service(form, refuse) is False
    assert form.non_field_errors() == ["Dit kan niet bij deze casus."]


def test_not_in_past_and_not_in_future_one_rule_for_dates_and_moments() -> None:
    """Issue 12: one place for "cannot lie in the past / future" (core.forms)."""
    import datetime as dt

    import pytest
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from ketenregie.core.forms import not_in_future, not_in_past
    from ketenregie.core.timeutil import today

    day = today()
    not_in_past(day)
    not_in_future(day)
    not_in_past(None)
    with pytest.raises(ValidationError, match="in het verleden") as err:
        not_in_past(day - dt.timedelta(days=1))
    assert err.value.code == "in_past"
    with pytest.raises(ValidationError, match="in de toekomst") as err:
        not_in_future(day + dt.timedelta(days=1))
    assert err.value.code == "in_future"
    with pytest.raises(ValidationError, match="Dit tijdstip"):
        not_in_past(timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="eigen melding"):
        not_in_future(timezone.now() + dt.timedelta(minutes=1), "eigen melding")
