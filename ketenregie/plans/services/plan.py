"""Writes of the integrated plan: starting it, its texts, domain scores, statements and
goals, and adopting a version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.audit import services as audit
from ketenregie.audit.writes import lock, save_audited
from ketenregie.cases.defaults import ensure_life_domains
from ketenregie.cases.models import Case, HouseholdMember, LifeDomain
from ketenregie.plans.models import (
    GOAL_CHECK_CHOICES,
    Action,
    DomainScore,
    Goal,
    Intervention,
    Meeting,
    Need,
    Plan,
    PlanVersion,
    SafetyPlan,
    Statement,
)
from ketenregie.plans.safety import safety_plan_missing
from ketenregie.plans.services.common import _running
from ketenregie.plans.services.safety import NEW_SAFETY_FIELDS, SAFETY_FIELDS
from ketenregie.plans.services.signatures import signatures_content
from ketenregie.plans.socialmap import tag_errors

if TYPE_CHECKING:
    from ketenregie.accounts.models import User


PLAN_TEXT_FIELDS = [
    "reason",
    "joint_goal",
    "earlier_help",
    "analysis",
    "desired_result",
    "summary",
    "residence_checked",
    "residence_checked_by",
    "identity_checked",
    "identity_checked_by",
]
PLAN_FLAGS = ("residence_checked", "identity_checked")
# Keys of a version's content added with seed 002's template (issue 15): kept only when
# set, so the versions adopted before compare unchanged.
NEW_TEXT_FIELDS = ("reason", "summary", *PLAN_FLAGS, "residence_checked_by", "identity_checked_by")
GOAL_CHECKS = tuple(code for code, _label in GOAL_CHECK_CHOICES)
GOAL_TEXTS = ("needed", "own_part", "network_part")


def _missing_domains(plan: Plan) -> QuerySet[LifeDomain]:
    return LifeDomain.objects.filter(is_active=True).exclude(
        pk__in=DomainScore.objects.filter(plan=plan).values("domain_id")
    )


def _add_domain_rows(plan: Plan) -> None:
    """A score row for every active life domain (the beheerder may add domains later)."""
    DomainScore.objects.bulk_create(
        [DomainScore(plan=plan, domain=d) for d in _missing_domains(plan)]
    )


def domain_rows(plan: Plan) -> list[DomainScore]:
    """The plan's score rows, and an unsaved empty row for an active life domain added
    after the plan started (reading the page writes nothing; saving scores adds it)."""
    rows = list(DomainScore.objects.filter(plan=plan).select_related("domain"))
    rows += [DomainScore(plan=plan, domain=d) for d in _missing_domains(plan)]
    return sorted(rows, key=lambda r: (r.domain.order, r.domain.name))


@transaction.atomic
def plan_for(case: Case, actor: User | None = None) -> Plan:
    """Start the case's working plan ("Plan van aanpak starten"), audited as the starter.

    A POST, never a page view. Starting twice returns the plan that is there; life domains
    the beheerder added since get their row.
    """
    # Locks the case (two people pressing the button at once start one plan) and
    # refuses a case that is not running, like every other plan write.
    _running(case)
    plan, created = Plan.objects.get_or_create(case=case)
    if created:
        ensure_life_domains()
    _add_domain_rows(plan)
    if created:
        prefilled = _problems_from_referral(plan)
        audit.record(
            "plan.created",
            actor=actor,
            case_id=case.pk,
            obj=plan,
            data={"uit_aanmelding": prefilled},
        )
    return plan


def _problems_from_referral(plan: Plan) -> list[str]:
    """A new plan starts with the referral's problems per life domain (the team edits
    them); returns the names of the domains filled. Only rows still empty are filled."""
    from ketenregie.intake.models import ReferralProblem

    problems = {
        p.domain_id: p.description
        for p in ReferralProblem.objects.filter(referral__case_id=plan.case_id)
        if p.description.strip()
    }
    filled: list[str] = []
    for row in DomainScore.objects.filter(
        plan=plan, domain_id__in=problems, problem=""
    ).select_related("domain"):
        row.problem = problems[row.domain_id].strip()
        row.save(update_fields=["problem"])
        filled.append(row.domain.name)
    return filled


@transaction.atomic
def save_plan_text(
    plan: Plan, *, actor: User, values: Mapping[str, Any], expected_version: int
) -> Plan:
    _running(plan.case)
    locked = lock(plan, expected_version=expected_version)
    # A field the caller did not send keeps its stored value.
    new = {
        name: bool(values[name]) if name in PLAN_FLAGS else str(values[name] or "").strip()
        for name in PLAN_TEXT_FIELDS
        if name in values
    }
    errors = {}
    for flag in PLAN_FLAGS:
        checked = new.get(flag, getattr(locked, flag))
        by = new.get(f"{flag}_by", getattr(locked, f"{flag}_by"))
        if checked and not by:
            errors[f"{flag}_by"] = _("Vermeld wie dit heeft gecontroleerd.")
    if errors:
        raise ValidationError(errors)
    save_audited(
        locked,
        actor=actor,
        action="plan.text_saved",
        values=new,
        case_id=locked.case_id,
        mode="names",
        shown=PLAN_FLAGS,
        touch={"updated_at": timezone.now(), "updated_by": actor},
    )
    return locked


@transaction.atomic
def save_domain_scores(
    plan: Plan,
    *,
    actor: User,
    scores: Mapping[int, tuple[int | None, str]],
    expected_version: int,
) -> Plan:
    """Scores (1-5) and problems per life domain; `scores` maps domain id -> (score, text)."""
    _running(plan.case)
    locked = lock(plan, expected_version=expected_version)
    _add_domain_rows(locked)
    errors = [
        _("De score op een leefgebied ligt tussen 1 en 5.")
        for score, _text in scores.values()
        if score is not None and not 1 <= score <= 5
    ]
    if errors:
        raise ValidationError(errors[0])
    changed: dict[str, Any] = {}
    for row in DomainScore.objects.filter(plan=locked).select_related("domain"):
        if row.domain_id not in scores:
            continue
        score, text = scores[row.domain_id]
        if row.score != score or row.problem != text.strip():
            if row.score != score:
                changed[row.domain.name] = {"voor": row.score, "na": score}
            row.score, row.problem = score, text.strip()
            row.save(update_fields=["score", "problem"])
    # The rows changed, not the plan's own fields: the plan's version and stamp go up.
    save_audited(
        locked,
        actor=actor,
        action="plan.scores_saved",
        values={},
        case_id=locked.case_id,
        mode="none",
        extra={"scores": changed},
        touch={"updated_at": timezone.now(), "updated_by": actor},
        always=True,
    )
    return locked


@transaction.atomic
def add_statement(plan: Plan, *, actor: User, kind: str, text: str, said_by: str) -> Statement:
    _running(plan.case)
    errors = {}
    if kind not in Statement.Kind.values:
        errors["kind"] = _("Kies kracht of zorg.")
    if not text.strip():
        errors["text"] = _("Schrijf op wat er is gezegd.")
    if not said_by.strip():
        errors["said_by"] = _("Vermeld wie het zei.")
    if errors:
        raise ValidationError(errors)
    statement = Statement.objects.create(
        plan=plan, kind=kind, text=text.strip(), said_by=said_by.strip(), added_by=actor
    )
    audit.record(
        "plan.statement_added",
        actor=actor,
        case_id=plan.case_id,
        obj=statement,
        data={"soort": kind},
    )
    return statement


@transaction.atomic
def add_goal(
    plan: Plan,
    *,
    actor: User,
    text: str,
    good_enough: str,
    need: Need | None = None,
    intervention: Intervention | None = None,
    member: HouseholdMember | None = None,
    checks: Collection[str] = (),
    needed: str = "",
    own_part: str = "",
    network_part: str = "",
) -> Goal:
    """A goal for one household member or (no member) the whole client system."""
    case = _running(plan.case)
    errors = tag_errors(case, need, intervention)
    if member is not None and member.household_id != case.household_id:
        errors["member"] = _("Kies een gezinslid van het huishouden van deze casus.")
    if not set(checks) <= set(GOAL_CHECKS):
        errors["checks"] = _("Kies alleen punten van de doelcheck.")
    if not text.strip():
        errors["text"] = _("Beschrijf het doel.")
    if not good_enough.strip():
        errors["good_enough"] = _("Beschrijf wanneer het goed genoeg is om af te sluiten.")
    if errors:
        raise ValidationError(errors)
    goal = Goal.objects.create(
        plan=plan,
        text=text.strip(),
        good_enough=good_enough.strip(),
        need=need,
        intervention=intervention,
        member=member,
        needed=needed.strip(),
        own_part=own_part.strip(),
        network_part=network_part.strip(),
        **{c: c in checks for c in GOAL_CHECKS},
    )
    audit.record(
        "plan.goal_added",
        actor=actor,
        case_id=plan.case_id,
        obj=goal,
        data={
            "behoefte": goal.need_id,
            "interventie": goal.intervention_id,
            "gezinslid": goal.member_id,
            "doelcheck": sorted(c for c in GOAL_CHECKS if c in checks),
        },
    )
    return goal


@transaction.atomic
def set_goal_reached(goal: Goal, *, actor: User, reached: str) -> Goal:
    locked = lock(goal, related=["plan"])
    _running(locked.plan.case)
    if reached not in Goal.Reached.values:
        raise ValidationError({"reached": _("Kies ja, nee of nog niet.")})
    save_audited(
        locked,
        actor=actor,
        action="plan.goal_updated",
        values={"reached": reached},
        case_id=locked.plan.case_id,
        labels={"reached": "bereikt"},
    )
    return locked


def plan_content(plan: Plan) -> dict[str, Any]:
    """The whole plan as plain data: what a version freezes and what the diff compares."""
    content: dict[str, Any] = {
        f: getattr(plan, f)
        for f in PLAN_TEXT_FIELDS
        if f not in NEW_TEXT_FIELDS or getattr(plan, f)
    }
    # The case's flag, under the key the plan's own flag had (versions compare across).
    content["safety_concerns"] = plan.case.safety_concerns
    content.update(signatures_content(plan))
    content["domeinen"] = {
        row.domain.name: {"score": row.score, "problematiek": row.problem}
        for row in DomainScore.objects.filter(plan=plan).select_related("domain")
    }
    content["uitspraken"] = [
        {"soort": s.kind, "tekst": s.text, "door": s.said_by} for s in plan.statements.all()
    ]
    content["doelen"] = [
        {
            "doel": g.text,
            "goed_genoeg": g.good_enough,
            "bereikt": g.reached,
            **_tags(g),
            **_goal_extras(g),
        }
        for g in plan.goals.select_related("need__domain", "intervention", "member__person")
    ]
    content["acties"] = [
        {
            "wat": a.what,
            "eigenaar": str(a.owner_user or a.owner_organisation),
            "uiterlijk": a.due_date.isoformat(),
            "stand": a.state,
            **_tags(a),
        }
        for a in Action.objects.filter(case_id=plan.case_id).select_related(
            "owner_user", "owner_organisation", "need__domain", "intervention"
        )
    ]
    safety = SafetyPlan.objects.filter(case_id=plan.case_id).first()
    if safety is not None:
        content["veiligheidsplan"] = {
            **{
                f: _plain(getattr(safety, f))
                for f in SAFETY_FIELDS
                if f not in NEW_SAFETY_FIELDS or getattr(safety, f)
            },
            **signatures_content(safety),
            "afspraken": [
                {
                    "wat": a.what,
                    "wie_controleert": a.who_checks,
                    "als_niet": a.if_not_kept,
                    **{
                        k: v
                        for k, v in (("wie", a.who), ("wanneer", a.when), ("nodig", a.needed))
                        if v
                    },
                }
                for a in safety.agreements.all()
            ],
            # Slice planvi: the contact rows (ADR 32); only when there are any, so versions
            # from before the rows compare unchanged.
            **_safety_contacts_content(safety),
        }
    return content


def _safety_contacts_content(safety: SafetyPlan) -> dict[str, Any]:
    """The safety plan's contacts as a version keeps them: the rows (each with the parts
    filled in) and the free text from before the rows while it is there."""
    out: dict[str, Any] = {}
    if safety.earlier_contacts:
        out["contacts"] = safety.earlier_contacts
    rows = [
        {
            key: value
            for key, value in (
                ("naam", c.name),
                ("rol", c.role),
                ("telefoon", c.phone),
                ("email", c.email),
                ("wanneer", c.when_to_call),
            )
            if value
        }
        for c in safety.contacts.all()
    ]
    if rows:
        out["contactpersonen"] = rows
    return out


def member_label(member: HouseholdMember | None) -> str:
    """Whose goal, as the full plan shows it: a member's name and relation, or the system."""
    if member is None:
        return str(_("Het hele gezin (cliëntsysteem)"))
    return f"{member.person.full_name} ({member.get_relation_display().lower()})"


