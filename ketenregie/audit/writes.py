"""The one write idiom of every service: lock, check the version, snapshot, save, audit.

Services call these inside their own transaction, so the change and its audit event
commit together or not at all: a failing audit write rolls the change back.

What enters the permanent trail is chosen per call (`mode`):

* ``"values"``: ``{"wijzigingen": {field: {"voor": old, "na": new}}}`` for structured
  fields (dates, states, levels, keys);
* ``"names"``: ``{"velden": [changed field names]}`` for free text and person data, which
  must never be copied into the append-only trail (``shown`` may still add the diff of
  the fields in it that are safe to keep, such as dates);
* ``"states"``: ``{"voor": {...}, "na": {...}}``, the whole before and after of a few
  structured fields (an answer that is recorded even when it did not change);
* ``"none"``: only the service's own ``extra`` payload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from django.db import models

from ketenregie.audit import services as audit
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.models import VersionedModel

if TYPE_CHECKING:
    # The user model through AUTH_USER_MODEL (django-stubs): audit sits below accounts.
    from django.contrib.auth.models import _User as User

type Mode = Literal["values", "names", "states", "none"]
type Extra[M] = Mapping[str, Any] | Callable[[M], Mapping[str, Any]] | None


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def snapshot(instance: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    """The stored form of `fields` (foreign keys as ids, dates as ISO text)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _jsonable(getattr(instance, attname))
    return out


def is_versioned(row: models.Model) -> bool:
    """A VersionedModel, or a model with its own `version` counter (the user)."""
    return isinstance(row, VersionedModel) or any(f.name == "version" for f in row._meta.fields)


def check_version(row: models.Model, expected_version: int | None) -> None:
    """Refuse the write when the form was loaded from an older version of the row."""
    if expected_version is None or not is_versioned(row):
        return
    if getattr(row, "version") != expected_version:  # noqa: B009 - not every model has it
        raise ConcurrentEditError()


def lock[M: models.Model](
    instance: M,
    *,
    expected_version: int | None = None,
    related: Sequence[str] = (),
    of: Sequence[str] = (),
) -> M:
    """The row, freshly read under a row lock; ConcurrentEditError if it moved on.

    `of` limits the lock to the named tables (PostgreSQL refuses FOR UPDATE on the
    nullable side of an outer join, which `related` may add).
    """
    manager = type(instance)._default_manager
    rows = manager.select_for_update(of=tuple(of)) if of else manager.select_for_update()
    if related:
        rows = rows.select_related(*related)
    locked = rows.get(pk=instance.pk)
    check_version(locked, expected_version)
    return locked


def _payload[M: models.Model](
    row: M,
    *,
    mode: Mode,
    changed: list[str],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    shown: Collection[str] | None,
    labels: Mapping[str, str] | None,
    extra: Extra[M],
) -> dict[str, Any]:
    show = set(after) if shown is None else set(shown)
    if mode == "names":
        # In names mode only what the caller names in `shown` carries values.
        show = set(shown or ())
    changes = {
        (labels or {}).get(name, name): {"voor": before[name], "na": after[name]}
        for name in changed
        if name in show
    }
    data: dict[str, Any] = {}
    if mode == "names":
        data["velden"] = changed
        if shown:
            data["wijzigingen"] = changes
    elif mode == "values" and changes:
        data["wijzigingen"] = changes
    elif mode == "states":
        data["voor"], data["na"] = dict(before), dict(after)
    more = extra(row) if callable(extra) else extra
    data.update(more or {})
    return data


def _write_changed(
    locked: models.Model,
    changed: list[str],
    *,
    touch: Mapping[str, Any] | None,
    clean: bool,
) -> None:
    """Validate and save only the changed fields, with `touch` and a versioned row's bump."""
    if clean and changed:
        model_fields = [f.name for f in locked._meta.fields]
        locked.full_clean(exclude=[name for name in model_fields if name not in changed])
    update = [locked._meta.get_field(name).name for name in changed]
    for name, value in (touch or {}).items():
        setattr(locked, name, value)
        update.append(name)
    if is_versioned(locked):
        setattr(locked, "version", getattr(locked, "version") + 1)  # noqa: B009, B010
        update.append("version")
    if update:
        locked.save(update_fields=update)


def save_audited[M: models.Model](
    locked: M,
    *,
    actor: User | None,
    action: str,
    values: Mapping[str, Any],
    case_id: int | None = None,
    mode: Mode = "values",
    shown: Collection[str] | None = None,
    labels: Mapping[str, str] | None = None,
    extra: Extra[M] = None,
    touch: Mapping[str, Any] | None = None,
    always: bool = False,
    purpose: str = "",
    clean: bool = True,
    obj: models.Model | None = None,
) -> list[str]:
    """Apply `values` to a locked row, save what changed and audit it; the changed names.

    Nothing changed: nothing is written and nothing audited, unless `always` (the
    service's event records an act, say saving minutes, not only a change). `touch`
    (updated_at/updated_by) is saved along with a change but never compared or audited.
    A versioned row's version goes up with every write. `obj` files the event under
    another row than the one saved (a participant's answer belongs to the meeting).
    """
    fields = list(values)
    before = snapshot(locked, fields)
    for name, value in values.items():
        setattr(locked, name, value)
    after = snapshot(locked, fields)
    changed = [name for name in fields if before[name] != after[name]]
    if not changed and not always:
        return changed
    _write_changed(locked, changed, touch=touch, clean=clean)
    audit.record(
        action,
        actor=actor,
        case_id=case_id,
        obj=locked if obj is None else obj,
        purpose=purpose,
        data=_payload(
            locked,
            mode=mode,
            changed=changed,
            before=before,
            after=after,
            shown=shown,
            labels=labels,
            extra=extra,
        ),
    )
    return changed


def update_audited[M: models.Model](
    instance: M,
    *,
    actor: User | None,
    action: str,
    values: Mapping[str, Any],
    expected_version: int | None = None,
    case_id: int | None = None,
    mode: Mode = "values",
    shown: Collection[str] | None = None,
    labels: Mapping[str, str] | None = None,
    extra: Extra[M] = None,
    touch: Mapping[str, Any] | None = None,
    always: bool = False,
) -> M:
    """Lock, check the version, apply changed fields, save them and audit (see save_audited).

    Raises ConcurrentEditError when `expected_version` is given and the row has moved on;
    then nothing is written.
    """
    locked = lock(instance, expected_version=expected_version)
    save_audited(
        locked,
        actor=actor,
        action=action,
        values=values,
        case_id=case_id,
        mode=mode,
        shown=shown,
        labels=labels,
        extra=extra,
        touch=touch,
        always=always,
    )
    return locked


def create_audited[M: models.Model](
    model: type[M],
    *,
    actor: User | None,
    action: str,
    values: Mapping[str, Any],
    case_id: int | None = None,
    mode: Mode = "values",
    extra: Extra[M] = None,
    purpose: str = "",
) -> M:
    """Create a row and its audit event: ``{"na": values}``, the filled names, or `extra`."""
    instance = model(**values)
    instance.full_clean()
    instance.save()
    data: dict[str, Any] = {}
    if mode == "values":
        data["na"] = snapshot(instance, list(values))
    elif mode == "names":
        data["velden"] = [
            name
            for name, value in snapshot(instance, list(values)).items()
            if value not in (None, "")
        ]
    more = extra(instance) if callable(extra) else extra
    data.update(more or {})
    audit.record(action, actor=actor, case_id=case_id, obj=instance, purpose=purpose, data=data)
    return instance
