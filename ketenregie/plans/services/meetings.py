"""Writes of the execution phase: meetings and minutes, the plan and its versions, goals,
actions and reports, the safety plan, escalation between directors.

Every write locks what it changes, checks it, writes an audit event in the same
transaction and queues link-only mail for after the commit. Free text (minutes, plan
texts, reasons) stays out of the permanent audit trail: events name fields, not content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.accounts.access import users_with_role_at
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.audit.writes import lock, save_audited
from ketenregie.cases import services as case_services
from ketenregie.cases.access import active_memberships, case_team, director_emails, team_users
from ketenregie.cases.defaults import ensure_life_domains
from ketenregie.cases.models import Case, CaseMembership, CaseRole, LifeDomain
from ketenregie.cases.workflow import RUNNING_STATUSES, Status
from ketenregie.core.ics import meeting_ics
from ketenregie.core.mail import absolute_url, send_link_mail
from ketenregie.plans.access import escalation_steps, personal_director_roles
from ketenregie.plans.models import (
    Action,
    ActionReminder,
    ActionReport,
    CasusregisseurAgreement,
    DirectorEscalation,
    DomainScore,
    Goal,
    Meeting,
    MonitoringItem,
    Participant,
    Plan,
    PlanVersion,
    SafetyAgreement,
    SafetyPlan,
    SafetyScore,
    Statement,
)

if TYPE_CHECKING:
    from ketenregie.accounts.models import House, Organisation, User

PLAN_TEXT_FIELDS = ["joint_goal", "earlier_help", "analysis", "desired_result", "safety_concerns"]
SAFETY_FIELDS = [
    "strengths",
    "concerns",
    "worst_case",
    "complicating_factors",
    "contacts",
    "signed_by",
    "signed_on",
    "evaluation_date",
]


def _running(case: Case) -> Case:
    locked = lock(case)
    if locked.status not in RUNNING_STATUSES:
        raise ValidationError(
            _("Dit kan alleen bij een casus in uitvoering (status nu: ‘%(status)s’).")
            % {"status": Status(locked.status).label}
        )
    return locked


# --- Case meetings ----------------------------------------------------------------------


def _meeting_label(meeting: Meeting) -> str:
    if meeting.case is not None:
        return f"{meeting.get_kind_display()} casus {meeting.case.code}"
    return f"{meeting.get_kind_display()} {meeting.house.name}"


def _invite(meeting: Meeting, users: Iterable[User], *, update: bool = False) -> None:
    path = reverse("meeting_detail", args=[meeting.pk])
    ics = meeting_ics(
        uid=f"ketenregie-overleg-{meeting.pk}@ketenregie",
        start=meeting.starts_at,
        end=meeting.ends_at,
        summary=_meeting_label(meeting),
        location=meeting.location,
        url=absolute_url(path),
    )
    when = timezone.localtime(meeting.starts_at).strftime("%d-%m-%Y %H:%M")
    send_link_mail(
        [u.email for u in users],
        subject=_("gewijzigde uitnodiging casusoverleg")
        if update
        else _("uitnodiging casusoverleg"),
        text=_(
            "U bent uitgenodigd voor een %(soort)s op %(wanneer)s. Geef in Ketenregie aan of "
            "u komt en in welke hoedanigheid (betrokken of adviseur)."
        )
        % {"soort": meeting.get_kind_display().lower(), "wanneer": when},
        path=path,
        ics=ics,
    )


def _check_meeting_values(
    kind: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    person_invited: bool,
    person_not_invited_reason: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in Meeting.Kind.values:
        errors["kind"] = _("Kies de soort overleg.")
    if starts_at is None:
        errors["starts_at"] = _("Vul de datum en het begintijdstip in.")
    if ends_at is None:
        errors["ends_at"] = _("Vul het eindtijdstip in.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("Het overleg eindigt na het begin.")
    if (
        kind == Meeting.Kind.INCIDENTAL
        and not person_invited
        and not person_not_invited_reason.strip()
    ):
        errors["person_not_invited_reason"] = _(
            "De betrokkene wordt voor een incidenteel casusoverleg uitgenodigd, tenzij er "
            "zwaarwegende redenen zijn. Leg die redenen vast, of vink uitnodigen aan."
        )
    return errors


@transaction.atomic
def schedule_meeting(
    *,
    actor: User,
    house: House,
    kind: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    location: str,
    participants: Iterable[User],
    case: Case | None = None,
    person_invited: bool = False,
    person_not_invited_reason: str = "",
) -> Meeting:
    """Plan a case meeting and invite the participants by link-only mail with an .ics."""
    errors = _check_meeting_values(
        kind, starts_at, ends_at, person_invited, person_not_invited_reason
    )
    if kind == Meeting.Kind.MONITORING:
        if case is not None:
            errors["kind"] = _(
                "Een monitoringsoverleg gaat over alle lopende casussen van een huis."
            )
    elif case is None:
        errors["kind"] = _("Een casusoverleg hoort bij een casus.")
    else:
        case = _running(case)
        if case.house_id != house.pk:
            errors["kind"] = _("Deze casus hoort bij een ander huis.")
    if kind == Meeting.Kind.FIRST and case is not None:
        if Meeting.objects.first_of(case.pk).exists():
            errors["kind"] = _(
                "Deze casus heeft al een eerste casusoverleg. Plan een incidenteel overleg."
            )
    people = list({u.pk: u for u in participants}.values())
    if not people:
        errors["participants"] = _("Nodig ten minste één deelnemer uit.")
    if errors:
        raise ValidationError(errors)
    assert starts_at is not None and ends_at is not None
    if kind == Meeting.Kind.FIRST and not location.strip():
        # The first case meeting is held in person at the house unless said otherwise.
        location = _("%(huis)s (fysiek)") % {"huis": house.name}
    meeting = Meeting.objects.create(
        house=house,
        case=case,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip() or house.name,
        person_invited=person_invited if kind != Meeting.Kind.MONITORING else False,
        person_not_invited_reason=person_not_invited_reason.strip() if not person_invited else "",
        organiser=actor,
    )
    Participant.objects.bulk_create([Participant(meeting=meeting, user=u) for u in people])
    if kind == Meeting.Kind.MONITORING:
        running = Case.objects.filter(house=house, status=Status.IN_UITVOERING).order_by(
            "escalation_level", "code"
        )
        MonitoringItem.objects.bulk_create(
            [MonitoringItem(meeting=meeting, case=c, position=i) for i, c in enumerate(running, 1)]
        )
    audit.record(
        "meeting.scheduled",
        actor=actor,
        case_id=case.pk if case else None,
        obj=meeting,
        data={
            "soort": kind,
            "begint": meeting.starts_at.isoformat(),
            "deelnemers": [u.pk for u in people],
            "betrokkene_uitgenodigd": meeting.person_invited,
            "zwaarwegende_redenen_vastgelegd": bool(meeting.person_not_invited_reason),
        },
    )
    _invite(meeting, people)
    return meeting


@transaction.atomic
def add_participant(meeting: Meeting, *, actor: User, user: User) -> Participant:
    locked = lock(meeting)
    if locked.state != Meeting.State.PLANNED:
        raise ValidationError({"user": _("Dit overleg is al gehouden of vervallen.")})
    if Participant.objects.filter(meeting=locked, user=user).exists():
        raise ValidationError({"user": _("Deze persoon is al uitgenodigd.")})
    participant = Participant.objects.create(meeting=locked, user=user)
    audit.record(
        "meeting.participant_invited",
        actor=actor,
        case_id=locked.case_id,
        obj=locked,
        data={"deelnemer": user.pk},
    )
    _invite(locked, [user])
    return participant


def _ensure_membership(
    meeting: Meeting, case: Case, user: User, role: CaseRole, actor: User
) -> None:
    """Give `user` the case role from today (to prepare the meeting), unless they already
    hold one. A former member is not let back in by replying: that is the director's."""
    existing = active_memberships(user).filter(case_id=case.pk)
    if existing.filter(user_id=user.pk).exists():
        return
    if meeting.kind == Meeting.Kind.MONITORING and existing.exists():
        # Walking all cases of the house must not take away the full access that the
        # user's organisation has on one of them.
        return
    if role != CaseRole.ADVISEUR and existing.exists():
        return
    ended = CaseMembership.objects.filter(
        case_id=case.pk, user_id=user.pk, valid_to__lt=timezone.localdate()
    )
    if ended.exists():
        return
    if user.organisation is None:
        return
    case_services.add_membership(
        case,
        actor=actor,
        role=role,
        organisation=user.organisation,
        user=user,
        valid_from=min(timezone.localdate(meeting.starts_at), timezone.localdate()),
        note=_("Verklaard bij %(overleg)s") % {"overleg": meeting.get_kind_display().lower()},
    )


