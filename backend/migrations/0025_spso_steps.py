"""The SPSO's own steps and contractors: straight to investigation, the entry route of a stage, a final response
signed off by a manager, an overall outcome on every response, and contractors named on complaints and points.

The SPSO's model complaints handling procedure lets complex complaints go straight to stage 2 (investigation) and
frontline complaints that cannot be resolved move there; its indicators count stage 2 by route, so each later
stage records whether it was entered directly or escalated. Its governance part (paragraph 3) has the final
position signed off by an appropriate manager, so a handler's final response waits in ``response_draft`` until a
manager signs it off. Every response now records an overall outcome (upheld, partly upheld, not upheld, resolved).
Contractors (Code 5.4-5.5, MCHP Part 4 paragraphs 8 and 15) are a list managed in the settings, and a complaint
and each of its points can name one. Service requests get a target date and reviews (Code 1.4), and managers
record quality checks of contacts that were not complaints and had no offer to complain (Code 1.3), in
``contact_review``.

Existing later stages were all escalated (nothing could open at stage 2 before). Existing responses take the
outcome their point decisions give. Only the SPSO's regime allows the direct route and needs the sign-off.
"""
from peewee import *

from backend.updated_at import install_triggers, remove_triggers

OUTCOME_FROM_DECISIONS = """
UPDATE complaint_response SET outcome = CASE
  WHEN NOT EXISTS (SELECT 1 FROM point_decision d WHERE d.response_id = complaint_response.id) THEN NULL
  WHEN NOT EXISTS (SELECT 1 FROM point_decision d WHERE d.response_id = complaint_response.id
                   AND d.decision <> 'resolved') THEN 'resolved'
  WHEN NOT EXISTS (SELECT 1 FROM point_decision d WHERE d.response_id = complaint_response.id
                   AND d.decision <> 'upheld') THEN 'upheld'
  WHEN NOT EXISTS (SELECT 1 FROM point_decision d WHERE d.response_id = complaint_response.id
                   AND d.decision IN ('upheld', 'partly_upheld')) THEN 'not_upheld'
  ELSE 'partly_upheld' END
"""

def up(migrator, db):
    class Complaint(Model):
        class Meta:
            database = db
            table_name = 'complaint'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class ResponseDraft(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        stage = IntegerField()
        content = TextField(default='{}')  # JSON as text (backend.db.JSONField)
        status = CharField(index=True, max_length=12, default='awaiting')
        submitted_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        submitted_at = DateTimeField()
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)
        return_reason = TextField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'response_draft'
    db.create_tables([ResponseDraft])

    class Contractor(Model):
        name = CharField(unique=True, max_length=100)
        archived_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'contractor'
    db.create_tables([Contractor])

    class Contact(Model):
        class Meta:
            database = db
            table_name = 'contact'

    class ContactReview(Model):
        contact = ForeignKeyField(Contact, on_delete='CASCADE')
        kind = CharField(index=True, max_length=20)
        outcome = CharField(index=True, max_length=20)
        note = TextField(default='')
        reviewed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        reviewed_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'contact_review'
    db.create_tables([ContactReview])

    # SQLite rebuilds a table to add a NOT NULL column, which its triggers would not survive: they come back below.
    remove_triggers(db)
    migrator.migrate(migrator.add_column('regime', 'direct_investigation', BooleanField(default=False)))
    migrator.migrate(migrator.add_column('regime', 'final_sign_off', BooleanField(default=False)))
    migrator.migrate(migrator.add_column('complaint_response', 'outcome', CharField(index=True, null=True, max_length=15)))
    migrator.migrate(migrator.add_column('complaint_response', 'signed_off_by_id', ForeignKeyField(User, field=User.id, null=True, on_delete='SET NULL')))
    migrator.migrate(migrator.add_column('complaint_response', 'signed_off_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('complaint_stage', 'entry_route', CharField(null=True, max_length=10)))
    migrator.migrate(migrator.add_column('complaint_stage', 'entry_reason', TextField(null=True)))
    migrator.migrate(migrator.add_column('complaint', 'contractor_id', ForeignKeyField(Contractor, field=Contractor.id, null=True, on_delete='SET NULL')))
    migrator.migrate(migrator.add_column('complaint_point', 'contractor_id', ForeignKeyField(Contractor, field=Contractor.id, null=True, on_delete='SET NULL')))
    migrator.migrate(migrator.add_column('contact', 'service_due_on', DateField(index=True, null=True)))
    db.execute_sql("UPDATE complaint_stage SET entry_route = 'escalated' WHERE number > 1")
    db.execute_sql(OUTCOME_FROM_DECISIONS)
    param = db.param
    db.execute_sql(
        f"UPDATE regime SET direct_investigation = {param}, final_sign_off = {param} WHERE code = 'spso'", (True, True)
    )
    install_triggers(db)  # the new table's updated_at triggers, with every other table's


def down(migrator, db):
    remove_triggers(db)
    migrator.migrate(migrator.drop_index('contact', 'contact_service_due_on'))
    migrator.migrate(migrator.drop_column('contact', 'service_due_on'))
    migrator.migrate(migrator.drop_table('contact_review'))
    migrator.migrate(migrator.drop_index('complaint_point', 'complaint_point_contractor_id'))
    migrator.migrate(migrator.drop_index('complaint', 'complaint_contractor_id'))
    migrator.migrate(migrator.drop_column('complaint_point', 'contractor_id'))
    migrator.migrate(migrator.drop_column('complaint', 'contractor_id'))
    migrator.migrate(migrator.drop_table('contractor'))
    migrator.migrate(migrator.drop_index('complaint_response', 'complaint_response_signed_off_by_id'))
    migrator.migrate(migrator.drop_index('complaint_response', 'complaint_response_outcome'))
    migrator.migrate(migrator.drop_column('complaint_stage', 'entry_reason'))
    migrator.migrate(migrator.drop_column('complaint_stage', 'entry_route'))
    migrator.migrate(migrator.drop_column('complaint_response', 'signed_off_at'))
    migrator.migrate(migrator.drop_column('complaint_response', 'signed_off_by_id'))
    migrator.migrate(migrator.drop_column('complaint_response', 'outcome'))
    migrator.migrate(migrator.drop_column('regime', 'final_sign_off'))
    migrator.migrate(migrator.drop_column('regime', 'direct_investigation'))
    migrator.migrate(migrator.drop_table('response_draft'))
    install_triggers(db)
