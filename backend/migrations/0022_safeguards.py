"""Reasonable adjustments (Code 5.10) and unacceptable-behaviour restrictions (Code 5.14-5.15) as records.

Until now an adjustment was free text: what a contact said it asked for (``contact.adjustments``) and what a
resident wrote on their profile (``account.reasonable_adjustments``). Both stay as they are, readable where they
were. Each non-empty text also becomes a structured request, not yet decided, dated when it was made (the
contact's receipt; the day of this migration for a profile), so that staff see it on the case and decide it.
Going down drops the new tables; the free text was never changed.
"""
import datetime as dt

from peewee import *

from backend.timeutil import local_date
from backend.updated_at import install_triggers

def up(migrator, db):
    class User(Model):
        reasonable_adjustments = TextField(default='')

        class Meta:
            database = db
            table_name = 'account'

    class Contact(Model):
        resident = ForeignKeyField(User, null=True)
        received_at = DateTimeField()
        adjustments = TextField(default='')

        class Meta:
            database = db
            table_name = 'contact'

    class ContactRestriction(Model):
        resident = ForeignKeyField(User, null=True, on_delete='CASCADE')
        contact = ForeignKeyField(Contact, null=True, on_delete='CASCADE')
        behaviour = TextField()
        evidence = TextField()
        kind = CharField(max_length=30)
        details = TextField()
        point_of_contact = ForeignKeyField(User, null=True, on_delete='SET NULL')
        equality_consideration = TextField()
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_on = DateField()
        starts_on = DateField()
        review_due_on = DateField(index=True)
        resident_told_on = DateField(null=True)
        resident_notice = TextField(default='')
        status = CharField(index=True, max_length=10, default='active')
        reviewed_on = DateField(null=True)
        reviewed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        review_outcome = TextField(default='')
        ended_on = DateField(null=True)
        review_notified_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'contact_restriction'
    db.create_tables([ContactRestriction])

    class ReasonableAdjustment(Model):
        resident = ForeignKeyField(User, null=True, on_delete='CASCADE')
        contact = ForeignKeyField(Contact, null=True, on_delete='CASCADE')
        description = TextField()
        requested_by = CharField(max_length=120)
        requested_on = DateField()
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        status = CharField(index=True, max_length=10, default='requested')
        decision_reasons = TextField(default='')
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_on = DateField(null=True)
        review_due_on = DateField(index=True, null=True)
        reviewed_on = DateField(null=True)
        review_note = TextField(default='')
        review_notified_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'reasonable_adjustment'
    db.create_tables([ReasonableAdjustment])
    install_triggers(db)  # the new tables' updated_at triggers, with every other table's
    _copy_free_text(db, Contact, User, ReasonableAdjustment)


def down(migrator, db):
    migrator.migrate(migrator.drop_table('reasonable_adjustment'))
    migrator.migrate(migrator.drop_table('contact_restriction'))
    install_triggers(db)  # on PostgreSQL, drops the trigger functions the tables leave behind


def _copy_free_text(db, Contact, User, ReasonableAdjustment):
    """One request, not yet decided, for each contact's and each profile's adjustments text."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    rows = [
        {
            'resident': contact.resident_id,
            'contact': contact.id,
            'description': contact.adjustments.strip(),
            'requested_by': 'As asked for with the contact',
            'requested_on': local_date(contact.received_at),  # the day in the UK
            'created_at': now,
            'updated_at': now,
        }
        for contact in Contact.select().where(Contact.adjustments != '').order_by(Contact.id)
        if contact.adjustments.strip()
    ]
    rows += [
        {
            'resident': user.id,
            'contact': None,
            'description': user.reasonable_adjustments.strip(),
            'requested_by': 'The resident, on their profile',
            'requested_on': local_date(now),
            'created_at': now,
            'updated_at': now,
        }
        for user in User.select().where(User.reasonable_adjustments != '').order_by(User.id)
        if user.reasonable_adjustments.strip()
    ]
    for start in range(0, len(rows), 500):
        ReasonableAdjustment.insert_many(rows[start:start + 500]).execute()