@transaction.atomic
def reply(participant: Participant, *, actor: User, answer: str, capacity: str) -> Participant:
    """The participant answers the invitation and declares involved or adviser."""
    locked = lock(participant, related=["meeting"])
    meeting = locked.meeting
    errors: dict[str, str] = {}
    if answer not in (Participant.Reply.YES, Participant.Reply.NO):
        errors["answer"] = _("Geef aan of u komt.")
    if capacity not in (Participant.Capacity.INVOLVED, Participant.Capacity.ADVISER):
        errors["capacity"] = _("Verklaar of u betrokken bent of als adviseur deelneemt.")
    if meeting.state != Meeting.State.PLANNED:
        errors["answer"] = _("Dit overleg is al gehouden of vervallen; antwoorden kan niet meer.")
    if errors:
        raise ValidationError(errors)
    # Filed under the meeting, with the whole answer before and after; a repeated
    # answer is recorded too (it renews the reply time).
    save_audited(
        locked,
        actor=actor,
        action="meeting.replied",
        values={"reply": answer, "capacity": capacity},
        case_id=meeting.case_id,
        mode="states",
        extra={"deelnemer": locked.user_id},
        touch={"replied_at": timezone.now()},
        always=True,
        obj=meeting,
    )
    cases = (
        [meeting.case]
        if meeting.case is not None
        else [i.case for i in meeting.items.select_related("case")]
    )
    role = (
        CaseRole.ADVISEUR
        if capacity == Participant.Capacity.ADVISER
        else CaseRole.BETROKKEN_PARTNER
    )
    # Only who comes gets a case view, and a declaration alone never opens names: an
    # adviser sees the case pseudonymised from the meeting's day on; an involved
    # participant who is not on the team yet waits until the procesregisseur admits
    # them (admit_participant). Need to know is decided by the director, not claimed.
    if answer == Participant.Reply.YES and role == CaseRole.ADVISEUR:
        for case in cases:
            _ensure_membership(meeting, case, locked.user, role, actor)
    return locked


