"""Pages of the weekly triage: the list of meetings, a meeting, attendance, the outcome of
an agenda item, and cancelling a meeting or a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketenregie.accounts.models import House
from ketenregie.audit import services as audit
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.paging import BoundedPaginator
from ketenregie.intake import schedule, services
from ketenregie.intake.access import (
    agenda_names,
    chair_house_ids,
)
from ketenregie.intake.forms import (
    AttendanceForm,
    CancelForm,
    OutcomeForm,
)
from ketenregie.intake.models import (
    AgendaItem,
    TriageMeeting,
)

AGENDA_PAGE_SIZE = 50


def _messages(form: Any) -> list[str]:
    """A form's errors as plain sentences, for a page that shows them as a message."""
    return [str(m) for errors in form.errors.values() for m in errors]


def _chair_meeting(request: AuthedRequest, meeting_id: int) -> TriageMeeting:
    houses = chair_house_ids(request.user)
    if not houses:
        raise PermissionDenied
    try:
        return TriageMeeting.objects.select_related("house").get(pk=meeting_id, house_id__in=houses)
    except TriageMeeting.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def triage_list(request: AuthedRequest) -> HttpResponse:
    houses = list(House.objects.filter(pk__in=chair_house_ids(request.user)))
    if not houses:
        raise PermissionDenied
    rows = []
    for house in houses:
        # The weekly dates and the extra (acute) triages, in the order they take place.
        meetings = sorted(
            services.upcoming_meetings(house) + services.coming_ad_hoc_meetings(house),
            key=lambda m: m.starts_at,
        )
        counts = dict(
            AgendaItem.objects.filter(meeting__in=[m for m in meetings if m.pk is not None])
            .values_list("meeting_id")
            .annotate(n=Count("pk"))
        )
        rows.append(
            (
                house,
                [(m, counts.get(m.pk, 0), schedule.holiday_name(m.date)) for m in meetings],
            )
        )
    return TemplateResponse(request, "intake/triage_list.html", {"rows": rows})


@login_required
def triage_detail(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = _chair_meeting(request, meeting_id)
    # In agenda order, a bounded page at a time: a house's agenda can be long.
    agenda = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("referral__case__person", "referral__referrer__organisation", "decided_by")
        .order_by("position", "pk")
    )
    page = BoundedPaginator(agenda, AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    for item in items:
        item.meeting = meeting  # the slot times read it; no query per item
    partners = meeting.house.partner_links.filter(is_fixed_triage_partner=True).select_related(
        "organisation"
    )
    names = agenda_names(request.user, items)
    slots = [(item, services.slot_of(item), names.get(item.pk, "")) for item in items]
    audit.record(
        "triage.agenda_viewed",
        actor=request.user,
        obj=meeting,
        purpose="triage",
        data={"casussen": [i.referral.case_id for i in items]},
    )
    return TemplateResponse(
        request,
        "intake/triage_detail.html",
        {
            "meeting": meeting,
            "slots": slots,
            "page": page,
            "partners": [p.organisation for p in partners],
            "holiday": schedule.holiday_name(meeting.date),
            # Attendance and outcomes are recorded from the start of the triage on.
            "started": meeting.starts_at <= timezone.now(),
        },
    )


def _chair_item(request: AuthedRequest, item_id: int) -> AgendaItem:
    houses = chair_house_ids(request.user)
    try:
        return AgendaItem.objects.select_related("meeting__house", "referral__case").get(
            pk=item_id, meeting__house_id__in=houses
        )
    except AgendaItem.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_POST
def triage_attendance(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = _chair_item(request, item_id)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        if not apply_service(
            form,
            lambda: services.record_attendance(
                item,
                actor=request.user,
                present=form.cleaned_data["present"],
                note=form.cleaned_data["note"],
            ),
        ):
            # The triage page lists every item; the error goes there as a message.
            messages.error(request, " ".join(_messages(form)))
        else:
            if form.cleaned_data["present"]:
                messages.success(request, _("Aanwezigheid vastgelegd."))
            else:
                messages.warning(
                    request, _("Aanmelder afwezig: de casus is verplaatst naar de volgende triage.")
                )
    else:
        messages.error(request, _("Kies aanwezig of afwezig."))
    return redirect("triage_detail", meeting_id=item.meeting_id)


@login_required
@require_http_methods(["GET", "POST"])
def triage_outcome(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = _chair_item(request, item_id)
    house = item.meeting.house
    # Need to know: no partner is invited by default; the chair ticks whom the case needs.
    form = OutcomeForm(request.POST or None, house=house)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        incidental = [
            services.IncidentalInvitee(d[f"inc_{i}_org"], d[f"inc_{i}_why"], d[f"inc_{i}_text"])
            for i in range(3)
            if d.get(f"inc_{i}_org")
        ]
        if apply_service(
            form,
            lambda: services.decide_outcome(
                item,
                actor=request.user,
                outcome=d["outcome"],
                advice=d["advice"],
                referred_to=d["referred_to"],
                procesregisseur=d["procesregisseur"],
                fixed_invitees=d["fixed_invitees"],
                incidental=incidental,
                profile_reason=d["profile_reason"],
            ),
        ):
            messages.success(request, _("Uitkomst vastgelegd; de aanmelder is geïnformeerd."))
            return redirect("triage_detail", meeting_id=item.meeting_id)
    return TemplateResponse(
        request,
        "intake/triage_outcome.html",
        {"item": item, "form": form},
    )


def _cancel(request: AuthedRequest, cancel: Callable[[str], object]) -> HttpResponse:
    """Both cancel forms of the triage list: the reason, the service, the message."""
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef de reden waarom de triage vervalt."))
    elif not apply_service(form, lambda: cancel(form.cleaned_data["reason"])):
        messages.error(request, " ".join(_messages(form)))
    else:
        messages.success(
            request, _("De triage vervalt; geagendeerde casussen gaan naar de volgende.")
        )
    return redirect("triage_list")


@login_required
@require_POST
def triage_cancel(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = _chair_meeting(request, meeting_id)
    return _cancel(
        request, lambda reason: services.cancel_meeting(meeting, actor=request.user, reason=reason)
    )


@login_required
@require_POST
def triage_cancel_date(request: AuthedRequest, house_id: int, day: str) -> HttpResponse:
    """Cancel a coming triage that has no stored meeting yet (the list creates none)."""
    houses = chair_house_ids(request.user)
    if not houses:
        raise PermissionDenied
    house = House.objects.filter(pk=house_id, pk__in=houses).first()
    try:
        date = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    if house is None:
        raise Http404
    return _cancel(
        request,
        lambda reason: services.cancel_meeting_on(house, date, actor=request.user, reason=reason),
    )
