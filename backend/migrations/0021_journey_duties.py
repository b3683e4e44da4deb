"""Update intervals, why a step was backdated, and the scope of each point of complaint.

update_interval: how often a resident whose answer is late hears from us, as agreed with them (Code 5.9); one row per
complaint stage, with the stamps the hourly sweep sets when an update is missed, so that the handler and then their
manager are each told once.

complaint_stage.escalation_backdate_reason and extension_backdate_reason: staff may record that an escalation request
or an extension really happened on an earlier day (up to 5 working days back, further only by a manager), and
must say why. Existing rows were not backdated, so both stay null.

point_scope: whether a point of complaint is the landlord's to put right and, if not, where the resident was
signposted (Code 5.7). A point without a row is the landlord's, as every existing point was taken to be.
"""
from peewee import *

from backend.updated_at import install_triggers, remove_triggers


def up(migrator, db):
    class Complaint(Model):
        class Meta:
            database = db
            table_name = 'complaint'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class ComplaintPoint(Model):
        class Meta:
            database = db
            table_name = 'complaint_point'

    class UpdateInterval(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        stage = IntegerField()
        every_days = IntegerField()
        agreed_on = DateField()
        method = CharField(max_length=10)
        note = TextField(default='')
        agreed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        missed_due_on = DateField(null=True)
        missed_notified_at = DateTimeField(null=True)
        manager_notified_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'update_interval'
            indexes = ((('complaint', 'stage'), True),)
    db.create_tables([UpdateInterval])

    class PointScope(Model):
        point = ForeignKeyField(ComplaintPoint, unique=True, on_delete='CASCADE')
        landlord_responsible = BooleanField(default=True)
        signposted_to = TextField(default='')
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'point_scope'
    db.create_tables([PointScope])

    migrator.migrate(migrator.add_column('complaint_stage', 'escalation_backdate_reason', TextField(null=True)))
    migrator.migrate(migrator.add_column('complaint_stage', 'extension_backdate_reason', TextField(null=True)))
    install_triggers(db)  # the new table's updated_at triggers, with every other table's


def down(migrator, db):
    remove_triggers(db)  # SQLite's triggers name complaint_stage's columns: drop them before the columns go
    migrator.migrate(migrator.drop_table('point_scope'))
    migrator.migrate(migrator.drop_column('complaint_stage', 'extension_backdate_reason'))
    migrator.migrate(migrator.drop_column('complaint_stage', 'escalation_backdate_reason'))
    migrator.migrate(migrator.drop_table('update_interval'))
    install_triggers(db)  # on PostgreSQL, drops the trigger functions the table leaves behind
