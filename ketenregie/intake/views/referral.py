"""Pages of the referrer: starting and editing a referral, the criteria check, my
referrals, reading feedback, and the referral's detail page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketenregie.accounts.models import House
from ketenregie.audit import services as audit
from ketenregie.cases.access import get_case_for, is_chair_of
from ketenregie.cases.household_queries import current_coordination_consent, current_members
from ketenregie.cases.models import Case
from ketenregie.cases.workflow import Status
from ketenregie.core.forms import apply_service, error_summary
from ketenregie.core.http import AuthedRequest
from ketenregie.core.paging import BoundedPaginator
from ketenregie.core.timeutil import today
from ketenregie.intake import schedule, services
from ketenregie.intake.access import (
    can_add_to_referral,
    can_edit_draft,
    can_refer,
    can_see_enrichment,
    is_referrer_of,
    may_search_duplicates,
)
from ketenregie.intake.criteria import (
    criteria_of,
    ensure_default_criteria,
    household_criteria_met,
    is_met,
)
from ketenregie.intake.forms import (
    AgendaForm,
    HouseholdFormSet,
    LinkCaseForm,
    ReferralForm,
    ReferralPersonForm,
    ScreeningForm,
)
from ketenregie.intake.household_forms import HouseholdStartForm
from ketenregie.intake.matching import duplicates_for
from ketenregie.intake.models import (
    DraftUpload,
    EnrichmentRequest,
    Feedback,
    Referral,
)

PAGE_SIZE = 25


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
        # The date only: listing the houses creates no triage meeting (GET is safe).
        day = services.submission_date(house, now)
        rows.append((house, day, schedule.cutoff_after(house, now)))
    return TemplateResponse(request, "intake/referral_start.html", {"rows": rows})


def _referral_forms(
    request: AuthedRequest, house: House, case: Case | None
) -> tuple[ReferralPersonForm, Any, ReferralForm]:
    data = request.POST if request.method == "POST" else None
    if data is not None:
        # Saving needs the stored set (its criteria's ids); showing the form does not.
        ensure_default_criteria(house)
    cset, criteria = criteria_of(house)
    files = request.FILES if request.method == "POST" else None
    initial: dict[str, Any] = {}
    person_instance = None
    if case is not None and data is None:
        ref = case.referral
        initial = {k: getattr(ref, k) for k in services.REFERRAL_FIELDS}
        initial["version"] = ref.version
        for p in ref.problems.all():
            initial[f"problem_{p.domain_id}"] = p.description
        for rc in ref.criteria.select_related("criterion"):
            initial[f"crit_{rc.criterion.number}"] = True
            initial[f"crit_{rc.criterion.number}_uitleg"] = rc.explanation
        person_instance = case.person
    person_form = ReferralPersonForm(data, instance=person_instance, prefix="p")
    household = HouseholdFormSet(data, prefix="hh")
    form = ReferralForm(
        data, files, house=house, criteria_set=cset, criteria=criteria, initial=initial
    )
    return person_form, household, form


def _referral_input(
    person_form: ReferralPersonForm, household: Any, form: ReferralForm, kept: list[DraftUpload]
) -> services.ReferralInput:
    """Gather the valid forms into the service's input; household rows without a name drop."""
    return services.ReferralInput(
        person={k: v for k, v in person_form.cleaned_data.items() if k != "version"},
        household=[
            f.cleaned_data
            for f in household.forms
            if f.cleaned_data and f.cleaned_data.get("achternaam")
        ],
        values={k: form.cleaned_data.get(k, "") for k in services.REFERRAL_FIELDS},
        problems=form.problems(),
        criteria=form.ticked(),
        drafts=kept,
    )


def _saved_message(request: AuthedRequest, referral: Referral, submit: bool) -> None:
    """Tell the referrer what happened: submitted for a triage date, or kept as a draft."""
    if submit:
        meeting = referral.triage_meeting
        assert meeting is not None
        messages.success(
            request,
            _("Aanmelding ingediend. Zij wordt besproken in de triage van %(d)s.")
            % {"d": services.format_meeting(meeting)},
        )
    else:
        messages.success(request, _("Concept opgeslagen. Alleen u ziet dit concept."))


def _kept_uploads(request: AuthedRequest, form: ReferralForm) -> list[DraftUpload]:
    """The uploads kept from earlier posts of this form (still ticked), and this post's
    new files checked and kept; a refused file is named on the attachments field."""
    kept = services.kept_uploads(request.user, request.POST.getlist("kept"))
    new = request.FILES.getlist("attachments")
    if new and "attachments" not in form.errors:
        added, refused = services.keep_uploads(request.user, new)
        kept += added
        if refused is not None:
            form.add_error("attachments", refused)
    return kept


