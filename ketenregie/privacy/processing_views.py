"""Pages of the processing register (AVG art. 30): the houses' registers, one register
with its versions, the edit forms (each save a new version), an old version, the
comparison of two versions and the PDF. For the FG and the house's privacy contact
(`privacy.access`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
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

from ketenregie.accounts.access import can_do_privacy_work
from ketenregie.accounts.models import House
from ketenregie.audit import services as audit
from ketenregie.core.forms import apply_service, error_summary
from ketenregie.core.http import AuthedRequest
from ketenregie.plans.pdf import render_pdf
from ketenregie.privacy import processing
from ketenregie.privacy import processing_services as services
from ketenregie.privacy.access import privacy_houses, register_house_for
from ketenregie.privacy.models import ProcessingRegister, RegisterVersion
from ketenregie.privacy.processing_forms import (
    CompareForm,
    GeneralForm,
    ProcessingForm,
    RemoveForm,
)

log = logging.getLogger(__name__)


def _present(content: dict[str, Any]) -> dict[str, Any]:
    """A version's content as the page and the PDF show it."""
    return {
        "general": [(label, content.get(f, "")) for f, label in processing.GENERAL_FIELDS.items()],
        "processings": [
            {"key": p["key"], "name": p["name"], "rows": processing.rows(p)}
            for p in content.get("processings", [])
        ],
    }


def _register(house: House) -> ProcessingRegister | None:
    return ProcessingRegister.objects.filter(house=house).first()


def _versions(register: ProcessingRegister) -> list[RegisterVersion]:
    return list(register.versions.select_related("saved_by", "saved_by__organisation"))


def _version(register: ProcessingRegister, number: int) -> RegisterVersion:
    version = (
        register.versions.select_related("saved_by", "saved_by__organisation")
        .filter(number=number)
        .first()
    )
    if version is None:
        raise Http404
    return version


def _loaded(request: AuthedRequest, house_id: int) -> tuple[House, ProcessingRegister]:
    """The house (through the access rule) and its register; 404 before it is started."""
    house = register_house_for(request.user, house_id)
    register = _register(house)
    if register is None:
        raise Http404
    return house, register


@login_required
def registers(request: AuthedRequest) -> HttpResponse:
    if not can_do_privacy_work(request.user):
        raise PermissionDenied
    houses = list(privacy_houses(request.user))
    by_house = {
        r.house_id: r
        for r in ProcessingRegister.objects.filter(house__in=houses).prefetch_related("versions")
    }
    rows = []
    for house in houses:
        register = by_house.get(house.pk)
        latest = None
        if register is not None:
            latest = next(
                (v for v in register.versions.all() if v.number == register.version), None
            )
        rows.append((house, latest))
    return TemplateResponse(request, "privacy/processing_registers.html", {"rows": rows})


@login_required
def register_detail(request: AuthedRequest, house_id: int) -> HttpResponse:
    house = register_house_for(request.user, house_id)
    register = _register(house)
    if register is None:
        return TemplateResponse(request, "privacy/processing_not_started.html", {"house": house})
    versions = _versions(register)
    version = versions[0]
    return TemplateResponse(
        request,
        "privacy/processing_register.html",
        {
            "house": house,
            "register": register,
            "version": version,
            "versions": versions,
            **_present(version.content),
        },
    )


@login_required
@require_POST
def register_start(request: AuthedRequest, house_id: int) -> HttpResponse:
    house = register_house_for(request.user, house_id)
    try:
        services.start_from_model(house, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Het verwerkingsregister is gestart met het model (versie 1). Controleer en "
                "vul het aan."
            ),
        )
    return redirect("processing_register", house.pk)


