"""Read what a backup records about a database: its tables, their row counts, the migrations applied and the
attachments' manifest.

Every function takes a plain DB-API connection (``sqlite3`` or ``psycopg``) that the caller has put in one
snapshot: a SQLite backup copy, or a PostgreSQL transaction whose snapshot ``pg_dump`` shares. What is read here
then describes exactly what the dump holds.

The attachments are found by their columns, not by the models: every table with ``storage_key``, ``size`` and
``sha256`` columns keeps files in the attachment store. A database made by an older or newer version of the code,
whose tables differ from today's models, is read all the same.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
ATTACHMENT_COLUMNS = frozenset({"storage_key", "size", "sha256"})
MIGRATIONS_TABLE = "schema_migration"


@dataclass(frozen=True, order=True)
class Entry:
    """One stored attachment: the table whose row points at it, its storage key, its size and SHA-256 in hex."""

    key: str
    table: str
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: Any) -> Entry:
        """Read an entry back from a manifest; raise ValueError when it is not one."""
        if not isinstance(raw, dict) or set(raw) != {"key", "table", "size", "sha256"}:
            raise ValueError("not a manifest entry")
        key, table, size, sha256 = raw["key"], raw["table"], raw["size"], raw["sha256"]
        if not (isinstance(key, str) and isinstance(table, str) and isinstance(sha256, str)):
            raise ValueError("not a manifest entry")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0 or len(key) > 200 or len(table) > 100:
            raise ValueError("not a manifest entry")
        return cls(key=key, table=table, size=size, sha256=sha256)


def quote(name: str) -> str:
    """Quote a table or column name read from the database's own catalogue, for both SQLite and PostgreSQL."""
    return '"' + name.replace('"', '""') + '"'


def tables(connection: Any, kind: str) -> list[str]:
    """The names of the database's own tables, in name order (SQLite's internal tables left out)."""
    if kind == SQLITE:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    return sorted(row[0] for row in connection.execute(sql).fetchall())


def columns(connection: Any, kind: str, table: str) -> list[str]:
    """The table's column names, in the table's own order."""
    if kind == SQLITE:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({quote(table)})").fetchall()]
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [row[0] for row in rows]


def row_counts(connection: Any, kind: str) -> dict[str, int]:
    """How many rows each table holds."""
    return {
        table: int(connection.execute(f"SELECT COUNT(*) FROM {quote(table)}").fetchone()[0])  # noqa: S608 - quoted
        for table in tables(connection, kind)
    }


def applied_migrations(connection: Any, kind: str) -> list[str]:
    """The names of the migrations applied, in order; empty when none has ever been."""
    if MIGRATIONS_TABLE not in tables(connection, kind):
        return []
    names = [row[0] for row in connection.execute(f"SELECT name FROM {quote(MIGRATIONS_TABLE)}").fetchall()]  # noqa: S608
    return sorted(names, key=_migration_order)


def _migration_order(name: str) -> tuple[int, str]:
    """By number first, as the migration runner orders them, then by name."""
    digits = re.match(r"\d+", name)
    return (int(digits.group()) if digits else 0, name)


def attachment_manifest(connection: Any, kind: str) -> list[Entry]:
    """Every stored attachment the database points at, in key order."""
    entries: list[Entry] = []
    for table in tables(connection, kind):
        if not ATTACHMENT_COLUMNS <= set(columns(connection, kind, table)):
            continue
        rows = connection.execute(
            f"SELECT storage_key, size, sha256 FROM {quote(table)} WHERE storage_key IS NOT NULL"  # noqa: S608 - quoted
        ).fetchall()
        entries.extend(Entry(key=key, table=table, size=int(size), sha256=sha256) for key, size, sha256 in rows)
    return sorted(entries)
