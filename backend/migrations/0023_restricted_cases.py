"""Restricted cases: complaints that name a member of staff, and need-to-know (safeguarding, domestic-abuse) cases.

- complaint_staff: the staff a complaint names (Code 5.8), with their part and their support record (PHSO's just
  and learning culture guidance). A complaint is hidden from the staff it names.
- contact.restricted_*: a manager's need-to-know flag, with the reason; case_access: who may see such a case.
- case_read: every read of a need-to-know case, for managers to review.
"""
from peewee import *

from backend.updated_at import install_triggers, remove_triggers


def up(migrator, db):
    class Complaint(Model):
        class Meta:
            database = db
            table_name = 'complaint'

    class Contact(Model):
        class Meta:
            database = db
            table_name = 'contact'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class CaseAccess(Model):
        contact = ForeignKeyField(Contact, on_delete='CASCADE')
        person = ForeignKeyField(User, on_delete='CASCADE')
        reason = TextField(default='')
        granted_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        granted_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'case_access'
            indexes = ((('contact', 'person'), True),)
    db.create_tables([CaseAccess])

    class CaseRead(Model):
        contact = ForeignKeyField(Contact, on_delete='CASCADE')
        person = ForeignKeyField(User, null=True, on_delete='SET NULL')
        token_id = IntegerField(null=True)
        via = CharField(max_length=100, default='')
        read_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'case_read'
    db.create_tables([CaseRead])

    class ComplaintStaff(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        person = ForeignKeyField(User, on_delete='CASCADE')
        part = CharField(max_length=10)
        details = TextField(default='')
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        recorded_at = DateTimeField()
        told_on = DateField(null=True)
        told_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        support_offered = TextField(default='')
        staff_input = TextField(default='')
        outcome_shared_on = DateField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'complaint_staff'
            indexes = ((('complaint', 'person'), True),)
    db.create_tables([ComplaintStaff])

    # Adding a foreign key to contact rebuilds the table on SQLite, which the triggers naming it would not survive.
    remove_triggers(db)
    migrator.migrate(migrator.add_column('contact', 'restricted_kind', CharField(index=True, null=True, max_length=20)))
    migrator.migrate(migrator.add_column('contact', 'restricted_reason', TextField(default='')))
    migrator.migrate(migrator.add_column('contact', 'restricted_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('contact', 'restricted_by_id', ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')))

    class ComplaintAssignment(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        stage = IntegerField()
        handler = ForeignKeyField(User, null=True, on_delete='SET NULL')
        assigned_at = DateTimeField()
        ended_at = DateTimeField(null=True)
        ended_because = CharField(max_length=12, null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'complaint_assignment'
    db.create_tables([ComplaintAssignment])
    # Each stage's last handler on record is where the history starts (earlier changes are in the audit trail).
    db.execute_sql(
        'INSERT INTO complaint_assignment (complaint_id, stage, handler_id, assigned_at, ended_at, ended_because, updated_at) '
        'SELECT complaint_stage.complaint_id, complaint_stage.number, complaint_stage.handler_id, '
        'complaint_stage.opened_at, CASE WHEN complaint.stage > complaint_stage.number THEN '
        '(SELECT later.opened_at FROM complaint_stage AS later WHERE later.complaint_id = complaint_stage.complaint_id '
        'AND later.number = complaint_stage.number + 1) END, '
        "CASE WHEN complaint.stage > complaint_stage.number THEN 'stage_ended' END, complaint_stage.opened_at "
        'FROM complaint_stage JOIN complaint ON complaint.id = complaint_stage.complaint_id '
        'WHERE complaint_stage.handler_id IS NOT NULL'
    )
    install_triggers(db)  # the new tables' updated_at triggers, with every other table's


def down(migrator, db):
    remove_triggers(db)
    migrator.migrate(migrator.drop_index('contact', 'contact_restricted_kind'))
    migrator.migrate(migrator.drop_index('contact', 'contact_restricted_by_id'))
    migrator.migrate(migrator.drop_column('contact', 'restricted_by_id'))
    migrator.migrate(migrator.drop_column('contact', 'restricted_at'))
    migrator.migrate(migrator.drop_column('contact', 'restricted_reason'))
    migrator.migrate(migrator.drop_column('contact', 'restricted_kind'))
    migrator.migrate(migrator.drop_table('complaint_assignment'))
    migrator.migrate(migrator.drop_table('complaint_staff'))
    migrator.migrate(migrator.drop_table('case_read'))
    migrator.migrate(migrator.drop_table('case_access'))
    install_triggers(db)  # on PostgreSQL, drops the trigger functions the tables leave behind
