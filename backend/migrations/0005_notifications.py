"""Notifications: templates staff edit, preferences, channel health, portal messages, letters,
and delivery status, wording and retry times on each delivery."""
from peewee import *


def up(migrator, db):
    class OutboxEvent(Model):
        class Meta:
            database = db
            table_name = 'outbox_event'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class ChannelStatus(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        channel = CharField(max_length=20)
        failing_since = DateTimeField()
        reason = TextField(default='')
        class Meta:
            database = db
            table_name = 'channel_status'
            indexes = ((('user', 'channel'), True),)
    db.create_tables([ChannelStatus])

    class Letter(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        event = ForeignKeyField(OutboxEvent, null=True, on_delete='SET NULL')
        locale = CharField(max_length=10, default='en')
        address = TextField()
        subject = TextField()
        body = TextField()
        status = CharField(index=True, max_length=20, default='queued')
        created_at = DateTimeField()
        posted_at = DateTimeField(null=True)
        posted_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'letter'
    db.create_tables([Letter])

    class MessageTemplate(Model):
        event = CharField(max_length=80)
        channel = CharField(max_length=20)
        locale = CharField(max_length=10)
        subject = TextField(default='')
        body = TextField()
        updated_at = DateTimeField()
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'message_template'
            indexes = ((('event', 'channel', 'locale'), True),)
    db.create_tables([MessageTemplate])

    class PortalMessage(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        event = ForeignKeyField(OutboxEvent, null=True, on_delete='SET NULL')
        subject = TextField()
        body = TextField()
        created_at = DateTimeField(index=True)
        read_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'portal_message'
    db.create_tables([PortalMessage])

    class Preference(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        topic = CharField(max_length=30)
        frequency = CharField(max_length=20, default='immediate')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'preference'
            indexes = ((('user', 'topic'), True),)
    db.create_tables([Preference])

    migrator.migrate(migrator.add_column('delivery', 'topic', CharField(max_length=30, default='account')))
    migrator.migrate(migrator.add_column('delivery', 'locale', CharField(max_length=10, default='en')))
    migrator.migrate(migrator.add_column('delivery', 'copy_for_user_id', IntegerField(null=True)))
    migrator.migrate(migrator.add_column('delivery', 'subject', TextField(default='')))
    migrator.migrate(migrator.add_column('delivery', 'body', TextField(default='')))
    migrator.migrate(migrator.add_column('delivery', 'next_attempt_at', DateTimeField(index=True, null=True)))
    migrator.migrate(migrator.add_index('delivery', ('status',)))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('delivery', 'delivery_status'))
    migrator.migrate(migrator.drop_index('delivery', 'delivery_next_attempt_at'))
    migrator.migrate(migrator.drop_column('delivery', 'next_attempt_at'))
    migrator.migrate(migrator.drop_column('delivery', 'body'))
    migrator.migrate(migrator.drop_column('delivery', 'subject'))
    migrator.migrate(migrator.drop_column('delivery', 'copy_for_user_id'))
    migrator.migrate(migrator.drop_column('delivery', 'locale'))
    migrator.migrate(migrator.drop_column('delivery', 'topic'))
    migrator.migrate(migrator.drop_table('preference'))
    migrator.migrate(migrator.drop_table('portal_message'))
    migrator.migrate(migrator.drop_table('message_template'))
    migrator.migrate(migrator.drop_table('letter'))
    migrator.migrate(migrator.drop_table('channel_status'))