def _referral_page(request: AuthedRequest, house: House, case: Case | None) -> HttpResponse:
    person_form, household, form = _referral_forms(request, house, case)
    kept: list[DraftUpload] = []
    if request.method == "POST":
        submit = "submit" in request.POST
        valid = person_form.is_valid() & household.is_valid() & form.is_valid()
        kept = _kept_uploads(request, form)
        if valid and not form.errors:
            data = _referral_input(person_form, household, form, kept)
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
                _saved_message(request, referral, submit)
                return redirect("referral_detail", case_id=referral.case_id)
    cset = form.criteria_set
    ticked = [c.number for c in form.criteria if form[f"crit_{c.number}"].value()]
    context = {
        "house": house,
        "case": case,
        "person_form": person_form,
        "household": household,
        "form": form,
        "criteria_set": cset,
        "criteria_met": is_met(cset, form.criteria, ticked),
        "kept": kept,
        "error_summary": [
            *error_summary(
                [
                    (person_form, ""),
                    *((f, f"Gezinslid {i}: ") for i, f in enumerate(household.forms, 1)),
                ]
            ),
            *form.summary(),
        ],
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
        if is_referrer_of(request.user, case):
            # The referrer's own referral, no longer a draft: say so, not "no access".
            return TemplateResponse(
                request, "intake/referral_submitted.html", {"case": case}, status=409
            )
        raise PermissionDenied
    return _referral_page(request, case.house, case)


@login_required
@require_POST
def criteria_check(request: AuthedRequest, house_id: int) -> HttpResponse:
    """htmx: does the current tick set meet the house's rule?"""
    _require_referrer(request)
    house = get_object_or_404(House, pk=house_id)
    cset, criteria = criteria_of(house)
    ticked = [c.number for c in criteria if request.POST.get(f"crit_{c.number}")]
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
        .order_by("-case__created_at", "-pk")
    )
    # The newest first, in bounded pages: a busy referrer has thousands over the years.
    page = BoundedPaginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    feedback = list(Feedback.objects.filter(recipient=request.user)[:30])
    # Viewing marks nothing: the referrer marks the terugmeldingen read with a button.
    unread = {f.pk for f in feedback if f.read_at is None}
    return TemplateResponse(
        request,
        "intake/my_referrals.html",
        {"referrals": page.object_list, "page": page, "feedback": feedback, "unread": unread},
    )


@login_required
@require_POST
def feedback_read(request: AuthedRequest) -> HttpResponse:
    _require_referrer(request)
    services.mark_feedback_read(request.user)
    messages.success(request, _("Terugmeldingen als gelezen gemarkeerd."))
    return redirect("my_referrals")


def _enrichment_answers(
    request: AuthedRequest, case: Case, referral: Referral, chair: bool
) -> list[EnrichmentRequest]:
    """The partners' enrichment answers; reading them is recorded in the trail."""
    answers = list(
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
    return answers


def household_start_form(
    case: Case, referral: Referral | None, data: Any = None
) -> HouseholdStartForm:
    """The household start's form, with the household's current members (who gave consent)
    and the consent to coordination that holds, if any."""
    initial = {"version": referral.version} if referral is not None else None
    return HouseholdStartForm(
        data,
        initial=initial,
        house=case.house,
        members=current_members(case),
        held=current_coordination_consent(case),
    )


def _screening_context(request: AuthedRequest, case: Case, referral: Referral) -> dict[str, Any]:
    """Possible duplicates (search recorded) and the screening or agenda form for the chair."""
    claimed = {case.person_id: referral.claimed_bsn} if referral.claimed_bsn else {}
    matches = duplicates_for([case.person], claimed).get(case.person_id, [])
    for m in matches:
        m.cases = [c for c in m.cases if c.pk != case.pk]
    context: dict[str, Any] = {
        "duplicates": [m for m in matches if m.cases or m.person.pk != case.person_id]
    }
    audit.record(
        "intake.duplicates_viewed",
        actor=request.user,
        case_id=case.pk,
        purpose="screening",
        data={"mogelijke_dubbelen": [m.person.pk for m in context["duplicates"]]},
    )
    earlier = [c for m in context["duplicates"] for c in m.cases]
    if earlier and referral.linked_case_id is None:
        context["link_form"] = LinkCaseForm(initial={"version": referral.version}, cases=earlier)
    if case.status == Status.AANGEMELD:
        context["screen_form"] = ScreeningForm(initial={"version": referral.version})
        if case.house.household_variant:
            # Issue 15: in the household variant the screener may start coordination.
            context["household_start_form"] = household_start_form(case, referral)
            context["household_criteria_met"] = household_criteria_met(referral.pk, case.house)
    else:
        context["agenda_form"] = AgendaForm(
            initial={
                "version": referral.version,
                "proposed_level": case.escalation_level,
                "extra_day": today(),
            },
            acute=referral.urgency == Referral.Urgency.ACUUT,
        )
    return context


@login_required
def referral_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    referral = get_object_or_404(
        Referral.objects.select_related("referrer__organisation", "triage_meeting", "linked_case"),
        case=case,
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
        "additions": list(referral.additions.all()) if full else [],
        "can_add": can_add_to_referral(request.user, case),
        # Only the chair sees which earlier case this referral was linked to.
        "linked_case": referral.linked_case if chair and referral.linked_case_id else None,
        # Reached from the case page (a team member): the crumbs lead back there.
        "from_case": full and not chair and not is_referrer_of(request.user, case),
    }
    if can_see_enrichment(request.user, case):
        context["enrichment"] = _enrichment_answers(request, case, referral, chair)
    if may_search_duplicates(request.user, case):
        context.update(_screening_context(request, case, referral))
    audit.record(
        "referral.viewed",
        actor=request.user,
        case_id=case.pk,
        obj=referral,
        purpose="triage" if chair else "aanmelding",
    )
    return TemplateResponse(request, "intake/referral_detail.html", context)
