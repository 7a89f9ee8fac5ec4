"""What the pages of the execution phase share: reading a case with full access or as its
director, the people to invite, submitting a form to a service, the page of a plan not
started yet, and PDF downloads. Every case is read through cases.access.get_case_for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ketenregie.accounts.access import active_case_workers, house_case_workers
from ketenregie.accounts.models import User
from ketenregie.audit import services as audit
from ketenregie.cases.access import (
    get_full_case_for,
    team_users,
)
from ketenregie.cases.models import Case, CaseMembership, ExchangeKind
from ketenregie.cases.sharing import record_exchange
from ketenregie.cases.workflow import EXECUTION_STATUSES
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.intake.models import Invitee
from ketenregie.plans.access import (
    can_direct,
    may_write_plan,
)
from ketenregie.plans.forms import (
    case_workers,
)

log = logging.getLogger(__name__)


def _full_case(request: AuthedRequest, case_id: int) -> Case:
    """A case in (or past) execution that the user sees in full; an adviser gets 403."""
    # Before execution there is no plan: the page does not exist for this case.
    return get_full_case_for(request.user, case_id, statuses=EXECUTION_STATUSES)


def _directed_case(request: AuthedRequest, case_id: int) -> Case:
    case = _full_case(request, case_id)
    if not can_direct(request.user, case):
        raise PermissionDenied
    return case


def _tag_choices(case: Case) -> dict[str, Any]:
    """The choices of a goal's or action's tags (ADR 24): the active needs and the active
    interventions of the social map of the case's region."""
    from ketenregie.plans.socialmap import active_needs, interventions_in_region

    return {"needs": active_needs(), "interventions": interventions_in_region(case.house.region_id)}


def _team_people(case: Case) -> QuerySet[User]:
    """Who can own an action or be chosen casusregisseur: the active team, personally or
    through their organisation, without advisers (they see the case pseudonymised)."""
    return case_workers().filter(pk__in=team_users(case.pk, include_advisers=False).values("pk"))


def _triage_invitees(case_id: int) -> list[Invitee]:
    """The organisations the triage invited to the first case meeting, fixed partners
    first, each with its justification."""
    return list(
        Invitee.objects.filter(case_id=case_id)
        .select_related("organisation")
        .order_by("incidental", "organisation__name")
    )


def _invitable(house_id: int, case_id: int | None = None) -> QuerySet[User]:
    """Who can be invited to a meeting of a house: case workers of the house's partner
    organisations and of the house itself (roles held at the house), and, for a case
    meeting, whoever is on that case's team (personally or through their organisation)
    and the case workers of the organisations the triage invited (an incidental one,
    justified at the triage, need not be a partner of the house). Never anyone else of
    another region. The gate still decides what each of them sees.

    Bounded by the house and the one case (the case-team index), not by every
    membership of every case the house ever had.
    """
    who = Q(pk__in=house_case_workers(house_id).values("pk"))
    if case_id is not None:
        team = CaseMembership.objects.filter(case_id=case_id)
        who |= Q(pk__in=team.filter(user__isnull=False).values("user_id"))
        who |= Q(organisation_id__in=team.filter(user__isnull=True).values("organisation_id"))
        who |= Q(
            organisation_id__in=Invitee.objects.filter(case_id=case_id).values("organisation_id")
        )
    return case_workers().filter(who, pk__in=active_case_workers().values("pk"))


def _submit(
    request: AuthedRequest,
    form: Any,
    run: Callable[[Any], object],
    *,
    done: str,
    success_url: str,
    rerender: Callable[[], HttpResponse],
    current: Callable[[], int | None] | None = None,
) -> HttpResponse:
    """Valid form -> service -> message and redirect; otherwise the page again, with the
    Dutch errors on the form and everything that was typed."""
    if form.is_valid() and apply_service(form, lambda: run(form.cleaned_data), current):
        messages.success(request, done)
        return redirect(success_url)
    return rerender()


def _not_started(request: AuthedRequest, case: Case, kind: str) -> HttpResponse:
    """The page of a plan nobody started yet: it says so, and offers who may write the
    plan the button that starts it (a POST; viewing never creates anything)."""
    audit.record(f"{kind}.viewed", actor=request.user, case_id=case.pk, purpose="casusregie")
    return TemplateResponse(
        request,
        "plans/not_started.html",
        {
            "case": case,
            "kind": kind,
            "can_start": may_write_plan(request.user, case),
        },
    )


def _pdf_response(
    request: AuthedRequest, case: Case, kind: str, make: Callable[[], bytes]
) -> HttpResponse:
    fallback = reverse("plan" if kind == "plan" else "safety_plan", args=[case.pk])
    try:
        pdf = make()
    except Exception:  # noqa: BLE001 - a PDF failure must not become a blank 500
        log.exception("PDF %s niet gemaakt voor casus %s", kind, case.pk)
        messages.error(
            request,
            _("De PDF kon niet worden gemaakt. Probeer het opnieuw of meld het bij de beheerder."),
        )
        return redirect(fallback)
    with transaction.atomic():
        audit.record(
            f"{kind}.pdf_downloaded", actor=request.user, case_id=case.pk, purpose="casusregie"
        )
        # The PDF takes the plan out of the house's file to the downloader.
        record_exchange(
            ExchangeKind.PLAN_PDF if kind == "plan" else ExchangeKind.SAFETY_PLAN_PDF,
            actor=request.user,
            case=case,
            to_label=request.user.get_username(),
            to_organisations=[request.user.organisation],
            from_house=True,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = "plan-van-aanpak" if kind == "plan" else "veiligheidsplan"
    response["Content-Disposition"] = f'attachment; filename="{name}-{case.code}.pdf"'
    return response
