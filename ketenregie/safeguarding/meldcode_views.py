"""Pages of the meldcode: a case's trajectory (steps, decision questions, acute danger,
reports to Veilig Thuis, ending), the decision questions at a progress meeting, and the
panel the meeting page shows (registered with `plans.meeting_panels`).

Every case comes through the gate (`meldcode_access.meldcode_case`); who may write what is
decided by `meldcode_access`; every write is a service call (`meldcode_services`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.audit import services as audit
from ketenregie.cases.models import Case
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today
from ketenregie.plans.models import Meeting
from ketenregie.safeguarding import meldcode_services as services
from ketenregie.safeguarding.meldcode_access import (
    acts_as_casusregisseur,
    may_follow_up,
    may_record,
    meldcode_case,
)
from ketenregie.safeguarding.meldcode_forms import (
    AcuteForm,
    AnswersForm,
    EndForm,
    FollowUpForm,
    ReportForm,
    StartForm,
    StepForm,
    yes_no,
)
from ketenregie.safeguarding.meldcode_models import MeldcodeTrajectory, VeiligThuisReport
from ketenregie.safeguarding.meldcode_queries import (
    answer_set_view,
    answers_at_meeting,
    is_progress_meeting,
    open_trajectory_of,
    progress_meetings,
    trajectories_of,
)
from ketenregie.safeguarding.meldcode_rules import QUESTIONS

if TYPE_CHECKING:
    from ketenregie.accounts.models import User
    from ketenregie.plans.access import MeetingView

PURPOSE = "meldcode huiselijk geweld en kindermishandeling"


def _page_url(case: Case, anchor: str = "") -> str:
    return reverse("meldcode", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def _page(request: AuthedRequest, case: Case, bound: dict[str, Any] | None = None) -> HttpResponse:
    user = request.user
    all_trajectories = trajectories_of(case)
    current = next((t for t in all_trajectories if t.is_open), None)
    record = may_record(user, case)
    acting_cr = acts_as_casusregisseur(user, case)
    follow = may_follow_up(user, case)
    context: dict[str, Any] = {
        "case": case,
        "current": current,
        # Ended trajectories with their whole history of answer sets.
        "earlier": [
            (t, [answer_set_view(a) for a in t.answer_sets.all()])
            for t in all_trajectories
            if not t.is_open
        ],
        "may_record": record,
        "acts_as_casusregisseur": acting_cr,
        "questions": [str(q) for q in QUESTIONS],
    }
    if current is not None:
        answer_sets = [answer_set_view(a) for a in current.answer_sets.all()]
        context.update(
            {
                "steps": list(current.steps.all()),
                "answer_sets": answer_sets,
                "latest": answer_sets[0] if answer_sets else None,
                "meetings": progress_meetings(current),
                "reports": list(current.vt_reports.all()),
            }
        )
        if record:
            context.update(
                {
                    "step_form": StepForm(initial={"taken_on": today()}),
                    "answers_form": AnswersForm(initial={"answered_on": today()}),
                    "acute_form": AcuteForm(
                        initial={
                            "version": current.version,
                            "acute": "nee" if current.acute_danger else "ja",
                        }
                    ),
                }
            )
        if acting_cr:
            context["report_form"] = ReportForm(initial={"reported_on": today()})
            context["end_form"] = EndForm(initial={"version": current.version, "ended_on": today()})
        if follow:
            context["followup_forms"] = {
                r.pk: FollowUpForm(
                    report_id=r.pk, initial={"version": r.version, "on_date": today()}
                )
                for r in context["reports"]
                if r.status != VeiligThuisReport.Status.CLOSED
            }
    elif record:
        context["start_form"] = StartForm()
    context.update(bound or {})
    if "followup_bound" in context:
        pk, form = context.pop("followup_bound")
        context.setdefault("followup_forms", {})[pk] = form
    audit.record("meldcode.viewed", actor=user, case_id=case.pk, purpose=PURPOSE)
    return TemplateResponse(request, "safeguarding/meldcode.html", context)


@login_required
def meldcode(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _page(request, meldcode_case(request.user, case_id))


def _post(
    request: AuthedRequest,
    case_id: int,
    *,
    allowed: Callable[[User, Case], bool],
    form: Any,
    form_key: str,
    run: Callable[[Case, MeldcodeTrajectory | None, Any], object],
    done: str,
    needs_open: bool = True,
    current: Callable[[], int | None] | None = None,
) -> HttpResponse:
    """Valid form -> service -> message and redirect; otherwise the page again with the
    Dutch errors on the form and what was typed."""
    case = meldcode_case(request.user, case_id)
    if not allowed(request.user, case):
        raise PermissionDenied
    trajectory = open_trajectory_of(case.pk)
    if needs_open and trajectory is None:
        messages.error(request, _("Er loopt geen meldcodetraject: start het eerst."))
        return redirect(_page_url(case))
    if form.is_valid() and apply_service(
        form, lambda: run(case, trajectory, form.cleaned_data), current
    ):
        messages.success(request, done)
        return redirect(_page_url(case, form_key))
    return _page(request, case, {form_key: form})


@login_required
@require_POST
def meldcode_start(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _post(
        request,
        case_id,
        allowed=may_record,
        form=StartForm(request.POST),
        form_key="start_form",
        run=lambda c, t, d: services.start_trajectory(
            c, actor=request.user, acute_danger=d["acute_danger"]
        ),
        done=_("Meldcodetraject gestart."),
        needs_open=False,
    )


@login_required
@require_POST
def meldcode_step(request: AuthedRequest, case_id: int) -> HttpResponse:
    def run(c: Case, t: MeldcodeTrajectory | None, d: dict[str, Any]) -> object:
        assert t is not None
        return services.record_step(
            t,
            actor=request.user,
            number=d["number"],
            taken_on=d["taken_on"],
            note=d["note"],
            vt_consulted=d["vt_consulted"],
            instrument=d["instrument"],
            instrument_other=d["instrument_other"],
            order_reason=d["order_reason"],
            acute_danger=d["acute_danger"] if d["number"] == 1 else None,
        )

    return _post(
        request,
        case_id,
        allowed=may_record,
        form=StepForm(request.POST),
        form_key="step_form",
        run=run,
        done=_("Stap vastgelegd."),
    )


def _current_version(case_id: int) -> Callable[[], int | None]:
    def current() -> int | None:
        t = open_trajectory_of(case_id)
        return t.version if t else None

    return current


@login_required
@require_POST
def meldcode_acute(request: AuthedRequest, case_id: int) -> HttpResponse:
    def run(c: Case, t: MeldcodeTrajectory | None, d: dict[str, Any]) -> object:
        assert t is not None
        return services.set_acute_danger(
            t, actor=request.user, acute=d["acute"], expected_version=d["version"]
        )

    return _post(
        request,
        case_id,
        allowed=may_record,
        form=AcuteForm(request.POST),
        form_key="acute_form",
        run=run,
        done=_("Acuut gevaar bijgewerkt."),
        current=_current_version(case_id),
    )


def _answers_run(request: AuthedRequest, meeting: Meeting | None) -> Callable[..., object]:
    def run(c: Case, t: MeldcodeTrajectory | None, d: dict[str, Any]) -> object:
        assert t is not None
        return services.record_answers(
            t,
            actor=request.user,
            answers=[yes_no(d.get(f"q{n}", "")) for n in range(1, 6)],
            notes=[d.get(f"note{n}", "") for n in range(1, 6)],
            answered_on=d["answered_on"],
            meeting=meeting,
        )

    return run


@login_required
@require_POST
def meldcode_answers(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _post(
        request,
        case_id,
        allowed=may_record,
        form=AnswersForm(request.POST),
        form_key="answers_form",
        run=_answers_run(request, None),
        done=_("Afwegingsvragen vastgelegd."),
    )


@login_required
@require_POST
def meldcode_end(request: AuthedRequest, case_id: int) -> HttpResponse:
    def run(c: Case, t: MeldcodeTrajectory | None, d: dict[str, Any]) -> object:
        assert t is not None
        return services.end_trajectory(
            t,
            actor=request.user,
            reason=d["reason"],
            ended_on=d["ended_on"],
            note=d["note"],
            expected_version=d["version"],
        )

    return _post(
        request,
        case_id,
        allowed=acts_as_casusregisseur,
        form=EndForm(request.POST),
        form_key="end_form",
        run=run,
        done=_("Meldcodetraject afgesloten: de afwegingsvragen worden niet meer herhaald."),
        current=_current_version(case_id),
    )


@login_required
@require_POST
def meldcode_report(request: AuthedRequest, case_id: int) -> HttpResponse:
    def run(c: Case, t: MeldcodeTrajectory | None, d: dict[str, Any]) -> object:
        assert t is not None
        return services.report_to_veilig_thuis(
            t,
            actor=request.user,
            reported_on=d["reported_on"],
            reference=d["reference"],
            content=d["content"],
            person_informed=d["person_informed"] == "ja",
            not_informed_reason=d["not_informed_reason"],
        )

    return _post(
        request,
        case_id,
        allowed=acts_as_casusregisseur,
        form=ReportForm(request.POST),
        form_key="report_form",
        run=run,
        done=_("Melding bij Veilig Thuis vastgelegd."),
    )


@login_required
@require_POST
def meldcode_followup(request: AuthedRequest, case_id: int, report_id: int) -> HttpResponse:
    case = meldcode_case(request.user, case_id)
    if not may_follow_up(request.user, case):
        raise PermissionDenied
    report = VeiligThuisReport.objects.filter(pk=report_id, trajectory__case=case).first()
    if report is None:
        raise Http404
    form = FollowUpForm(request.POST, report_id=report.pk)

    def current() -> int | None:
        return VeiligThuisReport.objects.get(pk=report.pk).version

    if form.is_valid() and apply_service(
        form,
        lambda: services.follow_up_report(
            report,
            actor=request.user,
            status=form.cleaned_data["status"],
            on_date=form.cleaned_data["on_date"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        ),
        current,
    ):
        messages.success(request, _("Reactie van Veilig Thuis vastgelegd."))
        return redirect(_page_url(case, f"melding-{report.pk}"))
    return _page(request, case, {"followup_bound": (report.pk, form)})


# The decision questions at a progress meeting.


def _meeting_case(request: AuthedRequest, case_id: int, meeting_id: int) -> tuple[Case, Meeting]:
    case = meldcode_case(request.user, case_id)
    meeting = Meeting.objects.filter(pk=meeting_id, case=case).first()
    if meeting is None:
        raise Http404
    return case, meeting


def _meeting_page(
    request: AuthedRequest, case: Case, meeting: Meeting, form: AnswersForm | None = None
) -> HttpResponse:
    trajectory = open_trajectory_of(case.pk)
    asked = trajectory is not None and is_progress_meeting(meeting, trajectory)
    if form is None and asked and may_record(request.user, case):
        form = AnswersForm(initial={"answered_on": timezone.localtime(meeting.starts_at).date()})
    context = {
        "case": case,
        "meeting": meeting,
        "trajectory": trajectory,
        "asked": asked,
        "answers_form": form if asked else None,
        "recorded": [answer_set_view(a) for a in answers_at_meeting(trajectory, meeting)]
        if trajectory
        else [],
    }
    audit.record("meldcode.viewed", actor=request.user, case_id=case.pk, purpose=PURPOSE)
    return TemplateResponse(request, "safeguarding/meldcode_meeting.html", context)


@login_required
def meldcode_meeting(request: AuthedRequest, case_id: int, meeting_id: int) -> HttpResponse:
    case, meeting = _meeting_case(request, case_id, meeting_id)
    if request.method != "POST":
        return _meeting_page(request, case, meeting)
    if not may_record(request.user, case):
        raise PermissionDenied
    trajectory = open_trajectory_of(case.pk)
    form = AnswersForm(request.POST)
    if trajectory is None:
        messages.error(
            request,
            _("Er loopt geen meldcodetraject meer: de afwegingsvragen worden niet herhaald."),
        )
        return redirect("meeting_detail", meeting.pk)
    if form.is_valid() and apply_service(
        form, lambda: _answers_run(request, meeting)(case, trajectory, form.cleaned_data)
    ):
        messages.success(request, _("Afwegingsvragen van dit overleg vastgelegd."))
        return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#meldcode")
    return _meeting_page(request, case, meeting, form)


def meeting_panel(user: User, view: MeetingView) -> dict[str, Any] | None:
    """The meldcode on a case meeting's page: the decision questions while a trajectory
    is open (with the form for who may record them), or that safety was found lasting."""
    case = view.case
    if case is None or not view.full or view.meeting.case_id is None:
        return None
    trajectories = list(MeldcodeTrajectory.objects.filter(case_id=case.pk).order_by("-started_at"))
    if not trajectories:
        return None
    current = next((t for t in trajectories if t.is_open), None)
    shown = current or trajectories[0]
    asked = current is not None and is_progress_meeting(view.meeting, current)
    return {
        "template": "safeguarding/meldcode_panel.html",
        "case": case,
        "meeting": view.meeting,
        "trajectory": shown,
        "asked": asked,
        "recorded": [answer_set_view(a) for a in answers_at_meeting(shown, view.meeting)],
        "form": AnswersForm(
            initial={"answered_on": timezone.localtime(view.meeting.starts_at).date()}
        )
        if asked and may_record(user, case)
        else None,
    }