@transaction.atomic
def admit_participant(participant: Participant, *, actor: User) -> Participant:
    """The procesregisseur takes a participant who declared 'betrokken' into the team."""
    # Lock the participant row only: a user's organisation is an outer join, which
    # PostgreSQL cannot lock.
    locked = lock(participant, related=["meeting", "user", "user__organisation"], of=["self"])
    meeting = locked.meeting
    if meeting.case_id is None:
        raise ValidationError(_("Een monitoringsoverleg neemt niemand op in een casusteam."))
    if locked.capacity != Participant.Capacity.INVOLVED:
        raise ValidationError(_("Alleen wie verklaart betrokken te zijn, wordt opgenomen."))
    case = _running(Case(pk=meeting.case_id))
    personal = active_memberships(locked.user).filter(case_id=case.pk, user_id=locked.user_id)
    if personal.exclude(role=CaseRole.ADVISEUR).exists():
        raise ValidationError(_("Deze deelnemer is al lid van het casusteam."))
    day = timezone.localdate()
    for adviser in personal.filter(role=CaseRole.ADVISEUR):
        # From adviser to involved: the pseudonymised role ends, the team role begins.
        case_services.end_membership(
            adviser, actor=actor, valid_to=max(adviser.valid_from, day - dt.timedelta(days=1))
        )
    if locked.user.organisation is None:
        raise ValidationError(_("Deze deelnemer hoort bij geen organisatie."))
    case_services.add_membership(
        case,
        actor=actor,
        role=CaseRole.BETROKKEN_PARTNER,
        organisation=locked.user.organisation,
        user=locked.user,
        valid_from=timezone.localdate(),
        note=_("Opgenomen na verklaring bij %(overleg)s")
        % {"overleg": meeting.get_kind_display().lower()},
    )
    return locked


