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
    event = CharField(max_length=80, help_text="The event it words, by name (for example complaint.acknowledged).")
    channel = CharField(max_length=20, choices=MessageChannel, help_text="The channel it is for.")
    locale = CharField(max_length=10, help_text="Its language: a locale code. It is used for this language only.")
    subject = TextField(default="", help_text="The subject line, written like the body; text messages don't send it.")
    body = TextField(
        help_text="The wording: plain text with {{ placeholders }} and {% if %} (sandboxed Jinja). The system "
        "adds the call to action and any links after it."
    )
    updated_at = DateTimeField(default=utcnow)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("event", "channel", "locale"), True),)
        changes = Changing()


class Preference(BaseModel):
    """How often someone wants messages on one topic."""

    id = AutoField()
    user = ForeignKeyField(User, backref="preferences", on_delete="CASCADE", help_text="Whose preference it is.")
    topic = CharField(max_length=30, choices=Topic, help_text="The topic it is for.")
    frequency = CharField(
        max_length=20,
        default="immediate",
        choices=Frequency,
        help_text="How often they hear about the topic. A topic with no preference is immediate.",
    )
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
    user = ForeignKeyField(User, backref="portal_messages", on_delete="CASCADE", help_text="Whose inbox it is in.")
    event = ForeignKeyField(OutboxEvent, null=True, on_delete="SET NULL")
    # How it reached them: portal, or a copy of what went by email, text, letter or phone call.
    channel = CharField(max_length=20, default="portal", choices=DeliveryChannel)
    subject = TextField(help_text="The message's subject.")
    body = TextField(help_text="The whole message as plain text, with any secret link shown as [link].")
    created_at = DateTimeField(default=utcnow, index=True, help_text="When it reached the inbox.")
    read_at = DateTimeField(null=True, help_text="Meant for when it was read; nothing records that yet, so it is null.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class Letter(BaseModel):
    """A printable letter for someone who asked for post, waiting to be printed and posted.

    It is for an account holder (``user``) or for someone without an account (``person``).
    """

    id = AutoField()
    user = ForeignKeyField(
        User,
        backref="letters",
        on_delete="CASCADE",
        null=True,
        help_text="The account holder it is for; null for someone without an account.",
    )
    person = ForeignKeyField(ContactPerson, backref="letters", on_delete="SET NULL", null=True)
    event = ForeignKeyField(OutboxEvent, null=True, on_delete="SET NULL")
    locale = CharField(max_length=10, default="en", help_text="The letter's language: a locale code.")
    address = TextField(help_text="The address block to print, a line each: the name, the address and the postcode.")
    subject = TextField(help_text="The letter's subject line.")
    body = TextField(help_text="The letter's text, call to action included; any secret link shows as [link].")
    status = CharField(
        max_length=20, default="queued", index=True, choices=LetterStatus, help_text="Whether it has been posted."
    )
    created_at = DateTimeField(default=utcnow, help_text="When it was queued for printing.")
    posted_at = DateTimeField(null=True, help_text="When staff recorded it posted; null while queued.")
    posted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="letters_posted")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


class TranslationReview(BaseModel):
    """Someone checked one language's wording after staff changed the English: who, when, and which English.

    One row per event, channel and language holds the latest review; the audit trail keeps every one.
    """

    id = AutoField()
    event = CharField(max_length=80, help_text="The event whose wording was reviewed, by name.")
    channel = CharField(max_length=20, choices=MessageChannel, help_text="The channel whose wording was reviewed.")
    locale = CharField(max_length=10, help_text="The language reviewed: a locale code (never en).")
    english_changed_at = DateTimeField(
        help_text="When the English wording it was checked against was saved (that template's updatedAt)."
    )
    reviewed_at = DateTimeField(default=utcnow, help_text="When it was reviewed.")
    reviewed_by = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="translation_reviews",
        help_text="The manager or admin who reviewed it; null if their account is gone.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("event", "channel", "locale"), True),)
        changes = Changing()


class CallTask(BaseModel):
    """A message to read out by phone to someone who asked for calls: a task in the staff's queue."""

    id = AutoField()
    delivery = ForeignKeyField(Delivery, unique=True, on_delete="CASCADE", backref="call_tasks")
    event = ForeignKeyField(OutboxEvent, null=True, on_delete="SET NULL")
    user = ForeignKeyField(
        User,
        null=True,
        backref="call_tasks",
        on_delete="CASCADE",
        help_text="The account holder to call; null for someone without an account.",
    )
    person = ForeignKeyField(
        ContactPerson,
        null=True,
        backref="call_tasks",
        on_delete="SET NULL",
        help_text="The person without an account to call; null for an account holder.",
    )
    name = CharField(max_length=120, help_text="The name of the person to call, as it was when the call was queued.")
    phone = CharField(max_length=30, help_text="The number to call, as it was when the call was queued.")
    locale = CharField(max_length=10, default="en", help_text="The language to read it out in: a locale code.")
    subject = TextField(help_text="The message's subject.")
    body = TextField(help_text="The message to read out: the wording a letter would have.")
    status = CharField(
        max_length=20, default="open", index=True, choices=CallStatus, help_text="Where the call stands."
    )
    outcome_note = TextField(
        default="", help_text="What staff noted about the call, up to 2000 characters; may be empty."
    )
    created_at = DateTimeField(default=utcnow, help_text="When the call was queued.")
    completed_at = DateTimeField(null=True, help_text="When staff recorded how the call went; null while open.")
    completed_by = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="calls_made",
        help_text="Who recorded how the call went; null while open.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()
