"""Pages of the chair's screening: the screening decision, putting a referral on the
agenda, and the screening list.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.audit import services as audit
from ketenregie.cases.access import get_case_for, is_chair_of, visible_cases
from ketenregie.cases.models import Case
from ketenregie.cases.workflow import SCREENING_STATUSES, Status
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.intake import services
from ketenregie.intake.access import (
    chair_house_ids,
    decided_away,
)
from ketenregie.intake.forms import (
    AgendaForm,
    LinkCaseForm,
    ScreeningForm,
)
from ketenregie.intake.matching import duplicates_for
from ketenregie.intake.models import (
    AgendaItem,
    Referral,
)
from ketenregie.intake.services.common import DECIDED_AWAY
from ketenregie.intake.services.household_start import WITHOUT_CONSENT
from ketenregie.intake.views.referral import household_start_form, referral_detail


def _chair_case(request: AuthedRequest, case_id: int) -> Case:
    case = get_case_for(request.user, case_id)
    if not is_chair_of(request.user, case.house_id):
        raise PermissionDenied
    return case


def _decided_away_page(request: AuthedRequest, case_id: int, form: Any) -> HttpResponse:
    """Another chair's rejection deleted this referral a moment ago: say so, with the
    text this chair typed (to copy), instead of a bare 404. Anyone else still gets 404."""
    if not decided_away(request.user, case_id):
        raise Http404
    typed = [
        (form[name].label, form.data.get(name, "").strip())
        for name in ("reason", "advice", "referred_to")
        if form.data.get(name, "").strip()
    ]
    return TemplateResponse(
        request,
        "intake/referral_decided_away.html",
        {"message": DECIDED_AWAY, "typed": typed},
        status=409,
    )


def _household_start(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Household variant (issue 15): the screener starts coordination without triage."""
    case = _chair_case(request, case_id)
    form = household_start_form(case, None, request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: services.start_without_triage(
            case,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            procesregisseur=form.cleaned_data["procesregisseur"],
            consent_choice=form.cleaned_data["consent_choice"],
            new_consent=form.new_consent(),
            without_consent_reason=form.cleaned_data["without_consent_reason"],
        ),
    ):
        messages.success(
            request, _("De coördinatie is gestart; de procesregisseur en de aanmelder weten het.")
        )
        if form.cleaned_data["consent_choice"] == WITHOUT_CONSENT:
            # Seed 002: without consent to coordination the meldcode is followed; the
            # case page says so at the top, with the link to the meldcode.
            messages.warning(
                request,
                _(
                    "Gestart zonder toestemming van de klant: volg de meldcode huiselijk "
                    "geweld en kindermishandeling (zie de casus)."
                ),
            )
        return redirect("case_detail", case_id=case.pk)
    return _detail_with_form(request, case, "household_start_form", form)


@login_required
@require_POST
def referral_screen(request: AuthedRequest, case_id: int) -> HttpResponse:
    if request.POST.get("decision") == "household_start":
        return _household_start(request, case_id)
    form = ScreeningForm(request.POST)
    try:
        case = _chair_case(request, case_id)
    except Http404:
        return _decided_away_page(request, case_id, form)
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


def _detail_with_form(request: AuthedRequest, case: Case, name: str, form: Any) -> HttpResponse:
    try:
        response = referral_detail(request, case.pk)
    except Http404:
        # The service waited for the other chair's lock and found the case deleted.
        return _decided_away_page(request, case.pk, form)
    assert isinstance(response, TemplateResponse)
    assert response.context_data is not None
    response.context_data[name] = form
    response.status_code = 200
    return response


@login_required
@require_POST
def referral_agenda(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _chair_case(request, case_id)
    acute = Referral.objects.filter(case=case, urgency=Referral.Urgency.ACUUT).exists()
    form = AgendaForm(request.POST, acute=acute)
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
                extra_at=form.extra_at(),
            )
        ),
    ):
        if items[0].meeting.ad_hoc:
            messages.success(request, _("Op een extra triage gezet; de aanmelder is uitgenodigd."))
        else:
            messages.success(request, _("Geagendeerd; de aanmelder is uitgenodigd."))
        return redirect("triage_detail", meeting_id=items[0].meeting_id)
    return _detail_with_form(request, case, "agenda_form", form)


# Acute referrals first, then high urgency, then the rest; oldest submission first within.
URGENCY_RANK = models.Case(
    When(referral__urgency=Referral.Urgency.ACUUT, then=Value(0)),
    When(referral__urgency=Referral.Urgency.HOOG, then=Value(1)),
    default=Value(2),
)
SCREENING_PAGE_SIZE = 25


@login_required
def screening_list(request: AuthedRequest) -> HttpResponse:
    houses = chair_house_ids(request.user)
    if not houses:
        raise PermissionDenied
    referrals = (
        visible_cases(request.user)
        .filter(house_id__in=houses, status__in=SCREENING_STATUSES)
        .order_by(URGENCY_RANK, "referral__submitted_at", "pk")
    )
    # Page the ids first: the joins and counts below then cost 25 rows, not every
    # referral in screening.
    page = Paginator(referrals.values_list("pk", flat=True), SCREENING_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    cases = list(
        referrals.filter(pk__in=list(page.object_list))
        .select_related("person", "house", "referral__triage_meeting", "referral__referrer")
        .annotate(
            open_requests=Count(
                "referral__enrichment", filter=Q(referral__enrichment__answer=""), distinct=True
            ),
            all_requests=Count("referral__enrichment", distinct=True),
        )
    )
    # Duplicates for this page only, in a fixed number of queries (indexed keys).
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
    return TemplateResponse(request, "intake/screening_list.html", {"rows": rows, "page": page})


@login_required
@require_POST
def referral_link(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The chair links the referral to an earlier case the duplicate check found."""
    case = _chair_case(request, case_id)
    referral = get_object_or_404(Referral, case=case)
    form = LinkCaseForm(request.POST, cases=services.earlier_cases(case, referral.claimed_bsn))
    if form.is_valid() and apply_service(
        form,
        lambda: services.link_to_earlier_case(
            case,
            actor=request.user,
            earlier_case_id=form.cleaned_data["earlier_case"],
            expected_version=form.cleaned_data["version"],
        ),
    ):
        messages.success(
            request, _("Gekoppeld aan de eerdere casus; het casusteam daarvan is geïnformeerd.")
        )
        return redirect("referral_detail", case_id=case.pk)
    return _detail_with_form(request, case, "link_form", form)
