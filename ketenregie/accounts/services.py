"""Writes for regions, houses, organisations and users (functioneel beheer)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from ketenregie.accounts.models import (
    House,
    HousePartner,
    Organisation,
    RoleAssignment,
    User,
)
from ketenregie.audit import services as audit
from ketenregie.audit.writes import create_audited, update_audited


@transaction.atomic
def save_record[M: models.Model](
    model: type[M],
    *,
    actor: User,
    instance: M | None,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> M:
    """Create or update a simple record (region, organisation), audited."""
    name = model._meta.model_name
    if instance is None:
        return create_audited(model, actor=actor, action=f"{name}.created", values=values)
    return update_audited(
        instance,
        actor=actor,
        action=f"{name}.updated",
        values=values,
        expected_version=expected_version,
    )


@transaction.atomic
def save_house(
    *,
    actor: User,
    instance: House | None,
    values: dict[str, Any],
    partners: Iterable[Organisation],
    fixed_partners: Iterable[Organisation],
    expected_version: int | None = None,
) -> House:
    house = save_record(
        House, actor=actor, instance=instance, values=values, expected_version=expected_version
    )
    wanted = {o.pk for o in partners} | {o.pk for o in fixed_partners}
    fixed = {o.pk for o in fixed_partners}
    current = {
        link.organisation_id: link.is_fixed_triage_partner
        for link in HousePartner.objects.filter(house=house)
    }
    target = {pk: pk in fixed for pk in wanted}
    if current != target:
        HousePartner.objects.filter(house=house).exclude(organisation_id__in=wanted).delete()
        for pk, is_fixed in target.items():
            HousePartner.objects.update_or_create(
                house=house, organisation_id=pk, defaults={"is_fixed_triage_partner": is_fixed}
            )
        audit.record(
            "house.partners_changed",
            actor=actor,
            obj=house,
            data={
                "voor": {str(k): v for k, v in sorted(current.items())},
                "na": {str(k): v for k, v in sorted(target.items())},
            },
        )
    return house


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _role_keys(user: User) -> set[tuple[str, int | None]]:
    return {(r.role, r.house_id) for r in RoleAssignment.objects.filter(user=user)}


@transaction.atomic
def save_user(
    *,
    actor: User,
    instance: User | None,
    values: dict[str, Any],
    roles: Iterable[tuple[str, int | None]],
    password: str = "",
    expected_version: int | None = None,
) -> User:
    if instance is None:
        user = User(**values)
        if password:
            _check_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit.record(
            "user.created",
            actor=actor,
            obj=user,
            data={"na": {k: getattr(user, f"{k}_id", None) or str(v) for k, v in values.items()}},
        )
    else:
        user = update_audited(
            instance,
            actor=actor,
            action="user.updated",
            values=values,
            expected_version=expected_version,
        )
        if password:
            _check_password(password, user)
            user.set_password(password)
            user.save(update_fields=["password"])
            audit.record("user.password_set", actor=actor, obj=user)
    before = _role_keys(user)
    after = set(roles)
    if before != after and instance is not None and instance.pk == actor.pk:
        # Granting oneself a role (say triage chair) would open case data: another
        # administrator must do it.
        raise ValidationError(
            {"roles": _("U kunt uw eigen rollen niet wijzigen; vraag een andere beheerder.")}
        )
    if before != after:
        RoleAssignment.objects.filter(user=user).delete()
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=user, role=role, house_id=house_id) for role, house_id in after
        )
        audit.record(
            "user.roles_changed",
            actor=actor,
            obj=user,
            data={
                "voor": sorted(f"{r}@{h or '-'}" for r, h in before),
                "na": sorted(f"{r}@{h or '-'}" for r, h in after),
            },
        )
    return user
