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
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketenregie.accounts import services
from ketenregie.accounts.access import can_decide_grant, can_manage_accounts, can_reset_mfa
from ketenregie.accounts.beheer import Resource, resources, setup_link_page
from ketenregie.accounts.forms import SetupPasswordForm
from ketenregie.accounts.models import RoleGrantRequest, User
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
    pending = RoleGrantRequest.objects.filter(state=RoleGrantRequest.State.PENDING).count()
    return TemplateResponse(
        request, "accounts/manage_index.html", {"counts": counts, "pending_grants": pending}
    )


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
            saved = res.save(form, request.user, instance)
        except ValidationError as exc:
            current = getattr(instance, "version", None)
            if instance is not None:
                instance.refresh_from_db()
                current = getattr(instance, "version", None)
            form.add_service_error(exc, current_version=current)
        else:
            if instance is None and res.after_create is not None:
                return res.after_create(request, request.user, saved)
            messages.success(request, _("Opgeslagen."))
            return redirect("manage_list", kind=kind)
    panel = (
        res.panel_context(instance, request.user)
        if instance is not None and res.panel_context is not None
        else {}
    )
    return TemplateResponse(
        request,
        "accounts/manage_edit.html",
        {"res": res, "kind": kind, "form": form, "instance": instance, **panel},
    )


def _user_to_manage(request: AuthedRequest, pk: int) -> User:
    if not can_manage_accounts(request.user):
        raise PermissionDenied
    return get_object_or_404(User, pk=pk)


@login_required
def grant_requests(request: AuthedRequest) -> HttpResponse:
    """Pending role grants, for a second beheerder to approve or reject (four eyes)."""
    if not can_manage_accounts(request.user):
        raise PermissionDenied
    pending = RoleGrantRequest.objects.filter(state=RoleGrantRequest.State.PENDING).select_related(
        "user", "house", "requested_by"
    )
    rows = [(g, can_decide_grant(request.user, g.requested_by_id, g.user_id)) for g in pending]
    return TemplateResponse(request, "accounts/grant_requests.html", {"rows": rows})


@login_required
@require_POST
def grant_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    if not can_manage_accounts(request.user):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Kies goedkeuren of afwijzen."))
        return redirect("grant_requests")
    try:
        grant = services.decide_grant(
            actor=request.user, grant_id=pk, approve=decision == "approve"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = _("goedgekeurd") if decision == "approve" else _("afgewezen")
        messages.success(
            request,
            _("Toekenning van %(role)s aan %(user)s %(done)s.")
            % {"role": grant.get_role_display(), "user": grant.user, "done": done},
        )
    return redirect("grant_requests")


@login_required
@require_POST
def manage_setup_link(request: AuthedRequest, pk: int) -> HttpResponse:
    """A new set-up link for an account that was never set up (the first one expired)."""
    return setup_link_page(request, request.user, _user_to_manage(request, pk))


@login_required
@require_POST
def manage_mfa_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a user's authenticator after a lost device; they set it up at next login."""
    user = _user_to_manage(request, pk)
    if not can_reset_mfa(request.user, user.pk):
        raise PermissionDenied
    services.reset_mfa(actor=request.user, user=user)
    messages.success(
        request,
        _(
            "De tweestapsverificatie van %(user)s is gereset. Bij de volgende keer inloggen "
            "stelt de gebruiker de authenticator-app opnieuw in."
        )
        % {"user": user},
    )
    return redirect("manage_edit", kind="gebruikers", pk=user.pk)


@require_http_methods(["GET", "POST"])
def account_setup(request: HttpRequest, token: str) -> HttpResponse:
    """The set-up link: the new user chooses a password, then logs in and sets up TOTP.

    Opening the link (GET) changes nothing; only the POST uses it up.
    """
    link = services.find_setup_link(token)
    if link is None or not link.is_usable() or not link.user.is_active:
        reason = (
            "used"
            if link is not None and link.used_at is not None
            else ("expired" if link is not None else "unknown")
        )
        response = TemplateResponse(
            request, "accounts/setup_invalid.html", {"reason": reason}, status=410
        )
    else:
        form = SetupPasswordForm(link.user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.complete_setup(token=token, password=form.cleaned_data["new_password1"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Uw wachtwoord is ingesteld. Log nu in; daarna stelt u de "
                        "authenticator-app in."
                    ),
                )
                return redirect("account_login")
        response = TemplateResponse(
            request, "accounts/setup.html", {"form": form, "account": link.user}
        )
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def mfa_deactivate_refused(request: HttpRequest) -> HttpResponse:
    """Stands in front of allauth's "deactivate TOTP": MFA is mandatory (ADR 11)."""
    messages.error(
        request,
        _(
            "Tweestapsverificatie is verplicht en kan niet worden uitgeschakeld. Nieuw "
            "toestel of toestel kwijt? Gebruik een herstelcode of vraag de functioneel "
            "beheerder de tweestapsverificatie te resetten."
        ),
    )
    return redirect("mfa_index")
