"""Every resource whose rows change carries updated_at, and a change to a row moves its parents' (a new case
message moves its complaint and its contact).

The tables that lacked updated_at gain it. Existing rows take it from the time the row was made, where the table
keeps one, or else the moment of this migration. The column is added NOT NULL with that moment as its default in
one step: on SQLite anything else rebuilds the table, which would drop the search triggers of homes (0004). The
default stays on SQLite (nothing relies on it: the application always writes the column) and is dropped on
PostgreSQL.

Then the triggers declared in backend.updated_at are installed: they keep every updated_at, however a row is written.
"""

import datetime as dt

from peewee import SQL, DateTimeField, PostgresqlDatabase

from backend.updated_at import install_triggers, remove_triggers

# Table -> the column its existing rows take updated_at from (None: the moment of this migration).
ADDED = {
    'contact_person': None,
    'complaint_stage': 'opened_at',
    'clock': None,
    'remedy': None,
    'outstanding_action': None,
    'regime': None,
    'regime_stage': None,
    'regime_limit': None,
    'closure_day': 'created_at',
    'service_area': None,
    'category': None,
    'home': 'created_at',
    'api_token': 'created_at',
    'representation': 'consent_recorded_at',
    'survey_question': 'created_at',
    'survey_rule': 'created_at',
    'survey_invitation': 'created_at',
    'delivery': 'created_at',
    'portal_message': 'created_at',
    'letter': 'created_at',
    'translation_review': 'reviewed_at',
    'call_task': 'created_at',
}


def up(migrator, db):
    moment = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    postgres = isinstance(db, PostgresqlDatabase)
    for table, source in ADDED.items():
        column = DateTimeField(constraints=[SQL(f"DEFAULT '{moment}'")])
        migrator.migrate(migrator.add_column(table, 'updated_at', column, allow_not_null=True))
        if source:
            db.execute_sql(f'UPDATE "{table}" SET "updated_at" = "{source}"')
        if postgres:
            migrator.migrate(migrator.drop_column_default(table, 'updated_at'))
    install_triggers(db)


def down(migrator, db):
    remove_triggers(db)
    for table in ADDED:
        migrator.migrate(migrator.drop_column(table, 'updated_at'))
