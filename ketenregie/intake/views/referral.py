"""Intake pages: refer, follow my referrals, screen, enrich, run the weekly triage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketenregie.accounts.access import has_role
from ketenregie.accounts.models import House
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.cases.access import get_case_for, is_chair_of, visible_cases
from ketenregie.cases.models import Case
from ketenregie.cases.workflow import SCREENING_STATUSES, Status
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.intake import schedule, services
from ketenregie.intake.access import (
    agenda_names,
    can_edit_draft,
    can_refer,
    can_see_enrichment,
    chair_house_ids,
    may_search_duplicates,
    visible_requests,
)
from ketenregie.intake.criteria import ensure_default_criteria, is_met
from ketenregie.intake.forms import (
    AgendaForm,
    AttendanceForm,
    CancelForm,
    EnrichmentAnswerForm,
    HouseholdFormSet,
    OutcomeForm,
    ReferralForm,
    ReferralPersonForm,
    ScreeningForm,
)
from ketenregie.intake.matching import duplicates_for
from ketenregie.intake.models import (
    AgendaItem,
    Attachment,
    EnrichmentRequest,
    Feedback,
    Referral,
    TriageMeeting,
)

# ------------------------------------------------------------------ referral


def _require_referrer(request: AuthedRequest) -> None:
    if not can_refer(request.user):
        raise PermissionDenied


@login_required
def referral_start(request: AuthedRequest) -> HttpResponse:
    _require_referrer(request)
    houses = House.objects.select_related("region").order_by("region__name", "name")
    rows = []
    now = timezone.now()
    for house in houses:
        day = services.meeting_for_submission(house, now).date
        rows.append((house, day, schedule.cutoff_after(house, now)))
    return TemplateResponse(request, "intake/referral_start.html", {"rows": rows})


def _referral_forms(
    request: AuthedRequest, house: House, case: Case | None
) -> tuple[ReferralPersonForm, Any, ReferralForm]:
    cset = ensure_default_criteria(house)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial: dict[str, Any] = {}
    person_instance = None
    if case is not None and data is None:
        ref = case.referral
        initial = {k: getattr(ref, k) for k in services.REFERRAL_FIELDS}
        initial["version"] = ref.version
        for p in ref.problems.all():
            initial[f"problem_{p.domain_id}"] = p.description
        for rc in ref.criteria.all():
            initial[f"crit_{rc.criterion_id}"] = True
            initial[f"crit_{rc.criterion_id}_uitleg"] = rc.explanation
        person_instance = case.person
    person_form = ReferralPersonForm(data, instance=person_instance, prefix="p")
    household = HouseholdFormSet(data, prefix="hh")
    form = ReferralForm(data, files, house=house, criteria_set=cset, initial=initial)
    return person_form, household, form


def _referral_page(request: AuthedRequest, house: House, case: Case | None) -> HttpResponse:
    person_form, household, form = _referral_forms(request, house, case)
    if request.method == "POST":
        submit = "submit" in request.POST
        valid = person_form.is_valid() & household.is_valid() & form.is_valid()
        if valid:
            data = services.ReferralInput(
                person={k: v for k, v in person_form.cleaned_data.items() if k != "version"},
                household=[
                    f.cleaned_data
                    for f in household.forms
                    if f.cleaned_data and f.cleaned_data.get("achternaam")
                ],
                values={k: form.cleaned_data.get(k, "") for k in services.REFERRAL_FIELDS},
                problems=form.problems(),
                criteria=form.ticked(),
                files=form.cleaned_data.get("attachments") or [],
            )
            saved: list[Referral] = []
            if apply_service(
                form,
                lambda: saved.append(
                    services.save_referral(
                        actor=request.user,
                        house=house,
                        data=data,
                        case=case,
                        expected_version=form.cleaned_data.get("version"),
                        submit=submit,
                        confirmed=bool(form.cleaned_data.get("confirm")),
                    )
                ),
                lambda: Referral.objects.get(case=case).version if case is not None else None,
                also=[person_form],
            ):
                referral = saved[0]
                if submit:
                    meeting = referral.triage_meeting
                    assert meeting is not None
                    messages.success(
                        request,
                        _("Aanmelding ingediend. Zij wordt besproken in de triage van %(d)s.")
                        % {"d": services._format_meeting(meeting)},
                    )
                else:
                    messages.success(request, _("Concept opgeslagen. Alleen u ziet dit concept."))
                return redirect("referral_detail", case_id=referral.case_id)
    cset = form.criteria_set
    ticked = [c.pk for c in form.criteria if form[f"crit_{c.pk}"].value()]
    context = {
        "house": house,
        "case": case,
        "person_form": person_form,
        "household": household,
        "form": form,
        "criteria_set": cset,
        "criteria_met": is_met(cset, form.criteria, ticked),
        # The date only: showing the form creates no triage meeting.
        "triage_date": services.submission_date(house, timezone.now()),
    }
    return TemplateResponse(request, "intake/referral_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: AuthedRequest, house_id: int) -> HttpResponse:
    _require_referrer(request)
    house = get_object_or_404(House, pk=house_id)
    return _referral_page(request, house, None)


@login_required
@require_http_methods(["GET", "POST"])
def referral_edit(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    if not can_edit_draft(request.user, case):
        raise PermissionDenied
    return _referral_page(request, case.house, case)


@login_required
@require_POST
def criteria_check(request: AuthedRequest, house_id: int) -> HttpResponse:
    """htmx: does the current tick set meet the house's rule?"""
    _require_referrer(request)
    house = get_object_or_404(House, pk=house_id)
    cset = ensure_default_criteria(house)
    criteria = list(cset.criteria.all())
    ticked = [c.pk for c in criteria if request.POST.get(f"crit_{c.pk}")]
    return TemplateResponse(
        request,
        "intake/referral_form.html#criteria-status",
        {"criteria_set": cset, "criteria_met": is_met(cset, criteria, ticked)},
    )


