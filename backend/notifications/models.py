"""Templates staff edit, each person's preferences, and the portal and letter channels."""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, TextField

from backend.accounts.models import User
from backend.changes import Changing
from backend.complaints.models import ContactPerson
from backend.db import BaseModel
from backend.events.models import Delivery, DeliveryChannel, OutboxEvent
from backend.notifications.catalogue import Topic
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class MessageChannel(Vocabulary):
    """A channel staff write wording for."""

    EMAIL = "email", "Email."
    SMS = "sms", "Text message."
    LETTER = "letter", "Letter (also read out on calls)."
    PORTAL = "portal", "The inbox on the portal."


class Frequency(Vocabulary):
    """How often someone wants messages on a topic."""

    IMMEDIATE = "immediate", "Each message as it happens."
    DAILY = "daily", "Collected into one message a day."
    WEEKLY = "weekly", "Collected into one message a week."
    OFF = "off", "None (not possible for statutory topics)."


class LetterStatus(Vocabulary):
    """Whether a letter has gone out."""

    QUEUED = "queued", "Waiting to be printed and posted."
    POSTED = "posted", "Printed and posted."


class CallStatus(Vocabulary):
    """Where a call to read a message out stands."""

    OPEN = "open", "Waiting in the staff's call queue."
    DONE = "done", "The message was read out."
    NOT_REACHED = "not_reached", "The person could not be reached; a statutory message goes as a letter."


CHANNELS = MessageChannel.codes()
FREQUENCIES = Frequency.codes()


class MessageTemplate(BaseModel):
    """Staff's wording for one event on one channel in one language (Jinja, sandboxed)."""

    id = AutoField()
    event = CharField(max_length=80)
    channel = CharField(max_length=20, choices=MessageChannel)
    locale = CharField(max_length=10)
    subject = TextField(default="")
    body = TextField()
    updated_at = DateTimeField(default=utcnow)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("event", "channel", "locale"), True),)
        changes = Changing()


class Preference(BaseModel):
    """How often someone wants messages on one topic."""

    id = AutoField()
    user = ForeignKeyField(User, backref="preferences", on_delete="CASCADE")
    topic = CharField(max_length=30, choices=Topic)
    frequency = CharField(max_length=20, default="immediate", choices=Frequency)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "topic"), True),)
        changes = Changing()


class ChannelStatus(BaseModel):
    """A channel that stopped working for someone (a bounced address, a dead number)."""

    id = AutoField()
    user = ForeignKeyField(User, backref="channel_statuses", on_delete="CASCADE")
    channel = CharField(max_length=20)
    failing_since = DateTimeField(default=utcnow)
    reason = TextField(default="")

    class Meta:
        indexes = ((("user", "channel"), True),)


class PortalMessage(BaseModel):
    """A message in someone's inbox on the portal: every message they were sent, whatever the channel."""

    id = AutoField()
    user = ForeignKeyField(User, backref="portal_messages", on_delete="CASCADE")
    event = ForeignKeyField(OutboxEvent, null=True, on_delete="SET NULL")
    # How it reached them: portal, or a copy of what went by email, text, letter or phone call.
    channel = CharField(max_length=20, default="portal", choices=DeliveryChannel)
    subject = TextField()
    body = TextField()
    created_at = DateTimeField(default=utcnow, index=True)
    read_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class Letter(BaseModel):
    """A printable letter for someone who asked for post, waiting to be printed and posted.

    It is for an account holder (``user``) or for someone without an account (``person``).
    """

    id = AutoField()
    user = ForeignKeyField(User, backref="letters", on_delete="CASCADE", null=True)
    person = ForeignKeyField(ContactPerson, backref="letters", on_delete="SET NULL", null=True)
    event = ForeignKeyField(OutboxEvent, null=True, on_delete="SET NULL")
    locale = CharField(max_length=10, default="en")
    address = TextField()
    subject = TextField()
    body = TextField()
    status = CharField(max_length=20, default="queued", index=True, choices=LetterStatus)
    created_at = DateTimeField(default=utcnow)
    posted_at = DateTimeField(null=True)
    posted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="letters_posted")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class TranslationReview(BaseModel):
    """Someone checked one language's wording after staff changed the English: who, when, and which English.

    One row per event, channel and language holds the latest review; the audit trail keeps every one.
    """

    id = AutoField()
    event = CharField(max_length=80)
    channel = CharField(max_length=20, choices=MessageChannel)
    locale = CharField(max_length=10)
    english_changed_at = DateTimeField()
    reviewed_at = DateTimeField(default=utcnow)
    reviewed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="translation_reviews")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("event", "channel", "locale"), True),)
        changes = Changing()


class CallTask(BaseModel):
    """A message to read out by phone to someone who asked for calls: a task in the staff's queue."""

    id = AutoField()
    delivery = ForeignKeyField(Delivery, unique=True, on_delete="CASCADE", backref="call_tasks")
    event = ForeignKeyField(OutboxEvent, null=True, on_delete="SET NULL")
    user = ForeignKeyField(User, null=True, backref="call_tasks", on_delete="CASCADE")
    person = ForeignKeyField(ContactPerson, null=True, backref="call_tasks", on_delete="SET NULL")
    name = CharField(max_length=120)
    phone = CharField(max_length=30)
    locale = CharField(max_length=10, default="en")
    subject = TextField()
    body = TextField()
    status = CharField(max_length=20, default="open", index=True, choices=CallStatus)
    outcome_note = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    completed_at = DateTimeField(null=True)
    completed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="calls_made")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()
