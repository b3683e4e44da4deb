"""The worked example in docs/extending.md runs as written: a resource with a relation, a row filter and a
mutation is three files, and nothing else has to change for the API to serve it (issue 11).

The three code blocks are written into a folder standing in for the repository: the model is added to its models
module, the resource module is found in its domain package, and the migration runs after the others.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from peewee import ForeignKeyField, Model
from playhouse.schema_diff import diff_models

import backend.complaints.models
from backend.db import db
from backend.migrate import MIGRATIONS_DIR, new_migration, runner
from backend.models import all_models
from backend.updated_at import installed_triggers
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "extending.md"
SECTION = "## Adding a resource"
# Each file is a heading that names it ("#### 1. The model, added at the end of `backend/...`") and its code.
FILE_HEADING = re.compile(r"^#### .*?`(?P<path>[\w/]+\.py)`", re.M)
CODE = re.compile(r"^```python\n(?P<code>.*?)^```", re.M | re.S)
MIGRATION = re.compile(r"backend/migrations/\d{4}_(?P<slug>\w+)\.py")
LONG_AGO = dt.datetime(2000, 1, 1)


def guide_files() -> dict[str, str]:
    """The code of each file the guide's worked example writes, by the path its heading names."""
    text = GUIDE.read_text()
    assert SECTION in text, f"docs/extending.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    headings = list(FILE_HEADING.finditer(section))
    files = {}
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        block = CODE.search(section, heading.end(), following.start() if following else len(section))
        assert block, f"no python block after the heading for {heading['path']}"
        files[heading["path"]] = block["code"]
    return files


@dataclass
class Example:
    """The files the example wrote (paths under ``root``), the folder of migrations to run, and its model."""

    root: Path
    written: list[str]
    migrations: Path
    model: type[Model]


def the_three(files: dict[str, str]) -> tuple[str, str, str]:
    """The model's module, the resource module and the migration, by their paths."""
    models = [path for path in files if re.fullmatch(r"backend/\w+/models\.py", path)]
    modules = [path for path in files if re.fullmatch(r"schema/\w+/\w+\.py", path)]
    migrations = [path for path in files if MIGRATION.fullmatch(path)]
    assert len(models) == len(modules) == len(migrations) == 1, sorted(files)
    return models[0], modules[0], migrations[0]


def add_to_module(module: Any, path: Path, monkeypatch: pytest.MonkeyPatch) -> list[type[Model]]:
    """Run ``path`` as if it were written at the end of ``module``; return the models it defines."""
    namespace = dict(vars(module))
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # the guide's own code
    added = {name: value for name, value in namespace.items() if name not in vars(module)}
    for name, value in added.items():
        monkeypatch.setattr(module, name, value, raising=False)
    return [value for value in added.values() if isinstance(value, type) and issubclass(value, Model)]


def forget_model(model: type[Model]) -> None:
    """Take the model's foreign keys off the models they point to, as if it had never been declared."""
    for field in list(model._meta.refs):
        assert isinstance(field, ForeignKeyField)
        model._meta.remove_ref(field)
        if field.backref and field.backref != "+" and hasattr(field.rel_model, field.backref):
            delattr(field.rel_model, field.backref)


def forget_module(name: str) -> None:
    sys.modules.pop(name, None)
    package, _, leaf = name.rpartition(".")
    if hasattr(sys.modules[package], leaf):
        delattr(sys.modules[package], leaf)


def dotted(path: str) -> str:
    """The module name of a file's path: ``backend/complaints/models.py`` is ``backend.complaints.models``."""
    return path.removesuffix(".py").replace("/", ".")


def next_migration(slug: str) -> str:
    numbers = [int(path.name[:4]) for path in MIGRATIONS_DIR.glob("[0-9]*.py")]
    return f"backend/migrations/{max(numbers) + 1:04d}_{slug}.py"


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Example]:
    """The guide's three files written under a stand-in repository, and taken in as the real ones would be."""
    files = guide_files()
    model_path, module_path, migration_path = the_three(files)
    slug = MIGRATION.fullmatch(migration_path)["slug"]  # type: ignore[index]
    root = tmp_path / "repository"
    shutil.copytree(MIGRATIONS_DIR, root / "backend" / "migrations", ignore=shutil.ignore_patterns("__pycache__"))
    written = [model_path, module_path, next_migration(slug)]
    for path, code in zip(written, (files[model_path], files[module_path], files[migration_path]), strict=True):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(code)

    # The model: added to its domain's models module, where the model discovery looks.
    (model,) = add_to_module(importlib.import_module(dotted(model_path)), root / model_path, monkeypatch)
    # The resource module: one more module of its domain package, which the API's discovery reads.
    module_name = dotted(module_path)
    package = importlib.import_module(module_name.rpartition(".")[0])
    monkeypatch.setattr(package, "__path__", [*package.__path__, str((root / module_path).parent)])
    yield Example(root, written, root / "backend" / "migrations", model)
    forget_module(module_name)
    forget_model(model)


@pytest.fixture
def example_app(example: Example, other_app: Any) -> Flask:
    """An app on its own database, built after the example's files are in place, with every migration applied."""
    app = other_app()
    with db.obj.connection_context():
        applied = runner(db.obj, example.migrations).up()
    assert applied == [Path(example.written[2]).stem]
    return app


