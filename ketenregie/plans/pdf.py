"""The plan of approach and the safety plan as PDF (WeasyPrint) for the case team.

Views call these only for a case that came through the gate with full access; the view
writes the audit event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import timezone

from ketenregie.cases.household_queries import current_consents, current_network
from ketenregie.cases.models import Case, CaseMembership
from ketenregie.cases.queries import household_of
from ketenregie.plans.models import (
    Action,
    CasusregisseurAgreement,
    Meeting,
    Plan,
    PlanVersion,
    SafetyPlan,
    SafetyScore,
)
from ketenregie.plans.plan_details import PlanHead, plan_details_for

if TYPE_CHECKING:
    from ketenregie.accounts.models import User


def render_pdf(template: str, context: dict[str, object]) -> bytes:
    """A template rendered to PDF with WeasyPrint, `now` (local time) in its context; also
    used by the privacy app's processing register."""
    import weasyprint

    html = render_to_string(template, {**context, "now": timezone.localtime()})
    return bytes(weasyprint.HTML(string=html).write_pdf())


def plan_pdf(case: Case, user: User) -> bytes:
    """The support plan as `user` downloads it (the providers of "overige gegevens" get
    the viewer; the case came through the gate with full access, see above)."""
    plan = Plan.objects.get(case=case)
    household = household_of(case)
    return render_pdf(
        "plans/pdf_plan.html",
        {
            "case": case,
            "plan": plan,
            "latest": PlanVersion.objects.filter(plan=plan).order_by("-number").first(),
            "scores": list(plan.domain_scores.select_related("domain")),
            "statements": list(plan.statements.all()),
            "goals": list(
                plan.goals.select_related("need__domain", "intervention", "member__person")
            ),
            "household": household,
            "network": current_network(case),
            "consents": current_consents(case),
            "plan_details": plan_details_for(
                user, PlanHead(case=case, full=True, household=household)
            ),
            "team_now": list(
                CaseMembership.objects.filter(case=case)
                .active_on(timezone.localdate())
                .select_related("user", "organisation")
                .order_by("role", "pk")
            ),
            "planned": list(Meeting.objects.upcoming().filter(case=case).order_by("starts_at")),
            "actions": list(
                Action.objects.filter(case=case).select_related("owner_user", "owner_organisation")
            ),
            "casusregisseur": CasusregisseurAgreement.objects.filter(case=case)
            .select_related("casusregisseur")
            .last(),
        },
    )


def safety_pdf(case: Case) -> bytes:
    safety = SafetyPlan.objects.get(case=case)
    return render_pdf(
        "plans/pdf_safety.html",
        {
            "case": case,
            "safety": safety,
            "contacts": list(safety.contacts.all()),
            "agreements": list(safety.agreements.all()),
            "scores": list(SafetyScore.objects.filter(case=case)),
        },
    )
