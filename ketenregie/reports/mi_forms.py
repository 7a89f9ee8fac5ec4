"""The period and house filter of the management-information pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenregie.core.forms import END_BEFORE_START, DateInput, StyledFormMixin
from ketenregie.core.timeutil import today

# Longer periods make charts of a hundred months nobody reads; the bound also keeps
# every aggregate a bounded scan.
MAX_DAYS = 3 * 366


def default_period() -> tuple[dt.date, dt.date]:
    """The last twelve months: from the first of the month a year ago up to today."""
    end = today()
    year, month = end.year, end.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    start = dt.date(year, month, 1)
    return start, end


class PeriodForm(StyledFormMixin, forms.Form):
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    house = forms.TypedChoiceField(label=_("Huis"), required=False, coerce=int, empty_value=None)
    municipality = forms.ChoiceField(label=_("Gemeente (woonplaats)"), required=False)

    def __init__(
        self,
        *args: Any,
        houses: list[tuple[int, str]],
        municipalities: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["municipality"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = [("", _("Alle gemeenten")), *((m, m) for m in municipalities)]
        field = self.fields["house"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Alle huizen")), *houses] if len(houses) > 1 else houses
        if len(houses) == 1:
            field.required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = default_period()
        start = data.get("date_from") or start
        end = data.get("date_to") or end
        if end < start:
            self.add_error("date_to", END_BEFORE_START)
        elif (end - start).days > MAX_DAYS:
            self.add_error("date_from", _("Kies een periode van hoogstens drie jaar."))
        data["date_from"], data["date_to"] = start, end
        return data
