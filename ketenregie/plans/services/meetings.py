"""Writes of case meetings: scheduling and inviting, replies and admission, attendance,
minutes and sending them, cancelling, and the team's agreement on the casusregisseur.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.audit import services as audit
from ketenregie.audit.writes import lock, save_audited
from ketenregie.cases import services as case_services
from ketenregie.cases.access import active_memberships, case_team, full_case_ids, team_users
from ketenregie.cases.models import Case, CaseMembership, CaseRole, ExchangeKind, ended_before_q
from ketenregie.cases.sharing import record_exchange
from ketenregie.cases.workflow import Status
from ketenregie.core.ics import meeting_ics
from ketenregie.core.mail import absolute_url, send_link_mail
from ketenregie.core.templatetags.dates import weekday_datetime
from ketenregie.plans.models import (
    CasusregisseurAgreement,
    Meeting,
    MonitoringItem,
    Participant,
)
from ketenregie.plans.services.common import _running

if TYPE_CHECKING:
    from ketenregie.accounts.models import House, User


def procesregisseur_ids(case_id: int) -> set[int]:
    """Who is procesregisseur of the case today: never its casusregisseur as well."""
    return set(
        case_team(case_id)
        .filter(role=CaseRole.PROCESREGISSEUR, user__isnull=False)
        .values_list("user_id", flat=True)
    )


def _meeting_label(meeting: Meeting) -> str:
    if meeting.case is not None:
        return f"{meeting.get_kind_display()} casus {meeting.case.code}"
    return f"{meeting.get_kind_display()} {meeting.house.name}"


def _invite(meeting: Meeting, users: Iterable[User], *, update: bool = False) -> None:
    path = reverse("meeting_detail", args=[meeting.pk])
    url = absolute_url(path)

    def ics(address: str) -> bytes:
        return meeting_ics(
            uid=f"ketenregie-overleg-{meeting.pk}@ketenregie",
            start=meeting.starts_at,
            end=meeting.ends_at,
            summary=_meeting_label(meeting),
            location=meeting.location,
            url=url,
            organizer_name=meeting.house.name,
            attendee=address,
        )

    when = weekday_datetime(meeting.starts_at)
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


def _register_invitation(meeting: Meeting, users: list[User], *, actor: User) -> None:
    """The invitation shares the case code and the meeting with the invitees: a row in
    the data-sharing register (a monitoring meeting has no case of its own)."""
    if meeting.case is None:
        return
    record_exchange(
        ExchangeKind.MEETING_INVITATION,
        actor=actor,
        case=meeting.case,
        to_label=", ".join(sorted(u.get_username() for u in users)),
        to_organisations=[u.organisation for u in users],
        recipients=len(users),
        person_informed=meeting.person_invited,
        not_informed_reason=meeting.person_not_invited_reason,
    )


def _register_meeting_held(meeting: Meeting, present_ids: set[int], *, actor: User) -> None:
    """The meeting itself shares the case among those present: one row in the register
    naming their organisations, when the meeting is first recorded as held (a later
    correction of the attendance is in the audit trail, not a second exchange)."""
    if meeting.case is None:
        return
    attendees = [
        p.user
        for p in Participant.objects.filter(meeting=meeting, user_id__in=present_ids)
        .select_related("user__organisation")
        .order_by("pk")
    ]
    if not attendees:
        return
    organisations = {u.organisation for u in attendees if u.organisation is not None}
    record_exchange(
        ExchangeKind.MEETING_HELD,
        actor=actor,
        case=meeting.case,
        to_label=", ".join(sorted(o.name for o in organisations)),
        to_organisations=organisations,
        recipients=len(attendees),
        from_house=True,
        person_informed=meeting.person_invited,
        not_informed_reason=meeting.person_not_invited_reason,
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


def _check_meeting_case(
    kind: str, case: Case | None, house: House
) -> tuple[Case | None, dict[str, str]]:
    """Check the meeting's case against its kind; a case meeting locks its running case."""
    errors: dict[str, str] = {}
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
    return case, errors


