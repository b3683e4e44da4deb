"""Full-text search indexes for scrutiny panels (name), their reviews (reference and topic) and evidence pack items
(title), which the API searches with ``search:``: FTS5 on SQLite, tsvector with GIN on PostgreSQL, kept in step by
triggers as those of 0004 are."""

import importlib.util
from pathlib import Path

from peewee import PostgresqlDatabase

SEARCHED = {"panel": ("name",), "scrutiny_review": ("reference", "topic"), "pack_item": ("title",)}
# The statements that build and drop an index are 0004's, so every searched table is indexed the same way.
_spec = importlib.util.spec_from_file_location("search_0004", Path(__file__).with_name("0004_search.py"))
assert _spec is not None and _spec.loader is not None
_search = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_search)


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    for table, columns in SEARCHED.items():
        for sql in (_search._postgres_up if postgres else _search._sqlite_up)(table, columns):
            db.execute_sql(sql)


def down(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    for table, columns in SEARCHED.items():
        for sql in (_search._postgres_down if postgres else _search._sqlite_down)(table, columns):
            db.execute_sql(sql)