@login_required
def my_referrals(request: AuthedRequest) -> HttpResponse:
    _require_referrer(request)
    referrals = (
        Referral.objects.filter(referrer=request.user)
        .select_related("case__house", "triage_meeting")
        .order_by("-case__created_at")
    )
    feedback = list(Feedback.objects.filter(recipient=request.user)[:30])
    # Viewing marks nothing: the referrer marks the terugmeldingen read with a button.
    unread = {f.pk for f in feedback if f.read_at is None}
    return TemplateResponse(
        request,
        "intake/my_referrals.html",
        {"referrals": referrals, "feedback": feedback, "unread": unread},
    )


@login_required
@require_POST
def feedback_read(request: AuthedRequest) -> HttpResponse:
    _require_referrer(request)
    services.mark_feedback_read(request.user)
    messages.success(request, _("Terugmeldingen als gelezen gemarkeerd."))
    return redirect("my_referrals")


@login_required
def referral_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    referral = get_object_or_404(
        Referral.objects.select_related("referrer__organisation", "triage_meeting"), case=case
    )
    chair = is_chair_of(request.user, case.house_id)
    full = case.full_access
    context: dict[str, Any] = {
        "case": case,
        "referral": referral,
        "full_access": full,
        "problems": list(referral.problems.select_related("domain")) if full else [],
        "criteria": list(referral.criteria.select_related("criterion")) if full else [],
        "attachments": list(referral.attachments.all()) if full else [],
        "household": list(case.household.members.select_related("person") if case.household else [])
        if full
        else [],
        "is_chair": chair,
        "can_edit": can_edit_draft(request.user, case),
        "agenda_items": list(referral.agenda_items.select_related("meeting").order_by("pk")),
        "feedback": list(Feedback.objects.filter(case_id=case.pk, recipient=request.user)),
    }
    if can_see_enrichment(request.user, case):
        context["enrichment"] = list(
            EnrichmentRequest.objects.filter(referral=referral).select_related(
                "organisation", "answered_by"
            )
        )
        audit.record(
            "enrichment.viewed",
            actor=request.user,
            case_id=case.pk,
            purpose="triage" if chair else "casusregie",
        )
    if may_search_duplicates(request.user, case):
        claimed = {case.person_id: referral.claimed_bsn} if referral.claimed_bsn else {}
        matches = duplicates_for([case.person], claimed).get(case.person_id, [])
        for m in matches:
            m.cases = [c for c in m.cases if c.pk != case.pk]
        context["duplicates"] = [m for m in matches if m.cases or m.person.pk != case.person_id]
        audit.record(
            "intake.duplicates_viewed",
            actor=request.user,
            case_id=case.pk,
            purpose="screening",
            data={"mogelijke_dubbelen": [m.person.pk for m in context["duplicates"]]},
        )
        if case.status == Status.AANGEMELD:
            context["screen_form"] = ScreeningForm(initial={"version": referral.version})
        else:
            context["agenda_form"] = AgendaForm(
                initial={"version": referral.version, "proposed_level": case.escalation_level}
            )
    audit.record(
        "referral.viewed",
        actor=request.user,
        case_id=case.pk,
        obj=referral,
        purpose="triage" if chair else "aanmelding",
    )
    return TemplateResponse(request, "intake/referral_detail.html", context)


