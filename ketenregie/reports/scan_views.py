"""The PGA-scan's pages: the rounds, opening one, a round's progress and invitations,
filling in, the comparison (with its PDF) and the conversation afterwards.

Access comes from reports.scan_access only: the PGA expert or manager of the round's house
leads it; only an invited participant fills in. A round the user may not lead is "not
found", like a case outside the gate.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.accounts.models import HousePartner, Organisation
from ketenregie.audit import services as audit
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.reports import scan_services as services
from ketenregie.reports.models import ScanAnswer, ScanParticipant, ScanRound
from ketenregie.reports.scan import (
    ATTRIBUTION,
    CASUSOVERLEG_NOTE,
    IN_DEVELOPMENT,
    INSTRUCTION,
    by_part,
    is_open,
)
from ketenregie.reports.scan_access import (
    can_lead,
    can_lead_scans,
    led_rounds,
    my_invitations,
    participation,
    scan_houses,
)
from ketenregie.reports.scan_forms import ConversationForm, InviteForm, RoundForm, VersionForm
from ketenregie.reports.scan_pdf import results_pdf
from ketenregie.reports.scan_presentation import present

TEXTS = {
    "attribution": ATTRIBUTION,
    "in_development": IN_DEVELOPMENT,
    "instruction": INSTRUCTION,
}


def _led_round(request: AuthedRequest, round_id: int) -> ScanRound:
    scan_round = ScanRound.objects.select_related("house").filter(pk=round_id).first()
    if scan_round is None or not can_lead(request.user, scan_round):
        raise Http404
    return scan_round


@login_required
def scan_index(request: AuthedRequest) -> HttpResponse:
    """The rounds the user leads, and the scans they are invited to fill in."""
    rounds = list(led_rounds(request.user)) if can_lead_scans(request.user) else []
    progress = _progress({r.pk for r in rounds})
    return TemplateResponse(
        request,
        "reports/scan_index.html",
        {
            "can_open": can_lead_scans(request.user),
            "rounds": [(r, is_open(r), *progress.get(r.pk, (0, 0))) for r in rounds],
            "invitations": [(p, is_open(p.round)) for p in my_invitations(request.user)],
            **TEXTS,
        },
    )


def _progress(round_ids: set[int]) -> dict[int, tuple[int, int]]:
    """Per round: (submitted, invited): the count the expert sees, never who."""
    out: dict[int, tuple[int, int]] = {}
    rows = ScanParticipant.objects.filter(round_id__in=round_ids).values_list(
        "round_id", "submitted_at"
    )
    for round_id, submitted_at in rows:
        done, invited = out.get(round_id, (0, 0))
        out[round_id] = (done + (submitted_at is not None), invited + 1)
    return out


@login_required
def scan_new(request: AuthedRequest) -> HttpResponse:
    houses = scan_houses(request.user)
    if not houses.exists():
        raise PermissionDenied
    partners = Organisation.objects.filter(
        pk__in=HousePartner.objects.filter(house__in=houses).values("organisation_id"),
        is_active=True,
    ).order_by("name")
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        houses=houses,
        partners=partners,
        initial={"house": houses.first()},
    )
    created: list[ScanRound] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form,
            lambda: created.append(services.open_round(actor=request.user, **form.cleaned_data)),
        )
    ):
        messages.success(request, _("De ronde is geopend. Nodig nu de deelnemers uit."))
        return redirect("scan_round", round_id=created[0].pk)
    return TemplateResponse(request, "reports/scan_new.html", {"form": form, **TEXTS})


def _round_page(
    request: AuthedRequest,
    scan_round: ScanRound,
    *,
    invite_form: InviteForm | None = None,
    conversation_form: ConversationForm | None = None,
    error: str = "",
) -> HttpResponse:
    invitable = services.invitable_users(scan_round)
    done, invited = _progress({scan_round.pk}).get(scan_round.pk, (0, 0))
    if conversation_form is None:
        conversation_form = ConversationForm(
            initial={
                "conversation_on": scan_round.conversation_on,
                "follow_up": scan_round.follow_up,
                "version": scan_round.version,
            }
        )
    return TemplateResponse(
        request,
        "reports/scan_round.html",
        {
            "round": scan_round,
            "open": is_open(scan_round),
            "organisations": list(scan_round.organisations.order_by("name")),
            "invited_people": list(
                ScanParticipant.objects.filter(round=scan_round)
                .select_related("user", "organisation")
                .order_by("organisation__name", "user__last_name")
            ),
            "done": done,
            "invited": invited,
            "invite_form": invite_form or InviteForm(users=invitable),
            "can_invite": bool(invitable),
            "conversation_form": conversation_form,
            "error": error,
            **TEXTS,
        },
    )


@login_required
def scan_round(request: AuthedRequest, round_id: int) -> HttpResponse:
    return _round_page(request, _led_round(request, round_id))


@login_required
@require_POST
def scan_invite(request: AuthedRequest, round_id: int) -> HttpResponse:
    scan_round = _led_round(request, round_id)
    form = InviteForm(request.POST, users=services.invitable_users(scan_round))
    count: list[int] = []
    if form.is_valid() and apply_service(
        form,
        lambda: count.append(
            services.invite(
                actor=request.user, scan_round=scan_round, users=form.cleaned_data["users"]
            )
        ),
    ):
        messages.success(request, _("%(n)s deelnemer(s) uitgenodigd.") % {"n": count[0]})
        return redirect("scan_round", round_id=scan_round.pk)
    return _round_page(request, scan_round, invite_form=form)


def _simple_action(request: AuthedRequest, round_id: int, action: Any, done: str) -> HttpResponse:
    scan_round = _led_round(request, round_id)
    try:
        action(scan_round)
    except ValidationError as exc:
        return _round_page(request, scan_round, error=" ".join(exc.messages))
    messages.success(request, done)
    return redirect("scan_round", round_id=scan_round.pk)


@login_required
@require_POST
def scan_remind(request: AuthedRequest, round_id: int) -> HttpResponse:
    return _simple_action(
        request,
        round_id,
        lambda r: services.remind(actor=request.user, scan_round=r),
        _("Wie nog niet heeft ingevuld, kreeg een herinnering."),
    )


@login_required
@require_POST
def scan_close(request: AuthedRequest, round_id: int) -> HttpResponse:
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    return _simple_action(
        request,
        round_id,
        lambda r: services.close_round(actor=request.user, scan_round=r, expected_version=version),
        _("De ronde is gesloten; de uitkomsten staan klaar."),
    )


@login_required
@require_POST
def scan_conversation(request: AuthedRequest, round_id: int) -> HttpResponse:
    scan_round = _led_round(request, round_id)
    form = ConversationForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: services.record_conversation(
            actor=request.user,
            scan_round=scan_round,
            conversation_on=form.cleaned_data["conversation_on"],
            follow_up=form.cleaned_data["follow_up"],
            expected_version=form.cleaned_data["version"],
        ),
        lambda: ScanRound.objects.get(pk=scan_round.pk).version,
    ):
        messages.success(request, _("Het gesprek en de vervolgacties zijn vastgelegd."))
        return redirect("scan_round", round_id=scan_round.pk)
    return _round_page(request, scan_round, conversation_form=form)


def _posted_answers(
    request: AuthedRequest, statement_ids: list[int]
) -> tuple[dict[int, int], bool]:
    """The answers on the form, and whether something unreadable was posted."""
    answers: dict[int, int] = {}
    bad = False
    for pk in statement_ids:
        raw = request.POST.get(f"s{pk}", "")
        if not raw:
            continue
        if raw.isdigit() and int(raw) in ScanAnswer.values:
            answers[pk] = int(raw)
        else:
            bad = True
    return answers, bad


@login_required
def scan_fill(request: AuthedRequest, round_id: int) -> HttpResponse:
    """One page with every statement, grouped by part: save and come back, or submit."""
    scan_round = ScanRound.objects.select_related("house").filter(pk=round_id).first()
    participant = participation(request.user, scan_round) if scan_round else None
    if scan_round is None or participant is None:
        raise Http404
    statements = list(scan_round.statements.all())
    answers = services.draft_answers(participant)
    error = ""
    if request.method == "POST":
        answers, bad = _posted_answers(request, [s.pk for s in statements])
        submit = "versturen" in request.POST
        try:
            if bad:
                raise ValidationError(_("Kies bij elke stelling een van de vijf antwoorden."))
            services.save_answers(participant=participant, answers=answers, submit=submit)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if submit:
                messages.success(request, _("Dank u wel: uw antwoorden zijn verstuurd."))
            else:
                messages.success(
                    request, _("Uw antwoorden zijn opgeslagen. U kunt later verder gaan.")
                )
            return redirect("scan_fill", round_id=scan_round.pk)
    parts = [
        (
            heading,
            [(s, n, answers.get(s.pk)) for n, s in enumerate(rows, start=1)],
            part == "kunnen",
        )
        for part, heading, rows in by_part(statements)
    ]
    return TemplateResponse(
        request,
        "reports/scan_fill.html",
        {
            "round": scan_round,
            "participant": participant,
            "open": is_open(scan_round),
            "parts": parts,
            "scale": ScanAnswer.choices,
            "answered": len(answers),
            "total": len(statements),
            "error": error,
            "note": CASUSOVERLEG_NOTE,
            **TEXTS,
        },
    )


@login_required
def scan_results(request: AuthedRequest, round_id: int) -> HttpResponse:
    scan_round = _led_round(request, round_id)
    context: dict[str, Any] = {"round": scan_round, "open": is_open(scan_round), **TEXTS}
    if not context["open"]:
        context.update(present(scan_round))
        audit.record("scan.results_viewed", actor=request.user, obj=scan_round)
    return TemplateResponse(request, "reports/scan_results.html", context)


@login_required
def scan_results_pdf(request: AuthedRequest, round_id: int) -> HttpResponse:
    scan_round = _led_round(request, round_id)
    if is_open(scan_round):
        messages.error(request, _("De uitkomsten komen na het sluiten van de ronde."))
        return redirect("scan_results", round_id=scan_round.pk)
    body = results_pdf(scan_round)
    audit.record("scan.pdf_downloaded", actor=request.user, obj=scan_round)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="pga-scan-{scan_round.pk}.pdf"'
    return response