def code_lines(text: str) -> list[str]:
    """The lines of a migration that do something: no docstring, comments or blank lines."""
    lines = text.splitlines()
    assert lines[0].startswith('"""') and lines[0].endswith('"""'), "a migration opens with a one-line docstring"
    return [line for line in lines[1:] if line.strip() and not line.lstrip().startswith("#")]


def in_order(wanted: list[str], lines: list[str]) -> list[str]:
    """The lines of ``wanted`` that are not in ``lines`` in the same order (none, when all are)."""
    remaining = iter(lines)
    return [line for line in wanted if not any(line == candidate for candidate in remaining)]


def touched(example: Example) -> list[str]:
    """The files under the stand-in repository that differ from the repository's own."""
    return sorted(
        str(path.relative_to(example.root))
        for path in example.root.rglob("*.py")
        if not (ROOT / path.relative_to(example.root)).exists()
        or (ROOT / path.relative_to(example.root)).read_text() != path.read_text()
    )


def post(app: Flask, token: str, text: str, **variables: Any) -> dict[str, Any]:
    response = app.test_client().post(
        "/graphql", json={"query": text, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
    )
    return response.get_json()


def graphql(app: Flask, token: str, text: str, **variables: Any) -> dict[str, Any]:
    body = post(app, token, text, **variables)
    assert "errors" not in body, body
    return body["data"]


BOOK = """mutation($input: FollowUpCallCreateInput!) { followUpCallCreate(input: $input) {
  __typename ... on FollowUpCallCreated { followUpCall { id dueOn purpose complaint { reference } } }
  ... on Problem { code message } } }"""
STAFF_LIST = "{ followUpCalls { totalCount nodes { id purpose outcome complaint { reference } } } }"
RESIDENT_LIST = "{ followUpCalls { totalCount nodes { id purpose complaint { id reference } } } }"


def book(app: Flask, token: str, complaint: Any, purpose: str) -> dict[str, Any]:
    values = {"complaintId": str(complaint.id), "dueOn": "2026-05-04", "purpose": purpose}
    result = graphql(app, token, BOOK, input=values)["followUpCallCreate"]
    assert result["__typename"] == "FollowUpCallCreated", result
    return result["followUpCall"]


def test_the_guide_shows_a_model_a_resource_module_and_a_migration() -> None:
    model_path, module_path, migration_path = the_three(guide_files())
    assert (ROOT / model_path).exists(), "the model is added to a domain's existing models module"
    assert not (ROOT / module_path).exists(), "the resource module is a new one"
    assert migration_path.startswith("backend/migrations/")


def test_the_example_touches_exactly_three_files(example: Example) -> None:
    assert touched(example) == sorted(example.written)
    assert len(example.written) == 3


def test_the_example_is_served_with_its_relation_row_filter_and_mutation(example: Example, example_app: Flask) -> None:
    staff_token = factories.make_token(factories.make_user("staff"), "write")[1]
    resident = factories.make_user()
    own = factories.make_complaint(resident)
    other = factories.make_complaint(factories.make_user())

    booked = book(example_app, staff_token, own, "Check the new window seals.")
    assert booked["complaint"] == {"reference": own.reference}
    book(example_app, staff_token, other, "Check the boiler was serviced.")

    staff_view = graphql(example_app, staff_token, STAFF_LIST)["followUpCalls"]
    assert staff_view["totalCount"] == 2
    assert {node["complaint"]["reference"] for node in staff_view["nodes"]} == {own.reference, other.reference}

    resident_token = factories.make_token(resident, "read")[1]
    resident_view = graphql(example_app, resident_token, RESIDENT_LIST)["followUpCalls"]
    assert resident_view["totalCount"] == 1
    (node,) = resident_view["nodes"]
    assert node["id"] == booked["id"] and node["purpose"] == "Check the new window seals."
    assert node["complaint"]["reference"] == own.reference  # the relation resolves for the resident too
    refused = post(example_app, resident_token, "{ followUpCalls { nodes { outcome } } }")
    assert "outcome" in refused["errors"][0]["message"]  # staff only


def test_the_examples_migration_installs_its_updated_at_triggers(example: Example, example_app: Flask) -> None:
    table = example.model._meta.table_name
    assert f"updated_at__{table}__touch" in installed_triggers(db.obj)
    complaint = factories.make_complaint(factories.make_user())
    Complaint = backend.complaints.models.Complaint
    Complaint.update(updated_at=LONG_AGO).where(Complaint.id == complaint.id).execute()
    example.model.create(complaint=complaint.id, due_on=dt.date(2026, 5, 4), purpose="Check the repair.")
    assert Complaint.get_by_id(complaint.id).updated_at > LONG_AGO  # the call moved its complaint


def test_the_examples_migration_is_what_make_migration_writes(example: Example, tmp_path: Path) -> None:
    folder = tmp_path / "before"
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    path, changed = new_migration("follow-up calls", folder)
    assert changed
    written = (example.root / example.written[2]).read_text()
    # The guide's file is the generated one with a docstring, two install_triggers calls and no TODO lines.
    assert in_order(code_lines(path.read_text()), code_lines(written)) == []


def test_the_examples_migration_gives_the_models_schema(example: Example, example_app: Flask) -> None:
    models = all_models()
    assert example.model in models
    with db.obj.bind_ctx(models, bind_refs=False, bind_backrefs=False):
        assert not diff_models(db.obj, models)
