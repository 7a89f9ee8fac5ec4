"""Functioneel beheer: regions, houses, organisations, users and what other apps register,
in the product's own pages.

One generic list/edit view serves every kind; what differs per kind of record is its
`Resource` in the registry of accounts.beheer.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketenregie.accounts.access import can_manage_accounts
from ketenregie.accounts.beheer import Resource, resources
from ketenregie.core.http import AuthedRequest


def _resource(request: AuthedRequest, kind: str) -> Resource:
    if not can_manage_accounts(request.user):
        raise PermissionDenied
    try:
        return resources()[kind]
    except KeyError as exc:
        raise Http404 from exc


@login_required
def manage_index(request: AuthedRequest) -> HttpResponse:
    if not can_manage_accounts(request.user):
        raise PermissionDenied
    counts = [(kind, r.title, r.model._default_manager.count()) for kind, r in resources().items()]
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
