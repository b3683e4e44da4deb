"""Every migration applied to an empty database gives exactly the schema the models describe."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from playhouse.schema_diff import diff_models

from backend.migrate import MIGRATIONS_DIR, migrate_down, migrate_up, runner
from backend.models import ALL_MODELS

PG_SCHEMA = "learnloop_migration_check"


def sqlite_database(tmp_path: Path) -> Iterator[Any]:
    database = SqliteDatabase(str(tmp_path / "empty.sqlite3"), pragmas={"foreign_keys": 1})
    database.connect()
    yield database
    database.close()


def postgres_database() -> Iterator[Any]:
    import psycopg
    from playhouse.postgres_ext import Psycopg3Database

    url = os.environ["LEARNLOOP_TEST_DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        conn.execute(f"CREATE SCHEMA {PG_SCHEMA}")
    from urllib.parse import urlparse

    parsed = urlparse(url)
    database = Psycopg3Database(
        parsed.path.lstrip("/"),
        user=parsed.username,
        password=parsed.password,
        host=parsed.hostname,
        port=parsed.port,
        options=f"-c search_path={PG_SCHEMA}",
    )
    database.connect()
    yield database
    database.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")


BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("LEARNLOOP_TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    factory = sqlite_database(tmp_path) if request.param == "sqlite" else postgres_database()
    yield from factory


def bound(database: Any) -> Any:
    """Bind the models to ``database`` for the diff without touching the app's proxy."""
    return database.bind_ctx(ALL_MODELS, bind_refs=False, bind_backrefs=False)


def column_signature(database: Any) -> dict[str, dict[str, tuple[bool, bool]]]:
    """For each table: column name -> (nullable, primary key)."""
    return {
        model._meta.table_name: {c.name: (c.null, c.primary_key) for c in database.get_columns(model._meta.table_name)}
        for model in ALL_MODELS
    }


def model_signature() -> dict[str, dict[str, tuple[bool, bool]]]:
    return {
        model._meta.table_name: {f.column_name: (bool(f.null), bool(f.primary_key)) for f in model._meta.sorted_fields}
        for model in ALL_MODELS
    }


def test_migrations_on_empty_database_match_the_models(empty_database: Any) -> None:
    applied = migrate_up(empty_database)
    assert applied == sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))
    with bound(empty_database):
        diff = diff_models(empty_database, ALL_MODELS)
    assert not diff, f"schema differs from models:\n{diff}"
    assert column_signature(empty_database) == model_signature()


def test_migrations_revert_and_reapply_cleanly(empty_database: Any) -> None:
    migrate_up(empty_database)
    first = runner(empty_database).status()[0].name
    reverted = migrate_down(empty_database, first)
    assert first in reverted
    tables = set(empty_database.get_tables()) - {"schema_migration"}
    assert tables == set()
    migrate_up(empty_database)
    with bound(empty_database):
        assert not diff_models(empty_database, ALL_MODELS)


def test_migration_files_are_numbered_once_each() -> None:
    numbers = sorted(int(p.stem.split("_", 1)[0]) for p in MIGRATIONS_DIR.glob("[0-9]*.py"))
    # Numbers are reserved for work in progress, so a branch may skip some; none may be used twice.
    assert numbers[0] == 1 and len(set(numbers)) == len(numbers)
