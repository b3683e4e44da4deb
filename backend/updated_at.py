"""Which rows carry ``updated_at``, and which parent rows a change to them moves: kept by triggers.

Each model says how its rows change, in its Meta (:mod:`backend.changes`): ``changes = Changing(...)`` for rows
that change after they are written, which carry ``updated_at``, or ``changes = WrittenOnce(...)`` for rows that
are only ever written and deleted, which carry none. Every table the API serves says one or the other. Either may
name parents: foreign keys (or paths of them, ``"response.complaint"``) to the rows whose ``updated_at`` moves
whenever one of its rows is written, changed or deleted. A parent's move moves its own parents in turn, so a new
case message moves its complaint, and the complaint its contact. :func:`tables` reads the declarations from the
models as they are now.

The database keeps all of this with triggers generated from the declarations (:func:`install_triggers`, run by the
migrations), not Python: a change made by ``save()``, by an ``UPDATE`` over many rows, by a bulk insert, by a
foreign key's cascade or by hand in a SQL shell moves the same timestamps. A row changed without its
``updated_at`` being set is stamped; a value the statement sets itself is kept (the application's clock, which
tests may freeze). Parents move forward only, to the later of the child's stamp and the database clock in UTC.

The answers to an anonymous survey are timed by the day, never finer (:mod:`backend.surveys.batches`), so every
stamp the triggers give its invitations, responses and answers, and every move they make from them, is a day.

A new table, or a change to a declaration or to the generated SQL, needs a migration that calls
:func:`install_triggers` again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from peewee import ForeignKeyField, Model, PostgresqlDatabase

from backend.changes import Changing, WrittenOnce
from backend.models import all_models

COLUMN = "updated_at"
PREFIX = "updated_at__"

Table = Changing | WrittenOnce


def table_for(model: type[Model]) -> Table | None:
    """How ``model``'s rows change, as its Meta declares (``changes = ...``), or None when it declares nothing."""
    declared = getattr(model._meta, "changes", None)
    return None if declared is None else replace(declared, model=model)


def tables() -> tuple[Table, ...]:
    """The declaration of every model that makes one, in the models' order."""
    return tuple(table for model in all_models() if (table := table_for(model)) is not None)


#: The declarations when this module was imported; :func:`install_triggers` reads them afresh.
TABLES = tables()


def name_of(model: type[Model]) -> str:
    return model._meta.table_name  # type: ignore[no-any-return]


# Every SQL text below is built from the names of models, fields and this module's constants, never from input.


def follow(model: type[Model], path: str, row: str) -> tuple[type[Model], str]:
    """The model at the end of ``path`` (foreign keys joined by dots) and SQL for its id, from ``row`` (NEW/OLD)."""
    first, *rest = path.split(".")
    field = getattr(model, first)
    assert isinstance(field, ForeignKeyField), f"{name_of(model)}.{first} is not a foreign key"
    sql = f'{row}."{field.column_name}"'
    target = field.rel_model
    for name in rest:
        field = getattr(target, name)
        assert isinstance(field, ForeignKeyField), f"{name_of(target)}.{name} is not a foreign key"
        sql = f'(SELECT "{field.column_name}" FROM "{name_of(target)}" WHERE "id" = {sql})'  # noqa: S608
        target = field.rel_model
    return target, sql


class Dialect:
    """The SQL that differs between SQLite and PostgreSQL. Times are naive UTC, as the application writes them."""

    def __init__(self, postgres: bool):
        self.postgres = postgres

    @property
    def now(self) -> str:
        if self.postgres:
            return "(clock_timestamp() AT TIME ZONE 'UTC')"
        # Written as Python writes a datetime, so that equal moments compare equal: six decimals, none on the second.
        return "replace(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000', '.000000', '')"

    def later(self, first: str, second: str) -> str:
        return f"GREATEST({first}, {second})" if self.postgres else f"max({first}, {second})"

    def day(self, moment: str) -> str:
        return f"date_trunc('day', {moment})" if self.postgres else f"strftime('%Y-%m-%d 00:00:00', {moment})"


