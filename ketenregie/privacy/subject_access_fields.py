"""The building blocks of the subject access export (ADR 18): a labelled value, a row's
named columns under their Dutch labels with free text redacted, and an item of a section.
Shared by the export's case sections (`subject_access`) and the household variant's
sections (`subject_access_safeguarding`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from ketenregie.privacy.redaction import Redactor


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    return "value"


def _field(key: str, label: Any, value: Any, *, text: bool = False) -> dict[str, Any]:
    """One labelled value. `text`: free text, which the reviewer may withhold on its own."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return {
        "key": key,
        "label": str(label),
        "type": "text" if text else _kind(value),
        "value": value,
    }


def _model_fields(
    obj: models.Model, names: Iterable[str], redact: Redactor
) -> list[dict[str, Any]]:
    """The named columns of a row under their Dutch labels; free text redacted."""
    out = []
    for name in names:
        f = obj._meta.get_field(name)
        assert isinstance(f, models.Field)  # a column, never a reverse relation
        if getattr(f, "choices", None):
            value: Any = str(getattr(obj, f"get_{name}_display")())
        else:
            value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = str(value)
        is_text = isinstance(f, models.TextField)
        if isinstance(value, str):
            value = redact(value)
        out.append(_field(name, f.verbose_name, value, text=is_text))
    return out


def _label(model: type[models.Model], name: str) -> str:
    f = model._meta.get_field(name)
    assert isinstance(f, models.Field)  # a column, never a reverse relation
    return str(f.verbose_name)


def _item(kind: str, pk: Any, fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": f"{kind}:{pk}", "withheld": None, "fields": fields}
