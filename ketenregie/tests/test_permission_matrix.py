"""The permission matrix: every role x every protected page and action x relation to the case.

Each later page, action and export adds a row to ENDPOINTS; `expected` says who may use it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.roles import CASE_WORK_ROLES, Role
from ketenregie.cases.models import CaseMembership, CaseRole
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.intake.models import AgendaItem, Attachment, EnrichmentRequest, Referral
from ketenregie.intake.services import meeting_on
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    UserFactory,
)

# member: personal role on the case; org-member: the user's organisation is on the team;
# adviseur: personal adviser role; chair: triage chair of the house (case in intake).
RELATIONS = ("member", "org-member", "adviseur", "chair", "non-member", "former")
SEES_CASE = ("member", "org-member", "adviseur", "chair")


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable[[dict[str, Any]], str]
    expected: Callable[[Role, str], int]
    data: Callable[[dict[str, Any]], dict[str, Any]] | None = None


def _sees(role: Role, relation: str) -> bool:
    # Only case-work roles see cases at all; a chair only by holding the chair role.
    if role not in CASE_WORK_ROLES or relation not in SEES_CASE:
        return False
    return relation != "chair" or role == Role.TRIAGEVOORZITTER


def _case_page(role: Role, relation: str) -> int:
    return 200 if _sees(role, relation) else 404


def _manage_case(role: Role, relation: str) -> int:
    if not _sees(role, relation):
        return 404
    return 200 if (relation == "member" and role == Role.PROCESREGISSEUR) else 403


def _only(role_needed: Role) -> Callable[[Role, str], int]:
    return lambda role, relation: 200 if role == role_needed else 403


def _case_work(role: Role, relation: str) -> int:
    return 200 if role in CASE_WORK_ROLES else 403


def _post_manage_case(role: Role, relation: str) -> int:
    # A valid POST redirects (302) when allowed.
    code = _manage_case(role, relation)
    return 302 if code == 200 else code


def _role_only(needed: Role, ok: int = 200) -> Callable[[Role, str], int]:
    return lambda role, relation: ok if role == needed else 403


def _chair_item(ok: int) -> Callable[[Role, str], int]:
    return lambda role, relation: ok if role == Role.TRIAGEVOORZITTER else 404


def _full_case(role: Role, relation: str) -> int:
    # Attachments: only with full access (not for an adviser).
    return 200 if _sees(role, relation) and relation != "adviseur" else 404


def _draft(role: Role, relation: str) -> int:
    return 403 if _sees(role, relation) else 404


def _screen(role: Role, relation: str) -> int:
    if not _sees(role, relation):
        return 404
    if role != Role.TRIAGEVOORZITTER:
        return 403
    # Only the intake-status case can be screened; on a running case the form says why not.
    return 302 if relation == "chair" else 200


def _agenda(role: Role, relation: str) -> int:
    if not _sees(role, relation):
        return 404
    return 200 if role == Role.TRIAGEVOORZITTER else 403


ENDPOINTS = [
    Endpoint("dashboard", "get", lambda c: reverse("dashboard"), lambda r, rel: 200),
    Endpoint("case_list", "get", lambda c: reverse("case_list"), _case_work),
    Endpoint(
        "case_detail", "get", lambda c: reverse("case_detail", args=[c["case"].pk]), _case_page
    ),
    Endpoint(
        "case_detail_htmx",
        "htmx",
        lambda c: reverse("case_detail", args=[c["case"].pk]) + "?inzage=1",
        _case_page,
    ),
    Endpoint("case_list_htmx", "htmx", lambda c: reverse("case_list") + "?q=x", _case_work),
    Endpoint(
        "person_edit", "get", lambda c: reverse("person_edit", args=[c["case"].pk]), _manage_case
    ),
    Endpoint(
        "person_edit",
        "post",
        lambda c: reverse("person_edit", args=[c["case"].pk]),
        _post_manage_case,
        data=lambda c: {
            "voornamen": "Nieuwe",
            "achternaam": "Naam",
            "version": c["case"].person.version,
        },
    ),
    Endpoint("team_add", "get", lambda c: reverse("team_add", args=[c["case"].pk]), _manage_case),
    Endpoint(
        "team_add",
        "post",
        lambda c: reverse("team_add", args=[c["case"].pk]),
        _post_manage_case,
        data=lambda c: {
            "role": CaseRole.BETROKKEN_PARTNER,
            "organisation": c["spare"].organisation_id,
            "user": c["spare"].pk,
            "valid_from": today().isoformat(),
        },
    ),
    Endpoint(
        "team_end",
        "get",
        lambda c: reverse("team_end", args=[c["case"].pk, c["ending"].pk]),
        _manage_case,
    ),
    Endpoint(
        "team_end",
        "post",
        lambda c: reverse("team_end", args=[c["case"].pk, c["ending"].pk]),
        _post_manage_case,
        data=lambda c: {"valid_to": today().isoformat()},
    ),
    Endpoint(
        "team_handover",
        "get",
        lambda c: reverse("team_handover", args=[c["case"].pk, c["ending"].pk]),
        _manage_case,
    ),
    Endpoint(
        "pga_informing",
        "get",
        lambda c: reverse("pga_informing", args=[c["case"].pk]),
        lambda role, relation: (
            403 if _sees(role, relation) and relation == "adviseur" else _case_page(role, relation)
        ),
    ),
    Endpoint(
        "pga_letter", "get", lambda c: reverse("pga_letter", args=[c["case"].pk]), _manage_case
    ),
    Endpoint(
        "pga_informing_record",
        "post",
        lambda c: reverse("pga_informing_record", args=[c["case"].pk]),
        _post_manage_case,
        data=lambda c: {
            "kind": "uitgesteld",
            "postponed_reason": "Onderzoek loopt",
            "review_date": (today() + dt.timedelta(days=10)).isoformat(),
        },
    ),
    Endpoint(
        "pga_start_conversation",
        "post",
        lambda c: reverse("pga_start_conversation", args=[c["case"].pk]),
        _post_manage_case,
        data=lambda c: {
            "outcome": "gevoerd",
            "on_date": today().isoformat(),
            "own_view": "Eigen kijk",
            "attempts": "1",
        },
    ),
    Endpoint(
        "pga_execute",
        "post",
        lambda c: reverse("pga_execute", args=[c["case"].pk]),
        _post_manage_case,
        data=lambda c: {},
    ),
    Endpoint(
        "pga_closing",
        "get",
        lambda c: reverse("pga_closing", args=[c["case"].pk]),
        lambda role, relation: (
            403 if _sees(role, relation) and relation == "adviseur" else _case_page(role, relation)
        ),
    ),
    Endpoint(
        "pga_signal",
        "post",
        lambda c: reverse("pga_signal", args=[c["case"].pk]),
        lambda role, relation: (
            (403 if relation == "adviseur" else 302)
            if _sees(role, relation) and relation != "chair"
            else (200 if _sees(role, relation) else 404)
        ),
        data=lambda c: {"kind": "verandering", "text": "Verhuisd"},
    ),
    Endpoint(
        "pga_close",
        "post",
        lambda c: reverse("pga_close", args=[c["case"].pk]),
        _post_manage_case,
        data=lambda c: {
            "provisional": "1",
            "decided_with": "Team",
            "handover_organisation": c["spare"].organisation_id,
            "handover_note": "Wijkteam",
        },
    ),
    Endpoint(
        "pga_closing_conversation",
        "post",
        lambda c: reverse("pga_closing_conversation", args=[c["case"].pk]),
        _post_manage_case,
        data=lambda c: {"on_date": today().isoformat(), "reason_explained": "on"},
    ),
    Endpoint(
        "pga_reopen",
        "post",
        lambda c: reverse("pga_reopen", args=[c["case"].pk]),
        lambda role, relation: (
            200 if _manage_case(role, relation) == 200 else _manage_case(role, relation)
        ),
        data=lambda c: {"reason": "Terugval"},
    ),
    Endpoint(
        "pga_escalate",
        "post",
        lambda c: reverse("pga_escalate", args=[c["case"].pk]),
        lambda role, relation: (
            200 if _manage_case(role, relation) == 200 else _manage_case(role, relation)
        ),
        data=lambda c: {
            "to_house": c["case"].house_id,
            "summary": "x",
            "purpose": "x",
            "legal_basis": "publieke_taak",
        },
    ),
    Endpoint(
        "case_escalation",
        "get",
        lambda c: reverse("case_escalation", args=[c["case"].pk]),
        _manage_case,
    ),
    Endpoint(
        "referral_start", "get", lambda c: reverse("referral_start"), _role_only(Role.AANMELDER)
    ),
    Endpoint(
        "referral_create",
        "get",
        lambda c: reverse("referral_create", args=[c["case"].house_id]),
        _role_only(Role.AANMELDER),
    ),
    Endpoint(
        "criteria_check",
        "post",
        lambda c: reverse("criteria_check", args=[c["case"].house_id]),
        _role_only(Role.AANMELDER),
        data=lambda c: {},
    ),
    Endpoint("my_referrals", "get", lambda c: reverse("my_referrals"), _role_only(Role.AANMELDER)),
    Endpoint(
        "referral_detail",
        "get",
        lambda c: reverse("referral_detail", args=[c["case"].pk]),
        _case_page,
    ),
    Endpoint(
        "referral_edit", "get", lambda c: reverse("referral_edit", args=[c["case"].pk]), _draft
    ),
    Endpoint(
        "referral_screen",
        "post",
        lambda c: reverse("referral_screen", args=[c["case"].pk]),
        _screen,
        data=lambda c: {"decision": "approve", "version": c["referral"].version},
    ),
    Endpoint(
        "referral_agenda",
        "post",
        lambda c: reverse("referral_agenda", args=[c["case"].pk]),
        _agenda,
        data=lambda c: {"version": c["referral"].version, "proposed_level": "3", "reasoning": "x"},
    ),
    Endpoint(
        "attachment_download",
        "get",
        lambda c: reverse("attachment_download", args=[c["attachment"].pk]),
        _full_case,
    ),
    Endpoint(
        "screening_list",
        "get",
        lambda c: reverse("screening_list"),
        _role_only(Role.TRIAGEVOORZITTER),
    ),
    Endpoint(
        "triage_list", "get", lambda c: reverse("triage_list"), _role_only(Role.TRIAGEVOORZITTER)
    ),
    Endpoint(
        "triage_detail",
        "get",
        lambda c: reverse("triage_detail", args=[c["item"].meeting_id]),
        _role_only(Role.TRIAGEVOORZITTER),
    ),
    Endpoint(
        "triage_cancel",
        "post",
        lambda c: reverse("triage_cancel", args=[c["item"].meeting_id]),
        _role_only(Role.TRIAGEVOORZITTER, 302),
        data=lambda c: {"reason": "feestdag"},
    ),
    Endpoint(
        "triage_outcome",
        "get",
        lambda c: reverse("triage_outcome", args=[c["item"].pk]),
        _chair_item(200),
    ),
    Endpoint(
        "triage_attendance",
        "post",
        lambda c: reverse("triage_attendance", args=[c["item"].pk]),
        _chair_item(302),
        data=lambda c: {"present": "1"},
    ),
    Endpoint(
        "enrichment_list",
        "get",
        lambda c: reverse("enrichment_list"),
        _role_only(Role.PROFESSIONAL),
    ),
    Endpoint(
        "enrichment_answer",
        "get",
        lambda c: reverse("enrichment_answer", args=[c["request"].pk]),
        lambda role, relation: 200 if role == Role.PROFESSIONAL else 404,
    ),
    Endpoint(
        "audit_search",
        "get",
        lambda c: reverse("audit_search") + "?user=x",
        _only(Role.PRIVACY_OFFICER),
    ),
    Endpoint("manage_index", "get", lambda c: reverse("manage_index"), _only(Role.BEHEERDER)),
    *[
        Endpoint(
            f"manage_list_{kind}",
            "get",
            (lambda k: lambda c: reverse("manage_list", args=[k]))(kind),
            _only(Role.BEHEERDER),
        )
        for kind in ("regios", "huizen", "organisaties", "gebruikers")
    ],
    Endpoint(
        "manage_create",
        "get",
        lambda c: reverse("manage_create", args=["regios"]),
        _only(Role.BEHEERDER),
    ),
    Endpoint(
        "manage_create",
        "post",
        lambda c: reverse("manage_create", args=["regios"]),
        lambda r, rel: 302 if r == Role.BEHEERDER else 403,
        data=lambda c: {"name": "Nieuwe regio"},
    ),
    Endpoint(
        "manage_edit",
        "get",
        lambda c: reverse("manage_edit", args=["huizen", c["case"].house_id]),
        _only(Role.BEHEERDER),
    ),
]


def _world(role: Role, relation: str) -> dict[str, Any]:
    house = HouseFactory()
    status = Status.AANGEMELD if relation == "chair" else Status.IN_UITVOERING
    case = CaseFactory(house=house, status=status)
    scoped = role in (Role.TRIAGEVOORZITTER, Role.PROCESREGISSEUR, Role.MANAGER)
    user = UserFactory(roles=[(role, house if scoped else None)])
    start = today() - dt.timedelta(days=30)
    case_role = {
        Role.PROCESREGISSEUR: CaseRole.PROCESREGISSEUR,
        Role.AANMELDER: CaseRole.AANMELDER,
    }.get(role, CaseRole.BETROKKEN_PARTNER)
    if relation == "member":
        MembershipFactory(case=case, user=user, role=case_role, valid_from=start)
    elif relation == "org-member":
        MembershipFactory(
            case=case,
            user=None,
            organisation=user.organisation,
            role=CaseRole.BETROKKEN_PARTNER,
            valid_from=start,
        )
    elif relation == "adviseur":
        MembershipFactory(case=case, user=user, role=CaseRole.ADVISEUR, valid_from=start)
    elif relation == "former":
        MembershipFactory(
            case=case,
            user=user,
            role=case_role,
            valid_from=start,
            valid_to=today() - dt.timedelta(days=1),
        )
    # "chair": no membership; the case is in intake at the user's house.
    ending = MembershipFactory(case=case, role=CaseRole.BETROKKEN_PARTNER, valid_from=start)
    spare = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    # Intake objects around the case: its referral with an attachment, a triage item,
    # and an enrichment request to the user's organisation on another case.
    referral = Referral.objects.create(case=case, referrer=spare)
    attachment = Attachment(
        referral=referral,
        original_name="x.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=spare,
        uploaded_at=timezone.now(),
    )
    attachment.file.save("bijlage", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    meeting = meeting_on(house, today() + dt.timedelta(days=7))
    item = AgendaItem.objects.create(meeting=meeting, referral=referral, position=1)
    enrich_case = CaseFactory(house=house, status=Status.VERRIJKING)
    request = EnrichmentRequest.objects.create(
        referral=Referral.objects.create(case=enrich_case, referrer=spare),
        organisation=user.organisation,
        requested_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(days=2),
    )
    return {
        "case": case,
        "user": user,
        "spare": spare,
        "ending": ending,
        "referral": referral,
        "attachment": attachment,
        "item": item,
        "request": request,
    }


CASES = list(itertools.product(Role, RELATIONS, range(len(ENDPOINTS))))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "relation", "index"),
    CASES,
    ids=[f"{r.value}-{rel}-{ENDPOINTS[i].name}-{ENDPOINTS[i].method}" for r, rel, i in CASES],
)
def test_matrix(client: Client, role: Role, relation: str, index: int) -> None:
    endpoint = ENDPOINTS[index]
    world = _world(role, relation)
    client.force_login(world["user"])
    url = endpoint.url(world)
    if endpoint.method == "get":
        resp = client.get(url)
    elif endpoint.method == "htmx":
        resp = client.get(url, headers={"HX-Request": "true"})
    else:
        resp = client.post(url, endpoint.data(world) if endpoint.data else {})
    expected = endpoint.expected(role, relation)
    assert resp.status_code == expected, (endpoint.name, endpoint.method, role, relation)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "index", range(len(ENDPOINTS)), ids=[e.name + "-" + e.method for e in ENDPOINTS]
)
def test_anonymous_is_sent_to_login(client: Client, index: int) -> None:
    endpoint = ENDPOINTS[index]
    world = _world(Role.PROFESSIONAL, "member")
    url = endpoint.url(world)
    resp = client.get(url) if endpoint.method in ("get", "htmx") else client.post(url, {})
    assert resp.status_code == 302 and reverse("account_login") in resp["Location"]


@pytest.mark.django_db
def test_user_without_totp_must_set_it_up_first(client: Client) -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)], totp=False)
    client.force_login(user)
    resp = client.get(reverse("case_list"))
    assert resp.status_code == 302 and resp["Location"] == reverse("mfa_activate_totp")
    assert CaseMembership.objects.count() == 0
