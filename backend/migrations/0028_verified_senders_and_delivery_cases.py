"""The mailbox records whether our own mail server vouched for each email's sender; deliveries record their case.

- ``inbound_mail.sender_verified``: the hourly limits key on it, so mail with a forged From can't use up a
  resident's allowance. Replies already added to a case were vouched for (nothing else attaches), so they are
  marked; everything else stays unverified, which only makes the first hour after the upgrade stricter.
- ``delivery.contact_id``: the case a message is about, complaint or not (a hazard notice has no complaint), so a
  need-to-know case hides its messages from the staff it is hidden from. Filled for the messages already planned
  from their event: the contact it names, else its hazard's or its complaint's.
"""
import json

from peewee import *

from backend.updated_at import install_triggers, remove_triggers


def up(migrator, db):
    # SQLite rebuilds a table to add a NOT NULL column, which its triggers would not survive: they come back below.
    remove_triggers(db)
    migrator.migrate(migrator.add_column('inbound_mail', 'sender_verified', BooleanField(default=False)))
    migrator.migrate(migrator.add_column('delivery', 'contact_id', IntegerField(null=True, index=True)))

    class InboundMail(Model):
        status = CharField(max_length=12)
        sender_verified = BooleanField(default=False)

        class Meta:
            database = db
            table_name = 'inbound_mail'

    class OutboxEvent(Model):
        payload = TextField()

        class Meta:
            database = db
            table_name = 'outbox_event'

    class Delivery(Model):
        event = ForeignKeyField(OutboxEvent)
        contact_id = IntegerField(null=True)

        class Meta:
            database = db
            table_name = 'delivery'

    class Hazard(Model):
        contact_id = IntegerField()

        class Meta:
            database = db
            table_name = 'hazard'

    class Complaint(Model):
        contact_id = IntegerField()

        class Meta:
            database = db
            table_name = 'complaint'

    InboundMail.update(sender_verified=True).where(InboundMail.status == 'reply').execute()
    events = OutboxEvent.select(OutboxEvent.id, OutboxEvent.payload).where(
        OutboxEvent.id.in_(Delivery.select(Delivery.event))
    )
    for event in events.iterator():
        try:
            payload = json.loads(event.payload or '{}')
        except ValueError:
            continue
        contact_id = None
        for name, model in (('contact_id', None), ('hazard_id', Hazard), ('complaint_id', Complaint)):
            key = payload.get(name) if isinstance(payload, dict) else None
            if not isinstance(key, int) or isinstance(key, bool):
                continue
            if model is None:
                contact_id = key
                break
            row = model.select(model.contact_id).where(model.id == key).first()
            if row is not None:
                contact_id = row.contact_id
                break
        if contact_id is not None:
            Delivery.update(contact_id=contact_id).where(Delivery.event == event.id).execute()
    install_triggers(db)


def down(migrator, db):
    remove_triggers(db)
    migrator.migrate(migrator.drop_index('delivery', 'delivery_contact_id'))
    migrator.migrate(migrator.drop_column('delivery', 'contact_id'))
    migrator.migrate(migrator.drop_column('inbound_mail', 'sender_verified'))
    install_triggers(db)