def stamp(table: Table, dialect: Dialect, row: str, moment: str) -> str:
    """SQL for ``moment`` as the row may be timed: its day, where the row is timed by the day."""
    if not isinstance(table, Changing) or table.days_when is None:
        return moment
    path, flag = table.days_when
    target, target_id = follow(table.model, path, row)
    condition = f'(SELECT "{flag}" FROM "{name_of(target)}" WHERE "id" = {target_id})'  # noqa: S608
    return f"(CASE WHEN {condition} THEN {dialect.day(moment)} ELSE {moment} END)"


def written(table: Table, dialect: Dialect) -> str:
    """SQL for when the NEW row was written: its own time, unless the database clock is later."""
    own = COLUMN if isinstance(table, Changing) else table.written_at
    return stamp(table, dialect, "NEW", dialect.later(f'NEW."{own}"', dialect.now) if own else dialect.now)


def moves(table: Table, row: str, value: str) -> str:
    """An UPDATE per parent of ``row`` (NEW or OLD) that moves it forward to ``value`` (SQL, or a variable)."""
    statements = []
    for path in table.parents:
        parent, parent_id = follow(table.model, path, row)
        statements.append(
            f'UPDATE "{name_of(parent)}" SET "{COLUMN}" = {value} WHERE "id" = {parent_id} AND "{COLUMN}" < {value};'  # noqa: S608
        )
    return " ".join(statements)


# --- SQLite: trigger bodies run the statements; WHEN clauses decide whether they run. -----------------------


def _sqlite_touch(table: Changing, dialect: Dialect, columns: list[str]) -> tuple[str, list[str]]:
    """Stamp a row changed by a statement that left its updated_at as it was."""
    name = f"{PREFIX}{name_of(table.model)}__touch"
    compared = [c for c in columns if c != COLUMN and c not in table.quiet]
    changed = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in compared)
    return name, [
        f'CREATE TRIGGER "{name}" AFTER UPDATE ON "{name_of(table.model)}" FOR EACH ROW '  # noqa: S608
        f'WHEN NEW."{COLUMN}" IS OLD."{COLUMN}" AND ({changed}) BEGIN '
        f'UPDATE "{name_of(table.model)}" SET "{COLUMN}" = {stamp(table, dialect, "NEW", dialect.now)} '
        f'WHERE "id" = NEW."id"; END'
    ]


def _sqlite_parents(table: Table, dialect: Dialect) -> Iterator[tuple[str, list[str]]]:
    """Move the parents when a row is written, changed (a changing row: once its updated_at moved) or deleted."""
    changing = isinstance(table, Changing)
    changed = written(table, dialect) if changing else dialect.now
    events = {
        "insert": ("INSERT", "", moves(table, "NEW", written(table, dialect))),
        "update": (
            "UPDATE",
            f'WHEN NEW."{COLUMN}" IS NOT OLD."{COLUMN}" ' if changing else "",
            moves(table, "NEW", changed) + " " + moves(table, "OLD", changed),
        ),
        "delete": ("DELETE", "", moves(table, "OLD", stamp(table, dialect, "OLD", dialect.now))),
    }
    for suffix, (event, when, body) in events.items():
        name = f"{PREFIX}{name_of(table.model)}__{suffix}"
        sql = f'CREATE TRIGGER "{name}" AFTER {event} ON "{name_of(table.model)}" FOR EACH ROW {when}BEGIN {body} END'
        yield name, [sql]


# --- PostgreSQL: a function per table and purpose; the BEFORE trigger sets NEW.updated_at itself. -------------


def _postgres_touch(table: Changing, dialect: Dialect) -> tuple[str, list[str]]:
    """Stamp a row changed by a statement that left its updated_at as it was."""
    name = f"{PREFIX}{name_of(table.model)}__touch"
    ignored = "ARRAY[" + ", ".join(f"'{c}'" for c in (COLUMN, *table.quiet)) + "]"
    return name, [
        f'CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
        f'IF NEW."{COLUMN}" IS NOT DISTINCT FROM OLD."{COLUMN}" '
        f"AND (to_jsonb(NEW) - {ignored}) IS DISTINCT FROM (to_jsonb(OLD) - {ignored}) THEN "
        f'NEW."{COLUMN}" := {stamp(table, dialect, "NEW", dialect.now)}; END IF; RETURN NEW; END $$',
        f'CREATE TRIGGER "{name}" BEFORE UPDATE ON "{name_of(table.model)}" FOR EACH ROW EXECUTE FUNCTION "{name}"()',
    ]