@transaction.atomic
def record_attendance(
    meeting: Meeting, *, actor: User, present: Iterable[int], expected_version: int
) -> Meeting:
    """After the meeting: who was there. The meeting becomes 'held'."""
    locked = lock(meeting, expected_version=expected_version)
    if locked.state == Meeting.State.CANCELLED:
        raise ValidationError(_("Dit overleg is vervallen."))
    if locked.starts_at > timezone.now():
        raise ValidationError(_("Aanwezigheid leg je vast als het overleg begonnen is."))
    present_ids = set(present)
    for p in Participant.objects.filter(meeting=locked):
        p.attended = p.user_id in present_ids
        p.save(update_fields=["attended"])
    save_audited(
        locked,
        actor=actor,
        action="meeting.attendance_recorded",
        values={"state": Meeting.State.HELD},
        case_id=locked.case_id,
        mode="none",
        extra={"aanwezig": sorted(present_ids)},
        always=True,
    )
    return locked


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, actor: User, expected_version: int) -> Meeting:
    locked = lock(meeting, expected_version=expected_version)
    if locked.state != Meeting.State.PLANNED:
        raise ValidationError(_("Alleen een gepland overleg kan vervallen."))
    save_audited(
        locked,
        actor=actor,
        action="meeting.cancelled",
        values={"state": Meeting.State.CANCELLED},
        case_id=locked.case_id,
        mode="none",
    )
    send_link_mail(
        [p.user.email for p in locked.participants.select_related("user")],
        subject=_("casusoverleg vervallen"),
        text=_("Een casusoverleg waarvoor u was uitgenodigd is vervallen."),
        path=reverse("meeting_detail", args=[locked.pk]),
    )
    return locked


@transaction.atomic
def save_minutes(
    meeting: Meeting,
    *,
    actor: User,
    minutes: str,
    decisions: str,
    expected_version: int,
    notes: Mapping[int, str] | None = None,
) -> Meeting:
    """Write (or improve) the minutes. `notes`: monitoring item id -> state of affairs."""
    locked = lock(meeting, expected_version=expected_version)
    if locked.state != Meeting.State.HELD:
        raise ValidationError(_("Leg eerst de aanwezigheid vast; daarna schrijft u het verslag."))
    errors = {}
    if not minutes.strip():
        errors["minutes"] = _("Schrijf het verslag.")
    if locked.kind != Meeting.Kind.MONITORING and not decisions.strip():
        errors["decisions"] = _("Noteer de besluiten (ook als dat ‘geen besluiten’ is).")
    if errors:
        raise ValidationError(errors)
    # Saving the minutes is an act of its own (the notes below may be all that changed):
    # recorded, with the names of the changed fields, even when the text stayed the same.
    save_audited(
        locked,
        actor=actor,
        action="meeting.minutes_saved",
        values={"minutes": minutes.strip(), "decisions": decisions.strip()},
        case_id=locked.case_id,
        mode="names",
        always=True,
    )
    from ketenregie.cases.access import visible_cases

    own = visible_cases(actor).filter(Q(full_access=True)).values("pk")
    for item in MonitoringItem.objects.filter(
        meeting=locked, pk__in=list(notes or {}), case_id__in=own
    ):
        assert notes is not None
        if item.note != notes[item.pk].strip():
            audit.record(
                "meeting.case_note_saved",
                actor=actor,
                case_id=item.case_id,
                obj=locked,
                data={"agendapunt": item.pk},
            )
            item.note = notes[item.pk].strip()
            item.save(update_fields=["note"])
    return locked


