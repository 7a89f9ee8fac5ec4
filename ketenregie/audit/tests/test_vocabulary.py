"""The audit vocabulary: every code the product writes is declared, labelled and checked."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ketenregie.audit import services as audit
from ketenregie.audit import vocabulary
from ketenregie.audit.models import AuditChainHead, AuditEvent

ROOT = Path(__file__).resolve().parents[2]  # the ketenregie package
# Any call given action="a.b" passes (or looks up) an audit code: record, create_audited,
# update_audited, PendingEvent and the helpers that hand a code on. These writers also
# take the code as their first positional argument (record_flood_prone: audit.flood).
POSITIONAL = {"record", "ev", "PendingEvent", "record_flood_prone"}


def _literal_codes(node: ast.expr) -> list[str] | None:
    """String codes an expression can take, or None when it is computed at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literal_codes(node.body), _literal_codes(node.orelse)
        if body is not None and orelse is not None:
            return body + orelse
    return None


def _codes_in_source() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.relative_to(ROOT).parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            args = [kw.value for kw in node.keywords if kw.arg == "action"]
            if name in POSITIONAL and node.args:
                args.append(node.args[0])
            for arg in args:
                # A dot tells a code from other uses of the word (argparse's action=...).
                for code in [c for c in _literal_codes(arg) or [] if "." in c]:
                    where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
                    found.setdefault(code, []).append(where)
    return found


def test_every_literal_code_in_the_source_is_registered() -> None:
    found = _codes_in_source()
    # The scan must really see the call sites, or this test proves nothing.
    assert len(found) > 70 and "case.viewed" in found and "auth.login" in found
    unknown = {code: where for code, where in found.items() if code not in vocabulary.ACTIONS}
    assert not unknown, f"Neem deze codes op in audit/vocabulary.py: {unknown}"


# Codes the source builds at run time, so the scan cannot see them as literals.
BUILT = {
    # accounts.services.save_record (beheer resources): f"{model_name}.created" / ".updated".
    *(
        f"{model}.{verb}"
        for model in (
            "region",
            "organisation",
            "house",
            "lettertemplate",
            "scanstatement",
            "need",
            # issue 15: the escalation map and the competence profiles (escmap)
            "escalationmaplevel",
            "competenceprofile",
        )
        for verb in ("created", "updated")
    ),
    # plans.views.common._pdf_response: f"{kind}.pdf_downloaded".
    "plan.pdf_downloaded",
    "safety.pdf_downloaded",
}


def test_codes_built_at_run_time_are_registered() -> None:
    assert BUILT <= vocabulary.ACTIONS.keys()


def test_no_code_is_declared_that_nothing_writes() -> None:
    unused = vocabulary.ACTIONS.keys() - _codes_in_source().keys() - BUILT
    assert not unused, f"Niet meer gebruikt, haal uit de woordenlijst: {sorted(unused)}"


def test_every_code_has_a_label_a_kind_and_is_declared_once() -> None:
    assert len(vocabulary.ACTIONS) == len(vocabulary._ACTIONS)
    for code, action in vocabulary.ACTIONS.items():
        assert action.code == code
        assert str(action.label).strip(), code
        assert str(action.label) != code, code
        assert action.kind in (vocabulary.Kind.READ, vocabulary.Kind.CHANGE)
    # Advisers see only the team's comings and goings, never a read.
    assert not vocabulary.ADVISER_CODES & vocabulary.READ_CODES
    assert vocabulary.ADVISER_CODES == {
        "case.created",
        "team.member_added",
        "team.member_ended",
        "team.handed_over",
    }


def test_views_searches_and_downloads_are_reads() -> None:
    for code in vocabulary.ACTIONS:
        if code.endswith(("_viewed", ".viewed", ".searched")):
            assert code in vocabulary.READ_CODES, code
    assert "referral.attachment_downloaded" in vocabulary.READ_CODES
    assert "plan.pdf_downloaded" in vocabulary.READ_CODES
    assert "case.created" not in vocabulary.READ_CODES


@pytest.mark.django_db
def test_record_refuses_an_unknown_code() -> None:
    with pytest.raises(vocabulary.UnknownAuditAction, match="onbekend.code"):
        audit.record("onbekend.code", actor=None)
    with pytest.raises(vocabulary.UnknownAuditAction):
        audit.record_many([audit.PendingEvent(action="case.viewed"), audit.PendingEvent("x")])
    assert not AuditEvent.objects.exists()
    assert not AuditChainHead.objects.filter(seq__gt=0).exists()


def test_label_of_a_historic_code_falls_back_to_the_code() -> None:
    assert vocabulary.label("referral.viewed") == "Aanmelding ingezien"
    assert vocabulary.label("oud.event") == "oud.event"
    assert vocabulary.kind("oud.event") is vocabulary.Kind.CHANGE
