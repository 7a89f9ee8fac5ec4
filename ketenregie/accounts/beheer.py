"""The registry of record kinds on the functioneel beheerder's pages.

One generic list/edit view (accounts.views) serves every kind; what differs per kind is
a `Resource`. Accounts registers its own four kinds here from its `ready()`; an app
higher up that has records for the beheerder (pga's letter templates) declares them
through the same `register_resource` call from its own `ready()`, so accounts never
imports those apps and nobody patches another app's module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from ketenregie.accounts import services
from ketenregie.accounts.access import can_reset_mfa
from ketenregie.accounts.forms import (
    CompetenceProfileForm,
    HouseForm,
    OrganisationForm,
    RegionForm,
    UserForm,
    VersionedForm,
)
from ketenregie.accounts.models import CompetenceProfile, House, Organisation, Region, User
from ketenregie.core.mail import absolute_url

type SaveRecord = Callable[[VersionedForm, User, Any], Any]


@dataclass(frozen=True)
class Resource:
    """One kind of record: its model and form, how to save it (audited), its title and
    the columns of its list."""

    model: type[models.Model]
    form: type[VersionedForm]
    save: SaveRecord
    title: StrOrPromise
    columns: tuple[tuple[str, StrOrPromise], ...]
    select_related: tuple[str, ...] = ()
    # Optional extras of a record's edit page: a template shown under the form and its
    # context (the record, the beheerder looking at it).
    edit_panel: str = ""
    panel_context: Callable[[Any, User], dict[str, Any]] | None = None
    # Optional response right after a record is created, instead of back to the list.
    after_create: Callable[[HttpRequest, User, Any], HttpResponse] | None = None


_registry: dict[str, Resource] = {}


def register_resource(kind: str, resource: Resource) -> None:
    """Put a kind of record on the beheer pages under the URL slug `kind`.

    The same declaration twice is harmless; a second, different one for a slug is a
    configuration mistake and stops start-up.
    """
    current = _registry.get(kind)
    if current is not None and current != resource:
        raise ImproperlyConfigured(f"Beheer resource {kind!r} is already registered.")
    _registry[kind] = resource


def resources() -> Mapping[str, Resource]:
    """Every registered kind, in registration order (the order of the beheer index)."""
    return MappingProxyType(_registry)


def save_simple(form: VersionedForm, actor: User, instance: Any) -> Any:
    """Save a record whose form fields map one to one onto the model (audited)."""
    return services.save_record(
        type(form.instance),
        actor=actor,
        instance=instance,
        values=form.values(),
        expected_version=form.cleaned_data.get("version"),
    )


def _save_house(form: VersionedForm, actor: User, instance: Any) -> Any:
    return services.save_house(
        actor=actor,
        instance=instance,
        values=form.values(),
        partners=form.cleaned_data["partner_organisations"],
        fixed_partners=form.cleaned_data["fixed_partners"],
        expected_version=form.cleaned_data.get("version"),
    )


def _save_user(form: VersionedForm, actor: User, instance: Any) -> Any:
    assert isinstance(form, UserForm)
    return services.save_user(
        actor=actor,
        instance=instance,
        values=form.values(),
        roles=form.role_keys(),
        expected_version=form.cleaned_data.get("version"),
    )


def setup_link_page(request: HttpRequest, actor: User, user: User) -> HttpResponse:
    """Make a set-up link for a user who was never set up and say where it went: mailed
    to the user, or, without an e-mail address, shown to the beheerder this once."""
    try:
        path = services.issue_setup_link(actor=actor, user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("manage_edit", kind="gebruikers", pk=user.pk)
    response = TemplateResponse(
        request,
        "accounts/setup_link_issued.html",
        {
            "account": user,
            "link": None if user.email else absolute_url(path),
            "hours": services.setup_link_hours(),
        },
    )
    # The link is a secret for one person: never kept by a browser or proxy cache.
    add_never_cache_headers(response)
    return response


def _user_panel(user: User, viewer: User) -> dict[str, Any]:
    from allauth.mfa.models import Authenticator

    return {
        "pending_grants": list(services.pending_grants(user)),
        "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "never_set_up": not user.has_usable_password(),
        "can_reset_mfa": can_reset_mfa(viewer, user.pk),
    }


def register_accounts_resources() -> None:
    """Accounts' own kinds: regions, houses, organisations and users."""
    register_resource(
        "regios", Resource(Region, RegionForm, save_simple, _("Regio's"), (("name", _("Naam")),))
    )
    register_resource(
        "huizen",
        Resource(
            House,
            HouseForm,
            _save_house,
            _("Huizen"),
            (
                ("name", _("Naam")),
                ("get_kind_display", _("Soort")),
                ("region", _("Regio")),
                ("get_triage_weekday_display", _("Triagedag")),
                ("triage_start", _("Triage om")),
            ),
            ("region",),
        ),
    )
    register_resource(
        "organisaties",
        Resource(
            Organisation,
            OrganisationForm,
            save_simple,
            _("Ketenpartners"),
            (("name", _("Naam")), ("get_domain_display", _("Domein")), ("region", _("Regio"))),
            ("region",),
        ),
    )
    register_resource(
        "gebruikers",
        Resource(
            User,
            UserForm,
            _save_user,
            _("Gebruikers"),
            (
                ("username", _("Gebruikersnaam")),
                ("get_full_name", _("Naam")),
                ("organisation", _("Organisatie")),
                ("is_active", _("Actief")),
            ),
            ("organisation",),
            edit_panel="accounts/_user_panel.html",
            panel_context=_user_panel,
            after_create=setup_link_page,
        ),
    )
    # Issue 15 (escmap): the competence profiles of users who direct cases.
    register_resource(
        "competentieprofielen",
        Resource(
            CompetenceProfile,
            CompetenceProfileForm,
            save_simple,
            _("Competentieprofielen regisseurs"),
            (
                ("user", _("Gebruiker")),
                ("profile", _("Profiel")),
                ("since", _("Sinds")),
                ("note", _("Toelichting")),
            ),
            ("user",),
        ),
    )
