"""GET is safe: opening any page of the permission matrix writes nothing but a read record.

Every GET of the matrix (every URL x every (role, relation) world whose user may open it)
runs under a database-level watch of the tables written (`tests_support.writes`). Allowed
are only the session and cache tables and the audit trail, and in the trail only events of
the kind "read" (viewing personal data is logged, NEN 7513); and the data-sharing
register, only with rows of a download kind (`cases.sharing.RECEIPT_KINDS`: taking a PDF
or an attachment out is an exchange, recorded like a read). A page that creates, updates
or marks anything on GET (a plan made by opening it, feedback marked read by viewing)
fails here, with the list of URLs and tables it wrote.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from ketenregie.accounts.roles import Role
from ketenregie.audit import vocabulary
from ketenregie.audit.models import AuditEvent
from ketenregie.cases.models import SharingRecord
from ketenregie.cases.sharing import RECEIPT_KINDS
from ketenregie.tests import test_permission_matrix as matrix
from ketenregie.tests_support.writes import table_writes

# The matrix's worlds and logged-in client, used here by name (pytest finds fixtures in
# the module's namespace): one list of URLs and worlds for every walk over the product.
client = matrix.client
shared_world = matrix.shared_world
world = matrix.world
logged_in = matrix.logged_in
WORLDS = matrix.WORLDS

# Writes a GET may make: the session (its expiry moves while in use) and the cache (rate
# limits, the gate's short-lived answers). The audit table is checked row by row below.
_ALLOWED = {
    "django_session",
    settings.CACHES["default"]["LOCATION"],
}
_AUDIT = AuditEvent._meta.db_table
_REGISTER = {
    SharingRecord._meta.db_table,
    SharingRecord.to_organisations.through._meta.db_table,
}

GETS = [e for e in matrix.ENDPOINTS if e.method in ("get", "htmx")]


def _accessible(role: Role, relation: str) -> list[Any]:
    return [e for e in GETS if e.expected(role, relation) == 200]


@pytest.mark.django_db
class TestGetIsSafe:
    @pytest.mark.parametrize(
        "world_key", WORLDS, ids=[f"{r.value}-{rel}" for r, rel in WORLDS], scope="class"
    )
    def test_get_writes_nothing(
        self, logged_in: Client, world: dict[str, Any], world_key: tuple[Role, str]
    ) -> None:
        role, relation = world_key
        endpoints = _accessible(role, relation)
        assert endpoints  # every user opens at least the dashboard
        wrote: list[str] = []
        for endpoint in endpoints:
            url = endpoint.url(world)
            last_audit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
            last_row = SharingRecord.objects.order_by("-id").values_list("id", flat=True).first()
            headers = {"HX-Request": "true"} if endpoint.method == "htmx" else {}
            with table_writes() as written:
                resp = logged_in.get(url, headers=headers)
            assert resp.status_code == 200, (url, resp.status_code)
            tables = {
                t: n
                for t, n in written.items()
                if t not in _ALLOWED and t != _AUDIT and t not in _REGISTER
            }
            kinds = SharingRecord.objects.filter(id__gt=last_row or 0).values_list(
                "kind", flat=True
            )
            tables.update({f"register: {k}": 1 for k in kinds if k not in RECEIPT_KINDS})
            events = AuditEvent.objects.filter(id__gt=last_audit or 0).values_list(
                "action", flat=True
            )
            changes = sorted(a for a in events if vocabulary.kind(a) is not vocabulary.Kind.READ)
            if tables or changes:
                wrote.append(f"GET {url} ({endpoint.name}): tables {tables}, audit {changes}")
        assert not wrote, "\n".join(wrote)
