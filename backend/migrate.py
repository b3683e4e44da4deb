"""Apply and revert the numbered migrations with peewee's migration runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playhouse.migrations import Runner

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def runner(database: Any) -> Runner:
    return Runner(database, directory=str(MIGRATIONS_DIR), table_name="schema_migration")


def migrate_up(database: Any) -> list[str]:
    """Apply every pending migration; return the names applied."""
    return runner(database).up()


def migrate_status(database: Any) -> list[tuple[str, Any]]:
    return [(m.name, m.applied) for m in runner(database).status()]


def migrate_down(database: Any, target: str | None = None) -> list[str]:
    """Revert the latest migration, or every one back through ``target``."""
    return runner(database).down(target)
