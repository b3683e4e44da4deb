"""Promises kept: remedies get an owner, promises get "due soon" and "overdue" stamps, responses keep their
underlying cause and remedial action, and the Ombudsman's orders become items.

- ``remedy.owner_id``: who will do it (the API now requires one; rows written before stay without).
- ``remedy``/``outstanding_action`` ``due_soon_notified_at`` and ``overdue_notified_at``: the hourly sweep tells
  people once before and once after each falls due.
- ``complaint_response.underlying_cause`` and ``remedial_action``: needed on any response that upholds a point.
- ``ombudsman_order``: one row per order. Each complaint's free-text ``ombudsman_orders`` is carried into one
  order, without a due date (nobody recorded one), dated when the determination was recorded. The old column
  stays, no longer written, so going down loses nothing.
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

    class OmbudsmanOrder(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        text = TextField()
        due_on = DateField(null=True)
        evidence = TextField(default='')
        complied_on = DateField(null=True)
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        complied_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        due_soon_notified_at = DateTimeField(null=True)
        overdue_notified_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'ombudsman_order'
    db.create_tables([OmbudsmanOrder])

    migrator.migrate(migrator.add_column('complaint_response', 'underlying_cause', TextField(null=True)))
    migrator.migrate(migrator.add_column('complaint_response', 'remedial_action', TextField(null=True)))
    migrator.migrate(migrator.add_column('outstanding_action', 'due_soon_notified_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('outstanding_action', 'overdue_notified_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('remedy', 'owner_id', ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')))
    migrator.migrate(migrator.add_column('remedy', 'due_soon_notified_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('remedy', 'overdue_notified_at', DateTimeField(null=True)))
    # Raw SQL: every column the application would fill is set here, updated_at included.
    db.execute_sql(
        "INSERT INTO ombudsman_order (complaint_id, text, due_on, evidence, complied_on, recorded_by_id, "
        "complied_by_id, due_soon_notified_at, overdue_notified_at, created_at, updated_at) "
        "SELECT id, TRIM(ombudsman_orders), NULL, '', NULL, NULL, NULL, NULL, NULL, "
        "COALESCE(ombudsman_determined_at, updated_at), COALESCE(ombudsman_determined_at, updated_at) "
        "FROM complaint WHERE ombudsman_orders IS NOT NULL AND TRIM(ombudsman_orders) <> '' ORDER BY id"
    )
    install_triggers(db)  # the new table's updated_at triggers, with every other table's


def down(migrator, db):
    remove_triggers(db)  # SQLite's triggers name the columns dropped below
    migrator.migrate(migrator.drop_index('remedy', 'remedy_owner_id'))
    migrator.migrate(migrator.drop_column('remedy', 'overdue_notified_at'))
    migrator.migrate(migrator.drop_column('remedy', 'due_soon_notified_at'))
    migrator.migrate(migrator.drop_column('remedy', 'owner_id'))
    migrator.migrate(migrator.drop_column('outstanding_action', 'overdue_notified_at'))
    migrator.migrate(migrator.drop_column('outstanding_action', 'due_soon_notified_at'))
    migrator.migrate(migrator.drop_column('complaint_response', 'remedial_action'))
    migrator.migrate(migrator.drop_column('complaint_response', 'underlying_cause'))
    migrator.migrate(migrator.drop_table('ombudsman_order'))
    install_triggers(db)  # the triggers of the tables as they were
