"""Every exchange kind, driven through the real service or page that shares the data,
leaves its row in the data-sharing register with purpose, basis, where the basis came
from and the necessity checks (issue 13: "a test drives each kind and checks its row").

One case per `ExchangeKind`: a kind added without a driver (`exchanges.DRIVERS`) fails,
so no exchange can reach the product without its register row being proven."""

from __future__ import annotations

from typing import Any

import pytest

from ketenregie.cases.models import ExchangeKind, SharingRecord
from ketenregie.cases.sharing import CHOSEN_KINDS, STATUTORY_GROUNDS
from ketenregie.plans.tests.conftest import build_team
from ketenregie.privacy.tests.exchanges import DRIVERS
from ketenregie.tests_support.factories import NECESSARY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", list(ExchangeKind))
def test_every_exchange_kind_leaves_its_register_row(
    kind: ExchangeKind, settings: Any, tmp_path: Any
) -> None:
    driver = DRIVERS.get(kind)
    assert driver is not None, f"{kind}: a new exchange kind needs a driver in this test"
    settings.KETENREGIE_ATTACHMENT_ROOT = tmp_path
    team = {**build_team(), "tmp_path": tmp_path}
    case = driver(team)
    row = SharingRecord.objects.get(kind=kind)
    assert row.case_id == case.pk and row.case_code == case.code and row.house_id == case.house_id
    assert row.purpose and row.legal_basis and row.actor_label and row.to_label
    assert row.identifying
    if kind in CHOSEN_KINDS:
        assert row.basis_source == SharingRecord.Source.CHOSEN
        assert row.proportional and row.subsidiary and row.person_informed is True
        assert row.proportionality_note == NECESSARY.proportionality_note
    elif kind in STATUTORY_GROUNDS:
        assert row.basis_source == SharingRecord.Source.LAW
        # The law's own basis for the kind (art. 15 for the export, the meldrecht for a
        # report to Veilig Thuis).
        law = STATUTORY_GROUNDS[kind]
        assert row.legal_basis == law.legal_basis == "wettelijke_plicht"
        assert row.legal_reference == law.legal_reference
    else:
        # No house configuration in this world: the default, marked as such.
        assert row.basis_source == SharingRecord.Source.DEFAULT
        assert row.legal_basis == "publieke_taak"
