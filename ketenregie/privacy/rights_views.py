"""The privacy dashboard, the person's requests (log, list, detail, extend, close) and
the anonymous counts of rejected referrals.

The dashboard is a list of sections (`SECTIONS`): each has who sees it and a function
that fills it; adding a section (retention due, the processing register) is one function,
one small template and one line in the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.accounts.access import can_do_privacy_work, can_read_audit
from ketenregie.audit import services as audit
from ketenregie.audit import vocabulary
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.queries import persons_known_at
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.paging import BoundedPaginator, bounded_count
from ketenregie.core.timeutil import today
from ketenregie.core.values import show_value
from ketenregie.intake.queries import CATEGORIES as REJECT_CATEGORIES
from ketenregie.intake.queries import last_weeks, monday_of, rejection_totals, rejection_weeks
from ketenregie.privacy import retention, services
from ketenregie.privacy.access import (
    can_see_rejection_counts,
    privacy_houses,
    rejection_count_houses,
    visible_requests,
)
from ketenregie.privacy.deadlines import first_month_end
from ketenregie.privacy.forms import (
    CloseRequestForm,
    ExtendRequestForm,
    LinkPersonForm,
    LinkSearchForm,
    PeriodForm,
    PrivacyRequestForm,
    RequestFilterForm,
)
from ketenregie.privacy.models import PrivacyRequest
from ketenregie.privacy.subject_access import find_persons

PAGE_SIZE = 50
DUE_SOON_DAYS = 7
# The dashboard's look back on rejected referrals; the counts page defaults to a quarter.
DASHBOARD_WEEKS = 4
REJECTION_DEFAULT_WEEKS = 13
PURPOSE = services.PURPOSE


# --- the privacy dashboard ------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One block of the dashboard: a heading, the template of its body and its data."""

    key: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SectionSpec:
    shown_to: Callable[[Any], bool]
    build: Callable[[AuthedRequest, dt.date], Section]


def _requests_section(request: AuthedRequest, day: dt.date) -> Section:
    mine = visible_requests(request.user)
    open_requests = mine.still_open()
    overdue = list(
        open_requests.overdue(day).select_related("house").order_by("deadline", "pk")[:20]
    )
    due_soon = list(
        open_requests.due_within(day, DUE_SOON_DAYS)
        .select_related("house")
        .order_by("deadline", "pk")[:20]
    )
    per_kind = dict(open_requests.order_by().values_list("kind").annotate(n=Count("pk")))
    return Section(
        "verzoeken",
        _("Verzoeken van betrokkenen"),
        "privacy/dashboard/_requests.html",
        {
            "overdue": overdue,
            "overdue_count": bounded_count(open_requests.overdue(day)),
            "due_soon": due_soon,
            "due_soon_days": DUE_SOON_DAYS,
            "open_count": bounded_count(open_requests),
            "per_kind": [
                (label, per_kind.get(value, 0)) for value, label in PrivacyRequest.Kind.choices
            ],
        },
    )


def _rejections_section(request: AuthedRequest, day: dt.date) -> Section:
    house_ids = rejection_count_houses(request.user).values_list("pk", flat=True)
    totals = rejection_totals(house_ids, *last_weeks(day, DASHBOARD_WEEKS))
    return Section(
        "afgewezen",
        _("Niet-geagendeerde aanmeldingen (anoniem)"),
        "privacy/dashboard/_rejections.html",
        {"totals": totals, "weeks": DASHBOARD_WEEKS, "total": sum(n for _, n in totals)},
    )


def _retention_section(request: AuthedRequest, day: dt.date) -> Section:
    """What the daily job deletes in the coming days, and the holds that stop it."""
    house_ids = [h.pk for h in privacy_houses(request.user)]
    due = retention.due_cases(
        house_ids=house_ids, until=day + dt.timedelta(days=retention.DUE_WINDOW_DAYS)
    )
    return Section(
        "bewaartermijnen",
        _("Bewaartermijnen"),
        "privacy/dashboard/_retention.html",
        {
            "due": sum(1 for d in due if d.hold is None),
            "held": sum(1 for d in due if d.hold is not None),
            "window": retention.DUE_WINDOW_DAYS,
        },
    )


def _links_section(request: AuthedRequest, day: dt.date) -> Section:
    return Section(
        "registers",
        _("Registers en inzage"),
        "privacy/dashboard/_links.html",
        {"can_audit": can_read_audit(request.user)},
    )


# In page order. Who sees the dashboard at all is decided in the view.
SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(can_do_privacy_work, _requests_section),
    SectionSpec(can_do_privacy_work, _retention_section),
    SectionSpec(can_see_rejection_counts, _rejections_section),
    SectionSpec(can_do_privacy_work, _links_section),
)


