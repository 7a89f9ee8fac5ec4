"""The permission matrix: every role x every protected page and action x relation to the case.

Each later page, action and export adds a row to ENDPOINTS; `expected` says who may use it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client, override_settings
from django.test.client import ClientHandler
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.access import MANAGEMENT_INFO_ROLES, NEEDS_MATRIX_ROLES, PRIVACY_ROLES
from ketenregie.accounts.models import (
    AccountSetupLink,
    CompetenceProfile,
    HousePartner,
    RoleGrantRequest,
    hash_setup_token,
)
from ketenregie.accounts.roles import CASE_WORK_ROLES, HOUSE_SCOPED_ROLES, Role
from ketenregie.cases.escalation_map import ensure_escalation_map
from ketenregie.cases.models import (
    Case,
    CaseMembership,
    CaseRole,
    Consent,
    EscalationChange,
    EscalationMapLevel,
    EscalationNotice,
    Household,
    HouseholdMember,
    NetworkContact,
)
from ketenregie.cases.workflow import Status
from ketenregie.core.timeutil import today
from ketenregie.intake.models import AgendaItem, EnrichmentRequest, Referral
from ketenregie.intake.services import meeting_on
from ketenregie.pga.models import AftercareAgreement
from ketenregie.plans import services as plan_services
from ketenregie.plans.models import (
    Action,
    DirectorEscalation,
    Goal,
    Meeting,
    Participant,
    PlanVersion,
)
from ketenregie.privacy import processing_services
from ketenregie.privacy.deadlines import request_deadline
from ketenregie.privacy.models import LegalHold, PrivacyRequest, SubjectAccessReview
from ketenregie.reports.models import ScanParticipant, ScanRound, ScanStatement
from ketenregie.safeguarding.meldcode_models import (
    DecisionAnswers,
    MeldcodeTrajectory,
    VeiligThuisReport,
)
from ketenregie.safeguarding.vi_models import VerwijsindexMatch, VerwijsindexSignal
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from ketenregie.tests_support.files import stored_attachment

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
    # Reachable without login (the set-up link): anonymous gets it too.
    public: bool = False


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


def _privacy(role: Role, relation: str) -> int:
    # The FG and the house's privacy contact (accounts.access.PRIVACY_ROLES).
    return 200 if role in PRIVACY_ROLES else 403


def _post_privacy(role: Role, relation: str) -> int:
    # A valid POST of the FG or the house's privacy contact redirects (302).
    return 302 if role in PRIVACY_ROLES else 403


def _rejections(role: Role, relation: str) -> int:
    # Anonymous counts of rejected referrals: the privacy roles and the house's manager.
    return 200 if role in PRIVACY_ROLES or role == Role.MANAGER else 403


def _scan_lead(ok: int = 200, denied: int = 404) -> Callable[[Role, str], int]:
    # The PGA-scan: its round is led by the PGA expert or manager of the house
    # (reports.scan_access); anyone else does not find the round.
    return lambda role, relation: ok if role in (Role.PGA_EXPERT, Role.MANAGER) else denied


def _needs_matrix(role: Role, relation: str) -> int:
    # accounts.access.NEEDS_MATRIX_ROLES; the world's beleid user is of a national
    # organisation (no region): every region.
    return 200 if role in NEEDS_MATRIX_ROLES else 403


def _management_info(role: Role, relation: str) -> int:
    # Manager and PGA expert (their house), policy (its region): figures only.
    return 200 if role in MANAGEMENT_INFO_ROLES else 403


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


def _household_edit(ok: int) -> Callable[[Role, str], int]:
    # Issue 15, slice hh: the case's directors, or the chair while the referral is in
    # intake (whoever processes it); an adviser (pseudonymised) and other members: 403.
    def expected(role: Role, relation: str) -> int:
        if not _sees(role, relation):
            return 404
        directs = relation == "member" and role == Role.PROCESREGISSEUR
        return ok if directs or relation == "chair" else 403

    return expected


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


def _plan_read(role: Role, relation: str) -> int:
    # Plan pages exist for cases in execution (not for the chair's intake case);
    # an adviser sees the case pseudonymised and so not the plan.
    if not _sees(role, relation) or relation == "chair":
        return 404
    return 403 if relation == "adviseur" else 200


def _plan_write(role: Role, relation: str) -> int:
    # Plan, safety plan and action list are kept by the procesregisseur and casusregisseur.
    code = _plan_read(role, relation)
    if code != 200:
        return code
    return 302 if (relation == "member" and role == Role.PROCESREGISSEUR) else 403


def _director_page(role: Role, relation: str) -> int:
    code = _plan_read(role, relation)
    if code != 200:
        return code
    return 200 if (relation == "member" and role == Role.PROCESREGISSEUR) else 403


def _meeting_manage(role: Role, relation: str) -> int:
    code = _manage_case(role, relation)
    return 302 if code == 200 else code


def _action_report(role: Role, relation: str) -> int:
    # The action belongs to the user's organisation: reportable with full access. The
    # chair's case is still in intake: the report is refused on the page (200).
    if not _sees(role, relation):
        return 404
    if relation == "chair":
        return 200
    return 403 if relation == "adviseur" else 302


def _meldcode_record(ok: int = 302) -> Callable[[Role, str], int]:
    # Slice meldcode: steps and decision questions are recorded by the directors and the
    # betrokken partners with full access (the world's member is a betrokken partner,
    # or the procesregisseur; an aanmelder is neither).
    def expected(role: Role, relation: str) -> int:
        code = _plan_read(role, relation)
        if code != 200:
            return code
        return 403 if (relation == "member" and role == Role.AANMELDER) else ok

    return expected


def _vi_page(role: Role, relation: str) -> int:
    # Issue 15, slice vi: Verwijsindex pages need full access (an adviser knows the case
    # exists: 403); the chair sees the intake case in full.
    if not _sees(role, relation):
        return 404
    return 403 if relation == "adviseur" else 200


def _vi_own(role: Role, relation: str) -> int:
    # The user's own signal or match on the case: a valid POST redirects.
    code = _vi_page(role, relation)
    return 302 if code == 200 else code


def _vi_new(role: Role, relation: str) -> int:
    # A new signal needs a running PGA: on the chair's intake case the page says why not.
    code = _vi_own(role, relation)
    return 200 if code == 302 and relation == "chair" else code


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
        "pga_letter",
        "post",
        lambda c: reverse("pga_letter", args=[c["case"].pk]),
        _manage_case,
        data=lambda c: {},
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
    Endpoint("plan", "get", lambda c: reverse("plan", args=[c["case"].pk]), _plan_read),
    *[
        Endpoint(
            name,
            "post",
            (lambda n: lambda c: reverse(n, args=[c["case"].pk]))(name),
            _plan_write,
            data=data,
        )
        for name, data in (
            ("plan_start", lambda c: {}),
            ("safety_start", lambda c: {}),
            (
                "plan_text",
                lambda c: {"version": c["plan"].version, "joint_goal": "Wonen", "analysis": "x"},
            ),
            ("plan_scores", lambda c: {"version": c["plan"].version}),
            (
                "plan_statement",
                lambda c: {"kind": "kracht", "text": "Ik wil rust", "said_by": "betrokkene"},
            ),
            ("plan_goal", lambda c: {"text": "Huur betaald", "good_enough": "3 maanden"}),
            (
                "plan_action",
                lambda c: {
                    "what": "Budgetcoach",
                    "owner_organisation": c["spare"].organisation_id,
                    "due_date": today().isoformat(),
                },
            ),
            ("plan_adopt", lambda c: {"version": c["plan"].version}),
            (
                "safety_save",
                # Slice planvi: the contacts are rows posted with the form (a formset).
                lambda c: {
                    "version": c["safety"].version,
                    "worst_case": "Escalatie",
                    "contact-TOTAL_FORMS": "1",
                    "contact-INITIAL_FORMS": "0",
                    "contact-0-name": "Wijkagent",
                    "contact-0-phone": "0900-8844",
                },
            ),
            (
                "safety_agreement",
                lambda c: {"what": "Geen contact", "who_checks": "wijkagent", "if_not_kept": "OM"},
            ),
            (
                "safety_score",
                lambda c: {"who": "betrokkene", "score": "4", "on_date": today().isoformat()},
            ),
        )
    ],
    Endpoint(
        "plan_goal_reached",
        "post",
        lambda c: reverse("plan_goal_reached", args=[c["case"].pk, c["goal"].pk]),
        _plan_write,
        data=lambda c: {"reached": "ja"},
    ),
    *[
        Endpoint(
            name,
            "post",
            (lambda n, k: lambda c: reverse(n, args=[c["case"].pk, c[k].pk]))(name, key),
            _plan_write,
            data=lambda c: {},
        )
        for name, key in (("plan_goal_tags", "goal"), ("plan_action_tags", "action"))
    ],
    Endpoint(
        "plan_casusregisseur",
        "post",
        lambda c: reverse("plan_casusregisseur", args=[c["case"].pk]),
        lambda role, relation: (
            _post_manage_case(role, relation)
            if _plan_read(role, relation) == 200
            else _plan_read(role, relation)
        ),
        data=lambda c: {
            "casusregisseur": c["ending"].user_id,
            "agreed_by": [c["ending"].user_id],
        },
    ),
    Endpoint(
        "plan_version",
        "get",
        lambda c: reverse("plan_version", args=[c["case"].pk, 1]),
        _plan_read,
    ),
    Endpoint("plan_pdf", "get", lambda c: reverse("plan_pdf", args=[c["case"].pk]), _plan_read),
    Endpoint(
        "safety_plan", "get", lambda c: reverse("safety_plan", args=[c["case"].pk]), _plan_read
    ),
    Endpoint("safety_pdf", "get", lambda c: reverse("safety_pdf", args=[c["case"].pk]), _plan_read),
    Endpoint(
        "meeting_new",
        "get",
        lambda c: reverse("meeting_new", args=[c["case"].pk]),
        lambda role, relation: (
            _manage_case(role, relation) if relation != "chair" else _plan_read(role, relation)
        ),
    ),
    Endpoint(
        "meeting_new",
        "post",
        lambda c: reverse("meeting_new", args=[c["case"].pk]),
        lambda role, relation: (
            _post_manage_case(role, relation) if relation != "chair" else _plan_read(role, relation)
        ),
        data=lambda c: {
            "kind": "incidenteel",
            "day": (today() + dt.timedelta(days=1)).isoformat(),
            "start": "10:00",
            "end": "11:00",
            "participants": [c["spare"].pk],
            "person_invited": "on",
        },
    ),
    Endpoint(
        "director_escalate",
        "get",
        lambda c: reverse("director_escalate", args=[c["case"].pk]),
        _director_page,
    ),
    Endpoint(
        "director_escalate",
        "post",
        lambda c: reverse("director_escalate", args=[c["case"].pk]),
        _plan_write,
        data=lambda c: {"to": "manager", "reason": "Geen woning"},
    ),
    Endpoint(
        "meeting_detail",
        "get",
        lambda c: reverse("meeting_detail", args=[c["meeting"].pk]),
        _case_page,
    ),
    *[
        Endpoint(
            name,
            "post",
            (lambda n: lambda c: reverse(n, args=[c["meeting"].pk]))(name),
            _meeting_manage,
            data=data,
        )
        for name, data in (
            ("meeting_attendance", lambda c: {"version": c["meeting"].version, "present": []}),
            (
                "meeting_minutes",
                lambda c: {"version": c["meeting"].version, "minutes": "Verslag", "decisions": "x"},
            ),
            ("meeting_send", lambda c: {}),
        )
    ],
    Endpoint(
        "meeting_action",
        "post",
        lambda c: reverse("meeting_action", args=[c["meeting"].pk]),
        lambda role, relation: (
            403
            if relation == "adviseur" and _sees(role, relation)
            else _meeting_manage(role, relation)
        ),
        data=lambda c: {
            "what": "Huisbezoek",
            "owner_organisation": c["spare"].organisation_id,
            "due_date": today().isoformat(),
        },
    ),
    Endpoint(
        "meeting_admit",
        "post",
        lambda c: reverse("meeting_admit", args=[c["meeting"].pk, c["declared"].pk]),
        _meeting_manage,
        data=lambda c: {},
    ),
    Endpoint(
        "meeting_participant",
        "post",
        lambda c: reverse("meeting_participant", args=[c["invited"].pk]),
        # The user is invited to this meeting: without a case view they still see it,
        # if their role works with cases at all.
        lambda role, relation: (
            302
            if _meeting_manage(role, relation) == 302
            else (403 if role in CASE_WORK_ROLES else 404)
        ),
        data=lambda c: {"user": c["spare"].pk},
    ),
    Endpoint(
        "meeting_reply",
        "post",
        lambda c: reverse("meeting_reply", args=[c["invited"].pk]),
        lambda role, relation: 302 if role in CASE_WORK_ROLES else 404,
        data=lambda c: {"answer": "ja", "capacity": "adviseur"},
    ),
    Endpoint("meetings", "get", lambda c: reverse("meetings"), lambda r, rel: 200),
    Endpoint(
        "monitoring_new",
        "get",
        lambda c: reverse("monitoring_new"),
        _role_only(Role.PROCESREGISSEUR),
    ),
    Endpoint("my_actions", "get", lambda c: reverse("my_actions"), lambda r, rel: 200),
    Endpoint(
        "action_report",
        "post",
        lambda c: reverse("action_report", args=[c["action"].pk]),
        _action_report,
        data=lambda c: {"kind": "terugmelding", "text": "Gebeld, afspraak staat"},
    ),
    Endpoint(
        "escalation_handle",
        "post",
        lambda c: reverse("escalation_handle", args=[c["escalation"].pk]),
        lambda role, relation: 302 if role == Role.MANAGER else 404,
        data=lambda c: {"note": "Opgepakt"},
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
        "feedback_read",
        "post",
        lambda c: reverse("feedback_read"),
        _role_only(Role.AANMELDER, 302),
        data=lambda c: {},
    ),
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
    # The referrer's aanvulling: nobody in the matrix is the referrer.
    Endpoint("referral_add", "get", lambda c: reverse("referral_add", args=[c["case"].pk]), _draft),
    Endpoint(
        "referral_add",
        "post",
        lambda c: reverse("referral_add", args=[c["case"].pk]),
        _draft,
        data=lambda c: {"text": "Aanvulling."},
    ),
    # The chair links to an earlier case the duplicate check found (none here: the form
    # says so).
    Endpoint(
        "referral_link",
        "post",
        lambda c: reverse("referral_link", args=[c["case"].pk]),
        _agenda,
        data=lambda c: {"earlier_case": "0", "version": c["referral"].version},
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
        "triage_cancel_date",
        "post",
        # A coming date of the world's house (the chair's house) without a stored meeting.
        lambda c: reverse(
            "triage_cancel_date",
            args=[c["case"].house_id, (c["item"].meeting.date + dt.timedelta(days=70)).isoformat()],
        ),
        _role_only(Role.TRIAGEVOORZITTER, 302),
        data=lambda c: {"reason": "feestdag"},
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
    Endpoint(
        "subject_access",
        "get",
        lambda c: reverse("subject_access"),
        _privacy,
    ),
    Endpoint(
        "subject_access_search",
        "post",
        lambda c: reverse("subject_access"),
        _privacy,
        data=lambda c: {"bsn": c["case"].person.bsn or "", "name": "x", "birth_date": "2000-01-01"},
    ),
    Endpoint(
        "subject_access_open_review",
        "post",
        lambda c: reverse("subject_access"),
        _post_privacy,
        data=lambda c: {"person": c["case"].person.pk},
    ),
    Endpoint(
        "subject_access_review",
        "get",
        lambda c: reverse("subject_access_review", args=[c["review"].pk]),
        _privacy,
    ),
    Endpoint(
        "subject_access_review_save",
        "post",
        lambda c: reverse("subject_access_review", args=[c["review"].pk]),
        _post_privacy,
        data=lambda c: {"version": c["review"].version, "other_persons": ""},
    ),
    Endpoint(
        "subject_access_release",
        "post",
        lambda c: reverse("subject_access_release", args=[c["review"].pk]),
        _privacy,
        data=lambda c: {"format": "json"},
    ),
    Endpoint(
        "sharing_register",
        "get",
        lambda c: reverse("sharing_register") + "?kind=bijlage",
        _privacy,
    ),
    Endpoint(
        "sharing_register_csv",
        "get",
        lambda c: reverse("sharing_register_csv"),
        _privacy,
    ),
    Endpoint("retention", "get", lambda c: reverse("retention"), _privacy),
    Endpoint(
        "retention_period",
        "get",
        lambda c: reverse("retention_period", args=[c["case"].house_id, "pga_afgesloten"]),
        _privacy,
    ),
    Endpoint(
        "retention_period",
        "post",
        lambda c: reverse("retention_period", args=[c["case"].house_id, "pga_afgesloten"]),
        _post_privacy,
        data=lambda c: {
            "amount": "7",
            "unit": "jaar",
            "legal_reference": "Convenant",
            "version": "0",
        },
    ),
    Endpoint(
        "retention_hold",
        "get",
        lambda c: reverse("retention_hold", args=[c["case"].pk]),
        _privacy,
    ),
    Endpoint(
        "retention_hold",
        "post",
        lambda c: reverse("retention_hold", args=[c["case"].pk]),
        _post_privacy,
        data=lambda c: {"reason": "Klacht in behandeling"},
    ),
    Endpoint(
        "retention_lift",
        "get",
        lambda c: reverse("retention_lift", args=[c["hold"].pk]),
        _privacy,
    ),
    Endpoint(
        "retention_lift",
        "post",
        lambda c: reverse("retention_lift", args=[c["hold"].pk]),
        _post_privacy,
        data=lambda c: {"reason": "Klacht afgehandeld"},
    ),
    Endpoint("privacy_dashboard", "get", lambda c: reverse("privacy_dashboard"), _privacy),
    Endpoint(
        "privacy_requests", "get", lambda c: reverse("privacy_requests") + "?status=open", _privacy
    ),
    Endpoint("privacy_request_new", "get", lambda c: reverse("privacy_request_new"), _privacy),
    Endpoint(
        "privacy_request_new",
        "post",
        lambda c: reverse("privacy_request_new"),
        _post_privacy,
        data=lambda c: {
            "house": c["case"].house_id,
            "kind": "bezwaar",
            "received_on": today().isoformat(),
            "channel": "brief",
            "requester_name": "Verzoeker",
            "summary": "Bezwaar",
        },
    ),
    Endpoint(
        "privacy_request_detail",
        "get",
        lambda c: reverse("privacy_request_detail", args=[c["privacy_request"].pk]),
        _privacy,
    ),
    Endpoint(
        "privacy_request_link_search",
        "post",
        lambda c: reverse("privacy_request_link", args=[c["privacy_request"].pk]),
        _privacy,
        data=lambda c: {"bsn": c["case"].person.bsn or "", "name": "", "birth_date": ""},
    ),
    Endpoint(
        "privacy_request_link",
        "post",
        lambda c: reverse("privacy_request_link", args=[c["privacy_request"].pk]),
        _post_privacy,
        data=lambda c: {"person": c["case"].person.pk, "version": c["privacy_request"].version},
    ),
    Endpoint(
        "privacy_request_extend",
        "post",
        lambda c: reverse("privacy_request_extend", args=[c["privacy_request"].pk]),
        _post_privacy,
        data=lambda c: {
            "months": "1",
            "reason": "Complex",
            "told_on": today().isoformat(),
            "version": c["privacy_request"].version,
        },
    ),
    Endpoint(
        "privacy_request_close",
        "post",
        lambda c: reverse("privacy_request_close", args=[c["privacy_request"].pk]),
        _post_privacy,
        data=lambda c: {
            "outcome": "toegewezen",
            "handled_on": today().isoformat(),
            "version": c["privacy_request"].version,
        },
    ),
    Endpoint("rejection_counts", "get", lambda c: reverse("rejection_counts"), _rejections),
    Endpoint("exchange_bases", "get", lambda c: reverse("exchange_bases"), _privacy),
    Endpoint(
        "exchange_basis_edit",
        "get",
        lambda c: reverse("exchange_basis_edit", args=[c["case"].house_id, "plan_pdf"]),
        _privacy,
    ),
    Endpoint(
        "exchange_basis_edit",
        "post",
        lambda c: reverse("exchange_basis_edit", args=[c["case"].house_id, "plan_pdf"]),
        lambda role, relation: 302 if role in PRIVACY_ROLES else 403,
        data=lambda c: {
            "version": 0,
            "purpose": "Uitvoering plan van aanpak",
            "legal_basis": "publieke_taak",
            "proportional": "on",
            "proportionality_note": "Alleen het plan.",
            "subsidiary": "on",
            "subsidiarity_note": "Geen andere weg.",
            "person_informed": "ja",
        },
    ),
    # The processing register (AVG art. 30) of the world's house, started in the world.
    Endpoint("processing_registers", "get", lambda c: reverse("processing_registers"), _privacy),
    *[
        Endpoint(
            name, "get", (lambda n: lambda c: reverse(n, args=[c["case"].house_id]))(name), _privacy
        )
        for name in (
            "processing_register",
            "processing_general",
            "processing_add",
            "processing_compare",
            "processing_register_pdf",
        )
    ],
    *[
        Endpoint(
            name,
            "get",
            (lambda n: lambda c: reverse(n, args=[c["case"].house_id, c["processing_key"]]))(name),
            _privacy,
        )
        for name in ("processing_edit", "processing_remove")
    ],
    *[
        Endpoint(
            name,
            "get",
            (lambda n: lambda c: reverse(n, args=[c["case"].house_id, 1]))(name),
            _privacy,
        )
        for name in ("processing_version", "processing_version_pdf")
    ],
    Endpoint(
        "processing_register_start",
        "post",
        lambda c: reverse("processing_register_start", args=[c["case"].house_id]),
        _post_privacy,
    ),
    Endpoint(
        "processing_general",
        "post",
        lambda c: reverse("processing_general", args=[c["case"].house_id]),
        _post_privacy,
        data=lambda c: {
            "controller": "Verantwoordelijke",
            "controller_contact": "Contact",
            "dpo": "FG",
            "note": "Bijgewerkt",
            "version": 1,
        },
    ),
    Endpoint(
        "processing_remove",
        "post",
        lambda c: reverse("processing_remove", args=[c["case"].house_id, c["processing_key"]]),
        _post_privacy,
        data=lambda c: {"note": "Vervallen", "version": 1},
    ),
    Endpoint("scan_index", "get", lambda c: reverse("scan_index"), lambda r, rel: 200),
    Endpoint("scan_new", "get", lambda c: reverse("scan_new"), _scan_lead(200, 403)),
    Endpoint(
        "scan_new",
        "post",
        lambda c: reverse("scan_new"),
        _scan_lead(302, 403),
        data=lambda c: {
            "house": c["case"].house_id,
            "title": "Nieuwe ronde",
            "closes_on": (today() + dt.timedelta(days=7)).isoformat(),
            "organisations": [c["spare"].organisation_id, c["partner"].pk],
        },
    ),
    Endpoint(
        "scan_round", "get", lambda c: reverse("scan_round", args=[c["scan"].pk]), _scan_lead()
    ),
    Endpoint(
        "scan_invite",
        "post",
        lambda c: reverse("scan_invite", args=[c["scan"].pk]),
        _scan_lead(302),
        data=lambda c: {"users": [c["invitee"].pk]},
    ),
    Endpoint(
        "scan_remind",
        "post",
        lambda c: reverse("scan_remind", args=[c["scan"].pk]),
        _scan_lead(302),
    ),
    Endpoint(
        "scan_close",
        "post",
        lambda c: reverse("scan_close", args=[c["scan"].pk]),
        _scan_lead(302),
        data=lambda c: {"version": c["scan"].version},
    ),
    Endpoint(
        "scan_conversation",
        "post",
        lambda c: reverse("scan_conversation", args=[c["scan_closed"].pk]),
        _scan_lead(302),
        data=lambda c: {
            "conversation_on": today().isoformat(),
            "follow_up": "Vervolgafspraak",
            "version": c["scan_closed"].version,
        },
    ),
    # Filling in: only the invited participant (the world's professional).
    Endpoint(
        "scan_fill",
        "get",
        lambda c: reverse("scan_fill", args=[c["scan"].pk]),
        lambda role, relation: 200 if role == Role.PROFESSIONAL else 404,
    ),
    Endpoint(
        "scan_fill",
        "post",
        lambda c: reverse("scan_fill", args=[c["scan"].pk]),
        lambda role, relation: 302 if role == Role.PROFESSIONAL else 404,
        data=lambda c: {f"s{c['statement'].pk}": "4", "opslaan": "1"},
    ),
    Endpoint(
        "scan_results",
        "get",
        lambda c: reverse("scan_results", args=[c["scan_closed"].pk]),
        _scan_lead(),
    ),
    Endpoint(
        "scan_results_pdf",
        "get",
        lambda c: reverse("scan_results_pdf", args=[c["scan_closed"].pk]),
        _scan_lead(),
    ),
    Endpoint(
        "manage_edit_scanstelling",
        "get",
        lambda c: reverse("manage_edit", args=["scanstellingen", c["statement"].pk]),
        _only(Role.BEHEERDER),
    ),
    Endpoint("management_info", "get", lambda c: reverse("management_info"), _management_info),
    *[
        Endpoint(
            f"management_info_{topic}_{kind}",
            "get",
            (lambda t, k: lambda c: reverse(k, args=[t]))(topic, kind),
            _management_info,
        )
        for topic in (
            "instroom",
            "fasen",
            "doorlooptijden",
            "verslagen",
            "acties",
            "caseload",
            "afsluiting",
            "leefgebieden",
        )
        for kind in ("management_info_topic", "management_info_csv")
    ],
    # The PDF is one view for every topic: one topic renders it (WeasyPrint is slow).
    Endpoint(
        "management_info_pdf",
        "get",
        lambda c: reverse("management_info_pdf", args=["caseload"]),
        _management_info,
    ),
    Endpoint("manage_index", "get", lambda c: reverse("manage_index"), _only(Role.BEHEERDER)),
    *[
        Endpoint(
            f"manage_list_{kind}",
            "get",
            (lambda k: lambda c: reverse("manage_list", args=[k]))(kind),
            _only(Role.BEHEERDER),
        )
        for kind in ("regios", "huizen", "organisaties", "gebruikers", "scanstellingen")
        for kind in ("regios", "huizen", "organisaties", "gebruikers", "behoeften", "sociale-kaart")
    ],
    # The needs matrix and its exports: aggregates for the steering roles (ADR 24).
    *[
        Endpoint(name, "get", (lambda n: lambda c: reverse(n))(name), _needs_matrix)
        for name in ("needs_matrix", "needs_matrix_csv", "needs_matrix_pdf")
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
    Endpoint(
        "manage_edit_user",
        "get",
        lambda c: reverse("manage_edit", args=["gebruikers", c["spare"].pk]),
        _only(Role.BEHEERDER),
    ),
    Endpoint("grant_requests", "get", lambda c: reverse("grant_requests"), _only(Role.BEHEERDER)),
    Endpoint(
        "grant_decide",
        "post",
        lambda c: reverse("grant_decide", args=[c["grant"].pk]),
        _role_only(Role.BEHEERDER, 302),
        data=lambda c: {"decision": "approve"},
    ),
    Endpoint(
        "manage_setup_link",
        "post",
        lambda c: reverse("manage_setup_link", args=[c["fresh"].pk]),
        _role_only(Role.BEHEERDER, 200),
    ),
    Endpoint(
        "manage_mfa_reset",
        "post",
        lambda c: reverse("manage_mfa_reset", args=[c["spare"].pk]),
        _role_only(Role.BEHEERDER, 302),
    ),
    # MFA is mandatory: allauth's "deactivate" answers everyone with a redirect back.
    Endpoint(
        "mfa_deactivate", "get", lambda c: "/accounts/2fa/totp/deactivate/", lambda r, rel: 302
    ),
    Endpoint(
        "mfa_deactivate", "post", lambda c: "/accounts/2fa/totp/deactivate/", lambda r, rel: 302
    ),
    Endpoint(
        "account_setup",
        "get",
        lambda c: reverse("account_setup", args=[c["setup_token"]]),
        lambda r, rel: 200,
        public=True,
    ),  # Issue 15, slice vi: the Verwijsindex pages of a case.
    Endpoint("vi_list", "get", lambda c: reverse("vi_list", args=[c["case"].pk]), _vi_page),
    Endpoint("vi_new", "get", lambda c: reverse("vi_new", args=[c["case"].pk]), _vi_page),
    Endpoint(
        "vi_new",
        "post",
        lambda c: reverse("vi_new", args=[c["case"].pk]),
        _vi_new,
        data=lambda c: {
            "person": c["vi_child"].pk,
            "category": "c",
            "informed_on": today().isoformat(),
        },
    ),
    Endpoint(
        "vi_informed",
        "post",
        lambda c: reverse("vi_informed", args=[c["case"].pk, c["vi_own"].pk]),
        _vi_own,
        data=lambda c: {"informed_on": today().isoformat()},
    ),
    Endpoint(
        "vi_withdraw",
        "post",
        lambda c: reverse("vi_withdraw", args=[c["case"].pk, c["vi_own"].pk]),
        _vi_own,
        data=lambda c: {"reason": "onterecht"},
    ),
    Endpoint(
        "vi_consultation",
        "post",
        lambda c: reverse("vi_consultation", args=[c["case"].pk, c["vi_match"].pk]),
        _vi_own,
        data=lambda c: {"held_on": today().isoformat(), "outcome": "coordinatie"},
    ),
    # Issue 15, slice phases: aftercare and evaluation (6b) and phase 6a, read in full by
    # whoever sees the case in full, written by the procesregisseur.
    Endpoint(
        "pga_aftercare",
        "get",
        lambda c: reverse("pga_aftercare", args=[c["case"].pk]),
        lambda role, relation: (
            403 if _sees(role, relation) and relation == "adviseur" else _case_page(role, relation)
        ),
    ),
    Endpoint(
        "pga_aftercare_add",
        "post",
        lambda c: reverse("pga_aftercare_add", args=[c["case"].pk]),
        _post_manage_case,
        data=lambda c: {
            "who": "Oma",
            "what": "Ophalen uit school",
            "starts_on": today().isoformat(),
            "frequency": "wekelijks",
        },
    ),
    Endpoint(
        "pga_aftercare_edit",
        "get",
        lambda c: reverse("pga_aftercare_edit", args=[c["case"].pk, c["aftercare"].pk]),
        _manage_case,
    ),
    Endpoint(
        "pga_aftercare_edit",
        "post",
        lambda c: reverse("pga_aftercare_edit", args=[c["case"].pk, c["aftercare"].pk]),
        _post_manage_case,
        data=lambda c: {
            "organisation": c["spare"].organisation_id,
            "what": "Nazorg",
            "starts_on": today().isoformat(),
            "frequency": "tweewekelijks",
            "version": 1,
        },
    ),
    Endpoint(
        "pga_aftercare_remove",
        "post",
        lambda c: reverse("pga_aftercare_remove", args=[c["case"].pk, c["aftercare"].pk]),
        _post_manage_case,
    ),
    Endpoint(
        "pga_evaluation",
        "post",
        lambda c: reverse("pga_evaluation", args=[c["case"].pk]),
        _post_manage_case,
        data=lambda c: {
            "held_on": today().isoformat(),
            "with_client": "on",
            "with_professionals": "on",
            "went_well": "Goed",
            "went_less_well": "Minder",
            "goals_reached": "ja",
            "client_satisfaction": "8",
            "lessons": "Les",
        },
    ),
    Endpoint(
        "pga_professional_change",
        "get",
        lambda c: reverse("pga_professional_change", args=[c["case"].pk]),
        lambda role, relation: (
            403 if _sees(role, relation) and relation == "adviseur" else _case_page(role, relation)
        ),
    ),
    Endpoint(
        "pga_professional_change",
        "post",
        lambda c: reverse("pga_professional_change", args=[c["case"].pk]),
        _post_manage_case,
        data=lambda c: {
            "membership": c["ending"].pk,
            "on_date": today().isoformat(),
            "handover_note": "Betrokkenheid afgerond; huisarts is aanspreekpunt.",
        },
    ),
    # Issue 15, slice hh: the household page (read through the gate, an adviser
    # pseudonymised) and its writes (the case's directors, or the chair during intake).
    Endpoint("household", "get", lambda c: reverse("household", args=[c["case"].pk]), _case_page),
    Endpoint(
        "household_member_add",
        "get",
        lambda c: reverse("household_member_add", args=[c["case"].pk]),
        _household_edit(200),
    ),
    Endpoint(
        "household_member_add",
        "post",
        lambda c: reverse("household_member_add", args=[c["case"].pk]),
        _household_edit(302),
        data=lambda c: {
            "voornamen": "Nieuw",
            "achternaam": "Gezinslid",
            "relation": "kind",
            "custody": "nee",
            "lives_in_home": "on",
            "valid_from": today().isoformat(),
        },
    ),
    Endpoint(
        "household_member_edit",
        "get",
        lambda c: reverse("household_member_edit", args=[c["case"].pk, c["hh_child"].pk]),
        _household_edit(200),
    ),
    Endpoint(
        "household_member_edit",
        "post",
        lambda c: reverse("household_member_edit", args=[c["case"].pk, c["hh_child"].pk]),
        _household_edit(302),
        data=lambda c: {
            "version": c["hh_child"].version,
            "person_version": c["hh_child"].person.version,
            "voornamen": c["hh_child"].person.voornamen,
            "achternaam": c["hh_child"].person.achternaam,
            "relation": "kind",
            "custody": "ja",
            "valid_from": (today() - dt.timedelta(days=30)).isoformat(),
        },
    ),
    Endpoint(
        "household_member_end",
        "get",
        lambda c: reverse("household_member_end", args=[c["case"].pk, c["hh_child"].pk]),
        _household_edit(200),
    ),
    Endpoint(
        "household_member_end",
        "post",
        lambda c: reverse("household_member_end", args=[c["case"].pk, c["hh_child"].pk]),
        _household_edit(302),
        data=lambda c: {"version": c["hh_child"].version, "on": today().isoformat()},
    ),
    Endpoint(
        "household_network_add",
        "get",
        lambda c: reverse("household_network_add", args=[c["case"].pk]),
        _household_edit(200),
    ),
    Endpoint(
        "household_network_add",
        "post",
        lambda c: reverse("household_network_add", args=[c["case"].pk]),
        _household_edit(302),
        data=lambda c: {
            "name": "Opa",
            "relation": "familie",
            "support_kinds": ["emotioneel"],
            "valid_from": today().isoformat(),
        },
    ),
    Endpoint(
        "household_network_edit",
        "get",
        lambda c: reverse("household_network_edit", args=[c["case"].pk, c["hh_contact"].pk]),
        _household_edit(200),
    ),
    Endpoint(
        "household_network_edit",
        "post",
        lambda c: reverse("household_network_edit", args=[c["case"].pk, c["hh_contact"].pk]),
        _household_edit(302),
        data=lambda c: {
            "version": c["hh_contact"].version,
            "name": "Buurvrouw",
            "relation": "buur",
            "support_kinds": ["praktisch", "veiligheid"],
            "valid_from": (today() - dt.timedelta(days=30)).isoformat(),
        },
    ),
    Endpoint(
        "household_network_end",
        "get",
        lambda c: reverse("household_network_end", args=[c["case"].pk, c["hh_contact"].pk]),
        _household_edit(200),
    ),
    Endpoint(
        "household_network_end",
        "post",
        lambda c: reverse("household_network_end", args=[c["case"].pk, c["hh_contact"].pk]),
        _household_edit(302),
        data=lambda c: {"version": c["hh_contact"].version, "on": today().isoformat()},
    ),
    Endpoint(
        "household_consent_add",
        "get",
        lambda c: reverse("household_consent_add", args=[c["case"].pk]),
        _household_edit(200),
    ),
    Endpoint(
        "household_consent_add",
        "post",
        lambda c: reverse("household_consent_add", args=[c["case"].pk]),
        _household_edit(302),
        data=lambda c: {
            "subject": "delen_netwerk",
            "given_by_representative": "Voogd",
            "given_on": today().isoformat(),
            "form": "schriftelijk",
        },
    ),
    Endpoint(
        "household_consent_withdraw",
        "get",
        lambda c: reverse("household_consent_withdraw", args=[c["case"].pk, c["hh_consent"].pk]),
        _household_edit(200),
    ),
    Endpoint(
        "household_consent_withdraw",
        "post",
        lambda c: reverse("household_consent_withdraw", args=[c["case"].pk, c["hh_consent"].pk]),
        _household_edit(302),
        data=lambda c: {"on": today().isoformat(), "by": "Voogd"},
    ),
    Endpoint(
        "household_preference",
        "get",
        lambda c: reverse("household_preference", args=[c["case"].pk]),
        _household_edit(200),
    ),
    Endpoint(
        "household_preference",
        "post",
        lambda c: reverse("household_preference", args=[c["case"].pk]),
        _household_edit(302),
        data=lambda c: {"preference": "Iemand uit het eigen netwerk"},
    ),
    # Slice templates (issue 15): signatures of both plans, safety concerns on the case.
    Endpoint(
        "plan_sign",
        "post",
        lambda c: reverse("plan_sign", args=[c["case"].pk]),
        _plan_write,
        data=lambda c: {
            "version": c["plan"].version,
            "client_signed_by": "Betrokkene",
            "client_signed_on": today().isoformat(),
            "client_signed_how": "papier",
        },
    ),
    Endpoint(
        "safety_sign",
        "post",
        lambda c: reverse("safety_sign", args=[c["case"].pk]),
        _plan_write,
        data=lambda c: {
            "version": c["safety"].version,
            "professional_signed_by": "Procesregisseur",
            "professional_signed_on": today().isoformat(),
            "professional_signed_how": "digitaal",
        },
    ),
    Endpoint(
        "case_safety_concerns",
        "get",
        lambda c: reverse("case_safety_concerns", args=[c["case"].pk]),
        _director_page,
    ),
    Endpoint(
        "case_safety_concerns",
        "post",
        lambda c: reverse("case_safety_concerns", args=[c["case"].pk]),
        _plan_write,
        data=lambda c: {"version": c["case"].version, "concerns": "on", "note": "Dreiging"},
    ),
    # Issue 15 (escmap): the case's escalation map (whoever sees the case), marking one's
    # own level-change notice as seen (anyone's own; someone else's is not found), and the
    # map and the profiles on the beheer pages.
    Endpoint(
        "case_escalation_map",
        "get",
        lambda c: reverse("case_escalation_map", args=[c["case"].pk]),
        _case_page,
    ),
    Endpoint(
        "escalation_notice_seen",
        "post",
        lambda c: reverse(
            "escalation_notice_seen", args=[c["case"].pk, c["escmap"]["own_notice"].pk]
        ),
        lambda r, rel: 302,
    ),
    Endpoint(
        "escalation_notice_seen_other",
        "post",
        lambda c: reverse(
            "escalation_notice_seen", args=[c["case"].pk, c["escmap"]["other_notice"].pk]
        ),
        lambda r, rel: 404,
    ),
    *[
        Endpoint(
            f"manage_{kind}",
            "get",
            (lambda k: lambda c: reverse("manage_list", args=[k]))(kind),
            _only(Role.BEHEERDER),
        )
        for kind in ("escalatiekaart", "competentieprofielen")
    ],
    Endpoint(
        "manage_edit_escalatiekaart",
        "get",
        lambda c: reverse("manage_edit", args=["escalatiekaart", c["escmap"]["row"].pk]),
        _only(Role.BEHEERDER),
    ),
    Endpoint(
        "manage_edit_competentieprofiel",
        "get",
        lambda c: reverse("manage_edit", args=["competentieprofielen", c["escmap"]["profile"].pk]),
        _only(Role.BEHEERDER),
    ),
    # Slice meldcode (issue 15).
    Endpoint("meldcode", "get", lambda c: reverse("meldcode", args=[c["case"].pk]), _plan_read),
    Endpoint(
        "meldcode_meeting",
        "get",
        lambda c: reverse("meldcode_meeting", args=[c["case"].pk, c["meeting"].pk]),
        _plan_read,
    ),
    # A trajectory runs already: starting another is refused on the page (200).
    Endpoint(
        "meldcode_start",
        "post",
        lambda c: reverse("meldcode_start", args=[c["case"].pk]),
        _meldcode_record(200),
        data=lambda c: {},
    ),
    Endpoint(
        "meldcode_step",
        "post",
        lambda c: reverse("meldcode_step", args=[c["case"].pk]),
        _meldcode_record(),
        data=lambda c: {"number": "1", "taken_on": today().isoformat(), "note": "Signalen"},
    ),
    Endpoint(
        "meldcode_acute",
        "post",
        lambda c: reverse("meldcode_acute", args=[c["case"].pk]),
        _meldcode_record(),
        data=lambda c: {"version": c["meldcode"].version, "acute": "ja"},
    ),
    Endpoint(
        "meldcode_answers",
        "post",
        lambda c: reverse("meldcode_answers", args=[c["case"].pk]),
        _meldcode_record(),
        data=lambda c: {"answered_on": today().isoformat(), "q1": "nee"},
    ),
    Endpoint(
        "meldcode_meeting",
        "post",
        lambda c: reverse("meldcode_meeting", args=[c["case"].pk, c["meeting"].pk]),
        _meldcode_record(),
        data=lambda c: {"answered_on": today().isoformat(), "q1": "nee"},
    ),
    # Reporting to Veilig Thuis and ending: the casusregisseur, or (the world's case has
    # none) the procesregisseur; Veilig Thuis's response: either director.
    *[
        Endpoint(
            name,
            "post",
            url,
            _plan_write,
            data=data,
        )
        for name, url, data in (
            (
                "meldcode_report",
                lambda c: reverse("meldcode_report", args=[c["case"].pk]),
                lambda c: {
                    "reported_on": today().isoformat(),
                    "content": "Signalen",
                    "person_informed": "ja",
                },
            ),
            (
                "meldcode_end",
                lambda c: reverse("meldcode_end", args=[c["case"].pk]),
                lambda c: {
                    "version": c["meldcode"].version,
                    "reason": "duurzaam_veilig",
                    "ended_on": today().isoformat(),
                },
            ),
            (
                "meldcode_followup",
                lambda c: reverse("meldcode_followup", args=[c["case"].pk, c["vt_report"].pk]),
                lambda c: {
                    "version": c["vt_report"].version,
                    "status": "ontvangen",
                    "on_date": today().isoformat(),
                },
            ),
        )
    ],
]


def _world(role: Role, relation: str) -> dict[str, Any]:
    house = HouseFactory()
    status = Status.AANGEMELD if relation == "chair" else Status.IN_UITVOERING
    case = CaseFactory(house=house, status=status)
    scoped = role in HOUSE_SCOPED_ROLES
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
    HousePartner.objects.create(house=house, organisation=spare.organisation)
    UserFactory(roles=[(Role.MANAGER, house)])  # the house's manager receives escalations
    # Intake objects around the case: its referral with an attachment, a triage item,
    # and an enrichment request to the user's organisation on another case.
    referral = Referral.objects.create(case=case, referrer=spare)
    attachment = stored_attachment(referral, spare)
    meeting = meeting_on(house, today() + dt.timedelta(days=7))
    item = AgendaItem.objects.create(meeting=meeting, referral=referral, position=1)
    enrich_case = CaseFactory(house=house, status=Status.VERRIJKING)
    request = EnrichmentRequest.objects.create(
        referral=Referral.objects.create(case=enrich_case, referrer=spare),
        organisation=user.organisation,
        requested_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(days=2),
    )
    # The execution phase around the case: plan with a goal and version, safety plan, a
    # held meeting the user is not invited to, a planned one they are invited to, an
    # action of the user's organisation and an escalation to the house's manager.
    # Plans are started only while a case runs; the world's case may be in intake (the
    # chair's relation), so it runs for the moment the plans are started.
    Case.objects.filter(pk=case.pk).update(status=Status.IN_UITVOERING)
    plan = plan_services.plan_for(case)
    safety = plan_services.safety_plan_for(case)
    Case.objects.filter(pk=case.pk).update(status=case.status)
    plan.refresh_from_db()
    plan.joint_goal = "Samen doel"
    plan.save(update_fields=["joint_goal"])
    goal = Goal.objects.create(plan=plan, text="Doel", good_enough="Goed")
    PlanVersion.objects.create(
        plan=plan, number=1, adopted_at=timezone.now(), adopted_by=spare, content={}
    )
    held = Meeting.objects.create(
        house=house,
        case=case,
        kind=Meeting.Kind.FIRST,
        state=Meeting.State.HELD,
        starts_at=timezone.now() - dt.timedelta(days=1),
        ends_at=timezone.now() - dt.timedelta(days=1) + dt.timedelta(hours=1),
        location="Huis",
        organiser=spare,
        minutes="Verslag",
        decisions="Besluit",
    )
    invited = Meeting.objects.create(
        house=house,
        case=case,
        kind=Meeting.Kind.INCIDENTAL,
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=1),
        location="Huis",
        person_invited=True,
        organiser=spare,
    )
    Participant.objects.create(meeting=invited, user=user)
    declared = Participant.objects.create(
        meeting=held, user=spare, reply="ja", capacity="betrokken"
    )
    action = Action.objects.create(
        case=case,
        what="Actie",
        owner_organisation=user.organisation,
        due_date=today(),
        created_by=spare,
    )
    escalation = DirectorEscalation.objects.create(
        case=case, to=DirectorEscalation.To.MANAGER, reason="x", by=spare, at=timezone.now()
    )
    # Retention: a legal hold on another case of the house, to lift.
    hold = LegalHold.objects.create(
        case=enrich_case, reason="Klacht", placed_by=spare, placed_at=timezone.now()
    )
    # Accounts: a role grant another beheerder asked for, and an account never set up
    # with its set-up link.
    grant = RoleGrantRequest.objects.create(
        user=spare,
        role=Role.PRIVACY_OFFICER,
        requested_by=UserFactory(roles=[(Role.BEHEERDER, None)]),
    )
    fresh = UserFactory(totp=False)
    fresh.set_unusable_password()
    fresh.save(update_fields=["password"])
    setup_token = "matrix-setup-token"
    AccountSetupLink.objects.create(
        user=fresh,
        token_hash=hash_setup_token(setup_token),
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    # A person's request at the house (privacy roles handle it).
    privacy_request = PrivacyRequest.objects.create(
        house=house,
        kind=PrivacyRequest.Kind.CORRECTION,
        received_on=today(),
        channel=PrivacyRequest.Channel.LETTER,
        summary="Verzoek",
        requester_name="Verzoeker",
        deadline=request_deadline(today()),
        created_by=spare,
    )
    # The house's processing register, version 1 from the model.
    register = processing_services.start_from_model(house, actor=spare)
    # A subject access request under review, about the case's person.
    review = SubjectAccessReview.objects.create(
        person=case.person, opened_by=spare, opened_at=timezone.now()
    )
    # The PGA-scan at the house: an open round (the world's professional and the spare
    # are invited; one more professional of a partner can still be) and a closed one.
    partner = OrganisationFactory()
    HousePartner.objects.create(house=house, organisation=partner)
    invitee = UserFactory(organisation=spare.organisation, roles=[(Role.PROFESSIONAL, None)])
    statements = list(ScanStatement.objects.filter(is_active=True))
    scan, scan_closed = (
        ScanRound.objects.create(
            house=house,
            title=title,
            closes_on=today() + dt.timedelta(days=days),
            opened_by=spare,
            opened_at=timezone.now() - dt.timedelta(days=30 - days),
        )
        for title, days in (("Scan", 7), ("Eerdere scan", -1))
    )
    for scan_round in (scan, scan_closed):
        scan_round.organisations.set([spare.organisation, user.organisation])
        scan_round.statements.set(statements)
    ScanParticipant.objects.create(round=scan, user=spare, organisation=spare.organisation)
    if role == Role.PROFESSIONAL:
        ScanParticipant.objects.create(round=scan, user=user, organisation=user.organisation)
    # Issue 15, slice phases: an aftercare agreement on the case, to change or remove.
    aftercare = AftercareAgreement.objects.create(
        case=case,
        organisation=spare.organisation,
        what="Nazorg",
        starts_on=today(),
        frequency="maandelijks",
        recorded_by=spare,
        recorded_at=timezone.now(),
    )
    # Issue 15, slice hh: the case's household with a child, a network contact, a consent.
    household = Household.objects.create(name="Huishouden matrix")
    Case.objects.filter(pk=case.pk).update(household=household)
    case.household = household
    HouseholdMember.objects.create(household=household, person=case.person, relation="betrokkene")
    hh_child = HouseholdMember.objects.create(
        household=household,
        person=PersonFactory(without_bsn=True, geboortedatum=today() - dt.timedelta(days=3000)),
        relation="kind",
        valid_from=today() - dt.timedelta(days=30),
    )
    hh_contact = NetworkContact.objects.create(
        case=case,
        name="Buurvrouw",
        relation="buur",
        support_kinds=["praktisch"],
        valid_from=today() - dt.timedelta(days=30),
    )
    hh_consent = Consent.objects.create(
        case=case,
        subject="coordinatie",
        given_by_representative="Voogd",
        given_on=today() - dt.timedelta(days=5),
        form="mondeling",
        recorded_at=timezone.now(),
    )
    # Issue 15 (escmap): the house's escalation map, a regisseur's profile, and a level
    # change that told the user and someone else.
    ensure_escalation_map(house)
    CompetenceProfile.objects.create(user=spare, profile="B", since=today())
    level_change = EscalationChange.objects.create(
        case=case, from_level=3, to_level=4, reason="x", decided_by=spare, decided_at=timezone.now()
    )
    escmap = {
        "row": EscalationMapLevel.objects.get(house=house, level=4),
        "profile": CompetenceProfile.objects.get(user=spare),
        **{
            key: EscalationNotice.objects.create(
                case=case,
                change=level_change,
                user=whom,
                responsibility=EscalationNotice.Responsibility.MANAGER,
                created_at=timezone.now(),
            )
            for key, whom in (("own_notice", user), ("other_notice", spare))
        },
    }
    # Slice meldcode: an open trajectory since before the held meeting, whose latest
    # answers reach lasting safety, with a report to Veilig Thuis awaiting its response.
    meldcode = MeldcodeTrajectory.objects.create(
        case=case, started_by=spare, started_at=timezone.now() - dt.timedelta(days=2)
    )
    DecisionAnswers.objects.create(
        trajectory=meldcode,
        answered_on=today(),
        answered_by=spare,
        q1=True,
        q2=False,
        q3=True,
        q4=True,
        q5=True,
    )
    vt_report = VeiligThuisReport.objects.create(
        trajectory=meldcode,
        reported_on=today() - dt.timedelta(days=1),
        reported_by=spare,
        content="Signalen",
        status_on=today() - dt.timedelta(days=1),
    )
    # Issue 15, slice vi: two children in the case's household; the user signalled the
    # first (not yet informed), the spare both, so the first is a match and a new signal
    # on the second makes one.
    # The household the hh block above gave the case.
    household = case.household
    assert household is not None
    vi_children = [
        PersonFactory(geboortedatum=today() - dt.timedelta(days=days)) for days in (5000, 3000)
    ]
    for child in vi_children:
        HouseholdMember.objects.create(household=household, person=child, relation="kind")
    type(user).objects.filter(pk=user.pk).update(phone="06-11111111")
    spare.phone = "06-22222222"
    spare.save(update_fields=["phone"])

    def vi_signal(signaller: Any, child: Any) -> VerwijsindexSignal:
        return VerwijsindexSignal.objects.create(
            case=case,
            person=child,
            signaller=signaller,
            organisation=signaller.organisation,
            category="a",
            signalled_on=today(),
            not_informed_reason="Nog niet",
            expires_on=today() + dt.timedelta(days=700),
            created_at=timezone.now(),
        )

    spare_signal = vi_signal(spare, vi_children[0])
    vi_own = vi_signal(user, vi_children[0])
    vi_signal(spare, vi_children[1])
    vi_match = VerwijsindexMatch.objects.create(
        first=spare_signal, second=vi_own, matched_at=timezone.now(), consultation_due=today()
    )
    return {
        "aftercare": aftercare,
        "hh_child": hh_child,
        "hh_contact": hh_contact,
        "hh_consent": hh_consent,
        "escmap": escmap,
        "meldcode": meldcode,
        "vt_report": vt_report,
        "vi_child": vi_children[1],
        "vi_own": vi_own,
        "vi_match": vi_match,
        "privacy_request": privacy_request,
        "processing_key": register.content["processings"][0]["key"],
        "review": review,
        "partner": partner,
        "invitee": invitee,
        "scan": scan,
        "scan_closed": scan_closed,
        "statement": statements[0],
        "grant": grant,
        "hold": hold,
        "fresh": fresh,
        "setup_token": setup_token,
        "case": case,
        "user": user,
        "spare": spare,
        "plan": plan,
        "goal": goal,
        "safety": safety,
        "meeting": held,
        "invited": invited,
        "declared": declared,
        "action": action,
        "escalation": escalation,
        "ending": ending,
        "referral": referral,
        "attachment": attachment,
        "item": item,
        "request": request,
    }


# One world per (role, relation), built once and shared by every endpoint of that pair.
WORLDS = list(itertools.product(Role, RELATIONS))


class SharedWorld(NamedTuple):
    objects: dict[str, Any]
    attachment_root: Path
    session_key: str


@pytest.fixture(scope="class")
def shared_world(
    world_key: tuple[Role, str],
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SharedWorld]:
    """The world of one (role, relation), inside a transaction rolled back after its tests.

    The pattern of Django's TestCase.setUpTestData: the world is written once inside an
    outer atomic block; each test's own `django_db` atomic is a savepoint nested in it and
    rolled back after the test, so a POST of one endpoint never leaks into the next. Class
    scope, not module scope: when pytest (or pytest-randomly) moves on to a test outside the
    class, pytest tears the class down and so rolls the world back first. The parameter
    `world_key` is class-scoped too, so pytest groups the tests of one world together (also
    after pytest-randomly's shuffle, which runs before pytest's grouping); a world that
    does come back later is simply built again.
    """
    role, relation = world_key
    # Outlives the per-test tmp_path: the attachment file is written once, here.
    root = tmp_path_factory.mktemp("bijlagen")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        # Marked like TestCase's own blocks: a durable atomic in a view may nest in it.
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                KETENREGIE_ATTACHMENT_ROOT=root,
            ),
        ):
            built = _world(role, relation)
            # Logged in once, the way the other tests log in (force_login; the user has
            # TOTP). The session row belongs to the world, so each test starts from it.
            login = Client()
            login.force_login(built["user"])
            session_key = login.cookies[django_settings.SESSION_COOKIE_NAME].value
        yield SharedWorld(built, root, session_key)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(shared_world: SharedWorld, settings: Any) -> dict[str, Any]:
    # After the autouse fixture of conftest.py, which names a fresh attachment directory.
    settings.KETENREGIE_ATTACHMENT_ROOT = shared_world.attachment_root
    # The tests only read the world's objects (requests load their own from the
    # database), so the dict is shared; a fresh dict keeps a test from swapping entries.
    return dict(shared_world.objects)


# One request handler for the module: Django builds the middleware chain, WhiteNoise's
# scan of every static file included, once per handler, and a fresh Client per test
# would pay for it in every test. Safe here because no test in this module changes a
# setting that a middleware reads when it is built.
_HANDLER = ClientHandler(enforce_csrf_checks=False)


@pytest.fixture
def client() -> Client:
    fresh = Client()
    fresh.handler = _HANDLER
    return fresh


@pytest.fixture
def logged_in(client: Client, shared_world: SharedWorld) -> Client:
    """The client with the session the world's user was logged in with."""
    client.cookies[django_settings.SESSION_COOKIE_NAME] = shared_world.session_key
    return client