@transaction.atomic
def send_minutes(meeting: Meeting, *, actor: User) -> Meeting:
    """Send the minutes and the action list to the case team by a link."""
    # of=("self",): the case is a nullable join (monitoring meetings have none) and
    # PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    locked = lock(meeting, related=["case", "house"], of=["self"])
    if locked.state != Meeting.State.HELD or not locked.minutes.strip():
        raise ValidationError(_("Schrijf eerst het verslag; daarna verstuurt u het."))
    first_time = locked.minutes_sent_at is None
    locked.minutes_sent_at, locked.minutes_sent_by = timezone.now(), actor
    locked.save(update_fields=["minutes_sent_at", "minutes_sent_by"])
    if locked.case is not None:
        recipients = sorted(set(team_users(locked.case.pk).values_list("email", flat=True)))
    else:
        recipients = [p.user.email for p in locked.participants.select_related("user")]
    on_time = timezone.localdate() <= locked.minutes_due
    audit.record(
        "meeting.minutes_sent",
        actor=actor,
        case_id=locked.case_id,
        obj=locked,
        data={"ontvangers": len(recipients), "op_tijd": on_time, "eerste_keer": first_time},
    )
    send_link_mail(
        recipients,
        subject=_("verslag casusoverleg") if first_time else _("bijgewerkt verslag casusoverleg"),
        text=_("Het verslag en de actielijst van een casusoverleg staan klaar."),
        path=reverse("meeting_detail", args=[locked.pk]),
    )
    return locked


