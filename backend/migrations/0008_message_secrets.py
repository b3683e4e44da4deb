"""Messages: links leave staff's wording for a call to action the system adds, secret links leave every
stored copy, and deliveries are claimed with a lease before they are sent.

- ``delivery``: ``action`` (the call to action with secret links shown as [link]), ``priority``
  (statutory first), ``lease_until`` and ``provider_id`` (claimed before sending; the channel's
  message id once sent) and ``digest_id`` (the digest a held message went out in).
- Saved wording loses ``{{ link }}`` and ``{{ answers }}``: the lines that held them, and any
  left inline. The system writes links after the wording now.
- Stored copies lose the reset, verification and personal survey links they held: a delivery's
  body loses the line (its call to action is made again if it is still to be sent), and letters
  and portal messages show [link] instead.
"""
import re

from peewee import *

LINK_PLACEHOLDER = re.compile(r"\{\{-?\s*(link|answers)\b[^}]*-?\}\}")
SECRET_URL = re.compile(r"https?://\S*?(/reset-password/confirm\?token=|/verify-email\?token=|/s/)\S+")


def _subject_without_placeholders(text):
    return " ".join(LINK_PLACEHOLDER.sub("", text).split())


def _body_without_placeholders(text):
    kept = "\n".join(line for line in text.split("\n") if not LINK_PLACEHOLDER.search(line))
    return re.sub(r"\n{3,}", "\n\n", kept).strip()


def _without_secret_lines(text):
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line for line in text.split("\n") if not SECRET_URL.search(line)))


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('delivery', 'action', TextField(default='')),
        migrator.add_column('delivery', 'priority', SmallIntegerField(default=0)),
        migrator.add_column('delivery', 'lease_until', DateTimeField(null=True, index=True)),
        migrator.add_column('delivery', 'provider_id', CharField(max_length=200, null=True)),
        migrator.add_column('delivery', 'digest_id', IntegerField(null=True, index=True)),
    )

    class MessageTemplate(Model):
        subject = TextField(default='')
        body = TextField()
        class Meta:
            database = db
            table_name = 'message_template'

    for row in MessageTemplate.select().where(
        MessageTemplate.body.contains('link') | MessageTemplate.body.contains('answers')
        | MessageTemplate.subject.contains('link') | MessageTemplate.subject.contains('answers')
    ):
        subject, body = _subject_without_placeholders(row.subject), _body_without_placeholders(row.body)
        if (subject, body) != (row.subject, row.body):
            MessageTemplate.update(subject=subject, body=body or '{{ name }}').where(
                MessageTemplate.id == row.id).execute()

    class Delivery(Model):
        body = TextField(default='')
        class Meta:
            database = db
            table_name = 'delivery'

    for row in Delivery.select(Delivery.id, Delivery.body).where(
        Delivery.body.contains('token=') | Delivery.body.contains('/s/')
    ):
        body = _without_secret_lines(row.body)
        if body != row.body:
            Delivery.update(body=body).where(Delivery.id == row.id).execute()

    for table in ('letter', 'portal_message'):
        class Copy(Model):
            body = TextField()
            class Meta:
                database = db
                table_name = table

        for row in Copy.select(Copy.id, Copy.body).where(Copy.body.contains('token=') | Copy.body.contains('/s/')):
            body = SECRET_URL.sub('[link]', row.body)
            if body != row.body:
                Copy.update(body=body).where(Copy.id == row.id).execute()


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('delivery', 'delivery_digest_id'),
        migrator.drop_index('delivery', 'delivery_lease_until'),
        migrator.drop_column('delivery', 'digest_id'),
        migrator.drop_column('delivery', 'provider_id'),
        migrator.drop_column('delivery', 'lease_until'),
        migrator.drop_column('delivery', 'priority'),
        migrator.drop_column('delivery', 'action'),
    )
