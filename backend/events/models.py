"""The transactional outbox: events written with the change they report, and their deliveries."""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from backend.db import BaseModel, JSONField
from backend.timeutil import utcnow


class OutboxEvent(BaseModel):
    id = AutoField()
    name = CharField(max_length=80, index=True)
    payload = JSONField()
    created_at = DateTimeField(default=utcnow)
    dispatched_at = DateTimeField(null=True, index=True)
    attempts = IntegerField(default=0)
    request_id = CharField(max_length=64, null=True)


class Delivery(BaseModel):
    """One message to one recipient by one channel. The idempotency key makes sends happen once."""

    id = AutoField()
    event = ForeignKeyField(OutboxEvent, backref="deliveries", on_delete="CASCADE")
    idempotency_key = CharField(max_length=200, unique=True)
    channel = CharField(max_length=20)
    recipient_user_id = IntegerField(null=True)
    # pending, held (for a digest), sent, failed (will retry), dead (gave up), bounced, skipped
    status = CharField(max_length=20, default="pending", index=True)
    attempts = IntegerField(default=0)
    last_error = TextField(null=True)
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    topic = CharField(max_length=30, default="account")
    locale = CharField(max_length=10, default="en")
    copy_for_user_id = IntegerField(null=True)
    subject = TextField(default="")
    body = TextField(default="")
    next_attempt_at = DateTimeField(null=True, index=True)
