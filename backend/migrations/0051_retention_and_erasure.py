"""Retention and erasure: legal holds, the ledger of erased records, and a way to erase personal values that keeps
the append-only records whole.

- ``legal_hold``: keeps a person's records, or one case's, from erasure, with the reason, who placed it, and until
  when (or until it is lifted).
- ``erased_record``: which record (type and id) was erased, on which day, by which rule; never what it held.
- ``audit_event.erased_on``: the day an entry's personal values were erased. The append-only triggers now let one
  change through, once per row: ``changes`` rewritten while ``erased_on`` goes from null to a valid day no earlier
  than the entry's own, with every other column as it was. Rows are still never deleted, so the trail keeps every
  entry, in order, with who did what to which record and when.
- ``case_note``: a note's body may be replaced, once, by exactly the erasure marker ("[erased on YYYY-MM-DD]", a
  valid day no earlier than the note's own); nothing else about a note may change.

The day is the application's (UK) day, not the database's clock: the application passes it, and tests run with a
clock set years ahead. A UK day is never before the UTC day of the same moment, so "no earlier than the row's own
day" always holds for a real erasure.
"""
from peewee import *

from backend.updated_at import install_triggers, remove_triggers

_AUDIT_KEPT = (
    "id", "occurred_at", "actor_user_id", "actor_token_id", "actor_label", "action", "entity_type", "entity_id",
    "request_id",
)
_NOTE_KEPT = ("complaint_id", "kind", "stage", "created_at")


def _same_sqlite(columns):
    return " AND ".join(f"NEW.{c} IS OLD.{c}" for c in columns)


def _same_postgres(columns):
    new = ", ".join(f"NEW.{c}" for c in columns)
    old = ", ".join(f"OLD.{c}" for c in columns)
    return f"({new}) IS NOT DISTINCT FROM ({old})"


SQLITE_UP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       WHEN NOT coalesce(OLD.erased_on IS NULL AND date(NEW.erased_on) IS NEW.erased_on
                         AND NEW.erased_on >= date(OLD.occurred_at) AND {_same_sqlite(_AUDIT_KEPT)}, 0)
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    "DROP TRIGGER IF EXISTS case_note_no_change",
    f"""CREATE TRIGGER case_note_no_change BEFORE UPDATE OF complaint_id, kind, body, stage, created_at
       ON case_note
       WHEN NOT coalesce(NEW.body = '[erased on ' || date(substr(NEW.body, 12, 10)) || ']'
                         AND substr(NEW.body, 12, 10) >= date(OLD.created_at)
                         AND OLD.body NOT LIKE '[erased on %]' AND {_same_sqlite(_NOTE_KEPT)}, 0)
       BEGIN SELECT RAISE(ABORT, 'case_note is append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    "DROP TRIGGER IF EXISTS case_note_no_change",
    """CREATE TRIGGER case_note_no_change BEFORE UPDATE OF complaint_id, kind, body, stage, created_at
       ON case_note BEGIN SELECT RAISE(ABORT, 'case_note is append-only'); END""",
]
# psycopg reads % as a placeholder even without parameters: %% is one percent sign.
POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           IF OLD.erased_on IS NULL AND NEW.erased_on IS NOT NULL AND NEW.erased_on >= OLD.occurred_at::date
              AND {_same_postgres(_AUDIT_KEPT)} THEN
             RETURN NEW;
           END IF;
         END IF;
         RAISE EXCEPTION 'audit_event is append-only';
       END; $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE FUNCTION case_note_append_only() RETURNS trigger AS $$
       DECLARE erased date;
       BEGIN
         IF NEW.body ~ '^[[]erased on [0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[]]$' AND OLD.body NOT LIKE '[erased on %%]'
            AND {_same_postgres(_NOTE_KEPT)} THEN
           erased := to_date(substring(NEW.body from 12 for 10), 'YYYY-MM-DD');
           IF NEW.body = '[erased on ' || to_char(erased, 'YYYY-MM-DD') || ']' AND erased >= OLD.created_at::date THEN
             RETURN NEW;
           END IF;
         END IF;
         RAISE EXCEPTION 'case_note is append-only';
       END; $$ LANGUAGE plpgsql""",
]
POSTGRES_DOWN = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION case_note_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'case_note is append-only'; END; $$ LANGUAGE plpgsql""",
]


def _statements(db, postgres, sqlite):
    return postgres if isinstance(db, PostgresqlDatabase) else sqlite


def up(migrator, db):
    class Account(Model):
        class Meta:
            database = db
            table_name = 'account'

    class Contact(Model):
        class Meta:
            database = db
            table_name = 'contact'

    class LegalHold(Model):
        person = ForeignKeyField(Account, null=True, on_delete='CASCADE')
        contact = ForeignKeyField(Contact, null=True, on_delete='CASCADE')
        reason = TextField()
        placed_by = ForeignKeyField(Account, null=True, on_delete='SET NULL')
        placed_at = DateTimeField()
        held_until = DateField(null=True)
        lifted_at = DateTimeField(null=True)
        lifted_by = ForeignKeyField(Account, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'legal_hold'

    class ErasedRecord(Model):
        record_type = CharField(max_length=30)
        record_id = IntegerField()
        erased_on = DateField()
        rule = CharField(max_length=30)

        class Meta:
            database = db
            table_name = 'erased_record'
            indexes = ((('record_type', 'record_id'), True),)

    db.create_tables([LegalHold, ErasedRecord])
    migrator.migrate(migrator.add_column('audit_event', 'erased_on', DateField(null=True)))
    for sql in _statements(db, POSTGRES_UP, SQLITE_UP):
        db.execute_sql(sql)
    install_triggers(db)


def down(migrator, db):
    remove_triggers(db)
    for sql in _statements(db, POSTGRES_DOWN, SQLITE_DOWN):
        db.execute_sql(sql)
    migrator.migrate(migrator.drop_column('audit_event', 'erased_on'))
    migrator.migrate(migrator.drop_table('erased_record'))
    migrator.migrate(migrator.drop_table('legal_hold'))
    install_triggers(db)
