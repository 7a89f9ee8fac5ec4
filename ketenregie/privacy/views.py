"""The privacy officer's pages: the audit trail search, the subject access export, the
data-sharing register (with its CSV export) and the house's fixed basis per exchange
kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ketenregie.accounts.access import can_do_privacy_work, can_read_audit, privacy_house_ids
from ketenregie.accounts.models import House
from ketenregie.audit import services as audit
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.grounds import LegalBasis, SpecialCategoryException
from ketenregie.cases.models import ExchangeBasis, ExchangeKind, Person
from ketenregie.cases.queries import case_codes
from ketenregie.cases.sharing import (
    FIXED_KINDS,
    Grounds,
    default_grounds,
    house_bases,
    register_rows,
    set_exchange_basis,
    totals_per_basis,
)
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.core.forms import apply_service
from ketenregie.core.http import AuthedRequest
from ketenregie.core.paging import BoundedPaginator
from ketenregie.intake.forms import necessity_initial
from ketenregie.privacy import register, subject_access_output
from ketenregie.privacy import review as services
from ketenregie.privacy import subject_access as subject_access_export
from ketenregie.privacy.access import can_handle_request_of, subject_access_scope
from ketenregie.privacy.forms import (
    AuditSearchForm,
    ExchangeBasisForm,
    RegisterFilterForm,
    ReviewForm,
    SubjectAccessForm,
    parse_withholdings,
)
from ketenregie.privacy.models import SubjectAccessReview
from ketenregie.privacy.queries import search

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    case_code: str  # empty: no case, or a case since deleted (a rejected referral)


@login_required
def audit_search(request: AuthedRequest) -> HttpResponse:
    if not can_read_audit(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    page = None
    rows: list[AuditRow] = []
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        # Bounded like the case list: a common surname matches tens of thousands of
        # events; the page counts up to the bound and asks to narrow the search beyond it.
        found = search(**filters)
        paginator = BoundedPaginator(found.events, PAGE_SIZE, counted=found.counted)
        page = paginator.get_page(request.GET.get("page"))
        # Evaluate before recording this search, which may itself match the filters.
        page.object_list = list(page.object_list)
        # The case number people know, not the internal id (one query for the page).
        codes = case_codes(ev.case_id for ev in page.object_list)
        rows = [AuditRow(ev, codes.get(ev.case_id, "") if ev.case_id else "") for ev in page]
        audit.record(
            "audit.searched",
            actor=request.user,
            purpose="toezicht gegevensbescherming",
            data={"filters": audit.search_filters(filters, personal=("person",))},
        )
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "privacy/audit_search.html",
        {"form": form, "page": page, "rows": rows, "querystring": query.urlencode()},
    )


@login_required
def subject_access(request: AuthedRequest) -> HttpResponse:
    """Find the person a subject access request is about (POST: the terms are personal
    data, kept out of URLs and logs), then open the review of their export (POST)."""
    if not can_do_privacy_work(request.user):
        raise PermissionDenied
    scope = subject_access_scope(request.user)
    if request.method == "POST" and "person" in request.POST:
        raw = request.POST.get("person", "").strip()
        person = Person.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if person is None or not can_handle_request_of(request.user, person):
            return HttpResponseBadRequest(_("Onbekende betrokkene.").encode())
        review = services.open_review(request.user, person)
        return redirect("subject_access_review", review.pk)
    persons: list[Person] = []
    form = SubjectAccessForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        persons = subject_access_export.find_persons(
            bsn=data["bsn"],
            name=data["name"],
            birth_date=data["birth_date"],
            house_ids=scope.house_ids,
        )
    return TemplateResponse(
        request,
        "privacy/subject_access.html",
        {
            "form": form,
            "persons": persons,
            "searched": form.is_bound and form.is_valid(),
            "scope": subject_access_export.scope_summary(scope),
        },
    )


def _review_or_404(request: AuthedRequest, pk: int) -> SubjectAccessReview:
    if not can_do_privacy_work(request.user):
        raise PermissionDenied
    review = get_object_or_404(SubjectAccessReview.objects.select_related("person"), pk=pk)
    if not can_handle_request_of(request.user, review.person):
        raise Http404
    return review


@login_required
def subject_access_review(request: AuthedRequest, pk: int) -> HttpResponse:
    """The export as the reviewer sees it before release: every passage with a checkbox
    and a reason; other persons' names to black out. GET shows (a recorded read), POST
    saves the withholdings (version-checked)."""
    review = _review_or_404(request, pk)
    scope = subject_access_scope(request.user)
    withheld = services.withheld_of(review)
    form = ReviewForm(request.POST or None, initial={"other_persons": review.other_persons})
    errors: dict[str, str] = {}
    if request.method == "POST":
        # The passages offered are those of the export as it stands now.
        offered = subject_access_output.passages(
            subject_access_export.build_export(review.person, scope=scope)
        )
        withheld, errors = parse_withholdings(request.POST, offered)
        if form.is_valid() and not errors:
            try:
                services.save_review(
                    request.user,
                    review,
                    expected_version=form.cleaned_data["version"],
                    withheld=withheld,
                    other_persons=form.cleaned_data["other_persons"],
                )
            except ConcurrentEditError:
                form.add_error(
                    None,
                    _(
                        "Iemand anders heeft deze beoordeling intussen gewijzigd. "
                        "Laad de pagina opnieuw en markeer opnieuw."
                    ),
                )
            else:
                messages.success(request, _("De beoordeling is opgeslagen."))
                return redirect("subject_access_review", review.pk)
    else:
        services.record_review_read(request.user, review)
    names = (
        form.data.get("other_persons", "").splitlines() if form.is_bound else review.other_names()
    )
    export = subject_access_export.build_export(
        review.person,
        scope=scope,
        review=subject_access_export.Review(other_names=names),
    )
    offered = _mark(export, withheld, errors)
    return TemplateResponse(
        request,
        "privacy/subject_access_review.html",
        {
            "review": review,
            "form": form,
            "export": export,
            "withheld": withheld,
            "errors": errors,
            # Errors on passages the page no longer shows: said at the top.
            "stray_errors": sorted({msg for p, msg in errors.items() if p not in offered}),
            "version": review.version,
        },
    )


def _mark(export: dict[str, Any], withheld: dict[str, str], errors: dict[str, str]) -> set[str]:
    """Add each passage's checkbox state (ticked, reason, error) to the review's copy of
    the export (never released); the ids offered."""
    offered: set[str] = set()

    def mark(passage: str) -> dict[str, Any]:
        offered.add(passage)
        return {
            "id": passage,
            "checked": passage in withheld,
            "reason": withheld.get(passage, ""),
            "error": errors.get(passage, ""),
        }

    for item in subject_access_output.items_of(export):
        item["mark"] = mark(item["id"])
        for f in item["fields"]:
            if f["type"] == "text" and f["value"]:
                f["mark"] = mark(f"{item['id']}/{f['key']}")
    for row in (*export["recipients"], *export["access_log"]):
        row["mark"] = mark(row["id"])
    return offered


@login_required
def subject_access_release(request: AuthedRequest, pk: int) -> HttpResponse:
    """Release the reviewed export as PDF or JSON (POST, recorded)."""
    review = _review_or_404(request, pk)
    if request.method != "POST":
        return redirect("subject_access_review", review.pk)
    fmt = request.POST.get("format", "")
    if fmt not in ("json", "pdf"):
        return HttpResponseBadRequest(_("Onbekend formaat.").encode())
    export = subject_access_export.build_export(
        review.person,
        scope=subject_access_scope(request.user),
        review=subject_access_export.Review(
            withheld=services.withheld_of(review), other_names=review.other_names()
        ),
    )
    services.record_export(request.user, review.person, export, fmt, review)
    name = f"inzage-{review.person.pk}"
    if fmt == "json":
        response = HttpResponse(
            subject_access_output.export_json(export),
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(
            subject_access_output.export_pdf(export), content_type="application/pdf"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _register_form(request: AuthedRequest) -> tuple[RegisterFilterForm, dict[str, Any]]:
    """The filter form on the houses the user may see, and the register query's arguments
    (None when the filters do not validate)."""
    if not can_do_privacy_work(request.user):
        raise PermissionDenied
    house_ids = privacy_house_ids(request.user)
    houses = House.objects.order_by("name")
    if house_ids is not None:
        houses = houses.filter(pk__in=house_ids)
    form = RegisterFilterForm(request.GET or None, houses=houses)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return form, {"house_ids": house_ids, **filters}


def _audit_filters(args: dict[str, Any]) -> dict[str, str]:
    return audit.search_filters(
        {k: getattr(v, "pk", v) for k, v in args.items() if k != "house_ids"}, personal=()
    )


@login_required
def sharing_register(request: AuthedRequest) -> HttpResponse:
    """The data-sharing register: every exchange with its purpose and basis, filtered,
    with totals per legal basis (only the FG)."""
    form, args = _register_form(request)
    ok = not form.is_bound or form.is_valid()
    rows = register_rows(**args) if ok else register_rows(house_ids=args["house_ids"]).none()
    paginator = BoundedPaginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    audit.record(
        "register.viewed",
        actor=request.user,
        purpose="toezicht gegevensbescherming",
        data={"filters": _audit_filters(args)},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "privacy/sharing_register.html",
        {
            "form": form,
            "page": page,
            "rows": [(r, register.categories(r)) for r in page.object_list],
            "totals": totals_per_basis(rows) if ok else [],
            "querystring": query.urlencode(),
        },
    )


@login_required
def sharing_register_csv(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    """The register under the same filters as CSV; invalid filters go back to the page."""
    form, args = _register_form(request)
    if form.is_bound and not form.is_valid():
        return sharing_register(request)
    audit.record(
        "register.exported",
        actor=request.user,
        purpose="toezicht gegevensbescherming",
        data={"filters": _audit_filters(args)},
    )
    response = StreamingHttpResponse(
        register.csv_lines(register_rows(**args).iterator(chunk_size=2000)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="register-gegevensdeling.csv"'
    return response


def _privacy_houses(request: AuthedRequest) -> QuerySet[House]:
    """The houses whose privacy work the user does (403 for everyone else)."""
    if not can_do_privacy_work(request.user):
        raise PermissionDenied
    house_ids = privacy_house_ids(request.user)
    houses = House.objects.order_by("name")
    return houses if house_ids is None else houses.filter(pk__in=house_ids)


@login_required
def exchange_bases(request: AuthedRequest) -> HttpResponse:
    """Per house, every exchange kind whose basis the house fixes, with the basis it set
    or the default still in force."""
    rows = [
        (house, [(kind, basis, default_grounds(kind)) for kind, basis in kinds])
        for house, kinds in house_bases(_privacy_houses(request))
    ]
    default = default_grounds(FIXED_KINDS[0])
    return TemplateResponse(
        request,
        "privacy/exchange_bases.html",
        {
            "houses": rows,
            "default_basis_label": f"{LegalBasis(default.legal_basis).label}; "
            f"{SpecialCategoryException(default.special_category).label}",
        },
    )


def _initial(basis: ExchangeBasis | None, kind: str) -> dict[str, Any]:
    if basis is None:
        grounds = default_grounds(kind)
        return {
            "version": 0,
            "purpose": grounds.purpose,
            "legal_basis": grounds.legal_basis,
            "special_category": grounds.special_category,
            "secrecy_ground": grounds.secrecy_ground,
        }
    values = Grounds.of(basis).values()
    return {"version": basis.version, **values, **necessity_initial(basis)}


@login_required
def exchange_basis_edit(request: AuthedRequest, house_id: int, kind: str) -> HttpResponse:
    """Fix the basis of one kind for one house (the FG, or the house's privacy contact)."""
    house = get_object_or_404(_privacy_houses(request), pk=house_id)
    if kind not in FIXED_KINDS:
        raise Http404
    basis = ExchangeBasis.objects.filter(house=house, kind=kind).first()
    if request.method == "POST":
        form = ExchangeBasisForm(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: set_exchange_basis(
                house,
                kind,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                grounds=form.grounds(),
            ),
            lambda: (
                ExchangeBasis.objects.filter(house=house, kind=kind)
                .values_list("version", flat=True)
                .first()
                or 0
            ),
        ):
            messages.success(request, _("De vaste grondslag is opgeslagen."))
            return redirect("exchange_bases")
    else:
        form = ExchangeBasisForm(initial=_initial(basis, kind))
    return TemplateResponse(
        request,
        "privacy/exchange_basis_form.html",
        {
            "form": form,
            "house": house,
            "kind_label": ExchangeKind(kind).label,
            "basis": basis,
        },
    )