def _goal_extras(goal: Goal) -> dict[str, Any]:
    """The 7.1 parts of a goal (whose, the goal check, what is needed, own and network
    part): only those set, so versions from before compare unchanged."""
    out: dict[str, Any] = {}
    if goal.member_id is not None:
        out["voor"] = member_label(goal.member)
    checks = [c for c in GOAL_CHECKS if getattr(goal, c)]
    if checks:
        out["doelcheck"] = checks
    for name in GOAL_TEXTS:
        if getattr(goal, name):
            out[name] = getattr(goal, name)
    return out


def _tags(row: Goal | Action) -> dict[str, str]:
    """A goal's or action's tags as a version keeps them (ADR 24): names, so a version
    reads the same after the beheerder renames or switches off a need or intervention;
    only the tags that are set, so versions from before tagging compare unchanged."""
    tags = {}
    if row.need is not None:
        tags["behoefte"] = str(row.need)
    if row.intervention is not None:
        tags["interventie"] = str(row.intervention)
    return tags


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def adopt_plan(
    plan: Plan, *, actor: User, expected_version: int, meeting: Meeting | None = None
) -> PlanVersion:
    """Adopt (vaststellen) the plan as it stands: a new numbered version, kept forever."""
    _running(plan.case)
    locked = lock(plan, expected_version=expected_version)
    errors = []
    if not locked.joint_goal.strip():
        errors.append(_("Een plan wordt vastgesteld met een gezamenlijk doel."))
    if not locked.goals.exists():
        errors.append(_("Een plan wordt vastgesteld met ten minste één doel."))
    missing = safety_plan_missing(locked.case)
    if missing:
        errors.append(missing)
    if errors:
        raise ValidationError(errors)
    content = plan_content(locked)
    last = PlanVersion.objects.filter(plan=locked).order_by("-number").first()
    if last is not None and last.content == content:
        raise ValidationError(_("Er is niets gewijzigd sinds versie %(n)s.") % {"n": last.number})
    version = PlanVersion.objects.create(
        plan=locked,
        number=(last.number + 1) if last else 1,
        adopted_at=timezone.now(),
        adopted_by=actor,
        meeting=meeting,
        content=content,
    )
    audit.record(
        "plan.adopted",
        actor=actor,
        case_id=locked.case_id,
        obj=version,
        data={"versie": version.number},
    )
    return version