@transaction.atomic
def agree_casusregisseur(
    case: Case,
    *,
    actor: User,
    casusregisseur: User | None,
    agreed_by: Iterable[User],
    meeting: Meeting | None = None,
    from_date: dt.date | None = None,
) -> CasusregisseurAgreement:
    """The participants agree who is casusregisseur (a partner's team member)."""
    locked = _running(case)
    agreed = list(agreed_by)
    errors: dict[str, str] = {}
    if casusregisseur is None:
        errors["casusregisseur"] = _("Kies de casusregisseur.")
    elif casusregisseur.organisation is None:
        errors["casusregisseur"] = _("De casusregisseur werkt bij een partnerorganisatie.")
    if not agreed:
        errors["agreed_by"] = _("Leg vast wie met deze keuze hebben ingestemd.")
    if errors:
        raise ValidationError(errors)
    assert casusregisseur is not None and casusregisseur.organisation is not None
    day = from_date or timezone.localdate()
    current = case_team(locked.pk, day).filter(role=CaseRole.CASUSREGISSEUR).first()
    if current is not None and current.user_id == casusregisseur.pk:
        raise ValidationError({"casusregisseur": _("Deze persoon is al casusregisseur.")})
    if current is not None:
        # One casusregisseur at a time, and history is never rewritten: a role that took
        # effect today stays today's, and the newly agreed one takes over tomorrow.
        start = day if current.valid_from < day else day + dt.timedelta(days=1)
        case_services.hand_over(current, actor=actor, successor=casusregisseur, from_date=start)
    else:
        case_services.add_membership(
            locked,
            actor=actor,
            role=CaseRole.CASUSREGISSEUR,
            organisation=casusregisseur.organisation,
            user=casusregisseur,
            valid_from=day,
        )
    record = CasusregisseurAgreement.objects.create(
        case=locked,
        meeting=meeting,
        casusregisseur=casusregisseur,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record.agreed_by.set(agreed)
    audit.record(
        "plan.casusregisseur_agreed",
        actor=actor,
        case_id=locked.pk,
        obj=record,
        data={"casusregisseur": casusregisseur.pk, "ingestemd": sorted(u.pk for u in agreed)},
    )
    return record


# --- The integrated plan ----------------------------------------------------------------


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
    lock(case)  # two people pressing the button at once start one plan
    plan, created = Plan.objects.get_or_create(case=case)
    if created:
        ensure_life_domains()
        audit.record("plan.created", actor=actor, case_id=case.pk, obj=plan)
    _add_domain_rows(plan)
    return plan


@transaction.atomic
def save_plan_text(
    plan: Plan, *, actor: User, values: Mapping[str, Any], expected_version: int
) -> Plan:
    _running(plan.case)
    locked = lock(plan, expected_version=expected_version)
    # A field the caller did not send keeps its stored value.
    new = {
        name: bool(values[name]) if name == "safety_concerns" else str(values[name] or "").strip()
        for name in PLAN_TEXT_FIELDS
        if name in values
    }
    save_audited(
        locked,
        actor=actor,
        action="plan.text_saved",
        values=new,
        case_id=locked.case_id,
        mode="names",
        extra=lambda saved: {"zorgen_veiligheid": saved.safety_concerns},
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
def add_goal(plan: Plan, *, actor: User, text: str, good_enough: str) -> Goal:
    _running(plan.case)
    errors = {}
    if not text.strip():
        errors["text"] = _("Beschrijf het doel.")
    if not good_enough.strip():
        errors["good_enough"] = _("Beschrijf wanneer het goed genoeg is om af te sluiten.")
    if errors:
        raise ValidationError(errors)
    goal = Goal.objects.create(plan=plan, text=text.strip(), good_enough=good_enough.strip())
    audit.record("plan.goal_added", actor=actor, case_id=plan.case_id, obj=goal)
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
    content: dict[str, Any] = {f: getattr(plan, f) for f in PLAN_TEXT_FIELDS}
    content["domeinen"] = {
        row.domain.name: {"score": row.score, "problematiek": row.problem}
        for row in DomainScore.objects.filter(plan=plan).select_related("domain")
    }
    content["uitspraken"] = [
        {"soort": s.kind, "tekst": s.text, "door": s.said_by} for s in plan.statements.all()
    ]
    content["doelen"] = [
        {"doel": g.text, "goed_genoeg": g.good_enough, "bereikt": g.reached}
        for g in plan.goals.all()
    ]
    content["acties"] = [
        {
            "wat": a.what,
            "eigenaar": str(a.owner_user or a.owner_organisation),
            "uiterlijk": a.due_date.isoformat(),
            "stand": a.state,
        }
        for a in Action.objects.filter(case_id=plan.case_id).select_related(
            "owner_user", "owner_organisation"
        )
    ]
    safety = SafetyPlan.objects.filter(case_id=plan.case_id).first()
    if safety is not None:
        content["veiligheidsplan"] = {
            **{f: _plain(getattr(safety, f)) for f in SAFETY_FIELDS},
            "afspraken": [
                {"wat": a.what, "wie_controleert": a.who_checks, "als_niet": a.if_not_kept}
                for a in safety.agreements.all()
            ],
        }
    return content


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


# --- Actions ----------------------------------------------------------------------------


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
) -> Action:
    locked = _running(case)
    errors: dict[str, str] = {}
    if not what.strip():
        errors["what"] = _("Beschrijf wat er moet gebeuren.")
    if goal is not None and goal.plan.case_id != locked.pk:
        errors["goal"] = _("Dit doel hoort bij een andere casus.")
    if meeting is not None and meeting.case_id != locked.pk:
        errors["what"] = _("Dit overleg hoort bij een andere casus.")
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
    if errors:
        raise ValidationError(errors)
    assert owner_organisation is not None and due_date is not None
    action = Action.objects.create(
        case=locked,
        meeting=meeting,
        goal=goal,
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
        },
    )
    if owner_user is not None and owner_user.pk != actor.pk:
        send_link_mail(
            [owner_user.email],
            subject=_("nieuwe actie voor u"),
            text=_("Er staat een nieuwe actie voor u klaar in ‘Mijn acties’."),
            path=reverse("my_actions"),
        )
    return action