@login_required
def privacy_dashboard(request: AuthedRequest) -> HttpResponse:
    """The FG's and privacy contact's overview: what is due, and where the registers are."""
    if not can_do_privacy_work(request.user):
        raise PermissionDenied
    day = today()
    sections = [s.build(request, day) for s in SECTIONS if s.shown_to(request.user)]
    return TemplateResponse(request, "privacy/dashboard.html", {"sections": sections, "today": day})


# --- the person's requests ------------------------------------------------------------


def _privacy_only(request: AuthedRequest) -> None:
    if not can_do_privacy_work(request.user):
        raise PermissionDenied


def _request_for(request: AuthedRequest, request_id: int) -> PrivacyRequest:
    """The request if the user may handle it (404 for "not found" and "not allowed")."""
    _privacy_only(request)
    found = (
        visible_requests(request.user)
        .with_overdue(today())
        .select_related("house", "person", "handled_by", "created_by")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
def request_list(request: AuthedRequest) -> HttpResponse:
    """Every request the user may see: open ones first by due date, then the answered."""
    _privacy_only(request)
    form = RequestFilterForm(request.GET or None, houses=privacy_houses(request.user))
    rows = visible_requests(request.user).with_overdue(today())
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["house"]:
            rows = rows.filter(house=data["house"])
    elif form.is_bound:
        rows = rows.none()
    closed = ExpressionWrapper(Q(status=PrivacyRequest.Status.CLOSED), output_field=BooleanField())
    rows = (
        rows.select_related("house", "person")
        .annotate(closed=closed)
        .order_by("closed", "deadline", "pk")
    )
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    if page.object_list:
        # The list names the persons who asked: a read of personal data.
        audit.record(
            "privacy.requests_listed",
            actor=request.user,
            purpose=PURPOSE,
            data={"getoond": [r.pk for r in page.object_list]},
        )
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "privacy/request_list.html",
        {"form": form, "page": page, "querystring": query.urlencode()},
    )


@login_required
def request_new(request: AuthedRequest) -> HttpResponse:
    _privacy_only(request)
    houses = privacy_houses(request.user)
    if request.method == "POST":
        form = PrivacyRequestForm(request.POST, houses=houses)
        created: list[PrivacyRequest] = []
        if form.is_valid() and apply_service(
            form,
            lambda: created.append(
                services.log_request(
                    actor=request.user,
                    house=form.cleaned_data["house"],
                    kind=form.cleaned_data["kind"],
                    received_on=form.cleaned_data["received_on"],
                    channel=form.cleaned_data["channel"],
                    summary=form.cleaned_data["summary"],
                    person=form.person,
                    requester_name=form.cleaned_data["requester_name"],
                    requester_birth_date=form.cleaned_data["requester_birth_date"],
                )
            ),
        ):
            messages.success(request, _("Het verzoek is vastgelegd."))
            return redirect("privacy_request_detail", request_id=created[0].pk)
    else:
        form = PrivacyRequestForm(
            houses=houses, initial={"received_on": today(), "house": houses.first()}
        )
    return TemplateResponse(request, "privacy/request_new.html", {"form": form})


@dataclass(frozen=True)
class HistoryRow:
    event: AuditEvent
    label: str
    changes: list[tuple[str, str, str]]


FIELD_LABELS = {f.name: str(f.verbose_name) for f in PrivacyRequest._meta.fields}
VALUE_LABELS: dict[str, object] = {
    **dict(PrivacyRequest.Status.choices),
    **dict(PrivacyRequest.Outcome.choices),
}


def _shown(name: str, change: dict[str, Any]) -> tuple[str, str]:
    """Before and after as people read them; a linked person by that fact, not an id."""
    if name == "person":
        return ("", _("gekoppeld") if change.get("na") else _("ontkoppeld"))
    return (
        show_value(change.get("voor"), VALUE_LABELS),
        show_value(change.get("na"), VALUE_LABELS),
    )


def _history(req: PrivacyRequest) -> list[HistoryRow]:
    """The request's changes from the audit trail (the indexed object lookup), oldest
    first; reads of the request are left out (they are in the audit search)."""
    events = AuditEvent.objects.filter(
        object_type=req._meta.label_lower, object_id=str(req.pk)
    ).select_related("actor")
    rows = []
    for ev in events.order_by("pk"):
        if vocabulary.kind(ev.action) == vocabulary.Kind.READ:
            continue
        changes = [
            (FIELD_LABELS.get(name, name), *_shown(name, d))
            for name, d in (ev.data.get("wijzigingen") or {}).items()
        ]
        rows.append(HistoryRow(ev, vocabulary.label(ev.action), changes))
    return rows


