"""The generic write steps every app's services share: snapshot, diff, save, audit.

Domain services call these inside their own transaction so that the change and its
audit event commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import models

from ketenregie.audit import services as audit
from ketenregie.core.errors import ConcurrentEditError

if TYPE_CHECKING:
    from ketenregie.accounts.models import User


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _jsonable(getattr(instance, attname))
    return out


def create_audited[M: models.Model](
    model: type[M],
    *,
    actor: User | None,
    action: str,
    values: Mapping[str, Any],
    case_id: int | None = None,
    audit_values: bool = True,
) -> M:
    """Create a row and its audit event (call inside the caller's transaction)."""
    instance = model(**values)
    instance.full_clean()
    instance.save()
    data = {"na": snapshot(instance, list(values))} if audit_values else {}
    audit.record(action, actor=actor, case_id=case_id, obj=instance, data=data)
    return instance


def update_audited[M: models.Model](
    instance: M,
    *,
    actor: User | None,
    action: str,
    values: Mapping[str, Any],
    expected_version: int | None = None,
    case_id: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> M:
    """Lock, check the version, apply changed fields, save them and audit the diff.

    Raises ConcurrentEditError when `expected_version` is given and the row has moved on.
    """
    model = type(instance)
    locked = model._default_manager.select_for_update().get(pk=instance.pk)
    has_version = any(f.name == "version" for f in model._meta.fields)
    if expected_version is not None and has_version:
        if locked.version != expected_version:  # type: ignore[attr-defined]
            raise ConcurrentEditError()
    fields = list(values)
    before = snapshot(locked, fields)
    for name, value in values.items():
        setattr(locked, name, value)
    after = snapshot(locked, fields)
    changes = audit.diff(before, after)
    if not changes:
        return locked
    changed = list(changes)
    locked.full_clean(exclude=[f.name for f in model._meta.fields if f.name not in changed])
    if has_version:
        locked.version += 1  # type: ignore[attr-defined]
        changed.append("version")
    locked.save(update_fields=[model._meta.get_field(n).name for n in changed])
    audit.record(
        action,
        actor=actor,
        case_id=case_id,
        obj=locked,
        data={"wijzigingen": changes, **(extra or {})},
    )
    return locked
