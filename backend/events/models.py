"""The transactional outbox: events written with the change they report, and their deliveries."""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, SmallIntegerField, TextField

from backend.changes import Changing
from backend.db import BaseModel, JSONField
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class DeliveryChannel(Vocabulary):
    """The channel a message goes by."""

    EMAIL = "email", "By email."
    SMS = "sms", "By text message."
    LETTER = "letter", "By post: a letter for staff to print and post."
    PORTAL = "portal", "In the person's inbox on the portal."
    CALL = "call", "Read out by phone: a task in the staff's call queue."
    NONE = "none", "No channel could reach the person (the delivery is skipped or waits for staff)."


class DeliveryStatus(Vocabulary):
    """Where one delivery stands."""

    PENDING = "pending", "Waiting to be sent."
    HELD = "held", "Held for a daily or weekly digest."
    DIGESTED = "digested", "Sent inside a digest."
    SENDING = "sending", "Claimed by a worker that is sending it."
    SENT = "sent", "Sent."
    FAILED = "failed", "Sending failed; it will be tried again."
    DEAD = "dead", "Sending failed too often; it is no longer tried."
    BOUNCED = "bounced", "The channel refused it (a bounced address, a dead number)."
    SKIPPED = "skipped", "Not sent: the person turned the topic off, or no channel could reach them."
    UNREACHABLE = "unreachable", "A statutory message with no way left to send it: staff must act."


class OutboxEvent(BaseModel):
    id = AutoField()
    name = CharField(max_length=80, index=True)
    payload = JSONField()
    created_at = DateTimeField(default=utcnow)
    dispatched_at = DateTimeField(null=True, index=True)
    attempts = IntegerField(default=0)
    request_id = CharField(max_length=64, null=True)


class Delivery(BaseModel):
    """One message to one recipient by one channel. The idempotency key makes sends happen once.

    ``subject`` and ``body`` are the wording as rendered for the recipient; ``action`` is the call
    to action the system adds after it, stored with every secret link shown as ``[link]`` (the
    real links are made as the message is sent). A worker *claims* a delivery before sending it
    (status ``sending`` with a lease); a lease that runs out with no record of sending means the
    worker died, and only then is the delivery sent again.
    """

    id = AutoField()
    event = ForeignKeyField(OutboxEvent, backref="deliveries", on_delete="CASCADE")
    idempotency_key = CharField(max_length=200, unique=True)
    channel = CharField(max_length=20, choices=DeliveryChannel, help_text="The channel it goes by.")
    recipient_user_id = IntegerField(
        null=True,
        help_text="The id of the Person it is for; null for someone without an account (see recipientPersonId).",
    )
    # Someone without an account, reached by the details recorded with their contact (a ContactPerson).
    recipient_person_id = IntegerField(null=True, index=True)
    status = CharField(
        max_length=20, default="pending", index=True, choices=DeliveryStatus, help_text="Where it stands."
    )
    attempts = IntegerField(
        default=0,
        help_text="How many times sending was tried; the fifth failed try makes it dead. Staff's retry resets it.",
    )
    last_error = TextField(
        null=True,
        help_text="Why it was not sent, or why the last try failed: no_channel, no_postal_address, no_recipient, "
        "interrupted, the channel's refusal, or the kind of error. Null once it is sent.",
    )
    created_at = DateTimeField(default=utcnow, help_text="When it was planned.")
    sent_at = DateTimeField(
        null=True, help_text="When the channel took it, or when it went into a digest; null until then."
    )
    topic = CharField(
        max_length=30,
        default="account",
        help_text="What it is about: a topic people set preferences for (account, complaints, changes, surveys, "
        "feedback), or digest for a daily or weekly digest.",
    )
    locale = CharField(max_length=10, default="en", help_text="The language it is written in: a locale code.")
    copy_for_user_id = IntegerField(
        null=True,
        help_text="On an advocate's copy, the id of the resident (a Person) the message is about; else null.",
    )
    subject = TextField(default="", help_text="The subject as written for the recipient.")
    body = TextField(default="")
    next_attempt_at = DateTimeField(
        null=True,
        index=True,
        help_text="Not sent before this: set after a failed try (waits double from one minute) or while a "
        "sending limit holds it back. Null when it may go at once.",
    )
    action = TextField(default="")
    # Statutory messages (complaints, account security) go first and have their own share of each channel.
    priority = SmallIntegerField(default=0)
    lease_until = DateTimeField(null=True, index=True)
    provider_id = CharField(max_length=200, null=True)
    # The digest delivery this held message went out in.
    digest_id = IntegerField(null=True, index=True)
    # The complaint a message is about, so the complaint's page can show one that could not be sent.
    complaint_id = IntegerField(null=True, index=True)
    # The case a message is about, complaint or not (a hazard notice, a contact's acknowledgement), so a case hidden
    # from someone hides its messages too.
    contact_id = IntegerField(
        null=True,
        index=True,
        help_text="The contact (the case) the message is about: its own, its hazard's or its complaint's. Null: none.",
    )
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()
