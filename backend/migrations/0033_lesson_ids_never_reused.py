"""A lesson's id and reference are never given twice: after a lesson was deleted, the next one took its id and its
reference (LS-YYYY-NNNN), and with the id the deleted lesson's history.

- ``lesson_reference_counter`` holds the last number given in each UK year and never goes back. Each year's starts
  at the highest number among the lessons there and those the audit trail records as deleted.
- On SQLite the ``lesson`` table is rebuilt with ``AUTOINCREMENT``, whose sequence never goes back (without it
  SQLite gives the highest id again once its row is deleted); the sequence starts past the highest id the audit
  trail records as deleted. The rebuild keeps every row, column, index and trigger of the table as it was (the
  updated-at, search and theme-figure triggers among them): they are read from the schema and made again.
- On PostgreSQL the id's sequence never goes back already; it is moved past the highest id deleted, if it is not.
"""

import json
import re

from peewee import IntegerField, Model, PostgresqlDatabase

TABLE = "lesson"
REBUILT = "lesson__rebuild"
PLAIN = '"id" INTEGER NOT NULL PRIMARY KEY'
AUTOINCREMENT = PLAIN + " AUTOINCREMENT"
REFERENCE = re.compile(r"^LS-(\d{4})-(\d+)$")


def _deleted(db):
    """The ids and references of the lessons the audit trail records as deleted."""
    rows = db.execute_sql(
        "SELECT entity_id, changes FROM audit_event WHERE entity_type = 'lesson' AND action = 'lesson.deleted'"
    ).fetchall()
    ids, references = [], []
    for entity_id, changes in rows:
        if str(entity_id).isdigit():
            ids.append(int(entity_id))
        changes = json.loads(changes) if isinstance(changes, str) else (changes or {})
        reference = (changes.get("reference") or {}).get("before")
        if isinstance(reference, str):
            references.append(reference)
    return ids, references


def _rebuild(db, old, new):
    """Rebuild the lesson table on SQLite with ``new`` for ``old`` in its id's definition; keep all else."""
    if db.execute_sql("PRAGMA foreign_keys").fetchone()[0]:
        # Dropping the table with foreign keys on would delete every row that points at a lesson.
        raise RuntimeError("the lesson table can only be rebuilt with foreign keys off")
    (create,) = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone()
    if create.count(old) != 1 or (old == PLAIN and AUTOINCREMENT in create):
        raise RuntimeError(f"unexpected definition of the lesson table: {create}")
    create = re.sub(r'^CREATE TABLE (IF NOT EXISTS )?"?lesson"?', f'CREATE TABLE "{REBUILT}"', create, count=1)
    create = create.replace(old, new, 1)
    others = [
        sql
        for (sql,) in db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL "
            "ORDER BY type, name",
            (TABLE,),
        ).fetchall()
    ]
    columns = ", ".join(f'"{row[1]}"' for row in db.execute_sql(f'PRAGMA table_info("{TABLE}")').fetchall())
    db.execute_sql(create)
    db.execute_sql(f'INSERT INTO "{REBUILT}" ({columns}) SELECT {columns} FROM "{TABLE}"')  # noqa: S608
    (legacy,) = db.execute_sql("PRAGMA legacy_alter_table").fetchone()
    # Other tables' triggers name the lesson table: without the legacy rule the rename would check them while the
    # table is gone, and refuse.
    db.execute_sql("PRAGMA legacy_alter_table = ON")
    try:
        db.execute_sql(f'DROP TABLE "{TABLE}"')
        db.execute_sql(f'ALTER TABLE "{REBUILT}" RENAME TO "{TABLE}"')
    finally:
        db.execute_sql(f"PRAGMA legacy_alter_table = {'ON' if legacy else 'OFF'}")
    for sql in others:
        db.execute_sql(sql)
    broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")


def up(migrator, db):
    class LessonReferenceCounter(Model):
        year = IntegerField(primary_key=True)
        last = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "lesson_reference_counter"

    db.create_tables([LessonReferenceCounter])
    deleted_ids, deleted_references = _deleted(db)
    existing = [reference for (reference,) in db.execute_sql(f'SELECT reference FROM "{TABLE}"').fetchall()]
    highest = {}
    for reference in [*existing, *deleted_references]:
        found = REFERENCE.match(reference)
        if found:
            year, number = int(found.group(1)), int(found.group(2))
            highest[year] = max(highest.get(year, 0), number)
    for year, number in sorted(highest.items()):
        LessonReferenceCounter.create(year=year, last=number)

    past = max(deleted_ids, default=0)
    if isinstance(db, PostgresqlDatabase):
        if past:
            (sequence,) = db.execute_sql(f"SELECT pg_get_serial_sequence('\"{TABLE}\"', 'id')").fetchone()
            # Never back: past the highest id deleted, or where it is already if that is further on.
            db.execute_sql(
                f"SELECT setval('{sequence}', GREATEST(%s, (SELECT last_value FROM {sequence})), true)",  # noqa: S608
                (past,),
            )
        return
    _rebuild(db, PLAIN, AUTOINCREMENT)
    (current,) = db.execute_sql("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = ?", (TABLE,)).fetchone()
    if past > current:
        db.execute_sql("DELETE FROM sqlite_sequence WHERE name = ?", (TABLE,))
        db.execute_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (TABLE, past))


def down(migrator, db):
    db.execute_sql('DROP TABLE "lesson_reference_counter"')
    if not isinstance(db, PostgresqlDatabase):
        _rebuild(db, AUTOINCREMENT, PLAIN)
        db.execute_sql("DELETE FROM sqlite_sequence WHERE name = ?", (TABLE,))
