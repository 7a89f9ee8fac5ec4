"""Writes for regions, houses, organisations and users (functioneel beheer)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.access import can_decide_grant, can_reset_mfa
from ketenregie.accounts.models import (
    AccountSetupLink,
    House,
    HousePartner,
    Organisation,
    RoleAssignment,
    RoleGrantRequest,
    User,
    hash_setup_token,
)
from ketenregie.accounts.roles import GRANT_NEEDS_APPROVAL
from ketenregie.audit import services as audit
from ketenregie.audit.writes import create_audited, update_audited
from ketenregie.core.mail import send_link_mail


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


def _role_keys(user: User) -> set[tuple[str, int | None]]:
    return {(r.role, r.house_id) for r in RoleAssignment.objects.filter(user=user)}


def _key(role: str, house_id: int | None) -> str:
    return f"{role}@{house_id or '-'}"


def pending_grants(user: User) -> QuerySet[RoleGrantRequest]:
    return RoleGrantRequest.objects.filter(
        user=user, state=RoleGrantRequest.State.PENDING
    ).select_related("house", "requested_by")


@transaction.atomic
def save_user(
    *,
    actor: User,
    instance: User | None,
    values: dict[str, Any],
    roles: Iterable[tuple[str, int | None]],
    expected_version: int | None = None,
) -> User:
    """Create or update a user and their roles (audited).

    The beheerder never sets a password: a new account gets an unusable one and its user
    chooses one through a set-up link (`issue_setup_link`). Removing a role takes effect
    at once; adding one in GRANT_NEEDS_APPROVAL becomes a request that a second beheerder
    decides (`decide_grant`), the other roles are added at once.
    """
    if instance is None:
        user = User(**values)
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
    before = _role_keys(user)
    wanted = set(roles)
    if before != wanted and instance is not None and instance.pk == actor.pk:
        # Granting oneself a role (say triage chair) would open case data: another
        # administrator must do it.
        raise ValidationError(
            {"roles": _("U kunt uw eigen rollen niet wijzigen; vraag een andere beheerder.")}
        )
    added = wanted - before
    held_back = {(r, h) for r, h in added if r in GRANT_NEEDS_APPROVAL}
    after = wanted - held_back
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
                "voor": sorted(_key(r, h) for r, h in before),
                "na": sorted(_key(r, h) for r, h in after),
            },
        )
    already = {(g.role, g.house_id) for g in pending_grants(user)}
    for role, house_id in sorted(held_back - already, key=lambda k: (k[0], k[1] or 0)):
        grant = RoleGrantRequest.objects.create(
            user=user, role=role, house_id=house_id, requested_by=actor
        )
        audit.record("user.role_grant_requested", actor=actor, obj=user, data={"rol": grant.key})
    return user


@transaction.atomic
def decide_grant(*, actor: User, grant_id: int, approve: bool) -> RoleGrantRequest:
    """Approve (the role is added) or reject a pending role grant; audited.

    Raises PermissionDenied for the requester himself or the user the role is for, and a
    ValidationError when someone decided it already.
    """
    grant = get_object_or_404(RoleGrantRequest.objects.select_for_update(), pk=grant_id)
    if not can_decide_grant(actor, grant.requested_by_id, grant.user_id):
        raise PermissionDenied
    if grant.state != RoleGrantRequest.State.PENDING:
        raise ValidationError(_("Over deze aanvraag is al besloten."))
    grant.state = RoleGrantRequest.State.APPROVED if approve else RoleGrantRequest.State.REJECTED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.save(update_fields=["state", "decided_by", "decided_at"])
    if approve:
        RoleAssignment.objects.get_or_create(user=grant.user, role=grant.role, house=grant.house)
    audit.record(
        "user.role_grant_approved" if approve else "user.role_grant_rejected",
        actor=actor,
        obj=grant.user,
        data={"rol": grant.key, "aangevraagd_door": grant.requested_by_id},
    )
    return grant


def setup_link_hours() -> int:
    return int(getattr(settings, "KETENREGIE_SETUP_LINK_HOURS", 72))


@transaction.atomic
def issue_setup_link(*, actor: User, user: User) -> str:
    """Make a one-time set-up link for an account that was never set up; returns its path.

    Only the token's hash is stored. Earlier unused links of the user stop working. With
    an e-mail address the link is mailed (link only, no username); without one the
    caller shows it once to the beheerder.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():
        raise ValidationError(
            _(
                "Dit account is al ingesteld. Een gebruiker die het wachtwoord kwijt is, "
                "vraagt een nieuw wachtwoord aan via het inlogscherm."
            )
        )
    now = timezone.now()
    AccountSetupLink.objects.filter(user=user, used_at=None, expires_at__gt=now).update(
        expires_at=now
    )
    token = secrets.token_urlsafe(32)
    link = AccountSetupLink.objects.create(
        user=user,
        token_hash=hash_setup_token(token),
        created_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(hours=setup_link_hours()),
    )
    path = reverse("account_setup", args=[token])
    audit.record(
        "user.setup_link_issued",
        actor=actor,
        obj=user,
        data={"verloopt": link.expires_at.isoformat(), "per_mail": bool(user.email)},
    )
    if user.email:
        send_link_mail(
            [user.email],
            subject=_("uw account instellen"),
            text=_(
                "Er is een account voor u aangemaakt. Met de link hieronder kiest u uw "
                "wachtwoord; daarna stelt u de authenticator-app in. De link werkt één keer "
                "en verloopt na %(hours)s uur."
            )
            % {"hours": setup_link_hours()},
            path=path,
            link_intro=_("Stel uw account in:"),
        )
    return path


def find_setup_link(token: str) -> AccountSetupLink | None:
    return (
        AccountSetupLink.objects.select_related("user")
        .filter(token_hash=hash_setup_token(token))
        .first()
    )


@transaction.atomic
def complete_setup(*, token: str, password: str) -> User:
    """Use a set-up link once: set the user's first password (validators apply), audited."""
    link = (
        AccountSetupLink.objects.select_for_update()
        .filter(token_hash=hash_setup_token(token))
        .first()
    )
    if link is None or not link.is_usable() or not link.user.is_active:
        raise ValidationError(_("Deze link is niet meer geldig."))
    user = link.user
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    audit.record("user.setup_completed", actor=user, obj=user)
    return user


@transaction.atomic
def reset_mfa(*, actor: User, user: User) -> int:
    """Remove a user's authenticator app and recovery codes (a lost device); audited.

    At the next login RequireMfaMiddleware sends the user to set TOTP up again.
    """
    if not can_reset_mfa(actor, user.pk):
        raise PermissionDenied
    from allauth.mfa.models import Authenticator

    types = sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    Authenticator.objects.filter(user=user).delete()
    # Every running session of the user ends too (models.User._get_session_auth_hash).
    User.objects.filter(pk=user.pk).update(session_stamp=models.F("session_stamp") + 1)
    audit.record("user.mfa_reset", actor=actor, obj=user, data={"verwijderd": types})
    return len(types)
