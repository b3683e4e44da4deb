"""Apply and revert the numbered migrations with peewee's migration runner, and write the next one."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase
from playhouse.migrations import Runner, template
from playhouse.schema_diff import diff_models

from backend.models import all_models

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# A migration that changes data, not the schema, still says why and can be reverted.
DATA_MIGRATION = '''"""{name}."""
from peewee import *


def up(migrator, db):
    pass


def down(migrator, db):
    pass
'''


def runner(database: Any, directory: Path = MIGRATIONS_DIR) -> Runner:
    return Runner(database, directory=str(directory), table_name="schema_migration")


def migrate_up(database: Any) -> list[str]:
    """Apply every pending migration; return the names applied."""
    return runner(database).up()


def migrate_status(database: Any) -> list[tuple[str, Any]]:
    return [(m.name, m.applied) for m in runner(database).status()]


def migrate_down(database: Any, target: str | None = None) -> list[str]:
    """Revert the latest migration, or every one back through ``target``."""
    return runner(database).down(target)


def new_migration(name: str, directory: Path = MIGRATIONS_DIR) -> tuple[Path, bool]:
    """Write the next numbered migration for what the models changed; return its path and whether it has changes.

    Every migration is applied to a scratch SQLite database and peewee's generator compares it with the models: new
    tables, columns and indexes become code, and anything it cannot work out is marked TODO in the file. When nothing
    differs, the file is an empty ``up`` and ``down``, for a migration that changes data.
    """
    quiet = logging.getLogger("peewee.migrations")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # the scratch database's "up: ..." lines would bury the answer
    try:
        with tempfile.TemporaryDirectory() as folder:
            scratch = SqliteDatabase(str(Path(folder) / "scratch.sqlite3"), pragmas={"foreign_keys": 1})
            with scratch.connection_context():
                migrations = runner(scratch, directory)
                migrations.up()
                models = all_models()  # as they are now, a model added since start-up among them
                with scratch.bind_ctx(models, bind_refs=False, bind_backrefs=False):
                    diff = diff_models(scratch, models)
    finally:
        quiet.setLevel(level)
    body = f'"""{name}."""\n{template(diff)}' if diff else DATA_MIGRATION.format(name=name)
    return Path(migrations.create(name, body=body)), bool(diff)
