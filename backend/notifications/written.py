"""Complaint messages that must reach people in writing, in full, whatever channel they chose.

The Code asks landlords to *confirm in writing* the acknowledgement (5.6), an extension (6.4-6.5), each
stage's response (6.9, 6.19) and a refusal (2.4). A text message can only say where the complaint is, so
someone who chose texts gets the text and the full message in writing as well: by email when they have
a working address, else by post when we know their home, else in their messages on the portal.
"""

from __future__ import annotations

from typing import Any

from peewee import IntegrityError

from backend.accounts.models import User
from backend.db import transaction
from backend.events.models import Delivery
from backend.i18n import translations
from backend.notifications import preferences

WRITTEN_EVENTS = frozenset(
    {"complaint.acknowledged", "complaint.extended", "complaint.responded", "complaint.refused", "complaint.updated"}
)
WRITTEN_CHANNELS = ("email", "letter", "portal")


def written_channel(user: Any) -> str:
    """The channel that carries the full message for someone whose own channel is a text message.

    Someone without an account has no portal messages: theirs goes by post, else by email."""
    if not isinstance(user, User):
        from backend.notifications import people

        return "letter" if people.available(user, "letter", set()) else "email"
    failing = preferences.failing_channels(user.id)
    return next(channel for channel in WRITTEN_CHANNELS if preferences.available(user, channel, failing))


def plan_written_copy(delivery: Delivery, reader: User) -> int | None:
    """After a text message of a statutory complaint message, the same message in writing. Safe to run
    twice; returns the new delivery's id (ready to send), or None when none is needed or it exists."""
    from backend.notifications.catalogue import EVENTS, recipient_id
    from backend.notifications.services import COPY_NOTE, _wording

    if delivery.channel != "sms" or delivery.event.name not in WRITTEN_EVENTS:
        return None
    channel = written_channel(reader)
    key = f"{delivery.idempotency_key}:written"
    if Delivery.select().where(Delivery.idempotency_key == key).exists():
        return None
    subject_user = User.get_or_none(User.id == (delivery.copy_for_user_id or recipient_id(delivery.event.payload)))
    spec = EVENTS[delivery.event.name]
    subject, body, action = _wording(delivery.event, spec, subject_user or reader, reader, channel, delivery.locale)
    if delivery.copy_for_user_id is not None and subject_user is not None:
        note = translations(delivery.locale).gettext(COPY_NOTE) % {"name": subject_user.display_name}
        body = f"{note}\n\n{body}"
    try:
        with transaction():
            copy = Delivery.create(
                event=delivery.event,
                idempotency_key=key,
                channel=channel,
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
    return int(copy.id)
