"""People without an account get their messages: deliveries and letters can be addressed to the details
recorded with a contact, which also say how the person asked to be written to; phone calls become tasks
for staff; each portal inbox copy says how the message reached its reader; and a delivery names its
complaint, so that one that could not be sent shows on the complaint's page."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class OutboxEvent(Model):
        class Meta:
            database = db
            table_name = 'outbox_event'

    class Delivery(Model):
        class Meta:
            database = db
            table_name = 'delivery'

    class ContactPerson(Model):
        class Meta:
            database = db
            table_name = 'contact_person'

    class CallTask(Model):
        delivery = ForeignKeyField(Delivery, unique=True, on_delete='CASCADE')
        event = ForeignKeyField(OutboxEvent, null=True, on_delete='SET NULL')
        user = ForeignKeyField(User, null=True, on_delete='CASCADE')
        person = ForeignKeyField(ContactPerson, null=True, on_delete='SET NULL')
        name = CharField(max_length=120)
        phone = CharField(max_length=30)
        locale = CharField(max_length=10, default='en')
        subject = TextField()
        body = TextField()
        status = CharField(max_length=20, default='open', index=True)
        outcome_note = TextField(default='')
        created_at = DateTimeField()
        completed_at = DateTimeField(null=True)
        completed_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
        class Meta:
            database = db
            table_name = 'call_task'

    db.create_tables([CallTask])
    migrator.migrate(
        migrator.add_column('delivery', 'recipient_person_id', IntegerField(null=True)),
        migrator.add_index('delivery', ('recipient_person_id',), False),
        migrator.add_column('delivery', 'complaint_id', IntegerField(null=True)),
        migrator.add_index('delivery', ('complaint_id',), False),
        migrator.add_column('portal_message', 'channel', CharField(max_length=20, default='portal')),
        migrator.add_column('contact_person', 'contact_channel', CharField(max_length=20, default='')),
        migrator.add_column(
            'letter', 'person_id', ForeignKeyField(ContactPerson, ContactPerson.id, null=True, on_delete='SET NULL')
        ),
        migrator.drop_not_null('letter', 'user_id'),
    )


def down(migrator, db):
    # Letters for people without an account have nobody to belong to in the older schema.
    db.execute_sql('DELETE FROM letter WHERE user_id IS NULL')
    migrator.migrate(
        migrator.add_not_null('letter', 'user_id'),
        migrator.drop_index('letter', 'letter_person_id'),
        migrator.drop_column('letter', 'person_id'),
        migrator.drop_column('contact_person', 'contact_channel'),
        migrator.drop_column('portal_message', 'channel'),
        migrator.drop_index('delivery', 'delivery_complaint_id'),
        migrator.drop_column('delivery', 'complaint_id'),
        migrator.drop_index('delivery', 'delivery_recipient_person_id'),
        migrator.drop_column('delivery', 'recipient_person_id'),
    )
    db.execute_sql('DROP TABLE IF EXISTS call_task')
