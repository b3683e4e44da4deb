"""The complaints mailbox records whether our own mail server vouched for each email's sender.

The hourly limits key on it, so mail with a forged From can't use up a resident's allowance. Replies already added
to a case were vouched for (nothing else attaches), so they are marked; everything else stays unverified, which
only makes the first hour after the upgrade stricter.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('inbound_mail', 'sender_verified', BooleanField(default=False)))

    class InboundMail(Model):
        status = CharField(max_length=12)
        sender_verified = BooleanField(default=False)

        class Meta:
            database = db
            table_name = 'inbound_mail'

    InboundMail.update(sender_verified=True).where(InboundMail.status == 'reply').execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_column('inbound_mail', 'sender_verified'))
