"""Writes of actions: adding one, reporting on it, and the daily reminders of actions due."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.audit import services as audit
from ketenregie.audit.writes import lock, save_audited
from ketenregie.cases.access import active_memberships, director_emails, team_users
from ketenregie.cases.models import Case, CaseRole
from ketenregie.cases.workflow import RUNNING_STATUSES, Status
from ketenregie.core.mail import send_link_mail
from ketenregie.pga import services as pga_services
from ketenregie.pga.models import Signal
from ketenregie.plans.models import (
    Action,
    ActionReminder,
    ActionReport,
    Goal,
    Intervention,
    Meeting,
    Need,
)
from ketenregie.plans.services.common import _running
from ketenregie.plans.socialmap import tag_errors

if TYPE_CHECKING:
    from ketenregie.accounts.models import Organisation, User


def _action_errors(
    case: Case,
    *,
    what: str,
    owner_user: User | None,
    owner_organisation: Organisation | None,
    due_date: dt.date | None,
    meeting: Meeting | None,
    goal: Goal | None,
) -> tuple[dict[str, str], Organisation | None]:
    """Check a new action; the owner's organisation defaults to the owner's own."""
    errors: dict[str, str] = {}
    if not what.strip():
        errors["what"] = _("Beschrijf wat er moet gebeuren.")
    if goal is not None and goal.plan.case_id != case.pk:
        errors["goal"] = _("Dit doel hoort bij een andere casus.")
    if meeting is not None and meeting.case_id != case.pk:
        errors["meeting"] = _("Dit overleg hoort bij een andere casus.")
    elif meeting is not None and (meeting.is_cancelled or not meeting.has_begun):
        # An action is agreed in a meeting that took place, not in one still to come.
        errors["meeting"] = _(
            "In dit overleg kan de actie niet zijn afgesproken: het is nog niet begonnen "
            "of het is vervallen."
        )
    if owner_user is not None:
        if owner_organisation is not None and owner_user.organisation_id != owner_organisation.pk:
            errors["owner_user"] = _("Deze persoon werkt niet bij de gekozen organisatie.")
        owner_organisation = owner_organisation or owner_user.organisation
    if owner_organisation is None:
        errors["owner_organisation"] = _(
            "Kies wie de actie uitvoert: een persoon of een organisatie."
        )
    if due_date is None:
        errors["due_date"] = _("Kies de datum waarop de actie klaar is.")
    return errors, owner_organisation


def _notify_owner(owner_user: User | None, actor: User) -> None:
    """Tell the person who owns a new action, unless they added it themselves."""
    if owner_user is not None and owner_user.pk != actor.pk:
        send_link_mail(
            [owner_user.email],
            subject=_("nieuwe actie voor u"),
            text=_("Er staat een nieuwe actie voor u klaar in ‘Mijn acties’."),
            path=reverse("my_actions"),
        )


@transaction.atomic
def add_action(
    case: Case,
    *,
    actor: User,
    what: str,
    owner_user: User | None,
    owner_organisation: Organisation | None,
    due_date: dt.date | None,
    meeting: Meeting | None = None,
    goal: Goal | None = None,
    need: Need | None = None,
    intervention: Intervention | None = None,
) -> Action:
    locked = _running(case)
    errors, owner_organisation = _action_errors(
        locked,
        what=what,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        due_date=due_date,
        meeting=meeting,
        goal=goal,
    )
    # An action without its own need serves its goal's: the intervention then needs one.
    effective_need = need or (goal.need if goal is not None else None)
    inherited = effective_need.pk if need is None and effective_need is not None else None
    errors = {
        **tag_errors(locked, effective_need, intervention, kept_need_id=inherited),
        **errors,
    }
    if errors:
        raise ValidationError(errors)
    assert owner_organisation is not None and due_date is not None
    action = Action.objects.create(
        case=locked,
        meeting=meeting,
        goal=goal,
        need=need,
        intervention=intervention,
        what=what.strip(),
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        due_date=due_date,
        created_by=actor,
    )
    audit.record(
        "action.added",
        actor=actor,
        case_id=locked.pk,
        obj=action,
        data={
            "eigenaar": owner_user.pk if owner_user else None,
            "organisatie": owner_organisation.pk,
            "uiterlijk": due_date.isoformat(),
            "overleg": meeting.pk if meeting else None,
            "behoefte": need.pk if need else None,
            "interventie": intervention.pk if intervention else None,
        },
    )
    _notify_owner(owner_user, actor)
    return action


def _report_errors(locked: Action, *, kind: str, text: str) -> dict[str, str]:
    """Check a report: the case must run, the kind must fit the action's state, text given."""
    if locked.case.status not in RUNNING_STATUSES:
        raise ValidationError(
            _("Deze casus loopt niet meer (status ‘%(status)s’); melden kan niet.")
            % {"status": Status(locked.case.status).label}
        )
    errors: dict[str, str] = {}
    if kind not in ActionReport.Kind.values:
        errors["kind"] = _("Kies wat u wilt melden.")
    if locked.state != Action.State.OPEN and kind != ActionReport.Kind.REPORT:
        errors["kind"] = _("Deze actie is al afgerond (%(stand)s).") % {
            "stand": locked.get_state_display().lower()
        }
    needs_text = kind in (
        ActionReport.Kind.REPORT,
        ActionReport.Kind.IMPOSSIBLE,
        ActionReport.Kind.CHANGE,
    )
    if needs_text and not text.strip():
        text_errors: dict[str, str] = {
            ActionReport.Kind.IMPOSSIBLE.value: _("Geef de reden waarom de actie niet kan."),
            ActionReport.Kind.CHANGE.value: _("Beschrijf wat er is veranderd."),
        }
        errors["text"] = text_errors.get(kind, _("Schrijf uw terugmelding."))
    return errors


