"""The household page of a case (issue 15): members with age, custody, home and history;
the informal network; consent; the client's preference for a procesregisseur; and the
pages that add, change and end them.

Read through the gate (`get_case_for`); an adviser sees the members pseudonymised and
nothing of the network or consent. Changes: `household_access.can_edit_household`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketenregie.audit import services as audit
from ketenregie.cases import household_services as services
from ketenregie.cases.access import get_case_for
from ketenregie.cases.household_access import can_edit_household
from ketenregie.cases.household_forms import (
    ConsentForm,
    EndForm,
    MemberForm,
    NetworkForm,
    PreferenceForm,
    WithdrawForm,
)
from ketenregie.cases.household_queries import (
    consents_of,
    coordination_consent_warning,
    coordination_start_of,
    current_members,
    member_rows,
    network_of,
    preference_of,
)
from ketenregie.cases.models import Case, Consent, HouseholdMember, NetworkContact
from ketenregie.core.forms import apply_service, error_summary
from ketenregie.core.http import AuthedRequest
from ketenregie.core.timeutil import today


@login_required
def household(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    full = case.full_access
    audit.record(
        "household.viewed",
        actor=request.user,
        case_id=case.pk,
        obj=case,
        purpose="casusregie",
        data={"weergave": "volledig" if full else "gepseudonimiseerd"},
    )
    pref = preference_of(case) if full else None
    context: dict[str, Any] = {
        "case": case,
        "full_access": full,
        "rows": member_rows(case, full=full, with_history=full),
        "can_edit": can_edit_household(request.user, case),
        "today": today(),
    }
    if full:
        context |= {
            "network": network_of(case),
            "consents": consents_of(case),
            "preference": pref,
            # Issue 15 (consent): on what footing coordination started, and the warning.
            "coordination_start": coordination_start_of(case),
            "consent_warning": coordination_consent_warning(case),
        }
    return TemplateResponse(request, "cases/household.html", context)


def _editable(request: AuthedRequest, case_id: int) -> Case:
    case = get_case_for(request.user, case_id)
    if not can_edit_household(request.user, case):
        raise PermissionDenied
    return case


def _member(case: Case, member_id: int) -> HouseholdMember:
    if case.household_id is None:
        raise Http404
    return get_object_or_404(
        HouseholdMember.objects.select_related("person"),
        pk=member_id,
        household_id=case.household_id,
    )


def _form_page(
    request: AuthedRequest, case: Case, form: Any, title: str, intro: str = ""
) -> HttpResponse:
    return TemplateResponse(
        request,
        "cases/household_form.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "intro": intro,
            "error_summary": error_summary([(form, "")]),
        },
    )


def _saved(case: Case, request: AuthedRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("household", case_id=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _editable(request, case_id)
    form = MemberForm(request.POST or None, initial={"valid_from": today(), "lives_in_home": True})
    if request.method == "POST" and form.is_valid():
        if apply_service(
            form,
            lambda: services.add_member(
                case,
                actor=request.user,
                person_values=form.person_values(),
                values=form.member_values(),
            ),
        ):
            return _saved(case, request, _("Het gezinslid is toegevoegd."))
    return _form_page(request, case, form, _("Gezinslid toevoegen"))


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: AuthedRequest, case_id: int, member_id: int) -> HttpResponse:
    case = _editable(request, case_id)
    member = _member(case, member_id)
    person = member.person
    if request.method == "POST":
        form = MemberForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data

            def current() -> int:
                member.refresh_from_db(fields=["version"])
                return member.version

            if apply_service(
                form,
                lambda: services.update_member(
                    member,
                    case=case,
                    actor=request.user,
                    expected_version=d["version"],
                    values=form.member_values(),
                    person_values=form.person_values(),
                    person_version=d["person_version"],
                ),
                current,
            ):
                return _saved(case, request, _("Het gezinslid is gewijzigd."))
    else:
        form = MemberForm(initial=MemberForm.initial_for(member))
    return _form_page(
        request, case, form, _("Gezinslid wijzigen: %(naam)s") % {"naam": person.full_name}
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_end(request: AuthedRequest, case_id: int, member_id: int) -> HttpResponse:
    case = _editable(request, case_id)
    member = _member(case, member_id)
    form = EndForm(request.POST or None, initial={"version": member.version, "on": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if apply_service(
            form,
            lambda: services.end_member(
                member, case=case, actor=request.user, expected_version=d["version"], on=d["on"]
            ),
        ):
            return _saved(case, request, _("Het gezinslid is uit het huishouden gehaald."))
    return _form_page(
        request,
        case,
        form,
        _("Gezinslid uit het huishouden: %(naam)s") % {"naam": member.person.full_name},
        _("Het gezinslid blijft zichtbaar in de geschiedenis van het huishouden."),
    )


def _contact(case: Case, contact_id: int) -> NetworkContact:
    return get_object_or_404(NetworkContact, pk=contact_id, case=case)


@login_required
@require_http_methods(["GET", "POST"])
def network_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _editable(request, case_id)
    form = NetworkForm(request.POST or None, initial={"valid_from": today()})
    if request.method == "POST" and form.is_valid():
        if apply_service(
            form,
            lambda: services.add_network_contact(case, actor=request.user, values=form.values()),
        ):
            return _saved(case, request, _("Het netwerkcontact is toegevoegd."))
    return _form_page(
        request,
        case,
        form,
        _("Netwerkcontact toevoegen"),
        _("Familie, vrienden, buren of de huisarts: wie steunt het huishouden, en hoe?"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def network_edit(request: AuthedRequest, case_id: int, contact_id: int) -> HttpResponse:
    case = _editable(request, case_id)
    contact = _contact(case, contact_id)
    if request.method == "POST":
        form = NetworkForm(request.POST)
        if form.is_valid():

            def current() -> int:
                contact.refresh_from_db(fields=["version"])
                return contact.version

            if apply_service(
                form,
                lambda: services.update_network_contact(
                    contact,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    values=form.values(),
                ),
                current,
            ):
                return _saved(case, request, _("Het netwerkcontact is gewijzigd."))
    else:
        form = NetworkForm(
            initial={
                "version": contact.version,
                **{k: getattr(contact, k) for k in services.NETWORK_FIELDS},
            }
        )
    return _form_page(request, case, form, _("Netwerkcontact wijzigen"))


@login_required
@require_http_methods(["GET", "POST"])
def network_end(request: AuthedRequest, case_id: int, contact_id: int) -> HttpResponse:
    case = _editable(request, case_id)
    contact = _contact(case, contact_id)
    form = EndForm(request.POST or None, initial={"version": contact.version, "on": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if apply_service(
            form,
            lambda: services.end_network_contact(
                contact, actor=request.user, expected_version=d["version"], on=d["on"]
            ),
        ):
            return _saved(case, request, _("Het netwerkcontact is beëindigd."))
    return _form_page(
        request, case, form, _("Netwerkcontact beëindigen: %(naam)s") % {"naam": contact.name}
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _editable(request, case_id)
    form = ConsentForm(
        request.POST or None, members=current_members(case), initial={"given_on": today()}
    )
    if request.method == "POST" and form.is_valid():
        if apply_service(
            form,
            lambda: services.record_consent(case, actor=request.user, values=form.cleaned_data),
        ):
            return _saved(case, request, _("De toestemming is vastgelegd."))
    return _form_page(
        request,
        case,
        form,
        _("Toestemming vastleggen"),
        _(
            "Leg vast waarvoor de klant toestemming geeft, wie die gaf (een gezinslid of een "
            "wettelijk vertegenwoordiger), wanneer en hoe."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthedRequest, case_id: int, consent_id: int) -> HttpResponse:
    case = _editable(request, case_id)
    consent = get_object_or_404(Consent, pk=consent_id, case=case)
    form = WithdrawForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if apply_service(
            form,
            lambda: services.withdraw_consent(consent, actor=request.user, on=d["on"], by=d["by"]),
        ):
            return _saved(case, request, _("De intrekking van de toestemming is vastgelegd."))
    return _form_page(
        request,
        case,
        form,
        _("Toestemming intrekken: %(wat)s") % {"wat": consent.get_subject_display()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def preference(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _editable(request, case_id)
    row = preference_of(case)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data

            def current() -> int | None:
                fresh = preference_of(case)
                return fresh.version if fresh else None

            if apply_service(
                form,
                lambda: services.record_preference(
                    case,
                    actor=request.user,
                    expected_version=d["version"],
                    preference=d["preference"],
                    organisation=d["organisation"],
                ),
                current,
            ):
                return _saved(case, request, _("De voorkeur van de klant is vastgelegd."))
    else:
        form = PreferenceForm(
            initial={
                "version": row.version if row else None,
                "preference": row.preference if row else "",
                "organisation": row.organisation_id if row else None,
            }
        )
    return _form_page(
        request,
        case,
        form,
        _("Voorkeur voor een procesregisseur"),
        _(
            "De klant kan een voorkeur uitspreken, ook voor iemand uit het eigen netwerk. "
            "Bespreek of dit mogelijk is; anders voert het lokale team de procesregie."
        ),
    )
