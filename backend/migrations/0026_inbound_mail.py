"""The complaints mailbox: every email kept as it arrived, before it is read, with what it became.

A new contact by email, a resident's reply added to their case, an automatic reply kept but not answered, or a
message that could not be read, logged for staff. Contacts typed in nowhere are marked as read from an email
(logged_via "email"), which the column already holds room for.
"""
from peewee import *
from backend import db as learnloop_fields
from backend.updated_at import install_triggers

def up(migrator, db):
    class CaseMessage(Model):
        class Meta:
            database = db
            table_name = 'case_message'

    class Contact(Model):
        class Meta:
            database = db
            table_name = 'contact'

    class InboundMail(Model):
        via = CharField(max_length=10)
        received_at = DateTimeField(index=True)
        raw_message = BlobField()
        size = IntegerField()
        sha256 = CharField(index=True, max_length=64)
        envelope_from = CharField(max_length=254, default='')
        sender = CharField(index=True, max_length=254, default='')
        subject = CharField(max_length=300, default='')
        message_id = CharField(max_length=300, default='')
        sent_at = DateTimeField(null=True)
        status = CharField(index=True, max_length=12, default='received')
        contact = ForeignKeyField(Contact, null=True, on_delete='SET NULL')
        case_message = ForeignKeyField(CaseMessage, null=True, on_delete='SET NULL')
        refused_attachments = learnloop_fields.JSONField(default=list)
        processed_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'inbound_mail'
    db.create_tables([InboundMail])
    install_triggers(db)  # the new table's updated_at triggers, with every other table's


def down(migrator, db):
    migrator.migrate(migrator.drop_table('inbound_mail'))
    install_triggers(db)  # on PostgreSQL, drops the trigger functions the table leaves behind