def _state_after_report(kind: str, text: str) -> dict[str, Any]:
    """The action's new state for a report that closes it; nothing for other reports."""
    if kind == ActionReport.Kind.DONE:
        return {"state": Action.State.DONE, "closed_at": timezone.now()}
    if kind == ActionReport.Kind.IMPOSSIBLE:
        return {
            "state": Action.State.IMPOSSIBLE,
            "state_reason": text.strip(),
            "closed_at": timezone.now(),
        }
    return {}


def _signal_report(locked: Action, *, actor: User, kind: str, text: str) -> None:
    """'Cannot be done' and 'a change' raise a signal on the case for the regisseurs."""
    if kind in (ActionReport.Kind.IMPOSSIBLE, ActionReport.Kind.CHANGE):
        pga_services.raise_signal(
            locked.case,
            actor=actor,
            kind=Signal.Kind.ACTION_IMPOSSIBLE
            if kind == ActionReport.Kind.IMPOSSIBLE
            else Signal.Kind.CHANGE,
            text=_("Actie ‘%(wat)s’: %(tekst)s") % {"wat": locked.what[:80], "tekst": text.strip()},
        )


@transaction.atomic
def report_on_action(
    action: Action, *, actor: User, kind: str, text: str, expected_version: int | None = None
) -> Action:
    """Report back, mark done, or signal that it cannot be done or that something changed.

    'Cannot be done' and 'a change' raise a signal on the case, which notifies the
    casusregisseur and the procesregisseur.
    """
    locked = lock(action, expected_version=expected_version, related=["case"])
    errors = _report_errors(locked, kind=kind, text=text)
    if errors:
        raise ValidationError(errors)
    ActionReport.objects.create(
        action=locked, kind=kind, text=text.strip(), by=actor, at=timezone.now()
    )
    # Every report is an event; only the state enters the trail (the reason is free text).
    save_audited(
        locked,
        actor=actor,
        action="action.reported",
        values=_state_after_report(kind, text),
        case_id=locked.case_id,
        shown=["state"],
        labels={"state": "stand"},
        extra={"soort": kind},
        always=True,
    )
    _signal_report(locked, actor=actor, kind=kind, text=text)
    return locked


def my_actions_filter(user: User) -> Q:
    """Actions that are the user's own or their organisation's."""
    mine = Q(owner_user_id=user.pk)
    if user.organisation_id is not None:
        mine |= Q(owner_organisation_id=user.organisation_id)
    return mine


def send_reminders(day: dt.date | None = None) -> int:
    """Daily: a link-only reminder for every overdue open action, at most once a day.

    Idempotent: ActionReminder(action, day) is unique, so a second run that day sends
    nothing. Returns the number of reminders sent.
    """

    day = day or timezone.localdate()
    overdue = (
        Action.objects.overdue(day)
        .filter(case__status__in=RUNNING_STATUSES)
        .exclude(pk__in=ActionReminder.objects.filter(on_date=day).values("action_id"))
        .select_related("owner_user", "case")
    )
    sent = 0
    for action in overdue:
        with transaction.atomic():
            reminder, created = ActionReminder.objects.get_or_create(action=action, on_date=day)
            if not created:
                continue
            still_on_team = (
                action.owner_user is not None
                and active_memberships(action.owner_user)
                .filter(case_id=action.case_id)
                .exclude(role=CaseRole.ADVISEUR)
                .exists()
            )
            if action.owner_user is not None and still_on_team:
                recipients = [action.owner_user.email]
            else:
                # The organisation's case workers on this case's team.
                recipients = list(
                    team_users(action.case_id, include_advisers=False)
                    .filter(organisation_id=action.owner_organisation_id)
                    .values_list("email", flat=True)
                )
            if not recipients:
                # Nobody of the owning organisation is on the team: the directors follow up.
                recipients = director_emails(action.case_id)
            reminder.sent_to = len(recipients)
            reminder.save(update_fields=["sent_to"])
            audit.record(
                "action.reminder_sent",
                actor=None,
                case_id=action.case_id,
                obj=action,
                data={"datum": day.isoformat(), "ontvangers": len(recipients)},
            )
            send_link_mail(
                recipients,
                subject=_("herinnering: actie over de datum"),
                text=_(
                    "Een actie op uw naam of van uw organisatie is over de afgesproken datum. "
                    "Meld terug in ‘Mijn acties’."
                ),
                path=reverse("my_actions"),
            )
            sent += 1
    return sent
