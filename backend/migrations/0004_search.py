"""Full-text search indexes for people and homes: FTS5 on SQLite, tsvector with GIN on PostgreSQL.

Triggers keep each index in step with its table, so no code path has to remember to.
"""

from peewee import PostgresqlDatabase

SEARCHED = {"account": ("display_name", "email"), "home": ("reference", "address", "postcode")}


def _sqlite_up(table, columns):
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
        f"tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _sqlite_down(table, columns):
    fts = f"{table}_fts"
    return [f"DROP TRIGGER IF EXISTS {fts}_{s}" for s in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {fts}"]


def _document(prefix, columns):
    return " || ' ' || ".join(f"coalesce({prefix}{c}, '')" for c in columns)


def _postgres_up(table, columns):
    search = f"{table}_search"
    return [
        f'CREATE TABLE {search} (id integer PRIMARY KEY REFERENCES "{table}"(id) ON DELETE CASCADE, '
        f"document tsvector NOT NULL)",
        f"CREATE INDEX {search}_document ON {search} USING GIN (document)",
        f"CREATE FUNCTION {search}_sync() RETURNS trigger AS $$ BEGIN "
        f"INSERT INTO {search}(id, document) VALUES (NEW.id, to_tsvector('simple', {_document('NEW.', columns)})) "
        f"ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document; RETURN NEW; END; $$ LANGUAGE plpgsql",
        f'CREATE TRIGGER {search}_sync AFTER INSERT OR UPDATE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION {search}_sync()",
        f"INSERT INTO {search}(id, document) SELECT id, to_tsvector('simple', {_document('', columns)}) "
        f'FROM "{table}"',
    ]


def _postgres_down(table, columns):
    search = f"{table}_search"
    return [
        f'DROP TRIGGER IF EXISTS {search}_sync ON "{table}"',
        f"DROP FUNCTION IF EXISTS {search}_sync()",
        f"DROP TABLE IF EXISTS {search}",
    ]


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    for table, columns in SEARCHED.items():
        for sql in (_postgres_up if postgres else _sqlite_up)(table, columns):
            db.execute_sql(sql)


def down(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    for table, columns in SEARCHED.items():
        for sql in (_postgres_down if postgres else _sqlite_down)(table, columns):
            db.execute_sql(sql)
