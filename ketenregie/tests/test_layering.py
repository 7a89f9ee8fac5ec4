"""Apps import only downward: audit knows nothing of cases, cases nothing of later apps.

Later apps reach down through registries instead (audit.subjects, cases.timeline).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
# app -> apps it must not import (outside its tests).
FORBIDDEN = {
    "audit": ("cases", "intake", "pga", "plans"),
    "cases": ("intake", "pga", "plans"),
}


def _imports(app: str) -> list[tuple[str, str]]:
    found = []
    for path in sorted((PACKAGE / app).rglob("*.py")):
        if "tests" in path.relative_to(PACKAGE / app).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append((str(path.relative_to(PACKAGE)), node.module))
            elif isinstance(node, ast.Import):
                found.extend((str(path.relative_to(PACKAGE)), a.name) for a in node.names)
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_does_not_import_later_apps(app: str) -> None:
    upward = [
        (where, module)
        for where, module in _imports(app)
        for later in FORBIDDEN[app]
        if module == f"ketenregie.{later}" or module.startswith(f"ketenregie.{later}.")
    ]
    assert not upward, upward
    # The scan really read the app's imports.
    assert any(module.startswith("ketenregie.") for _w, module in _imports(app))