def _detail(
    request: AuthedRequest,
    req: PrivacyRequest,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    audit.record("privacy.request_viewed", actor=request.user, obj=req, purpose=PURPOSE)
    version = {"version": req.version}
    context = {
        "req": req,
        "history": _history(req),
        "extend_form": ExtendRequestForm(initial={**version, "months": 1, "told_on": today()}),
        "close_form": CloseRequestForm(initial={**version, "handled_on": today()}),
        "link_form": LinkSearchForm(),
        "first_month_end": first_month_end(req.received_on),
        **(forms or {}),
    }
    return TemplateResponse(request, "privacy/request_detail.html", context, status=status)


@login_required
def request_detail(request: AuthedRequest, request_id: int) -> HttpResponse:
    return _detail(request, _request_for(request, request_id))


def _current_version(request_id: int) -> Callable[[], int | None]:
    return lambda: (
        PrivacyRequest.objects.filter(pk=request_id).values_list("version", flat=True).first()
    )


@login_required
@require_POST
def request_extend(request: AuthedRequest, request_id: int) -> HttpResponse:
    req = _request_for(request, request_id)
    form = ExtendRequestForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: services.extend_request(
            req,
            actor=request.user,
            months=form.cleaned_data["months"],
            reason=form.cleaned_data["reason"],
            told_on=form.cleaned_data["told_on"],
            expected_version=form.cleaned_data["version"],
        ),
        _current_version(req.pk),
    ):
        messages.success(request, _("De termijn is verlengd."))
        return redirect("privacy_request_detail", request_id=req.pk)
    return _detail(request, req, {"extend_form": form, "open_form": "extend"})


@login_required
@require_POST
def request_close(request: AuthedRequest, request_id: int) -> HttpResponse:
    req = _request_for(request, request_id)
    form = CloseRequestForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: services.close_request(
            req,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            reasoning=form.cleaned_data["reasoning"],
            handled_on=form.cleaned_data["handled_on"],
            expected_version=form.cleaned_data["version"],
        ),
        _current_version(req.pk),
    ):
        messages.success(request, _("Het verzoek is afgehandeld."))
        return redirect("privacy_request_detail", request_id=req.pk)
    return _detail(request, req, {"close_form": form, "open_form": "close"})


@login_required
@require_POST
def request_link(request: AuthedRequest, request_id: int) -> HttpResponse:
    """Find the person the request is about among those the house has recorded (POST:
    the terms are personal data, kept out of URLs and logs), then link one."""
    req = _request_for(request, request_id)
    known = persons_known_at(req.house_id)
    if "person" in request.POST:
        link = LinkPersonForm(request.POST)
        person = known.filter(pk=link.cleaned_data["person"]).first() if link.is_valid() else None
        if person is None:
            messages.error(request, _("Kies een van de gevonden personen."))
        elif apply_service(
            link,
            lambda: services.link_person(
                req,
                actor=request.user,
                person=person,
                expected_version=link.cleaned_data["version"],
            ),
        ):
            messages.success(request, _("Het verzoek is gekoppeld aan de betrokkene."))
        else:
            messages.error(request, " ".join(str(e) for e in link.non_field_errors()))
        return redirect("privacy_request_detail", request_id=req.pk)
    form = LinkSearchForm(request.POST)
    candidates = []
    if form.is_valid():
        found = find_persons(
            bsn=form.cleaned_data["bsn"],
            name=form.cleaned_data["name"],
            birth_date=form.cleaned_data["birth_date"],
        )
        candidates = list(known.filter(pk__in=[p.pk for p in found]).order_by("pk")[:20])
    return _detail(
        request,
        req,
        {
            "link_form": form,
            "candidates": candidates,
            "searched": form.is_valid(),
            "open_form": "link",
        },
    )


# --- rejected referrals (anonymous counts) --------------------------------------------


@login_required
def rejection_counts(request: AuthedRequest) -> HttpResponse:
    """Referrals not put on the agenda, per house, week and category: the FG and privacy
    contacts for their houses, managers for the houses they manage. Only counts exist."""
    if not can_see_rejection_counts(request.user):
        raise PermissionDenied
    houses = rejection_count_houses(request.user)
    day = today()
    # Without a choice the page shows the last quarter, with the dates in the filter.
    defaults = {
        "date_from": last_weeks(day, REJECTION_DEFAULT_WEEKS)[0].isoformat(),
        "date_to": day.isoformat(),
    }
    form = PeriodForm(request.GET or defaults, houses=houses)
    date_from, date_to = dt.date.fromisoformat(defaults["date_from"]), day
    house_ids: list[int] = []
    if form.is_valid():
        date_from = form.cleaned_data["date_from"] or date_from
        date_to = form.cleaned_data["date_to"] or date_to
        chosen = form.cleaned_data["house"]
        house_ids = [chosen.pk] if chosen else list(houses.values_list("pk", flat=True))
    return TemplateResponse(
        request,
        "privacy/rejection_counts.html",
        {
            "form": form,
            "valid": form.is_valid(),
            # Counts are kept per week: the period starts on its first week's Monday.
            "date_from": monday_of(date_from),
            "date_to": date_to,
            "categories": [str(label) for label in REJECT_CATEGORIES.labels],
            "weeks": rejection_weeks(house_ids, date_from, date_to),
            "totals": rejection_totals(house_ids, date_from, date_to),
        },
    )
