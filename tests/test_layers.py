"""Layers point one way: backend <- schema, tasks <- portal. A leak fails here. Inside a package, modules never
import each other in a circle, and imports sit at the top of the file unless a comment says why not."""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB_LIBRARIES = {"flask", "flask_login", "flask_wtf", "flask_babel", "strawberry", "huey", "wtforms", "werkzeug"}
# The packages held to the two rules at the end of this file: no import cycles, and imports at the top.
TIDY_PACKAGES = ["backend", "tasks", "schema", "portal"]


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


# --- No cycles inside a package ---------------------------------------------------------------------------


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that runs, in functions too; those under ``if TYPE_CHECKING:`` never do."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for statement in child.orelse:
                    visit(statement)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            else:
                visit(child)

    visit(tree)
    return found


def imported_modules(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool, modules: set[str]) -> set[str]:
    """The ``modules`` an import loads: ``from a import b`` loads ``a.b`` when that is a module, else ``a``.

    Each name counts on its own, so ``from a import b, c`` loads both ``a.b`` and ``a.c`` when both are modules.
    """
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & modules
    base = node.module or ""
    if node.level:
        parent = importer.split(".")[: None if is_package else -1]
        parent = parent[: len(parent) - node.level + 1]
        base = ".".join([*parent, base] if base else parent)
    loaded = {f"{base}.{alias.name}" for alias in node.names}
    return {name if name in modules else base for name in loaded} & modules


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Each module of ``package`` and the modules of the same package it imports, anywhere in the file."""
    paths = {module_name(root, path): path for path in sorted((root / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        edges: set[str] = set()
        for node in runtime_imports(ast.parse(path.read_text(), filename=str(path))):
            edges |= imported_modules(node, name, path.name == "__init__.py", set(paths))
        graph[name] = edges - {name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as the path that closes it (``a -> b -> a``), or [] when there is none."""
    done: set[str] = set()

    def walk(module: str, path: list[str]) -> list[str]:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return []
        for target in sorted(graph[module]):
            if cycle := walk(target, [*path, module]):
                return cycle
        done.add(module)
        return []

    for module in sorted(graph):
        if cycle := walk(module, []):
            return cycle
    return []


@pytest.mark.parametrize("package", TIDY_PACKAGES)
def test_no_import_cycle_inside_the_package(package: str) -> None:
    cycle = find_cycle(import_graph(ROOT, package))
    assert cycle == [], "import cycle: " + " -> ".join(cycle)


def test_cycle_check_sees_a_cycle_through_an_import_inside_a_function(tmp_path: Path) -> None:
    # Guards the guard: the cycle closes only through a function-level, relative import.
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from pkg import b\n")
    (tmp_path / "pkg" / "b.py").write_text("def f():\n    from .c import g\n")
    (tmp_path / "pkg" / "c.py").write_text("from typing import TYPE_CHECKING\nimport pkg.a\ndef g(): pass\n")
    assert find_cycle(import_graph(tmp_path, "pkg")) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]
    (tmp_path / "pkg" / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n")
    assert find_cycle(import_graph(tmp_path, "pkg")) == []


def test_cycle_check_sees_every_module_one_from_import_names(tmp_path: Path) -> None:
    # Guards the guard: the cycle closes through the second of two modules imported on one line.
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from pkg import a, b\nVALUE = 1\n")
    (tmp_path / "pkg" / "a.py").write_text("")
    (tmp_path / "pkg" / "b.py").write_text("from pkg import VALUE\n")
    assert find_cycle(import_graph(tmp_path, "pkg")) == ["pkg", "pkg.b", "pkg"]


# --- Imports at the top, unless a comment says why not -----------------------------------------------------


def import_runs(function: ast.AST) -> Iterator[list[ast.Import | ast.ImportFrom]]:
    """Runs of import statements one after another, anywhere inside a function."""
    for node in ast.walk(function):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            run: list[ast.Import | ast.ImportFrom] = []
            for statement in [*block, None] if isinstance(block, list) else []:
                if isinstance(statement, ast.Import | ast.ImportFrom):
                    run.append(statement)
                elif run:
                    yield run
                    run = []


def unexplained_local_imports(root: Path, path: Path) -> list[str]:
    """Imports inside functions with no comment on their lines or the line above (one comment covers a run)."""
    source = path.read_text()
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    comments = {token.start[0] for token in tokens if token.type == tokenize.COMMENT}
    found: dict[int, str] = {}
    for function in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for run in import_runs(function):
            lines = range(run[0].lineno - 1, (run[-1].end_lineno or run[-1].lineno) + 1)
            if not any(line in comments for line in lines):
                found |= {node.lineno: f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}" for node in run}
    return [found[line] for line in sorted(found)]


@pytest.mark.parametrize("package", TIDY_PACKAGES)
def test_imports_sit_at_the_top_unless_a_comment_says_why(package: str) -> None:
    paths = sorted((ROOT / package).rglob("*.py"))
    assert [line for path in paths for line in unexplained_local_imports(ROOT, path)] == []


def test_import_check_sees_an_unexplained_import_inside_a_function(tmp_path: Path) -> None:
    # Guards the guard: only the import with no comment on its line or the line above is listed.
    module = tmp_path / "m.py"
    module.write_text(
        "import os\n"
        "def f():\n    # fpdf is slow to import\n    import fpdf\n    import fpdf.fonts\n"
        "def g():\n    if True:\n        import json\n    import re  # only here\n"
    )
    assert unexplained_local_imports(tmp_path, module) == ["m.py:8: import json"]
