"""Shared pytest fixtures: fast hashing, a clean cache, and factories for the domain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from django.core.cache import cache

from ketenregie.tests_support.factories import (
    CaseFactory,
    HouseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

# The cache lives in the database (config/settings.py): only tests with database access
# can clear it, and only those can have filled it.
_DB_FIXTURES = ("db", "transactional_db", "django_db_reset_sequences", "live_server")


@pytest.fixture(autouse=True)
def _fast_and_clean(
    settings: Any, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> None:
    # Argon2 is the production hasher (asserted in its own test); tests need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A directory of its own per test, but only named here: the storage creates it on the
    # first save. Asking for tmp_path would create (and later remove) one per test, a few
    # milliseconds each, for the few tests that store an attachment.
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path_factory.getbasetemp() / "bijlagen" / uuid4().hex
    used = [name for name in _DB_FIXTURES if name in request.fixturenames]
    if used or request.node.get_closest_marker("django_db"):
        # A transactional test's flush leaves the cache table alone: clear it explicitly.
        for name in used:
            request.getfixturevalue(name)
        cache.clear()


@pytest.fixture
def house(db: None) -> Any:
    return HouseFactory()


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    def make(*roles: Any, house: Any = None, organisation: Any = None, **kw: Any) -> Any:
        return UserFactory(roles=[(r, house) for r in roles], organisation=organisation, **kw)

    return make


@pytest.fixture
def case_with_team(db: None, house: Any) -> dict[str, Any]:
    """A running PGA case with a procesregisseur, casusregisseur, adviseur and former member."""
    from ketenregie.accounts.roles import Role
    from ketenregie.cases.models import CaseRole
    from ketenregie.cases.workflow import Status
    from ketenregie.core.timeutil import today

    org = OrganisationFactory()
    case = CaseFactory(house=house, status=Status.IN_UITVOERING)
    regisseur = UserFactory(roles=[(Role.PROCESREGISSEUR, house)])
    casus = UserFactory(roles=[(Role.PROFESSIONAL, None)], organisation=org)
    adviser = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    former = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    outsider = UserFactory(roles=[(Role.PROFESSIONAL, None)])
    start = today() - dt.timedelta(days=60)
    MembershipFactory(case=case, user=regisseur, role=CaseRole.PROCESREGISSEUR, valid_from=start)
    MembershipFactory(case=case, user=casus, role=CaseRole.CASUSREGISSEUR, valid_from=start)
    MembershipFactory(case=case, user=adviser, role=CaseRole.ADVISEUR, valid_from=start)
    MembershipFactory(
        case=case,
        user=former,
        role=CaseRole.BETROKKEN_PARTNER,
        valid_from=start,
        valid_to=today() - dt.timedelta(days=1),
    )
    return {
        "case": case,
        "regisseur": regisseur,
        "casus": casus,
        "adviser": adviser,
        "former": former,
        "outsider": outsider,
        "org": org,
    }