@transaction.atomic
def report_on_action(
    action: Action, *, actor: User, kind: str, text: str, expected_version: int | None = None
) -> Action:
    """Report back, mark done, or signal that it cannot be done or that something changed.

    'Cannot be done' and 'a change' raise a signal on the case, which notifies the
    casusregisseur and the procesregisseur.
    """
    from ketenregie.pga import services as pga_services
    from ketenregie.pga.models import Signal

    locked = lock(action, expected_version=expected_version, related=["case"])
    errors: dict[str, str] = {}
    if locked.case.status not in RUNNING_STATUSES:
        raise ValidationError(
            _("Deze casus loopt niet meer (status ‘%(status)s’); melden kan niet.")
            % {"status": Status(locked.case.status).label}
        )
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
    if errors:
        raise ValidationError(errors)
    ActionReport.objects.create(
        action=locked, kind=kind, text=text.strip(), by=actor, at=timezone.now()
    )
    new: dict[str, Any] = {}
    if kind == ActionReport.Kind.DONE:
        new = {"state": Action.State.DONE, "closed_at": timezone.now()}
    elif kind == ActionReport.Kind.IMPOSSIBLE:
        new = {
            "state": Action.State.IMPOSSIBLE,
            "state_reason": text.strip(),
            "closed_at": timezone.now(),
        }
    # Every report is an event; only the state enters the trail (the reason is free text).
    save_audited(
        locked,
        actor=actor,
        action="action.reported",
        values=new,
        case_id=locked.case_id,
        shown=["state"],
        labels={"state": "stand"},
        extra={"soort": kind},
        always=True,
    )
    if kind in (ActionReport.Kind.IMPOSSIBLE, ActionReport.Kind.CHANGE):
        pga_services.raise_signal(
            locked.case,
            actor=actor,
            kind=Signal.Kind.ACTION_IMPOSSIBLE
            if kind == ActionReport.Kind.IMPOSSIBLE
            else Signal.Kind.CHANGE,
            text=_("Actie ‘%(wat)s’: %(tekst)s") % {"wat": locked.what[:80], "tekst": text.strip()},
        )
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


# --- Safety plan ------------------------------------------------------------------------


@transaction.atomic
def safety_plan_for(case: Case, actor: User | None = None) -> SafetyPlan:
    """Start the case's safety plan ("Veiligheidsplan starten"), audited as the starter.

    A POST, never a page view; starting twice returns the safety plan that is there.
    """
    lock(case)
    safety, created = SafetyPlan.objects.get_or_create(case=case)
    if created:
        audit.record("safety.created", actor=actor, case_id=case.pk, obj=safety)
    return safety


@transaction.atomic
def save_safety_plan(
    safety: SafetyPlan, *, actor: User, values: Mapping[str, Any], expected_version: int
) -> SafetyPlan:
    _running(safety.case)
    locked = lock(safety, expected_version=expected_version)
    # A field the caller did not send keeps its stored value (and is checked with it).
    new = {
        name: values[name] if name in values else getattr(locked, name) for name in SAFETY_FIELDS
    }
    errors = {}
    signed_on, evaluation = new["signed_on"], new["evaluation_date"]
    if signed_on and signed_on > timezone.localdate():
        errors["signed_on"] = _("Deze datum ligt in de toekomst.")
    if signed_on and not (new["signed_by"] or "").strip():
        errors["signed_by"] = _("Vermeld wie hebben ondertekend.")
    if evaluation and signed_on and evaluation <= signed_on:
        errors["evaluation_date"] = _("De evaluatie ligt na de ondertekening.")
    if errors:
        raise ValidationError(errors)
    dates = ("signed_on", "evaluation_date")
    save_audited(
        locked,
        actor=actor,
        action="safety.saved",
        values={
            name: (value or None) if name in dates else str(value or "").strip()
            for name, value in new.items()
        },
        case_id=locked.case_id,
        # Free text by name; the dates are no person's words and stay readable.
        mode="names",
        shown=dates,
        touch={"updated_at": timezone.now(), "updated_by": actor},
    )
    return locked


@transaction.atomic
def add_safety_agreement(
    safety: SafetyPlan, *, actor: User, what: str, who_checks: str, if_not_kept: str
) -> SafetyAgreement:
    _running(safety.case)
    errors = {}
    if not what.strip():
        errors["what"] = _("Beschrijf wat er moet gebeuren.")
    if not who_checks.strip():
        errors["who_checks"] = _("Vermeld wie controleert of de afspraak wordt nagekomen.")
    if not if_not_kept.strip():
        errors["if_not_kept"] = _("Beschrijf wat er gebeurt als de afspraak niet wordt nagekomen.")
    if errors:
        raise ValidationError(errors)
    agreement = SafetyAgreement.objects.create(
        safety_plan=safety,
        what=what.strip(),
        who_checks=who_checks.strip(),
        if_not_kept=if_not_kept.strip(),
    )
    audit.record("safety.agreement_added", actor=actor, case_id=safety.case_id, obj=agreement)
    return agreement


