"""Saved reports: staff's GraphQL queries kept as named reports, shown as a table or a chart, and the staff told
when a scheduled one is ready. A report holds its query, never its results: each reader runs it as themselves."""
from peewee import *

from backend.updated_at import install_triggers


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class SavedReport(Model):
        name = CharField(max_length=120)
        description = TextField(default='')
        query = TextField()
        parameters = TextField(default='[]')  # JSON as text (backend.db.JSONField)
        display = CharField(max_length=10, default='table')
        rows_path = CharField(max_length=300, default='')
        columns = TextField(default='[]')  # JSON as text (backend.db.JSONField)
        label_field = CharField(max_length=300, default='')
        value_field = CharField(max_length=300, default='')
        owner = ForeignKeyField(User, on_delete='CASCADE')
        shared = BooleanField(default=False)
        schedule = CharField(max_length=10, default='none')
        schedule_weekday = IntegerField(null=True)
        schedule_day = IntegerField(null=True)
        last_sent_on = DateField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'saved_report'
    db.create_tables([SavedReport])

    class SavedReportRecipient(Model):
        report = ForeignKeyField(SavedReport, on_delete='CASCADE')
        person = ForeignKeyField(User, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'saved_report_recipient'
            indexes = ((('report', 'person'), True),)
    db.create_tables([SavedReportRecipient])
    install_triggers(db)  # the new tables' updated_at triggers, with every other table's


def down(migrator, db):
    migrator.migrate(migrator.drop_table('saved_report_recipient'))
    migrator.migrate(migrator.drop_table('saved_report'))
    install_triggers(db)  # on PostgreSQL, drops the trigger functions the tables leave behind
