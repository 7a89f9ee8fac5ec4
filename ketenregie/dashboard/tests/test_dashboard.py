"""The dashboard: every panel costs the same number of queries however much work is
waiting, the page as a whole too, and each role gets its own panels only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import CaseRole, EscalationChange, EscalationNotice
from ketenregie.cases.workflow import INTAKE_STATUSES, Status
from ketenregie.core.timeutil import today
from ketenregie.dashboard.panels import PANELS, panels_for
from ketenregie.intake.models import EnrichmentRequest, Feedback, Referral
from ketenregie.pga.models import Informing, Signal
from ketenregie.plans.models import Action, DirectorEscalation, Meeting
from ketenregie.safeguarding.vi_models import VerwijsindexMatch, VerwijsindexSignal
from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ALL_ROLES = (
    Role.AANMELDER,
    Role.TRIAGEVOORZITTER,
    Role.PROCESREGISSEUR,
    Role.PROFESSIONAL,
    Role.MANAGER,
)


def _build(n: int) -> dict[str, Any]:
    """One user holding every dashboard role, with n items of work in every panel."""
    house = HouseFactory()
    org = OrganisationFactory()
    user = UserFactory(
        roles=[(r, None if r == Role.PROFESSIONAL else house) for r in ALL_ROLES],
        organisation=org,
    )
    others = [UserFactory(roles=[(Role.PROFESSIONAL, None)]) for _ in range(3)]
    statuses = [Status.IN_UITVOERING, *sorted(INTAKE_STATUSES)]
    long_ago = timezone.now() - dt.timedelta(days=10)
    first = None
    for i in range(n):
        other = others[i % 3]
        case = CaseFactory(house=house, status=statuses[i % len(statuses)])
        first = first or case
        MembershipFactory(case=case, user=user, role=CaseRole.PROCESREGISSEUR)
        MembershipFactory(case=case, user=other, role=CaseRole.CASUSREGISSEUR)
        Action.objects.create(
            case=case,
            what=f"Actie {i}",
            owner_user=user,
            owner_organisation=org,
            due_date=today() + dt.timedelta(days=i % 5 - 2),
            created_by=user,
        )
        Action.objects.create(
            case=case,
            what=f"Actie van een ander {i}",
            owner_user=other,
            owner_organisation=other.organisation,
            due_date=today() - dt.timedelta(days=1),
            created_by=user,
        )
        Meeting.objects.create(
            house=house,
            case=case,
            kind=Meeting.Kind.INCIDENTAL,
            state=Meeting.State.HELD,
            starts_at=long_ago,
            ends_at=long_ago + dt.timedelta(hours=1),
            location="Huis",
            organiser=user,
        )
        for to in DirectorEscalation.To:
            DirectorEscalation.objects.create(
                case=case, to=to, reason=f"Reden {i}", by=other, at=timezone.now()
            )
        Signal.objects.create(
            case=case,
            kind=Signal.Kind.choices[i % len(Signal.Kind.choices)][0],
            text="Signaal",
            raised_by=other,
            raised_at=timezone.now(),
        )
        # Issue 15, slice vi: the user's and a colleague's Verwijsindex signals on the
        # case's person, matched, the consultation still to hold.
        vi = [
            VerwijsindexSignal.objects.create(
                case=case,
                person=case.person,
                signaller=signaller,
                organisation=signaller.organisation,
                category="a",
                signalled_on=today(),
                informed_on=today(),
                expires_on=today() + dt.timedelta(days=700),
                created_at=timezone.now(),
            )
            for signaller in (user, other)
        ]
        VerwijsindexMatch.objects.create(
            first=vi[0], second=vi[1], matched_at=timezone.now(), consultation_due=today()
        )
        Informing.objects.create(
            case=case,
            kind=Informing.Kind.POSTPONED,
            postponed_reason="Veiligheid",
            review_date=today() - dt.timedelta(days=1),
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        # Issue 15 (escmap): a level change the escalation map told the user about.
        EscalationNotice.objects.create(
            case=case,
            change=EscalationChange.objects.create(
                case=case,
                from_level=3,
                to_level=4,
                reason="Reden",
                decided_by=other,
                decided_at=timezone.now(),
            ),
            user=user,
            responsibility=EscalationNotice.Responsibility.MANAGER,
            created_at=timezone.now(),
        )
        Feedback.objects.create(
            recipient=user,
            case_id=case.pk,
            case_code=case.code,
            message="Terugmelding",
            created_at=timezone.now(),
        )
        if case.status == Status.VERRIJKING:
            referral = Referral.objects.create(case=case, referrer=other)
            EnrichmentRequest.objects.create(
                referral=referral,
                organisation=org,
                requested_at=timezone.now(),
                deadline=timezone.now() + dt.timedelta(days=2),
            )
    return {"user": user, "case": first}


def test_page_query_count_is_flat(client: Client) -> None:
    counts = []
    for n in (5, 40):
        world = _build(n)
        client.force_login(world["user"])
        client.get(reverse("dashboard"))  # settle the session's MFA check
        with CaptureQueriesContext(connection) as ctx:
            resp = client.get(reverse("dashboard"))
        assert resp.status_code == 200
        counts.append(len(ctx.captured_queries))
        client.logout()
    print(f"dashboard: {counts[0]} queries at 5, {counts[1]} at 40")
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("panel", PANELS, ids=lambda p: p.build.__name__)
def test_panel_query_count_is_flat(panel: Any) -> None:
    counts = []
    for n in (5, 40):
        user = _build(n)["user"]
        with CaptureQueriesContext(connection) as ctx:
            filled = panel.build(user)
        # Every panel finds the work waiting for this user, so the count means something.
        assert any(filled.values()), filled
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_every_panel_shows_for_the_user_with_every_role(client: Client) -> None:
    user = _build(5)["user"]
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    for text in (
        "nieuwe terugmelding",
        "Uitgesteld informeren herbeoordelen",
        "Voor de manager",
        "Verslagen niet binnen een week verstuurd",
        "Open signalen in mijn casussen",
        "Nieuwe match in de Verwijsindex",
        "Opschalingen van casusregisseurs",
        "Mijn acties",
        "Acties over de datum in mijn casussen",
        "in screening, verrijking of triage",
        "om een bekendheidscheck",
        "Mijn casussen per fase",
        "Escalatieniveau gewijzigd",
    ):
        assert text in page, text
    event = AuditEvent.objects.filter(action="case.list_viewed", actor=user).get()
    assert event.data["getoond"]


def test_each_role_gets_only_its_panels() -> None:
    house = HouseFactory()
    partner = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    assert set(panels_for(partner, frozenset({Role.PROFESSIONAL}))) == {
        "open_requests",
        "open_signals",
        "vi_matches",
        "my_actions",
        "my_actions_open",
        "my_actions_overdue",
        "my_cases",
        "phase_counts",
        "escalation_notices",
    }
    manager = UserFactory(roles=[(Role.MANAGER, house)])
    assert set(panels_for(manager, frozenset({Role.MANAGER}))) == {
        "escalation_notices",
        "manager_late_minutes",
        "manager_escalations",
        "manager_overdue",
        "manager_rejections",
        "steering",
    }
    contact = UserFactory(roles=[(Role.PRIVACY_CONTACT, house)])
    assert set(panels_for(contact, frozenset({Role.PRIVACY_CONTACT}))) == {"privacy_landing"}
    policy = UserFactory(roles=[(Role.BELEID, None)])
    assert set(panels_for(policy, frozenset({Role.BELEID}))) == {"steering"}


def test_policy_gets_the_steering_figures_instead_of_an_empty_page(client: Client) -> None:
    policy = UserFactory(roles=[(Role.BELEID, None)])
    client.force_login(policy)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Sturing" in page and reverse("management_info") in page
    assert reverse("management_info_topic", args=["verslagen"]) in page
    assert "Uw rol geeft geen toegang tot casussen." not in page


def test_role_without_case_work_gets_the_pointer_to_its_pages(client: Client) -> None:
    officer = UserFactory(roles=[(Role.PRIVACY_OFFICER, None)])
    client.force_login(officer)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Uw rol geeft geen toegang tot casussen." in page
    assert reverse("audit_search") in page
    assert "Mijn casussen per fase" not in page
    assert not AuditEvent.objects.filter(action="case.list_viewed").exists()