def _add_monitoring_items(meeting: Meeting, house: House) -> None:
    """A monitoring meeting's agenda is every running case of the house, by escalation level."""
    running = Case.objects.filter(house=house, status=Status.IN_UITVOERING).order_by(
        "escalation_level", "code"
    )
    MonitoringItem.objects.bulk_create(
        [MonitoringItem(meeting=meeting, case=c, position=i) for i, c in enumerate(running, 1)]
    )


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
    afterwards: bool = False,
) -> Meeting:
    """Plan a case meeting and invite the participants by link-only mail with an .ics.

    `afterwards`: the meeting already took place and is recorded after the fact (an
    explicit choice on the form): nobody is invited, and it cannot start in the future.
    """
    errors = _check_meeting_values(
        kind, starts_at, ends_at, person_invited, person_not_invited_reason
    )
    if afterwards and starts_at is not None and starts_at > timezone.now():
        errors["starts_at"] = _(
            "Dit overleg ligt nog in de toekomst: plannen en uitnodigen in plaats van "
            "achteraf vastleggen."
        )
    case, case_errors = _check_meeting_case(kind, case, house)
    errors.update(case_errors)
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
        state=Meeting.State.HELD if afterwards else Meeting.State.PLANNED,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip() or house.name,
        person_invited=person_invited if kind != Meeting.Kind.MONITORING else False,
        person_not_invited_reason=person_not_invited_reason.strip() if not person_invited else "",
        organiser=actor,
    )
    # Recorded afterwards, the meeting took place: held, with who took part present
    # (corrected on the attendance form if someone was not there).
    Participant.objects.bulk_create(
        [
            Participant(meeting=meeting, user=u, attended=True if afterwards else None)
            for u in people
        ]
    )
    if kind == Meeting.Kind.MONITORING:
        _add_monitoring_items(meeting, house)
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
            "achteraf_vastgelegd": afterwards,
            "stand": meeting.state,
        },
    )
    if afterwards:
        _register_meeting_held(meeting, {u.pk for u in people}, actor=actor)
    else:
        _invite(meeting, people)
        _register_invitation(meeting, people, actor=actor)
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
    _register_invitation(locked, [user], actor=actor)
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
        ended_before_q(timezone.localdate()), case_id=case.pk, user_id=user.pk
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
    """The participant answers the invitation; who comes declares involved or adviser.

    A "nee" needs no declaration and clears an earlier one: who does not come takes no
    part, so they no longer wait to be admitted to the team either.
    """
    locked = lock(participant, related=["meeting"])
    meeting = locked.meeting
    errors: dict[str, str] = {}
    if answer not in (Participant.Reply.YES, Participant.Reply.NO):
        errors["answer"] = _("Geef aan of u komt.")
    if answer == Participant.Reply.NO:
        capacity = ""
    elif capacity not in (Participant.Capacity.INVOLVED, Participant.Capacity.ADVISER):
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
    # The register row comes with the first attendance, also when the minutes (or an
    # outcome) made the meeting held before anyone recorded who was there.
    first_time = not Participant.objects.filter(meeting=locked, attended__isnull=False).exists()
    for p in Participant.objects.filter(meeting=locked):
        p.attended = p.user_id in present_ids
        p.save(update_fields=["attended"])
    if first_time:
        _register_meeting_held(locked, present_ids, actor=actor)
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
def mark_held(meeting: Meeting, *, actor: User) -> Meeting:
    """An outcome recorded for a planned meeting that has begun (the meldcode's answers
    at it, from the app above): the meeting was held. Nothing for a meeting still to
    come, held or cancelled."""
    locked = lock(meeting)
    if locked.awaits_record:
        save_audited(
            locked,
            actor=actor,
            action="meeting.marked_held",
            values={"state": Meeting.State.HELD},
            case_id=locked.case_id,
            mode="none",
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
    if locked.state == Meeting.State.CANCELLED:
        raise ValidationError(_("Dit overleg is vervallen."))
    if not locked.has_begun:
        raise ValidationError(
            _("Dit overleg is nog niet begonnen; het verslag schrijft u na het overleg.")
        )
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
        # Minutes of a meeting that has begun: it was held (issue 15), in the same save.
        values={
            "minutes": minutes.strip(),
            "decisions": decisions.strip(),
            "state": Meeting.State.HELD,
        },
        case_id=locked.case_id,
        mode="names",
        always=True,
    )
    for item in MonitoringItem.objects.filter(
        meeting=locked, pk__in=list(notes or {}), case_id__in=full_case_ids(actor)
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
    team: list[User] = []
    if locked.case is not None:
        team = list(team_users(locked.case.pk).select_related("organisation"))
        recipients = sorted({u.email for u in team})
    else:
        recipients = [p.user.email for p in locked.participants.select_related("user")]
    on_time = timezone.localdate() <= locked.minutes_due
    audit.record(
        "meeting.minutes_sent",
        actor=actor,
        case_id=locked.case_id,
        obj=locked,
        data={
            "ontvangers": len(recipients),
            "op_tijd": on_time,
            "eerste_keer": first_time,
            # The action list that goes with the minutes: the actions agreed in it.
            "acties": sorted(locked.actions.values_list("pk", flat=True)),
        },
    )
    if locked.case is not None:
        record_exchange(
            ExchangeKind.MINUTES_SENT,
            actor=actor,
            case=locked.case,
            to_label="casusteam",
            to_organisations=[u.organisation for u in team],
            recipients=len(team),
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
    profile_reason: str = "",
) -> CasusregisseurAgreement:
    """The participants agree who is casusregisseur (a partner's team member); below
    the profile the escalation map asks for only with `profile_reason` (issue 15)."""
    locked = _running(case)
    agreed = list(agreed_by)
    errors: dict[str, str] = {}
    if casusregisseur is None:
        errors["casusregisseur"] = _("Kies de casusregisseur.")
    elif casusregisseur.organisation is None:
        errors["casusregisseur"] = _("De casusregisseur werkt bij een partnerorganisatie.")
    elif casusregisseur.pk in procesregisseur_ids(locked.pk):
        # The procesregisseur chairs independently and does not take over the content.
        errors["casusregisseur"] = _(
            "De procesregisseur is onafhankelijk voorzitter en kan geen casusregisseur zijn. "
            "Kies een professional van een partner."
        )
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
        case_services.hand_over(
            current,
            actor=actor,
            successor=casusregisseur,
            from_date=start,
            profile_reason=profile_reason,
        )
    else:
        case_services.add_membership(
            locked,
            actor=actor,
            role=CaseRole.CASUSREGISSEUR,
            organisation=casusregisseur.organisation,
            user=casusregisseur,
            valid_from=day,
            profile_reason=profile_reason,
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


def forget_casusregisseur_agreements(case_id: int) -> None:
    """Retention deletes a case: its casusregisseur agreements go first, because they
    hold on to the case's meetings (PROTECT), which go with the case."""
    CasusregisseurAgreement.objects.filter(case_id=case_id).delete()