@transaction.atomic
def add_safety_score(
    case: Case, *, actor: User, who: str, score: int | None, on_date: dt.date | None
) -> SafetyScore:
    locked = _running(case)
    errors = {}
    if not who.strip():
        errors["who"] = _("Vermeld wie de score geeft.")
    if score is None or not 0 <= score <= 10:
        errors["score"] = _("De schaalvraag heeft een score van 0 tot en met 10.")
    if on_date is None or on_date > timezone.localdate():
        errors["on_date"] = _("Vul een datum in die niet in de toekomst ligt.")
    if errors:
        raise ValidationError(errors)
    assert score is not None and on_date is not None
    record = SafetyScore.objects.create(
        case=locked, who=who.strip(), score=score, on_date=on_date, recorded_by=actor
    )
    audit.record(
        "safety.score_added",
        actor=actor,
        case_id=locked.pk,
        obj=record,
        data={"score": score, "datum": on_date.isoformat()},
    )
    return record


# --- Escalation between directors --------------------------------------------------------


def house_managers(house_id: int) -> Any:
    return users_with_role_at(Role.MANAGER, house_id)


@transaction.atomic
def escalate(case: Case, *, actor: User, to: str, reason: str) -> DirectorEscalation:
    """Casusregisseur -> procesregisseur, procesregisseur -> manager, with a reason."""
    locked = _running(case)
    steps = escalation_steps(personal_director_roles(actor, locked.pk))
    errors: dict[str, str] = {}
    if to == DirectorEscalation.To.PROCESREGISSEUR:
        if to not in steps:
            errors["to"] = _("Alleen de casusregisseur schaalt op naar de procesregisseur.")
    elif to == DirectorEscalation.To.MANAGER:
        if to not in steps:
            errors["to"] = _("Alleen de procesregisseur schaalt op naar de manager.")
        elif not house_managers(locked.house_id).exists():
            errors["to"] = _(
                "Dit huis heeft geen manager in Ketenregie. Vraag de functioneel beheerder "
                "een manager toe te wijzen, of schaal buiten Ketenregie op."
            )
    else:
        errors["to"] = _("Kies naar wie u opschaalt.")
    if not reason.strip():
        errors["reason"] = _("Geef de reden van de opschaling.")
    if errors:
        raise ValidationError(errors)
    record = DirectorEscalation.objects.create(
        case=locked, to=to, reason=reason.strip(), by=actor, at=timezone.now()
    )
    audit.record(
        "case.director_escalated", actor=actor, case_id=locked.pk, obj=record, data={"naar": to}
    )
    if to == DirectorEscalation.To.MANAGER:
        recipients = [u.email for u in house_managers(locked.house_id)]
        path = reverse("dashboard")
    else:
        recipients = director_emails(locked.pk, (CaseRole.PROCESREGISSEUR,))
        path = reverse("case_detail", args=[locked.pk])
    send_link_mail(
        recipients,
        subject=_("opschaling casus %(code)s") % {"code": locked.code},
        text=_("Casus %(code)s is naar u opgeschaald. Bekijk de reden in Ketenregie.")
        % {"code": locked.code},
        path=path,
    )
    return record


@transaction.atomic
def handle_escalation(record: DirectorEscalation, *, actor: User, note: str) -> DirectorEscalation:
    locked = lock(record)
    if locked.handled_at is not None:
        raise ValidationError(_("Deze opschaling is al afgehandeld."))
    if not note.strip():
        raise ValidationError({"note": _("Beschrijf hoe de opschaling is afgehandeld.")})
    save_audited(
        locked,
        actor=actor,
        action="case.director_escalation_handled",
        values={"handled_note": note.strip(), "handled_by": actor, "handled_at": timezone.now()},
        case_id=locked.case_id,
        mode="none",
    )
    return locked
