"""The timeline on the case page: the phase filter and the "toon ook inzage" toggle, the
steps folded, for the full and the pseudonymised view alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ketenregie.audit import services as audit
from ketenregie.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _record(case: Any, actor: Any) -> None:
    audit.record(
        "referral.approved_for_enrichment",
        actor=actor,
        case_id=case.pk,
        data={"verzoeken_aan": [1, 2]},
    )
    audit.record("triage.outcome", actor=actor, case_id=case.pk)
    audit.record("plan.adopted", actor=actor, case_id=case.pk)


def test_phase_filter_and_reads_toggle(client: Client, case_with_team: dict[str, Any]) -> None:
    case = case_with_team["case"]
    _record(case, case_with_team["regisseur"])
    client.force_login(case_with_team["regisseur"])
    url = reverse("case_detail", args=[case.pk])
    html = client.get(url).content.decode()
    assert 'name="fase"' in html and "Alle fasen" in html and "Toon ook inzage" in html
    assert "Bekendheidscheck: 0 van 2 partners geantwoord" in html
    assert "Toon de gebeurtenis" in html
    # The case has no status history here: every event falls in the case's one phase
    # unless its code fixes it (the intake's).
    intake = client.get(url, {"fase": "aanmelding"}, headers={"HX-Request": "true"})
    fragment = intake.content.decode()
    assert fragment.lstrip().startswith('<ol class="kr-timeline" id="timeline">')
    assert "Uitkomst integrale triage vastgelegd" in fragment
    assert "Plan van aanpak vastgesteld" not in fragment
    assert "Casus ingezien" not in fragment
    with_reads = client.get(url, {"fase": "", "inzage": "1"}).content.decode()
    assert "Inzage: Casus ingezien" in with_reads and "Plan van aanpak vastgesteld" in with_reads


def test_unknown_phase_gets_a_dutch_message_not_an_error(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    case = case_with_team["case"]
    _record(case, case_with_team["regisseur"])
    client.force_login(case_with_team["regisseur"])
    url = reverse("case_detail", args=[case.pk])
    resp = client.get(url, {"fase": "<script>", "inzage": "ja"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Selecteer een geldige keuze" in html and "<script>" not in html
    # The whole timeline, reads hidden: a bad filter narrows nothing.
    assert "Plan van aanpak vastgesteld" in html and "Uitkomst integrale triage" in html
    empty = client.get(url, {"fase": "afsluiting"}, headers={"HX-Request": "true"})
    assert "Geen gebeurtenissen in deze fase." in empty.content.decode()


def test_adviser_gets_the_phase_filter_but_no_reads_and_no_details(
    client: Client, case_with_team: dict[str, Any]
) -> None:
    case = case_with_team["case"]
    _record(case, case_with_team["regisseur"])
    audit.record("team.member_added", actor=case_with_team["regisseur"], case_id=case.pk)
    client.force_login(case_with_team["adviser"])
    url = reverse("case_detail", args=[case.pk])
    html = client.get(url, {"inzage": "1", "fase": "casuistiek"}).content.decode()
    assert 'name="fase"' in html and 'name="inzage"' not in html
    shown = html[html.index('id="timeline"') :]
    assert "Teamlid toegevoegd" in shown
    for hidden in ("Bekendheidscheck", "Uitkomst integrale triage", "Casus ingezien"):
        assert hidden not in shown
    assert case.person.achternaam not in html
    assert AuditEvent.objects.filter(action="case.viewed").count() == 1
