"""Refused access is on the audit trail (audit.middleware.DeniedAccessMiddleware)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.accounts.roles import Role
from ketenregie.audit.models import AuditEvent
from ketenregie.tests_support.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_case_outside_the_users_reach_is_refused_and_audited() -> None:
    case = CaseFactory()
    outsider = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    client = Client()
    client.force_login(outsider)
    url = reverse("case_detail", args=[case.pk])
    assert client.get(url + "?q=Jansen").status_code == 404
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor_id == outsider.pk
    assert event.data["pad"] == url and event.data["status"] == 404
    # The query string (a search term may be a name or BSN) is never kept.
    assert "Jansen" not in str(event.data)


def test_walking_ids_costs_the_trail_a_bounded_number_of_rows() -> None:
    outsider = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    client = Client()
    client.force_login(outsider)
    for case_id in range(1, 41):
        assert client.get(reverse("case_detail", args=[10**6 + case_id])).status_code == 404
    # One row for the minute's first refusal; the rest are counted in the tally.
    assert AuditEvent.objects.filter(action="access.denied").count() <= 2
