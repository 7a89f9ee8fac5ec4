"""The page "Bewaartermijnen": each house's retention periods, the cases due in the next
30 days with their legal holds, and the forms that set a period or hold and release a
case. Only the FG (every house) and a house's privacy contact (their houses)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ketenregie.accounts.access import can_do_privacy_work
from ketenregie.accounts.models import House
from ketenregie.audit import services as audit
from ketenregie.cases.models import Case
from ketenregie.cases.queries import deleted_case_counts
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today
from ketenregie.privacy import retention
from ketenregie.privacy.access import may_manage_retention, privacy_houses
from ketenregie.privacy.forms import HoldForm, LiftForm, RetentionPeriodForm
from ketenregie.privacy.models import Category, LegalHold


def _require_privacy(request: AuthedRequest) -> None:
    if not can_do_privacy_work(request.user):
        raise PermissionDenied


# Rows of the due list on the page: at national scale thousands may be due in 30 days.
DUE_SHOWN = 200


@login_required
def retention_page(request: AuthedRequest) -> HttpResponse:
    _require_privacy(request)
    houses = list(privacy_houses(request.user))
    until = today() + dt.timedelta(days=retention.DUE_WINDOW_DAYS)
    due = retention.due_cases(house_ids=[h.pk for h in houses], until=until)
    due_ids = {d.case.pk for d in due}
    # Held cases not (yet) due are listed too: a hold is a decision the FG must see.
    other_holds = [
        h for h in retention.held_cases(h.pk for h in houses) if h.case_id not in due_ids
    ]
    audit.record(
        "retention.viewed",
        actor=request.user,
        purpose="toezicht gegevensbescherming",
        data={"huizen": [h.pk for h in houses], "te_verwijderen": len(due)},
    )
    return TemplateResponse(
        request,
        "privacy/retention.html",
        {
            "houses": [(h, retention.settings_for(h)) for h in houses],
            # The soonest first; the count is the whole list (the job deletes them all).
            "due": due[:DUE_SHOWN],
            "due_count": len(due),
            "due_shown": min(len(due), DUE_SHOWN),
            "other_holds": other_holds,
            "today": today(),
            "until": until,
            "window": retention.DUE_WINDOW_DAYS,
            "deleted": deleted_case_counts([h.pk for h in houses]),
        },
    )


def _house_for(request: AuthedRequest, house_id: int) -> House:
    _require_privacy(request)
    house = House.objects.filter(pk=house_id).first()
    if house is None or not may_manage_retention(request.user, house.pk):
        raise Http404
    return house


@login_required
def retention_period(request: AuthedRequest, house_id: int, category: str) -> HttpResponse:
    house = _house_for(request, house_id)
    if category not in Category.values:
        raise Http404
    setting = next(s for s in retention.settings_for(house) if s.category == category)
    years = setting.months % 12 == 0
    initial = {
        "amount": setting.months // 12 if years else setting.months,
        "unit": "jaar" if years else "maanden",
        "legal_reference": "" if setting.is_default else setting.legal_reference,
        "version": setting.version,
    }
    form = RetentionPeriodForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            retention.set_period(
                actor=request.user,
                house=house,
                category=category,
                months=form.months(),
                legal_reference=form.cleaned_data["legal_reference"],
                expected_version=form.cleaned_data["version"],
            )

        def current() -> int:
            stored = retention.settings_for(house)
            return next(s.version for s in stored if s.category == category)

        if apply_service(form, save, current):
            messages.success(request, _("De bewaartermijn is opgeslagen."))
            return redirect(reverse("retention"))
    return TemplateResponse(
        request,
        "privacy/retention_period.html",
        {"house": house, "setting": setting, "form": form},
    )


@login_required
def hold_case(request: AuthedRequest, case_id: int) -> HttpResponse:
    _require_privacy(request)
    case = Case.objects.select_related("house").filter(pk=case_id).first()
    if case is None or not may_manage_retention(request.user, case.house_id):
        raise Http404
    form = HoldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if apply_service(
            form, lambda: retention.place_hold(actor=request.user, case=case, reason=reason)
        ):
            messages.success(
                request,
                _("Casus %(code)s wordt niet verwijderd zolang de blokkade geldt.")
                % {"code": case.code},
            )
            return redirect(reverse("retention"))
    return TemplateResponse(
        request,
        "privacy/retention_hold.html",
        {
            "case": case,
            "form": form,
            "lift": False,
            "due_on": retention.due_date(case),
            "closed_on": retention.closed_on(case),
            "today": today(),
        },
    )


@login_required
def lift_hold(request: AuthedRequest, hold_id: int) -> HttpResponse:
    _require_privacy(request)
    hold = LegalHold.objects.select_related("case", "case__house").filter(pk=hold_id).first()
    if hold is None or not may_manage_retention(request.user, hold.case.house_id):
        raise Http404
    form = LiftForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if apply_service(
            form, lambda: retention.lift_hold(actor=request.user, hold=hold, reason=reason)
        ):
            messages.success(
                request,
                _("De blokkade van casus %(code)s is opgeheven.") % {"code": hold.case.code},
            )
            return redirect(reverse("retention"))
    return TemplateResponse(
        request,
        "privacy/retention_hold.html",
        {
            "case": hold.case,
            "hold": hold,
            "form": form,
            "lift": True,
            "due_on": retention.due_date(hold.case),
            "closed_on": retention.closed_on(hold.case),
            "today": today(),
        },
    )