def _chair_case(request: AuthedRequest, case_id: int) -> Case:
    case = get_case_for(request.user, case_id)
    if not is_chair_of(request.user, case.house_id):
        raise PermissionDenied
    return case


@login_required
@require_POST
def referral_screen(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _chair_case(request, case_id)
    form = ScreeningForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if d["decision"] == "approve":
            if apply_service(
                form,
                lambda: services.approve_for_enrichment(
                    case, actor=request.user, expected_version=d["version"]
                ),
            ):
                messages.success(request, _("Goedgekeurd; de bekendheidscheck is uitgezet."))
                return redirect("referral_detail", case_id=case.pk)
        elif d["decision"] == "refer":
            if apply_service(
                form,
                lambda: services.refer_elsewhere(
                    case,
                    actor=request.user,
                    expected_version=d["version"],
                    to=d["referred_to"],
                    status=Status.AANGEMELD,
                ),
            ):
                messages.success(request, _("Doorverwezen; de aanmelder is geïnformeerd."))
                return redirect("screening_list")
        elif apply_service(
            form,
            lambda: services.reject_referral(
                case,
                actor=request.user,
                expected_version=d["version"],
                category=d["category"],
                reason=d["reason"],
                advice=d["advice"],
            ),
        ):
            messages.success(
                request,
                _("Niet geagendeerd: de aanmelder is geïnformeerd en de aanmelding is verwijderd."),
            )
            return redirect("screening_list")
    return _detail_with_form(request, case, "screen_form", form)


def _messages(form: Any) -> list[str]:
    """A form's errors as plain sentences, for a page that shows them as a message."""
    return [str(m) for errors in form.errors.values() for m in errors]


def _detail_with_form(request: AuthedRequest, case: Case, name: str, form: Any) -> HttpResponse:
    response = referral_detail(request, case.pk)
    assert isinstance(response, TemplateResponse)
    assert response.context_data is not None
    response.context_data[name] = form
    response.status_code = 200
    return response


@login_required
@require_POST
def referral_agenda(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _chair_case(request, case_id)
    form = AgendaForm(request.POST)
    items: list[AgendaItem] = []
    if form.is_valid() and apply_service(
        form,
        lambda: items.append(
            services.put_on_agenda(
                case,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                proposed_level=form.cleaned_data["proposed_level"],
                reasoning=form.cleaned_data["reasoning"],
            )
        ),
    ):
        messages.success(request, _("Geagendeerd; de aanmelder is uitgenodigd."))
        return redirect("triage_detail", meeting_id=items[0].meeting_id)
    return _detail_with_form(request, case, "agenda_form", form)


@login_required
def screening_list(request: AuthedRequest) -> HttpResponse:
    houses = chair_house_ids(request.user)
    if not houses:
        raise PermissionDenied
    cases = list(
        visible_cases(request.user)
        .filter(house_id__in=houses, status__in=SCREENING_STATUSES)
        .select_related("person", "house", "referral__triage_meeting", "referral__referrer")
        .annotate(
            open_requests=Count(
                "referral__enrichment", filter=Q(referral__enrichment__answer=""), distinct=True
            ),
            all_requests=Count("referral__enrichment", distinct=True),
        )
        .order_by("referral__submitted_at")
    )
    claimed = {c.person_id: c.referral.claimed_bsn for c in cases if c.referral.claimed_bsn}
    dupes = duplicates_for([c.person for c in cases], claimed)
    rows = [
        (
            c,
            len(
                [
                    m
                    for m in dupes.get(c.person_id, [])
                    if m.person.pk != c.person_id or len(m.cases) > 1
                ]
            ),
        )
        for c in cases
    ]
    audit.record(
        "case.list_viewed",
        actor=request.user,
        purpose="screening",
        data={"getoond": [c.pk for c in cases]},
    )
    return TemplateResponse(request, "intake/screening_list.html", {"rows": rows})


# ------------------------------------------------------------------ enrichment


@login_required
def enrichment_list(request: AuthedRequest) -> HttpResponse:
    if not has_role(request.user, Role.PROFESSIONAL):
        raise PermissionDenied
    requests = list(
        visible_requests(request.user)
        .select_related("referral__case__person", "referral__case__house", "organisation")
        .order_by(F("answered_at").asc(nulls_first=True), "deadline")
    )
    audit.record(
        "enrichment.list_viewed",
        actor=request.user,
        purpose="bekendheidscheck",
        data={"verzoeken": [r.pk for r in requests]},
    )
    return TemplateResponse(
        request, "intake/enrichment_list.html", {"requests": requests, "now": timezone.now()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrichment_answer(request: AuthedRequest, request_id: int) -> HttpResponse:
    try:
        req = (
            visible_requests(request.user)
            .select_related("referral__case__person", "referral__case__house", "organisation")
            .get(pk=request_id)
        )
    except EnrichmentRequest.DoesNotExist as exc:
        raise Http404 from exc
    form = _answer(request, req)
    if isinstance(form, HttpResponse):
        return form
    audit.record(
        "enrichment.request_viewed",
        actor=request.user,
        case_id=req.referral.case_id,
        obj=req,
        purpose="bekendheidscheck",
    )
    return TemplateResponse(request, "intake/enrichment_answer.html", {"req": req, "form": form})


def _answer(request: AuthedRequest, req: EnrichmentRequest) -> Any:
    if request.method != "POST":
        return EnrichmentAnswerForm(
            initial={
                "version": req.version,
                "answer": req.answer,
                "summary": req.summary,
                "legal_basis": req.legal_basis,
                "special_category": req.special_category,
                "secrecy_ground": req.secrecy_ground,
            }
        )
    form = EnrichmentAnswerForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if apply_service(
            form,
            lambda: services.answer_enrichment(
                req,
                actor=request.user,
                expected_version=d["version"],
                answer=d["answer"],
                summary=d["summary"],
                legal_basis=d["legal_basis"],
                special_category=d["special_category"],
                secrecy_ground=d["secrecy_ground"],
            ),
            lambda: EnrichmentRequest.objects.get(pk=req.pk).version,
        ):
            messages.success(request, _("Uw antwoord is opgeslagen."))
            return redirect("enrichment_list")
    return form


# ------------------------------------------------------------------ triage


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
        meetings = services.upcoming_meetings(house)
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
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("referral__case__person", "referral__referrer__organisation", "decided_by")
        .order_by("position")
    )
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
            "partners": [p.organisation for p in partners],
            "holiday": schedule.holiday_name(meeting.date),
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
    form = OutcomeForm(request.POST or None, house=house)
    if request.method == "GET":
        form.initial["fixed_invitees"] = list(form.fields["fixed_invitees"].queryset)  # type: ignore[attr-defined]
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
            ),
        ):
            messages.success(request, _("Uitkomst vastgelegd; de aanmelder is geïnformeerd."))
            return redirect("triage_detail", meeting_id=item.meeting_id)
    return TemplateResponse(
        request,
        "intake/triage_outcome.html",
        {"item": item, "form": form},
    )


@login_required
@require_POST
def triage_cancel(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = _chair_meeting(request, meeting_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        if not apply_service(
            form,
            lambda: services.cancel_meeting(
                meeting, actor=request.user, reason=form.cleaned_data["reason"]
            ),
        ):
            messages.error(request, " ".join(_messages(form)))
        else:
            messages.success(
                request, _("De triage vervalt; geagendeerde casussen gaan naar de volgende.")
            )
    else:
        messages.error(request, _("Geef de reden waarom de triage vervalt."))
    return redirect("triage_list")


@login_required
@require_POST
def triage_cancel_date(request: AuthedRequest, house_id: int, day: str) -> HttpResponse:
    """Cancel a coming triage that has no stored meeting yet (the list creates none)."""
    if not chair_house_ids(request.user):
        raise PermissionDenied
    house = House.objects.filter(pk=house_id, pk__in=chair_house_ids(request.user)).first()
    try:
        date = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    if house is None:
        raise Http404
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef de reden waarom de triage vervalt."))
    elif not apply_service(
        form,
        lambda: services.cancel_meeting_on(
            house, date, actor=request.user, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.error(request, " ".join(_messages(form)))
    else:
        messages.success(
            request, _("De triage vervalt; geagendeerde casussen gaan naar de volgende.")
        )
    return redirect("triage_list")


# ------------------------------------------------------------------ attachments


@login_required
def attachment_download(request: AuthedRequest, attachment_id: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("referral"), pk=attachment_id)
    case = get_case_for(request.user, attachment.referral.case_id)
    if not case.full_access:
        raise Http404
    audit.record(
        "referral.attachment_downloaded",
        actor=request.user,
        case_id=case.pk,
        obj=attachment,
        purpose="aanmelding",
    )
    handle = attachment.file.open("rb")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
