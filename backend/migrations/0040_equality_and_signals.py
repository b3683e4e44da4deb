"""Equality monitoring answers, kept apart from accounts and contacts, and signals imported for the board report.

``equality_profile`` holds one person's answers about the protected characteristics, given with consent, for the
equality breakdowns of complaints; ``signal_count`` holds the monthly counts of disrepair claims, damp and mould cases
and insurance claims by service area, imported from CSV (docs/reports.md).
"""
from peewee import *

from backend.updated_at import install_triggers


def up(migrator, db):
    class Contact(Model):
        class Meta:
            database = db
            table_name = 'contact'

    class ServiceArea(Model):
        class Meta:
            database = db
            table_name = 'service_area'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class EqualityProfile(Model):
        user = ForeignKeyField(User, unique=True, null=True, on_delete='CASCADE')
        contact = ForeignKeyField(Contact, unique=True, null=True, on_delete='CASCADE')
        age_band = CharField(null=True, max_length=20)
        disability = CharField(null=True, max_length=20)
        gender_identity = CharField(null=True, max_length=20)
        partnership = CharField(null=True, max_length=20)
        pregnancy = CharField(null=True, max_length=20)
        ethnic_group = CharField(null=True, max_length=30)
        religion = CharField(null=True, max_length=20)
        sex = CharField(null=True, max_length=20)
        sexual_orientation = CharField(null=True, max_length=20)
        consent_given_by = CharField(max_length=20)
        consent_method = CharField(max_length=30)
        consent_given_on = DateField()
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        recorded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'equality_profile'
    db.create_tables([EqualityProfile])

    class SignalCount(Model):
        month = DateField(index=True)
        service_area = ForeignKeyField(ServiceArea, on_delete='RESTRICT')
        kind = CharField(max_length=20)
        count = IntegerField()
        source = CharField(max_length=200)
        imported_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        imported_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'signal_count'
            indexes = ((('month', 'service_area', 'kind'), True),)
    db.create_tables([SignalCount])
    install_triggers(db)  # the new tables' updated_at triggers, with every other table's


def down(migrator, db):
    migrator.migrate(migrator.drop_table('signal_count'))
    migrator.migrate(migrator.drop_table('equality_profile'))
    install_triggers(db)  # on PostgreSQL, drops the trigger functions the tables leave behind
