"""Functioneel beheer: regions, houses, organisations and users, in the product's own pages.

One generic list/edit view serves all four; what differs per kind of record is in
RESOURCES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketenregie.accounts import services
from ketenregie.accounts.access import can_manage_accounts
from ketenregie.accounts.forms import (
    HouseForm,
    OrganisationForm,
    RegionForm,
    UserForm,
    VersionedForm,
)
from ketenregie.accounts.models import House, Organisation, Region, User
from ketenregie.core.http import AuthedRequest


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
        password=form.cleaned_data.get("password") or "",
        expected_version=form.cleaned_data.get("version"),
    )


@dataclass(frozen=True)
class Resource:
    model: type[models.Model]
    form: type[VersionedForm]
    save: Callable[[VersionedForm, User, Any], Any]
    title: str
    columns: tuple[tuple[str, str], ...]
    select_related: tuple[str, ...] = ()


RESOURCES: dict[str, Resource] = {
    "regios": Resource(Region, RegionForm, save_simple, "Regio's", (("name", "Naam"),)),
    "huizen": Resource(
        House,
        HouseForm,
        _save_house,
        "Huizen",
        (
            ("name", "Naam"),
            ("get_kind_display", "Soort"),
            ("region", "Regio"),
            ("get_triage_weekday_display", "Triagedag"),
            ("triage_start", "Triage om"),
        ),
        ("region",),
    ),
    "organisaties": Resource(
        Organisation,
        OrganisationForm,
        save_simple,
        "Ketenpartners",
        (("name", "Naam"), ("get_domain_display", "Domein"), ("region", "Regio")),
        ("region",),
    ),
    "gebruikers": Resource(
        User,
        UserForm,
        _save_user,
        "Gebruikers",
        (
            ("username", "Gebruikersnaam"),
            ("get_full_name", "Naam"),
            ("organisation", "Organisatie"),
            ("is_active", "Actief"),
        ),
        ("organisation",),
    ),
}


def _resource(request: AuthedRequest, kind: str) -> Resource:
    if not can_manage_accounts(request.user):
        raise PermissionDenied
    try:
        return RESOURCES[kind]
    except KeyError as exc:
        raise Http404 from exc


@login_required
def manage_index(request: AuthedRequest) -> HttpResponse:
    if not can_manage_accounts(request.user):
        raise PermissionDenied
    counts = [(kind, r.title, r.model._default_manager.count()) for kind, r in RESOURCES.items()]
    return TemplateResponse(request, "accounts/manage_index.html", {"counts": counts})


@login_required
def manage_list(request: AuthedRequest, kind: str) -> HttpResponse:
    res = _resource(request, kind)
    qs = res.model._default_manager.order_by("pk")
    if res.select_related:
        qs = qs.select_related(*res.select_related)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [
        (
            obj.pk,
            [
                (lambda v: v() if callable(v) else v)(getattr(obj, attr))
                for attr, _label in res.columns
            ],
        )
        for obj in page.object_list
    ]
    return TemplateResponse(
        request,
        "accounts/manage_list.html",
        {"res": res, "kind": kind, "page": page, "rows": rows, "querystring": ""},
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_edit(request: AuthedRequest, kind: str, pk: int | None = None) -> HttpResponse:
    res = _resource(request, kind)
    instance = get_object_or_404(res.model, pk=pk) if pk is not None else None
    form = res.form(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            res.save(form, request.user, instance)
        except ValidationError as exc:
            current = getattr(instance, "version", None)
            if instance is not None:
                instance.refresh_from_db()
                current = getattr(instance, "version", None)
            form.add_service_error(exc, current_version=current)
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect("manage_list", kind=kind)
    return TemplateResponse(
        request,
        "accounts/manage_edit.html",
        {"res": res, "kind": kind, "form": form, "instance": instance},
    )
