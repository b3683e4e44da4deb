"""The Ombudsman's findings and reports about the landlord, recorded for the annual report (Code 2024 8.1(c), (e),
(f)): findings of non-compliance, the Ombudsman's annual report on the landlord, and other publications."""

from peewee import *

from backend.updated_at import install_triggers


def up(migrator, db):
    class OmbudsmanPublication(Model):
        id = AutoField()
        kind = CharField(max_length=30)
        published_on = DateField(index=True)
        title = CharField(max_length=200)
        summary = TextField()
        link = CharField(max_length=500, default='')
        archived_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'ombudsman_publication'

    db.create_tables([OmbudsmanPublication])
    install_triggers(db)


def down(migrator, db):
    db.execute_sql('DROP TABLE "ombudsman_publication"')
    install_triggers(db)
