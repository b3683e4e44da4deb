"""Layers point one way: backend <- schema, tasks <- portal. A leak fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB_LIBRARIES = {"flask", "flask_login", "flask_wtf", "flask_babel", "strawberry", "huey", "wtforms", "werkzeug"}
FIRST_PARTY = {"backend", "schema", "portal", "tasks"}


def imported_top_levels(package: str) -> dict[str, set[str]]:
    """Map each module file in ``package`` to the top-level names it imports."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def violations(package: str, forbidden: set[str]) -> list[str]:
    return sorted(
        f"{path} imports {name}" for path, names in imported_top_levels(package).items() for name in names & forbidden
    )


def test_backend_imports_no_web_graphql_queue_or_form_library() -> None:
    assert violations("backend", WEB_LIBRARIES | {"schema", "portal", "tasks"}) == []


def test_schema_never_imports_portal_or_tasks() -> None:
    assert violations("schema", {"portal", "tasks", "flask", "huey", "wtforms"}) == []


def test_tasks_import_only_backend() -> None:
    assert violations("tasks", {"schema", "portal", "flask", "strawberry", "wtforms"}) == []


def test_nothing_imports_portal() -> None:
    for package in ("backend", "schema", "tasks"):
        assert violations(package, {"portal"}) == []


@pytest.mark.parametrize("package", ["backend", "schema", "tasks", "portal"])
def test_layer_scan_sees_the_package(package: str) -> None:
    # Guards the guard: an empty scan would make the tests above pass vacuously.
    assert imported_top_levels(package)
    assert any("backend" in names for names in imported_top_levels(package).values()) or package == "backend"