def _postgres_parents(table: Table, dialect: Dialect) -> tuple[str, list[str]]:
    """Move the parents when a row is written, changed (a changing row: once its updated_at moved) or deleted."""
    name = f"{PREFIX}{name_of(table.model)}__parents"
    if isinstance(table, Changing):
        on_change = f'IF NEW."{COLUMN}" IS NOT DISTINCT FROM OLD."{COLUMN}" THEN RETURN NULL; END IF; '
        on_change += f"_stamp := {written(table, dialect)};"
    else:
        on_change = f"_stamp := {dialect.now};"
    return name, [
        f'CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE _stamp timestamp; BEGIN '
        f"IF TG_OP = 'DELETE' THEN _stamp := {stamp(table, dialect, 'OLD', dialect.now)}; "
        f"{moves(table, 'OLD', '_stamp')} RETURN NULL; END IF; "
        f"IF TG_OP = 'INSERT' THEN _stamp := {written(table, dialect)}; ELSE {on_change} END IF; "
        f"{moves(table, 'NEW', '_stamp')} "
        f"IF TG_OP = 'UPDATE' THEN {moves(table, 'OLD', '_stamp')} END IF; RETURN NULL; END $$",
        f'CREATE TRIGGER "{name}" AFTER INSERT OR UPDATE OR DELETE ON "{name_of(table.model)}" '
        f'FOR EACH ROW EXECUTE FUNCTION "{name}"()',
    ]


def _present(database: Any) -> dict[str, list[str]]:
    """The columns of every table in the database, by table."""
    return {table: [c.name for c in database.get_columns(table)] for table in database.get_tables()}


def _ready(table: Table, present: dict[str, list[str]]) -> bool:
    """Whether the table, and every parent it moves, is in the database with the columns the triggers use."""
    own = present.get(name_of(table.model))
    if own is None or (isinstance(table, Changing) and COLUMN not in own):
        return False
    parents = [follow(table.model, path, "NEW")[0] for path in table.parents]
    return all(COLUMN in present.get(name_of(parent), []) for parent in parents)


def trigger_statements(database: Any) -> dict[str, list[str]]:
    """The SQL of every trigger the table declares, by name, for the tables the database has so far.

    On PostgreSQL a name is a function's, and its statements create the function and its trigger.
    """
    postgres = isinstance(database, PostgresqlDatabase)
    dialect = Dialect(postgres)
    present = _present(database)
    made: dict[str, list[str]] = {}
    for table in tables():
        if not _ready(table, present):
            continue
        if isinstance(table, Changing):
            columns = present[name_of(table.model)]
            made.update([_postgres_touch(table, dialect) if postgres else _sqlite_touch(table, dialect, columns)])
        if table.parents:
            made.update([_postgres_parents(table, dialect)] if postgres else _sqlite_parents(table, dialect))
    return made


def installed_triggers(database: Any, prefix: str = PREFIX) -> list[str]:
    """The names of the triggers (on PostgreSQL, their functions) named with ``prefix`` (this module's unless
    given), sorted."""
    if isinstance(database, PostgresqlDatabase):
        sql = (
            "SELECT proname FROM pg_proc JOIN pg_namespace ON pg_namespace.oid = pg_proc.pronamespace "
            "WHERE nspname = current_schema() AND proname LIKE %s"
        )
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?"
    pattern = prefix.replace("_", "\\_") + "%"
    if not isinstance(database, PostgresqlDatabase):
        sql += " ESCAPE '\\'"
    return sorted(name for (name,) in database.execute_sql(sql, (pattern,)).fetchall())


def remove_triggers(database: Any, prefix: str = PREFIX) -> None:
    """Drop every trigger (and PostgreSQL function) named with ``prefix`` (this module's unless given)."""
    postgres = isinstance(database, PostgresqlDatabase)
    for name in installed_triggers(database, prefix):
        database.execute_sql(f'DROP FUNCTION "{name}"() CASCADE' if postgres else f'DROP TRIGGER "{name}"')


def install_triggers(database: Any) -> list[str]:
    """Replace the triggers with those the table declares now; return their names."""
    remove_triggers(database)
    statements = trigger_statements(database)
    for sql in (sql for group in statements.values() for sql in group):
        database.execute_sql(sql)
    return sorted(statements)
