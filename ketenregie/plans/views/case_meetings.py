"""Pages of case meetings and monitoring meetings: scheduling, the meeting page, replies,
admission, attendance, minutes, cancelling, participants and actions from the meeting,
and the list of meetings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.accounts.access import houses_where, roles_of
from ketenregie.accounts.models import User
from ketenregie.accounts.roles import Role
from ketenregie.audit import services as audit
from ketenregie.cases.access import (
    can_manage_case,
    case_team,
    directed_case_ids,
)
from ketenregie.cases.models import Case, CaseRole
from ketenregie.core.converters import parse_id
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today
from ketenregie.intake.models import Invitee
from ketenregie.plans import services
from ketenregie.plans.access import (
    get_meeting_for,
)
from ketenregie.plans.forms import (
    ActionForm,
    AddParticipantForm,
    AttendanceForm,
    MeetingForm,
    MinutesForm,
    ReplyForm,
    VersionOnlyForm,
)
from ketenregie.plans.meeting_panels import panels_for
from ketenregie.plans.models import (
    Goal,
    Meeting,
    Participant,
)
from ketenregie.plans.views.common import (
    _full_case,
    _invitable,
    _submit,
    _tag_choices,
    _team_people,
    _triage_invitees,
)


def _meeting_form(case: Case, data: Any = None) -> tuple[MeetingForm, list[Invitee]]:
    """The invitation form of a case meeting. Before the first meeting the choices of the
    triage are carried forward: the organisations it invited come first, and their
    people (who work with the house) are ticked beside the case team. Nobody else is."""
    kinds = Meeting.objects.kinds_to_plan(case.pk)
    invitees = _triage_invitees(case.pk) if Meeting.Kind.FIRST in kinds else []
    orgs = frozenset(i.organisation_id for i in invitees)
    people = _invitable(case.house_id, case.pk)
    chosen = set(_team_people(case).values_list("pk", flat=True))
    chosen |= set(people.filter(organisation_id__in=orgs).values_list("pk", flat=True))
    form = MeetingForm(
        data,
        kinds=kinds,
        people=people,
        first_organisations=orgs,
        initial={
            "kind": kinds[0],
            # Tomorrow: a meeting is planned ahead (today at 10:00 is often past already).
            "day": today() + dt.timedelta(days=1),
            "start": "10:00",
            "end": "11:00",
            "participants": sorted(chosen),
            "person_invited": True,
        },
    )
    return form, invitees


def _meeting_new_page(
    request: AuthedRequest, case: Case, form: MeetingForm | None = None
) -> HttpResponse:
    fresh, invitees = _meeting_form(case)
    return TemplateResponse(
        request,
        "plans/meeting_new.html",
        {"case": case, "form": form or fresh, "monitoring": False, "invitees": invitees},
    )


@login_required
def meeting_new(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _full_case(request, case_id)
    if not can_manage_case(request.user, case):
        raise PermissionDenied
    if request.method != "POST":
        return _meeting_new_page(request, case)
    form, _invitees = _meeting_form(case, request.POST)
    created: list[Meeting] = []

    def run() -> None:
        start, end = form.moments()
        created.append(
            services.schedule_meeting(
                actor=request.user,
                house=case.house,
                case=case,
                kind=form.cleaned_data["kind"],
                starts_at=start,
                ends_at=end,
                location=form.cleaned_data["location"],
                participants=form.cleaned_data["participants"],
                person_invited=form.cleaned_data.get("person_invited", False),
                person_not_invited_reason=form.cleaned_data.get("person_not_invited_reason", ""),
                afterwards=form.cleaned_data.get("afterwards", False),
            )
        )

    if form.is_valid() and apply_service(form, run):
        if form.cleaned_data.get("afterwards"):
            messages.success(
                request,
                _(
                    "Overleg achteraf vastgelegd: gehouden, met de deelnemers als aanwezig; "
                    "er zijn geen uitnodigingen verstuurd."
                ),
            )
        else:
            messages.success(request, _("Overleg gepland; de uitnodigingen zijn verstuurd."))
        return redirect("meeting_detail", meeting_id=created[0].pk)
    return _meeting_new_page(request, case, form)


def _monitoring_houses(user: User) -> QuerySet[Any]:
    return houses_where(user, Role.PROCESREGISSEUR)


@login_required
def monitoring_new(request: AuthedRequest) -> HttpResponse:
    from ketenregie.accounts.models import House

    houses = House.objects.filter(pk__in=_monitoring_houses(request.user)).order_by("name")
    house = houses.first()
    if house is None:
        raise PermissionDenied
    chosen = request.GET.get("huis") or request.POST.get("huis")
    if chosen:
        # Not an id, or not one of the user's houses: the same unknown house (404).
        house_id = parse_id(chosen)
        house = houses.filter(pk=house_id).first() if house_id else None
        if house is None:
            raise Http404
    people = _invitable(house.pk)
    kinds = [Meeting.Kind.MONITORING]
    if request.method == "POST":
        form = MeetingForm(request.POST, kinds=kinds, people=people)
        created: list[Meeting] = []

        def run() -> None:
            start, end = form.moments()
            assert house is not None
            created.append(
                services.schedule_meeting(
                    actor=request.user,
                    house=house,
                    kind=Meeting.Kind.MONITORING,
                    starts_at=start,
                    ends_at=end,
                    location=form.cleaned_data["location"],
                    participants=form.cleaned_data["participants"],
                    afterwards=form.cleaned_data.get("afterwards", False),
                )
            )

        if form.is_valid() and apply_service(form, run):
            if form.cleaned_data.get("afterwards"):
                messages.success(
                    request,
                    _(
                        "Overleg achteraf vastgelegd: gehouden, met de deelnemers als aanwezig; "
                        "er zijn geen uitnodigingen verstuurd."
                    ),
                )
            else:
                messages.success(
                    request, _("Monitoringsoverleg gepland; de uitnodigingen zijn verstuurd.")
                )
            return redirect("meeting_detail", meeting_id=created[0].pk)
    else:
        form = MeetingForm(
            kinds=kinds,
            people=people,
            initial={
                "kind": Meeting.Kind.MONITORING,
                "day": today() + dt.timedelta(days=1),
                "start": "13:00",
                "end": "15:00",
            },
        )
    return TemplateResponse(
        request,
        "plans/meeting_new.html",
        {"form": form, "monitoring": True, "house": house, "houses": houses},
    )


def _meeting_for(request: AuthedRequest, meeting_id: int) -> tuple[Meeting, Case | None, bool]:
    view = get_meeting_for(request.user, meeting_id)
    return view.meeting, view.case, view.may_manage


def _awaiting_admission(
    meeting: Meeting, participants: list[Participant], manage: bool
) -> set[int]:
    """Participants declared 'betrokken' but not on the team: the procesregisseur admits them."""
    on_team: set[int] = set()
    if manage and meeting.case_id is not None:
        on_team = set(
            case_team(meeting.case_id)
            .filter(user__isnull=False)
            .exclude(role=CaseRole.ADVISEUR)
            .values_list("user_id", flat=True)
        )
    return {
        p.pk
        for p in participants
        if manage
        and meeting.case_id is not None
        and p.capacity == Participant.Capacity.INVOLVED
        and p.user_id not in on_team
    }


def _manage_forms(
    meeting: Meeting, case: Case | None, full: bool, participants: list[Participant]
) -> dict[str, Any]:
    """The forms with which the manager runs a meeting that is not cancelled."""
    forms: dict[str, Any] = {
        "attendance_form": AttendanceForm(
            participants=participants,
            initial={
                "version": meeting.version,
                "present": [
                    str(p.user_id)
                    for p in participants
                    if p.attended or (p.attended is None and p.reply == "ja")
                ],
            },
        ),
        "minutes_form": MinutesForm(
            initial={
                "version": meeting.version,
                "minutes": meeting.minutes,
                "decisions": meeting.decisions,
            }
        ),
        "cancel_form": VersionOnlyForm(initial={"version": meeting.version}),
        "participant_form": AddParticipantForm(
            people=_invitable(meeting.house_id, meeting.case_id).exclude(
                pk__in=[p.user_id for p in participants]
            )
        ),
    }
    # Actions are agreed during the meeting: from its start, not only once attendance
    # is recorded.
    if case is not None and full and not meeting.is_cancelled and meeting.has_begun:
        forms["action_form"] = ActionForm(
            people=_team_people(case),
            goals=Goal.objects.filter(plan__case=case),
            **_tag_choices(case),
        )
    return forms


def _meeting_page(
    request: AuthedRequest, meeting_id: int, bound: dict[str, Any] | None = None
) -> HttpResponse:
    view = get_meeting_for(request.user, meeting_id)
    meeting, case, manage, full = view.meeting, view.case, view.may_manage, view.full
    participants = list(meeting.participants.select_related("user", "user__organisation"))
    mine = next((p for p in participants if p.user_id == request.user.pk), None)
    items: list[dict[str, Any]] = []
    if meeting.kind == Meeting.Kind.MONITORING:
        raw = list(meeting.items.select_related("case", "case__person"))
        items = [{"item": item, "full": item.case_id in view.item_full} for item in raw]
    awaiting = _awaiting_admission(meeting, participants, manage)
    context: dict[str, Any] = {
        "meeting": meeting,
        "case": case,
        "awaiting": awaiting,
        "full_access": full,
        "participants": participants,
        "mine": mine,
        "items": items,
        "can_manage": manage,
        "late": meeting.minutes_late,
        # Attendance is recorded once the meeting has begun: only then is it unfolded.
        "started": meeting.starts_at <= timezone.now(),
        "actions": list(meeting.actions.select_related("owner_user", "owner_organisation"))
        if view.show_actions
        else [],
        "show_minutes": view.show_minutes,
    }
    # "Komt u?" only while the meeting is still to come (not once begun or held).
    if mine is not None and meeting.is_upcoming:
        context["reply_form"] = ReplyForm(
            initial={"answer": mine.reply or "ja", "capacity": mine.capacity}
        )
    if manage and meeting.state != Meeting.State.CANCELLED:
        context.update(_manage_forms(meeting, case, full, participants))
    # Panels of apps above plans (the meldcode's decision questions).
    context["panels"] = panels_for(request.user, view)
    context.update(bound or {})
    audit.record(
        "meeting.viewed",
        actor=request.user,
        case_id=meeting.case_id,
        obj=meeting,
        purpose="casusoverleg",
    )
    return TemplateResponse(request, "plans/meeting.html", context)


@login_required
def meeting_detail(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, meeting_id)


def _meeting_post(
    request: AuthedRequest,
    meeting_id: int,
    form_key: str,
    make_form: Callable[[Meeting, Case | None], Any],
    run: Callable[[Meeting, Case | None, Any], object],
    done: str,
    *,
    manage: bool = True,
) -> HttpResponse:
    meeting, case, may_manage = _meeting_for(request, meeting_id)
    if manage and not may_manage:
        raise PermissionDenied
    form = make_form(meeting, case)

    def current() -> int | None:
        return Meeting.objects.get(pk=meeting.pk).version

    return _submit(
        request,
        form,
        lambda data: run(meeting, case, data),
        done=done,
        success_url=reverse("meeting_detail", args=[meeting.pk]) + f"#{form_key}",
        rerender=lambda: _meeting_page(request, meeting_id, {form_key: form}),
        current=current,
    )


@login_required
@require_POST
def meeting_reply(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    # Only an invited participant replies (checked before the form, so a stranger gets
    # 403 whatever they post); _meeting_post then reads the meeting through the gate.
    participant = Participant.objects.filter(meeting_id=meeting_id, user=request.user).first()
    if participant is None:
        get_meeting_for(request.user, meeting_id)  # 404 for a meeting the user may not see
        raise PermissionDenied

    def run(m: Meeting, c: Case | None, d: Any) -> object:
        return services.reply(
            participant, actor=request.user, answer=d["answer"], capacity=d["capacity"]
        )

    return _meeting_post(
        request,
        meeting_id,
        "reply_form",
        lambda m, c: ReplyForm(request.POST),
        run,
        _("Uw antwoord is vastgelegd."),
        manage=False,
    )


@login_required
@require_POST
def meeting_admit(request: AuthedRequest, meeting_id: int, participant_id: int) -> HttpResponse:
    meeting, _case, may_manage = _meeting_for(request, meeting_id)
    if not may_manage:
        raise PermissionDenied
    participant = Participant.objects.filter(meeting=meeting, pk=participant_id).first()
    if participant is None:
        raise Http404
    try:
        services.admit_participant(participant, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Opgenomen in het casusteam als betrokken partner."))
    return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#attendance_form")


@login_required
@require_POST
def meeting_attendance(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_post(
        request,
        meeting_id,
        "attendance_form",
        lambda m, c: AttendanceForm(
            request.POST,
            participants=list(m.participants.select_related("user", "user__organisation")),
        ),
        lambda m, c, d: services.record_attendance(
            m,
            actor=request.user,
            present=[int(x) for x in d["present"]],
            expected_version=d["version"],
        ),
        _("Aanwezigheid vastgelegd."),
    )


@login_required
@require_POST
def meeting_minutes(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    # Notes on the items of a monitoring meeting, posted as note-<item id>; a key whose id
    # part is not an id ("note-²", a number beyond the database's range) is ignored.
    posted = {
        parse_id(key.removeprefix("note-")): str(value)
        for key, value in request.POST.items()
        if key.startswith("note-")
    }
    notes = {case_id: text for case_id, text in posted.items() if case_id is not None}
    return _meeting_post(
        request,
        meeting_id,
        "minutes_form",
        lambda m, c: MinutesForm(request.POST),
        lambda m, c, d: services.save_minutes(
            m,
            actor=request.user,
            minutes=d["minutes"],
            decisions=d["decisions"],
            expected_version=d["version"],
            notes=notes,
        ),
        _("Verslag opgeslagen. Verstuur het binnen een week na het overleg."),
    )


@login_required
@require_POST
def meeting_send(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_post(
        request,
        meeting_id,
        "send_form",
        lambda m, c: VersionOnlyForm({"version": m.version}),
        lambda m, c, d: services.send_minutes(m, actor=request.user),
        _("Verslag en actielijst verstuurd naar het casusteam (per link)."),
    )


@login_required
@require_POST
def meeting_cancel(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_post(
        request,
        meeting_id,
        "cancel_form",
        lambda m, c: VersionOnlyForm(request.POST),
        lambda m, c, d: services.cancel_meeting(
            m, actor=request.user, expected_version=d["version"]
        ),
        _("Overleg vervallen; de deelnemers zijn bericht."),
    )


@login_required
@require_POST
def meeting_participant(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    return _meeting_post(
        request,
        meeting_id,
        "participant_form",
        lambda m, c: AddParticipantForm(request.POST, people=_invitable(m.house_id, m.case_id)),
        lambda m, c, d: services.add_participant(m, actor=request.user, user=d["user"]),
        _("Deelnemer uitgenodigd."),
    )


@login_required
@require_POST
def meeting_action(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    def make(m: Meeting, c: Case | None) -> Any:
        if c is None or not c.full_access:
            raise PermissionDenied
        return ActionForm(
            request.POST,
            people=_team_people(c),
            goals=Goal.objects.filter(plan__case=c),
            **_tag_choices(c),
        )

    def run(m: Meeting, c: Case | None, d: Any) -> object:
        assert c is not None
        return services.add_action(c, actor=request.user, meeting=m, **d)

    return _meeting_post(
        request, meeting_id, "action_form", make, run, _("Actie toegevoegd aan de actielijst.")
    )


def _my_meeting_ids(user: User, roles: frozenset[str]) -> set[int]:
    """The ids of the user's meetings: invited to, organised, or (a procesregisseur) the
    monitoring meetings of their houses and the meetings of the cases they direct.

    Fetched first, each road by its own index: as one OR inside the lists' date-ordered
    walks, PostgreSQL read every meeting of the country for a user with few or none
    (215 ms at 370,000 meetings). The ids are the user's own, so their number follows
    one person's work, not the size of the data.
    """
    roads: list[QuerySet[Any, Any]] = [
        Participant.objects.filter(user_id=user.pk).values_list("meeting_id", flat=True),
        Meeting.objects.filter(organiser_id=user.pk).values_list("pk", flat=True),
    ]
    if Role.PROCESREGISSEUR in roles:
        roads.append(
            Meeting.objects.filter(
                house_id__in=_monitoring_houses(user), case__isnull=True
            ).values_list("pk", flat=True)
        )
        roads.append(
            Meeting.objects.filter(case_id__in=directed_case_ids(user)).values_list("pk", flat=True)
        )
    return {pk for road in roads for pk in road.order_by()}


@login_required
def meetings(request: AuthedRequest) -> HttpResponse:
    """The user's case meetings: invited to, organised, or of their cases; late minutes."""
    user = request.user
    roles = roles_of(user)
    day = today()
    qs = Meeting.objects.filter(pk__in=_my_meeting_ids(user, roles)).select_related("case", "house")
    # Still to come under "Gepland"; a planned meeting whose time has come is earlier
    # (shown as still to record), with the held and cancelled ones.
    upcoming = list(qs.upcoming().order_by("starts_at")[:50])
    late = list(qs.minutes_late(day).order_by("starts_at")[:50])
    recent = list(qs.exclude(qs.upcoming_q()).order_by("-starts_at")[:30])
    return TemplateResponse(
        request,
        "plans/meetings.html",
        {
            "upcoming": upcoming,
            "late": late,
            "recent": recent,
            "can_monitor": Role.PROCESREGISSEUR in roles,
            "today": day,
        },
    )
