"""Staff notes on a complaint are a record of their own, apart from the messages the resident sees.

- ``case_note``: call notes, internal notes, internal and third-party correspondence and investigation
  documents, with the stage, the author and the time. Written once: the database refuses any change to
  what a note says, who wrote it or when.
- ``note_file``: files kept with a note, checked and stored like other evidence but linked to the note
  only, never to the contact whose files the resident sees.

Existing messages are left as they are. Staff could add information to a case only as the resident's
words (``case_message.direction = 'from_resident'``), and nothing recorded whether such a message
held what the resident said or the handler's own note, so none can be moved safely: they stay the
resident's words, shown to the resident as recorded by staff.
"""
from peewee import *

SQLITE_UP = [
    """CREATE TRIGGER case_note_no_change BEFORE UPDATE OF complaint_id, kind, body, stage, created_at
       ON case_note BEGIN SELECT RAISE(ABORT, 'case_note is append-only'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS case_note_no_change"]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION case_note_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'case_note is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER case_note_no_change BEFORE UPDATE OF complaint_id, kind, body, stage, created_at
       ON case_note FOR EACH ROW EXECUTE FUNCTION case_note_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS case_note_no_change ON case_note",
    "DROP FUNCTION IF EXISTS case_note_append_only()",
]


def _statements(db, postgres, sqlite):
    return postgres if isinstance(db, PostgresqlDatabase) else sqlite


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class Complaint(Model):
        class Meta:
            database = db
            table_name = 'complaint'

    class CaseNote(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        kind = CharField(max_length=30, index=True)
        body = TextField()
        stage = IntegerField()
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'case_note'
    db.create_tables([CaseNote])

    class NoteFile(Model):
        note = ForeignKeyField(CaseNote, on_delete='CASCADE')
        file_name = CharField(max_length=200)
        media_type = CharField(max_length=100)
        family = CharField(max_length=10)
        size = IntegerField()
        sha256 = CharField(max_length=64)
        storage_key = CharField(unique=True, max_length=200)
        uploaded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'note_file'
    db.create_tables([NoteFile])

    for sql in _statements(db, POSTGRES_UP, SQLITE_UP):
        db.execute_sql(sql)


def down(migrator, db):
    for sql in _statements(db, POSTGRES_DOWN, SQLITE_DOWN):
        db.execute_sql(sql)
    for table in ('note_file', 'case_note'):
        migrator.migrate(migrator.drop_table(table))
