"""Every domain has the same shape, and the map in docs/layout.md and the package docstrings stay complete."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from graphql import FieldNode, OperationDefinitionNode, OperationType, parse

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = (ROOT / "docs" / "layout.md").read_text()


def packages(folder: str) -> list[Path]:
    return sorted(path.parent for path in (ROOT / folder).glob("*/__init__.py"))


def modules(package: Path) -> set[str]:
    return {path.stem for path in package.glob("*.py") if path.stem != "__init__"}


def listed(package: Path) -> set[str]:
    """The modules named as ``name``: at the start of a line of the package docstring."""
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text())) or ""
    return set(re.findall(r"^- ``(\w+)``:", docstring, flags=re.MULTILINE))


DOCUMENTED = [*packages("backend"), *packages("portal/console")]


def test_the_scan_sees_the_domain_packages() -> None:
    # Guards the guard: an empty scan would let the test below pass vacuously.
    names = {str(package.relative_to(ROOT)) for package in DOCUMENTED}
    assert {"backend/complaints", "backend/surveys", "portal/console/complaints", "portal/console/audit"} <= names


@pytest.mark.parametrize("package", DOCUMENTED, ids=lambda package: str(package.relative_to(ROOT)))
def test_package_docstring_lists_each_module(package: Path) -> None:
    assert listed(package) == modules(package)


@pytest.mark.parametrize("folder", ["schema", "portal/console"])
def test_layout_map_names_each_domain_package(folder: str) -> None:
    found = [package for package in packages(folder) if package.name != "engine"]
    assert found
    for package in found:
        assert f"`{package.relative_to(ROOT)}/`" in LAYOUT


def test_layout_map_names_each_operation_file() -> None:
    files = sorted((ROOT / "portal" / "operations").glob("*.graphql"))
    assert files
    for path in files:
        assert f"`{path.name}`" in LAYOUT


AREAS = ("Resident", "Console", "Viewer", "Panel")


def operations() -> list[OperationDefinitionNode]:
    found = [
        definition
        for path in sorted((ROOT / "portal" / "operations").glob("*.graphql"))
        for definition in parse(path.read_text()).definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    assert found
    return found


def expected_mutation_name(area: str, field: str) -> str:
    """``Console`` and ``complaintAcknowledge`` give ``ConsoleComplaintAcknowledge``; the area is not repeated."""
    subject = field[0].upper() + field[1:]
    return subject if subject.startswith(area) else area + subject


def test_each_operation_name_starts_with_its_area() -> None:
    assert [op.name.value for op in operations() if not op.name.value.startswith(AREAS)] == []


def test_each_mutation_operation_is_named_after_its_api_mutation() -> None:
    wrong = []
    for op in operations():
        if op.operation != OperationType.MUTATION:
            continue
        area = next(area for area in AREAS if op.name.value.startswith(area))
        field = op.selection_set.selections[0]
        assert isinstance(field, FieldNode)
        if op.name.value != expected_mutation_name(area, field.name.value):
            wrong.append(op.name.value)
    assert wrong == []