def _edit_page(
    request: AuthedRequest,
    *,
    house: House,
    register: ProcessingRegister,
    form: GeneralForm | ProcessingForm | RemoveForm,
    title: str,
    save: Callable[[dict[str, Any]], object],
    done: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The edit idiom of the register: a valid form goes to the service; a refusal (a rule
    of the register, a stale version, nothing changed) shows on the form with the input."""
    if request.method == "POST":
        if form.is_valid() and apply_service(
            form,
            lambda: save(form.cleaned_data),
            lambda: ProcessingRegister.objects.get(pk=register.pk).version,
        ):
            messages.success(request, done)
            return redirect("processing_register", house.pk)
    return TemplateResponse(
        request,
        "privacy/processing_edit.html",
        {
            "house": house,
            "register": register,
            "form": form,
            "title": title,
            # A long form: the fields' errors also at the top, each linking to its field
            # (a message about the whole form already stands above the fields).
            "error_summary": [e for e in error_summary([(form, "")]) if e.anchor],
            **(extra or {}),
        },
    )


@login_required
def edit_general(request: AuthedRequest, house_id: int) -> HttpResponse:
    house, register = _loaded(request, house_id)
    content = services.current(register).content
    initial = {f: content.get(f, "") for f in processing.GENERAL_FIELDS}
    form = GeneralForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "version": register.version},
    )
    return _edit_page(
        request,
        house=house,
        register=register,
        form=form,
        title=_("Algemene gegevens wijzigen"),
        save=lambda data: services.save_general(
            register,
            actor=request.user,
            expected_version=data["version"],
            values=data,
            note=data["note"],
        ),
        done=_("Opgeslagen als nieuwe versie van het register."),
    )


def _processing_page(request: AuthedRequest, house_id: int, key: str | None) -> HttpResponse:
    house, register = _loaded(request, house_id)
    item = processing.empty_processing()
    if key is not None:
        found = processing.find(services.current(register).content, key)
        if found is None:
            raise Http404
        item = found
    form = ProcessingForm(
        request.POST if request.method == "POST" else None,
        initial=ProcessingForm.initial_from(item, register.version),
        partners=services.partner_organisations(house),
    )
    return _edit_page(
        request,
        house=house,
        register=register,
        form=form,
        title=_("Verwerking toevoegen") if key is None else _("Verwerking wijzigen"),
        save=lambda data: services.save_processing(
            register,
            actor=request.user,
            expected_version=data["version"],
            key=key,
            values=data,
            note=data["note"],
        ),
        done=_("Opgeslagen als nieuwe versie van het register."),
        extra={"processing_name": item.get("name", "")},
    )


@login_required
def add_processing(request: AuthedRequest, house_id: int) -> HttpResponse:
    return _processing_page(request, house_id, None)


@login_required
def edit_processing(request: AuthedRequest, house_id: int, key: str) -> HttpResponse:
    return _processing_page(request, house_id, key)


@login_required
def remove_processing(request: AuthedRequest, house_id: int, key: str) -> HttpResponse:
    house, register = _loaded(request, house_id)
    item = processing.find(services.current(register).content, key)
    if item is None:
        raise Http404
    form = RemoveForm(
        request.POST if request.method == "POST" else None,
        initial={"version": register.version},
    )
    return _edit_page(
        request,
        house=house,
        register=register,
        form=form,
        title=_("Verwerking verwijderen"),
        save=lambda data: services.remove_processing(
            register,
            actor=request.user,
            expected_version=data["version"],
            key=key,
            note=data["note"],
        ),
        done=_("De verwerking is verwijderd; het register heeft een nieuwe versie."),
        extra={"processing_name": item["name"], "removing": True},
    )


@login_required
def version_detail(request: AuthedRequest, house_id: int, number: int) -> HttpResponse:
    house, register = _loaded(request, house_id)
    version = _version(register, number)
    previous = register.versions.filter(number=number - 1).first()
    return TemplateResponse(
        request,
        "privacy/processing_version.html",
        {
            "house": house,
            "register": register,
            "version": version,
            "previous": previous,
            "crumb": _("Versie %(number)s") % {"number": version.number},
            "changes": processing.diff(previous.content, version.content) if previous else [],
            **_present(version.content),
        },
    )


@login_required
def compare(request: AuthedRequest, house_id: int) -> HttpResponse:
    house, register = _loaded(request, house_id)
    numbers = list(register.versions.values_list("number", flat=True))
    default = {"van": max(register.version - 1, 1), "naar": register.version}
    form = CompareForm(request.GET or default, numbers=numbers)
    changes = None
    old = new = None
    if register.version > 1 and form.is_valid():
        old = _version(register, form.cleaned_data["van"])
        new = _version(register, form.cleaned_data["naar"])
        changes = processing.diff(old.content, new.content)
    return TemplateResponse(
        request,
        "privacy/processing_compare.html",
        {
            "house": house,
            "register": register,
            "form": form,
            "changes": changes,
            "old": old,
            "new": new,
        },
    )


def _pdf(
    request: AuthedRequest, house: House, register: ProcessingRegister, number: int
) -> HttpResponse:
    version = _version(register, number)
    try:
        pdf = render_pdf(
            "privacy/processing_register_pdf.html",
            {
                "house": house,
                "version": version,
                "is_current": version.number == register.version,
                **_present(version.content),
            },
        )
    except Exception:  # noqa: BLE001 - a PDF failure must not become a blank 500
        log.exception("PDF verwerkingsregister niet gemaakt voor huis %s", house.pk)
        messages.error(
            request,
            _("De PDF kon niet worden gemaakt. Probeer het opnieuw of meld het bij de beheerder."),
        )
        return redirect("processing_register", house.pk)
    with transaction.atomic():
        audit.record(
            "processing_register.pdf_downloaded",
            actor=request.user,
            obj=register,
            purpose=services.PURPOSE,
            data={"huis": house.pk, "versie": version.number},
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"verwerkingsregister-{house.code or house.pk}-versie-{version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def register_pdf(request: AuthedRequest, house_id: int) -> HttpResponse:
    house, register = _loaded(request, house_id)
    return _pdf(request, house, register, register.version)


@login_required
def version_pdf(request: AuthedRequest, house_id: int, number: int) -> HttpResponse:
    house, register = _loaded(request, house_id)
    return _pdf(request, house, register, number)