ENDPOINT_IDS = [f"{e.name}-{e.method}" for e in ENDPOINTS]


@pytest.mark.django_db
class TestMatrix:
    # Parameters in this order give the ids of old: role-relation-endpoint-method.
    @pytest.mark.parametrize("index", range(len(ENDPOINTS)), ids=ENDPOINT_IDS)
    @pytest.mark.parametrize(
        "world_key", WORLDS, ids=[f"{r.value}-{rel}" for r, rel in WORLDS], scope="class"
    )
    def test_matrix(
        self, logged_in: Client, world: dict[str, Any], world_key: tuple[Role, str], index: int
    ) -> None:
        client = logged_in
        role, relation = world_key
        endpoint = ENDPOINTS[index]
        url = endpoint.url(world)
        if endpoint.method == "get":
            resp = client.get(url)
        elif endpoint.method == "htmx":
            resp = client.get(url, headers={"HX-Request": "true"})
        else:
            resp = client.post(url, endpoint.data(world) if endpoint.data else {})
        expected = endpoint.expected(role, relation)
        assert resp.status_code == expected, (endpoint.name, endpoint.method, role, relation)
        # Nothing behind login is kept by a browser or proxy: pages, PDFs, attachments,
        # refusals (security review finding 5, core.middleware.NoStoreMiddleware).
        assert "no-store" in resp.get("Cache-Control", ""), (endpoint.name, endpoint.method)

    @pytest.mark.parametrize("index", range(len(ENDPOINTS)), ids=ENDPOINT_IDS)
    @pytest.mark.parametrize(
        "world_key", [(Role.PROFESSIONAL, "member")], ids=["professional-member"], scope="class"
    )
    def test_anonymous_is_sent_to_login(
        self, client: Client, world: dict[str, Any], index: int
    ) -> None:
        endpoint = ENDPOINTS[index]
        url = endpoint.url(world)
        resp = client.get(url) if endpoint.method in ("get", "htmx") else client.post(url, {})
        if endpoint.public:
            assert resp.status_code == 200
            return
        assert resp.status_code == 302 and reverse("account_login") in resp["Location"]
        assert "no-store" in resp.get("Cache-Control", "")


@pytest.mark.django_db
def test_user_without_totp_must_set_it_up_first(client: Client) -> None:
    user = UserFactory(roles=[(Role.PROFESSIONAL, None)], totp=False)
    client.force_login(user)
    resp = client.get(reverse("case_list"))
    assert resp.status_code == 302 and resp["Location"] == reverse("mfa_activate_totp")
    assert CaseMembership.objects.count() == 0
