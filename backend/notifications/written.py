"""Complaint messages that must reach people in writing, in full, whatever channel they chose.

The Code asks landlords to *confirm in writing* the acknowledgement (5.6), an extension (6.4-6.5), each
stage's response (6.9, 6.19) and a refusal (2.4). A text message can only say where the complaint is, so
someone who chose texts gets the text and the full message in writing as well: by email when they have
a working address, else by post when we know their home, else in their messages on the portal (someone
without an account: by post, else by email). When none of those can carry it, the copy is a letter flagged
``unreachable`` for staff to act on, and the text message says so rather than naming a channel.
"""

from __future__ import annotations

from typing import Any

from peewee import IntegrityError

from backend.accounts.models import User
from backend.db import transaction
from backend.events.models import Delivery
from backend.notifications import people, preferences
from backend.notifications.catalogue import EVENTS, recipient_id
from backend.notifications.wording import with_copy_note, wording_for

WRITTEN_EVENTS = frozenset(
    {
        "complaint.acknowledged",
        "complaint.extended",
        "complaint.responded",
        "complaint.refused",
        "complaint.escalation_refused",
        "complaint.updated",
    }
)
WRITTEN_CHANNELS = ("email", "letter", "portal")
PERSON_CHANNELS = ("letter", "email")


def written_channel(user: Any) -> str | None:
    """The channel that carries the full message for someone whose own channel is a text message;
    None when no channel can (the copy is then an ``unreachable`` letter for staff to act on).

    Someone without an account has no portal messages: theirs goes by post, else by email."""
    if not isinstance(user, User):
        failing = people.failing_channels(user.id)
        return next((channel for channel in PERSON_CHANNELS if people.available(user, channel, failing)), None)
    failing = preferences.failing_channels(user.id)
    return next((channel for channel in WRITTEN_CHANNELS if preferences.available(user, channel, failing)), None)


def plan_written_copy(delivery: Delivery, reader: User) -> int | None:
    """After a text message of a statutory complaint message, the same message in writing. Safe to run
    twice; returns the new delivery's id (ready to send), or None when none is needed, it exists, or it
    could only be flagged ``unreachable``."""
    if delivery.channel != "sms" or delivery.event.name not in WRITTEN_EVENTS:
        return None
    channel = written_channel(reader)
    # With nowhere to send it, the copy is kept as a letter flagged for staff (the text says so).
    status, problem = ("pending", None) if channel is not None else ("unreachable", "no_postal_address")
    channel = channel or "letter"
    key = f"{delivery.idempotency_key}:written"
    if Delivery.select().where(Delivery.idempotency_key == key).exists():
        return None
    subject_user = User.get_or_none(User.id == (delivery.copy_for_user_id or recipient_id(delivery.event.payload)))
    spec = EVENTS[delivery.event.name]
    subject, body, action = wording_for(delivery.event, spec, subject_user or reader, reader, channel, delivery.locale)
    if delivery.copy_for_user_id is not None and subject_user is not None:
        body = with_copy_note(body, subject_user, delivery.locale)
    try:
        with transaction():
            copy = Delivery.create(
                event=delivery.event,
                idempotency_key=key,
                channel=channel,
                status=status,
                last_error=problem,
                complaint_id=delivery.complaint_id,
                contact_id=delivery.contact_id,
                recipient_user_id=reader.id,
                topic=delivery.topic,
                locale=delivery.locale,
                copy_for_user_id=delivery.copy_for_user_id,
                subject=subject,
                body=body,
                action=action,
                priority=delivery.priority,
            )
    except IntegrityError:
        return None
    return int(copy.id) if status == "pending" else None
