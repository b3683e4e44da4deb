"""Reports on their way to publication: drafted, approved by a manager (not the one who drafted it), published,
each with the frozen document it was approved as and the governing body's response published alongside."""
from peewee import *

from backend import db as learnloop_fields
from backend.updated_at import install_triggers


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class ReportPublication(Model):
        kind = CharField(max_length=40, index=True)
        period_code = CharField(max_length=40)
        title = CharField(max_length=200)
        locale = CharField(max_length=10, default='en')
        status = CharField(max_length=10, default='draft', index=True)
        snapshot = learnloop_fields.JSONField()
        drafted_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        drafted_at = DateTimeField()
        approved_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        approved_at = DateTimeField(null=True)
        published_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        published_at = DateTimeField(null=True, index=True)
        governing_body_response = TextField(default='')
        governing_body_responded_on = DateField(null=True)
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'report_publication'

    db.create_tables([ReportPublication])
    install_triggers(db)  # the new table's updated_at triggers, with every other table's


def down(migrator, db):
    migrator.migrate(migrator.drop_table('report_publication'))
    install_triggers(db)
