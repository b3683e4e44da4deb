"""The triggers that keep each theme's stored figures honest: they mark a theme's figures out of date.

A theme's figures (:mod:`backend.lessons.theme_figures`) count its linked contacts, their residents, complaints and
upheld points, and its linked lessons' impact ratings. Working them out over every linked contact takes too long
for a page, so they are stored (``theme_figures``, ``theme_month_figures``) and worked out again only when they are
out of date. The database itself says when that is: a trigger on each table the figures read moves the version of
every theme the changed row counts towards, so a change made by a service, a bulk statement, a cascade or by hand
in a SQL shell is noticed the same way. Another adds the figures row of each new theme.

These triggers are named ``theme_figures__…`` and installed by the migrations (:func:`install`). A migration that
rebuilds one of the tables below on SQLite (dropping a column does) drops its triggers: it must call
:func:`install` again. ``tests/test_theme_figures.py`` checks that every trigger is in the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import PostgresqlDatabase

from backend.updated_at import installed_triggers, remove_triggers

PREFIX = "theme_figures__"
FIGURES = "theme_figures"

# Every SQL text below is built from table and column names written here, never from input.

#: SQL for the ids of the themes a row counts towards, from the id it holds (NEW."x" or OLD."x").
Themes = Callable[[str], str]


def _of_theme(theme_id: str) -> str:
    return f"SELECT {theme_id}"


def _of_lesson(lesson_id: str) -> str:
    return f'SELECT "theme_id" FROM "lesson_theme" WHERE "lesson_id" = {lesson_id}'  # noqa: S608


def _of_contact(contact_id: str) -> str:
    return f'SELECT "theme_id" FROM "contact_theme" WHERE "contact_id" = {contact_id}'  # noqa: S608


def _of_complaint(complaint_id: str) -> str:
    return (
        'SELECT ct."theme_id" FROM "contact_theme" ct JOIN "complaint" co ON co."contact_id" = ct."contact_id" '  # noqa: S608
        f'WHERE co."id" = {complaint_id}'
    )


def _of_point(point_id: str) -> str:
    return (
        'SELECT ct."theme_id" FROM "contact_theme" ct JOIN "complaint" co ON co."contact_id" = ct."contact_id" '  # noqa: S608
        f'JOIN "complaint_point" p ON p."complaint_id" = co."id" WHERE p."id" = {point_id}'
    )


@dataclass(frozen=True)
class Watched:
    """A table the figures read: which of its changes matter, and the themes a row counts towards.

    ``column`` is the row's column that ``themes`` takes; ``changed`` the columns whose change, in an UPDATE, moves
    the themes of the old row and of the new. ``on_insert``/``on_delete``: whether writing or deleting a row does.
    """

    table: str
    column: str
    themes: Themes
    changed: tuple[str, ...] = ()
    on_insert: bool = True
    on_delete: bool = True


WATCHED = (
    Watched("contact_theme", "theme_id", _of_theme, changed=("theme_id", "contact_id")),
    Watched("lesson_theme", "theme_id", _of_theme, changed=("theme_id", "lesson_id")),
    Watched(
        "lesson", "id", _of_lesson, changed=("business_impact", "resident_impact"), on_insert=False, on_delete=False
    ),
    Watched("contact", "id", _of_contact, changed=("resident_id", "received_at"), on_insert=False, on_delete=False),
    Watched("complaint", "contact_id", _of_contact, changed=("contact_id",)),
    Watched("complaint_point", "complaint_id", _of_complaint, changed=("complaint_id",), on_insert=False),
    Watched("point_decision", "point_id", _of_point, changed=("point_id", "decision")),
)


def _mark(watched: Watched, row: str) -> str:
    """The statement that moves the version of the themes ``row`` (NEW or OLD) counts towards."""
    themes = watched.themes(f'{row}."{watched.column}"')
    return f'UPDATE "{FIGURES}" SET "version" = "version" + 1 WHERE "theme_id" IN ({themes});'  # noqa: S608


_ADD_ROW = (
    f'INSERT INTO "{FIGURES}" ("theme_id", "residents_affected", "contacts", "complaints", "upheld_complaints", '  # noqa: S608
    '"impact", "version", "refreshed_version") VALUES (NEW."id", 0, 0, 0, 0, 0, 1, 0);'
)


def _sqlite(watched: Watched) -> dict[str, list[str]]:
    made: dict[str, list[str]] = {}
    table = watched.table
    if watched.on_insert:
        name = f"{PREFIX}{table}__insert"
        made[name] = [
            f'CREATE TRIGGER "{name}" AFTER INSERT ON "{table}" FOR EACH ROW BEGIN {_mark(watched, "NEW")} END'
        ]
    if watched.on_delete:
        name = f"{PREFIX}{table}__delete"
        made[name] = [
            f'CREATE TRIGGER "{name}" AFTER DELETE ON "{table}" FOR EACH ROW BEGIN {_mark(watched, "OLD")} END'
        ]
    if watched.changed:
        name = f"{PREFIX}{table}__update"
        columns = ", ".join(f'"{c}"' for c in watched.changed)
        when = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in watched.changed)
        made[name] = [
            f'CREATE TRIGGER "{name}" AFTER UPDATE OF {columns} ON "{table}" FOR EACH ROW WHEN {when} '
            f"BEGIN {_mark(watched, 'NEW')} {_mark(watched, 'OLD')} END"
        ]
    return made


def _postgres(watched: Watched) -> dict[str, list[str]]:
    table = watched.table
    name = f"{PREFIX}{table}"
    branches = []
    events = []
    if watched.on_insert:
        branches.append(f"IF TG_OP = 'INSERT' THEN {_mark(watched, 'NEW')} END IF;")
        events.append("INSERT")
    if watched.on_delete:
        branches.append(f"IF TG_OP = 'DELETE' THEN {_mark(watched, 'OLD')} END IF;")
        events.append("DELETE")
    if watched.changed:
        differs = " OR ".join(f'NEW."{c}" IS DISTINCT FROM OLD."{c}"' for c in watched.changed)
        branches.append(
            f"IF TG_OP = 'UPDATE' AND ({differs}) THEN {_mark(watched, 'NEW')} {_mark(watched, 'OLD')} END IF;"
        )
        events.append("UPDATE OF " + ", ".join(f'"{c}"' for c in watched.changed))
    return {
        name: [
            f'CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
            + " ".join(branches)
            + " RETURN NULL; END $$",
            f'CREATE TRIGGER "{name}" AFTER {" OR ".join(events)} ON "{table}" '
            f'FOR EACH ROW EXECUTE FUNCTION "{name}"()',
        ]
    }


def statements(database: Any) -> dict[str, list[str]]:
    """Every trigger's SQL by name (on PostgreSQL, a function's name; its statements make it and its trigger)."""
    postgres = isinstance(database, PostgresqlDatabase)
    made: dict[str, list[str]] = {}
    for watched in WATCHED:
        made.update(_postgres(watched) if postgres else _sqlite(watched))
    name = f"{PREFIX}theme__insert"
    if postgres:
        made[name] = [
            f'CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {_ADD_ROW} RETURN NULL; END $$',
            f'CREATE TRIGGER "{name}" AFTER INSERT ON "theme" FOR EACH ROW EXECUTE FUNCTION "{name}"()',
        ]
    else:
        made[name] = [f'CREATE TRIGGER "{name}" AFTER INSERT ON "theme" FOR EACH ROW BEGIN {_ADD_ROW} END']
    return made


def installed(database: Any) -> list[str]:
    """The names of the triggers (on PostgreSQL, their functions) this module installed, sorted."""
    return installed_triggers(database, PREFIX)


def remove(database: Any) -> None:
    """Drop every trigger (and PostgreSQL function) this module installed."""
    remove_triggers(database, PREFIX)


def install(database: Any) -> list[str]:
    """Replace the triggers with those this module declares now, and mark every theme's figures out of date."""
    remove(database)
    made = statements(database)
    for sql in (sql for group in made.values() for sql in group):
        database.execute_sql(sql)
    database.execute_sql(f'UPDATE "{FIGURES}" SET "version" = "version" + 1')  # noqa: S608
    return sorted(made)
