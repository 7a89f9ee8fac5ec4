"""Start of the PGA: informing the person, the letter, the start conversation."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.audit import services as audit
from ketenregie.cases.access import can_manage_case, get_full_case_for
from ketenregie.cases.models import Case, ExchangeKind
from ketenregie.cases.sharing import record_exchange
from ketenregie.cases.workflow import (
    CLOSABLE_STATUSES,
    CLOSED_STATUSES,
    CLOSING_CONVERSATION_STATUSES,
    PGA_STATUSES,
    START_STATUSES,
    Status,
)
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today
from ketenregie.pga import aftercare, services
from ketenregie.pga.closing import closing_contributions
from ketenregie.pga.forms import (
    CloseForm,
    ClosingConversationForm,
    EscalateForm,
    InformingForm,
    LetterForm,
    ReopenForm,
    ResolveSignalForm,
    SignalForm,
    StartConversationForm,
)
from ketenregie.pga.models import (
    Closing,
    ClosingConversation,
    Informing,
    Signal,
    StartConversation,
    Transfer,
)

log = logging.getLogger(__name__)


def _full_case(request: AuthedRequest, case_id: int) -> Case:
    return get_full_case_for(request.user, case_id)


def _page(
    request: AuthedRequest,
    case: Case,
    informing_form: InformingForm | None = None,
    conversation_form: StartConversationForm | None = None,
    status: int = 200,
    letter_form: LetterForm | None = None,
) -> HttpResponse:
    manage = can_manage_case(request.user, case)
    context: dict[str, Any] = {
        "case": case,
        "records": list(Informing.objects.filter(case=case).select_related("recorded_by")),
        "conversations": list(
            StartConversation.objects.filter(case=case).select_related("recorded_by")
        ),
        "can_manage": manage,
        "can_start": manage and case.status == Status.PGA_GESTART,
        "open_phase": case.status in START_STATUSES,
    }
    if manage:
        context["informing_form"] = informing_form or InformingForm(
            initial={"on_date": today(), "method": Informing.Method.LETTER_IN_PERSON}
        )
        context["conversation_form"] = conversation_form or StartConversationForm(
            initial={"on_date": today()}
        )
        # The procesregisseur is the person's first contact unless they name someone else.
        context["letter_form"] = letter_form or LetterForm(
            initial={
                "contact_name": request.user.get_full_name(),
                "contact_details": request.user.email,
            }
        )
    audit.record("pga.informing_viewed", actor=request.user, case_id=case.pk, purpose="start PGA")
    return TemplateResponse(request, "pga/informing.html", context, status=status)


@login_required
def informing_page(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _page(request, _full_case(request, case_id))


def _managed(request: AuthedRequest, case_id: int) -> Case:
    case = _full_case(request, case_id)
    if not can_manage_case(request.user, case):
        raise PermissionDenied
    return case


@login_required
@require_POST
def informing_record(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _managed(request, case_id)
    form = InformingForm(request.POST)
    if form.is_valid() and apply_service(
        form, lambda: services.record_informing(case, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Vastgelegd."))
        return redirect("pga_informing", case_id=case.pk)
    return _page(request, case, informing_form=form)


@login_required
@require_POST
def start_conversation_record(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _managed(request, case_id)
    form = StartConversationForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: services.record_start_conversation(
            case, actor=request.user, values=form.cleaned_data
        ),
    ):
        messages.success(request, _("Startgesprek vastgelegd."))
        return redirect("pga_informing", case_id=case.pk)
    return _page(request, case, conversation_form=form)


@login_required
@require_POST
def pga_execute(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _managed(request, case_id)
    try:
        services.start_execution(case, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("pga_informing", case_id=case.pk)
    messages.success(request, _("De PGA is in uitvoering: plan en casusoverleggen."))
    return redirect("case_detail", case_id=case.pk)


@login_required
@require_POST
def letter(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The information letter as a PDF. A POST: taking it out is recorded as a step of
    informing the person (shown on the timeline), so only an explicit click records it,
    never a prefetch or a reload (GET is safe)."""
    case = _managed(request, case_id)
    from ketenregie.pga.letter import LetterDetails, letter_pdf

    form = LetterForm(request.POST)
    if not form.is_valid():
        return _page(request, case, letter_form=form)
    try:
        pdf = letter_pdf(case, LetterDetails(**form.cleaned_data))
    except ValidationError as exc:
        # The house's template is incomplete: said on the form, the typed values kept.
        form.add_error(None, exc)
        return _page(request, case, letter_form=form)
    except Exception:  # noqa: BLE001 - a PDF failure must not become a blank 500
        log.exception("Informatiebrief niet gemaakt voor casus %s", case.pk)
        messages.error(
            request,
            _(
                "De brief kon niet worden gemaakt. Probeer het opnieuw of meld het bij de "
                "beheerder."
            ),
        )
        return redirect("pga_informing", case_id=case.pk)
    with transaction.atomic():
        audit.record(
            "pga.letter_downloaded",
            actor=request.user,
            case_id=case.pk,
            purpose="informeren betrokkene (WGS)",
        )
        # The letter carries the person's data out of the house's file to the person.
        record_exchange(
            ExchangeKind.LETTER_PDF,
            actor=request.user,
            case=case,
            to_label=_("betrokkene (informatiebrief)"),
            from_house=True,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="informatiebrief-{case.code}.pdf"'
    return response


# ------------------------------------------------------------------ signals and closing


def _closing_page(
    request: AuthedRequest, case: Case, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    manage = can_manage_case(request.user, case)
    closed = case.status in CLOSED_STATUSES
    running = case.status == Status.IN_UITVOERING
    context: dict[str, Any] = {
        "case": case,
        "signals": list(
            Signal.objects.filter(case=case).select_related("raised_by", "resolved_by")
        ),
        "closings": list(
            Closing.objects.filter(case=case).select_related("handover_organisation", "closed_by")
        ),
        "conversations": list(ClosingConversation.objects.filter(case=case)),
        "can_manage": manage,
        "signal_form": SignalForm() if case.status in PGA_STATUSES else None,
        "transfers": list(Transfer.objects.filter(from_case=case).select_related("to_house")),
        "resolve_form": ResolveSignalForm(),
    }
    if manage:
        if case.status in CLOSABLE_STATUSES:
            context["close_form"] = CloseForm()
        if case.status in CLOSING_CONVERSATION_STATUSES:
            context["conversation_form"] = ClosingConversationForm(initial={"on_date": today()})
        if closed:
            context["reopen_form"] = ReopenForm()
        if running and case.house.kind == case.house.Kind.LOCAL_PGA:
            context["escalate_form"] = EscalateForm()
    context.update(closing_contributions(case))
    # Issue 15 (phases): aftercare agreements and the trajectory's evaluation.
    context.update(aftercare.closing_summary(case))
    context.update(bound or {})
    audit.record("pga.closing_viewed", actor=request.user, case_id=case.pk, purpose="casusregie")
    return TemplateResponse(request, "pga/closing.html", context, status=status)


@login_required
def closing_page(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _closing_page(request, _full_case(request, case_id))


@login_required
@require_POST
def signal_raise(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _full_case(request, case_id)
    form = SignalForm(request.POST)
    if form.is_valid() and apply_service(
        form, lambda: services.raise_signal(case, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Signaal afgegeven; casus- en procesregisseur zijn ingelicht."))
        return redirect("pga_closing", case_id=case.pk)
    return _closing_page(request, case, {"signal_form": form})


@login_required
@require_POST
def signal_resolve(request: AuthedRequest, case_id: int, signal_id: int) -> HttpResponse:
    case = _managed(request, case_id)
    signal = Signal.objects.filter(case=case, pk=signal_id).first()
    if signal is None:
        raise Http404
    form = ResolveSignalForm(request.POST)
    if form.is_valid() and apply_service(
        form, lambda: services.resolve_signal(signal, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Signaal afgehandeld."))
        return redirect("pga_closing", case_id=case.pk)
    return _closing_page(request, case, {"resolve_form": form})


def _closing_action(
    request: AuthedRequest, case_id: int, form_class: type[Any], name: str, action: Any, done: str
) -> HttpResponse:
    case = _managed(request, case_id)
    form = form_class(request.POST)
    if form.is_valid() and apply_service(
        form, lambda: action(case, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, done)
        return redirect("pga_closing", case_id=case.pk)
    return _closing_page(request, _full_case(request, case_id), {name: form})


@login_required
@require_POST
def close(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _closing_action(
        request, case_id, CloseForm, "close_form", services.close_case, _("De casus is afgesloten.")
    )


@login_required
@require_POST
def closing_conversation(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _closing_action(
        request,
        case_id,
        ClosingConversationForm,
        "conversation_form",
        services.record_closing_conversation,
        _("Eindgesprek vastgelegd."),
    )


@login_required
@require_POST
def reopen(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _closing_action(
        request,
        case_id,
        ReopenForm,
        "reopen_form",
        services.reopen_case,
        _("De casus is heropend."),
    )


@login_required
@require_POST
def escalate(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _managed(request, case_id)
    form = EscalateForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: services.escalate_to_zvh(case, actor=request.user, **form.service_values()),
    ):
        messages.success(
            request, _("Opgeschaald: het Zorg- en Veiligheidshuis heeft een aanmelding ontvangen.")
        )
        return redirect("pga_closing", case_id=case.pk)
    return _closing_page(request, _full_case(request, case_id), {"escalate_form": form})
