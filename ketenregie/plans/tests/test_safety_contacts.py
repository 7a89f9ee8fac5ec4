"""The safety plan's contacts as rows (issue 15, slice planvi; seed 002 7.2
"Contactgegevens: naam, wanneer te bellen, telefoonnummer, mail"): saved in order with the
plan under its one version check, each row audited in the same transaction without the
people's details, Dutch errors that keep what was typed, the free text from before the
rows kept read-only until cleared, and the migration that keeps that text."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from ketenregie.audit.models import AuditEvent
from ketenregie.core.errors import ConcurrentEditError
from ketenregie.plans import services
from ketenregie.plans.models import SafetyContact, SafetyPlan
from ketenregie.plans.safety_forms import CONTACT_PREFIX
from ketenregie.plans.services.plan import plan_content
from ketenregie.plans.versions import diff
from ketenregie.tests_support.factories import CaseFactory

pytestmark = pytest.mark.django_db

SISTER = {
    "name": "Ingrid Zusterman",
    "role": "zus, veilig adres",
    "phone": "06-12340001",
    "when_to_call": "Als de spanning oploopt.",
}
POLICE = {"name": "Wijkagent", "role": "politie", "phone": "0900-8844", "email": ""}


def _safety(team: dict[str, Any]) -> SafetyPlan:
    return services.safety_plan_for(team["case"], actor=team["regisseur"])


def _save(team: dict[str, Any], safety: SafetyPlan, rows: list[dict[str, Any]]) -> SafetyPlan:
    safety.refresh_from_db()
    return services.save_safety_plan(
        safety,
        actor=team["regisseur"],
        values={},
        expected_version=safety.version,
        contacts=rows,
    )


def _rows(safety: SafetyPlan) -> list[tuple[str, int]]:
    return [(c.name, c.position) for c in SafetyContact.objects.filter(safety_plan=safety)]


def test_rows_saved_in_order_and_audited_without_the_people_details(
    team: dict[str, Any],
) -> None:
    safety = _safety(team)
    version = safety.version
    _save(team, safety, [SISTER, POLICE, {"name": "", "phone": ""}])  # an empty row: none
    assert _rows(safety) == [("Ingrid Zusterman", 0), ("Wijkagent", 1)]
    safety.refresh_from_db()
    # Contacts are part of the plan: its version moves on with them.
    assert safety.version == version + 1
    added = AuditEvent.objects.filter(action="safety.contact_added", case_id=team["case"].pk)
    assert added.count() == 2
    saved = AuditEvent.objects.get(action="safety.saved", case_id=team["case"].pk)
    assert saved.data["contactpersonen"] == {"toegevoegd": 2, "gewijzigd": 0, "verwijderd": 0}
    trail = " ".join(str(e.data) for e in AuditEvent.objects.filter(case_id=team["case"].pk))
    for needle in ("Ingrid", "06-12340001", "0900-8844", "spanning"):
        assert needle not in trail


def test_change_reorder_and_remove(team: dict[str, Any]) -> None:
    safety = _save(team, _safety(team), [SISTER, POLICE])
    sister, police = SafetyContact.objects.filter(safety_plan=safety)
    _save(
        team,
        safety,
        [
            {"id": police.pk, **POLICE},
            {"name": "Veilig Thuis", "phone": "0800-2000"},
        ],
    )
    assert _rows(safety) == [("Wijkagent", 0), ("Veilig Thuis", 1)]
    assert not SafetyContact.objects.filter(pk=sister.pk).exists()
    codes = list(
        AuditEvent.objects.filter(action__startswith="safety.contact_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert codes[-3:] == [
        "safety.contact_changed",  # the police moved up: its position is the change
        "safety.contact_added",
        "safety.contact_removed",
    ]
    changed = AuditEvent.objects.filter(action="safety.contact_changed").last()
    assert changed is not None
    assert changed.data["wijzigingen"] == {"volgorde": {"voor": 1, "na": 0}}
    # An emptied stored row goes too.
    kept = SafetyContact.objects.get(name="Wijkagent")
    _save(team, safety, [{"id": kept.pk, "name": "", "phone": ""}])
    assert _rows(safety) == []


def test_the_version_check_covers_the_contacts(team: dict[str, Any]) -> None:
    safety = _save(team, _safety(team), [SISTER])
    stale = safety.version - 1
    with pytest.raises(ConcurrentEditError):
        services.save_safety_plan(
            safety,
            actor=team["regisseur"],
            values={},
            expected_version=stale,
            contacts=[POLICE],
        )
    assert _rows(safety) == [("Ingrid Zusterman", 0)]


def test_service_refuses_bad_rows_and_foreign_rows_in_dutch(team: dict[str, Any]) -> None:
    safety = _save(team, _safety(team), [SISTER])
    with pytest.raises(ValidationError) as error:
        _save(
            team,
            safety,
            [
                {"name": "Zonder nummer"},
                {"name": "", "phone": "06-1"},
                {"name": "Fout nummer", "phone": "bel maar"},
                {"id": 999_999, "name": "Vreemd", "phone": "112"},
            ],
        )
    messages = error.value.message_dict["contacts"]
    assert "Contactpersoon 1: vul een telefoonnummer of e-mailadres in." in messages
    assert "Contactpersoon 2: vul de naam in." in messages
    assert any(
        m.startswith("Contactpersoon 3: vul een telefoonnummer in met cijfers") for m in messages
    )
    assert "Contactpersoon 4: deze rij hoort niet bij dit veiligheidsplan." in messages
    # Nothing was written: the stored row is still the only one.
    assert _rows(safety) == [("Ingrid Zusterman", 0)]


def _post(
    client: Client, case: Any, safety: SafetyPlan, rows: list[dict[str, Any]], **kw: Any
) -> Any:
    data: dict[str, Any] = {
        "version": safety.version,
        "concerns": "Dreigende taal",
        f"{CONTACT_PREFIX}-TOTAL_FORMS": len(rows),
        f"{CONTACT_PREFIX}-INITIAL_FORMS": sum(1 for r in rows if r.get("id")),
        f"{CONTACT_PREFIX}-MIN_NUM_FORMS": 0,
        f"{CONTACT_PREFIX}-MAX_NUM_FORMS": 30,
        **kw,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{CONTACT_PREFIX}-{i}-{key}"] = value
    return client.post(reverse("safety_save", args=[case.pk]), data)


def test_page_errors_in_dutch_keep_what_was_typed(team: dict[str, Any]) -> None:
    safety = _safety(team)
    client = Client()
    client.force_login(team["regisseur"])
    response = _post(
        client,
        team["case"],
        safety,
        [
            {"name": "Getypte Naam", "role": "buurvrouw", "when_to_call": "Altijd"},
            {"name": "Mail Fout", "email": "geen-adres"},
            {"name": "", "role": "", "phone": ""},
        ],
        frequency="Getypte frequentie",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vul een telefoonnummer of e-mailadres in." in page
    assert "Voer een geldig e-mailadres in." in page
    assert "Het veiligheidsplan is niet opgeslagen." in page
    for typed in ("Getypte Naam", "buurvrouw", "Altijd", "geen-adres", "Getypte frequentie"):
        assert f'value="{typed}"' in page or f"{typed}</textarea>" in page, typed
    assert SafetyContact.objects.count() == 0
    safety.refresh_from_db()
    assert safety.frequency == ""


def test_page_saves_rows_and_shows_them_as_a_table(team: dict[str, Any]) -> None:
    safety = _safety(team)
    client = Client()
    client.force_login(team["regisseur"])
    response = _post(client, team["case"], safety, [SISTER, POLICE])
    assert response.status_code == 302
    assert _rows(safety) == [("Ingrid Zusterman", 0), ("Wijkagent", 1)]
    # A director gets the rows as inputs (two empty ones ready), with a box to remove.
    page = client.get(reverse("safety_plan", args=[team["case"].pk])).content.decode()
    assert 'value="Ingrid Zusterman"' in page and "Contactpersoon 4: naam" in page
    assert "Contactpersoon 1 verwijderen" in page
    # Removing a row through the page.
    sister, police = SafetyContact.objects.filter(safety_plan=safety)
    safety.refresh_from_db()
    response = _post(
        client,
        team["case"],
        safety,
        [{"id": sister.pk, **SISTER, "DELETE": "on"}, {"id": police.pk, **POLICE}],
    )
    assert response.status_code == 302
    assert _rows(safety) == [("Wijkagent", 0)]
    # A partner who does not direct the case reads a table.
    reader = Client()
    reader.force_login(team["partner"])
    page = reader.get(reverse("safety_plan", args=[team["case"].pk])).content.decode()
    assert 'id="contacts-table"' in page and "Wijkagent" in page and 'href="tel:0900-8844"' in page
    assert f'name="{CONTACT_PREFIX}-0-name"' not in page


def test_earlier_free_text_shown_read_only_until_cleared(team: dict[str, Any]) -> None:
    safety = _safety(team)
    SafetyPlan.objects.filter(pk=safety.pk).update(earlier_contacts="Oma 06-99999999")
    client = Client()
    client.force_login(team["regisseur"])
    page = client.get(reverse("safety_plan", args=[team["case"].pk])).content.decode()
    assert "Eerder vastgelegd (vrije tekst)" in page and "Oma 06-99999999" in page
    assert "tekst verwijderen" in page
    # The version keeps the text under its old key while it is there.
    safety.refresh_from_db()
    plan = services.plan_for(team["case"], actor=team["regisseur"])
    assert plan_content(plan)["veiligheidsplan"]["contacts"] == "Oma 06-99999999"
    response = _post(
        client,
        team["case"],
        safety,
        [{"name": "Oma", "role": "grootmoeder", "phone": "06-99999999"}],
        clear_earlier_contacts="on",
    )
    assert response.status_code == 302
    safety.refresh_from_db()
    assert safety.earlier_contacts == "" and _rows(safety) == [("Oma", 0)]
    saved = AuditEvent.objects.filter(action="safety.saved").last()
    assert saved is not None and "earlier_contacts" in saved.data["velden"]
    page = client.get(reverse("safety_plan", args=[team["case"].pk])).content.decode()
    assert "Eerder vastgelegd" not in page and "tekst verwijderen" not in page


def test_versions_compare_the_rows(team: dict[str, Any]) -> None:
    safety = _save(team, _safety(team), [SISTER])
    plan = services.plan_for(team["case"], actor=team["regisseur"])
    before = plan_content(plan)
    assert before["veiligheidsplan"]["contactpersonen"] == [
        {
            "naam": "Ingrid Zusterman",
            "rol": "zus, veilig adres",
            "telefoon": "06-12340001",
            "wanneer": "Als de spanning oploopt.",
        }
    ]
    sister = SafetyContact.objects.get(safety_plan=safety)
    _save(team, safety, [{"id": sister.pk, **SISTER, "phone": "06-12340002"}, POLICE])
    changes = diff(before, plan_content(plan))
    shown = {(c.section, c.kind, c.before, c.after) for c in changes}
    assert (
        "Veiligheidsplan: contactpersonen: Ingrid Zusterman",
        "gewijzigd",
        "06-12340001",
        "06-12340002",
    ) in shown
    assert ("Veiligheidsplan: contactpersonen", "toegevoegd", "", "Wijkagent") in shown


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_free_text() -> None:
    """Migrating 0006 -> 0007 keeps what was typed, under its new name."""
    executor = MigrationExecutor(connection)
    before = [("plans", "0006_household_templates")]
    after = [("plans", "0007_safety_contacts")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    case = CaseFactory()
    old.get_model("plans", "SafetyPlan").objects.create(
        case_id=case.pk, contacts="Wijkagent 0900-8844\nZus 06-12340001"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    stored = SafetyPlan.objects.get(case=case)
    assert stored.earlier_contacts == "Wijkagent 0900-8844\nZus 06-12340001"
    assert not SafetyContact.objects.exists()
