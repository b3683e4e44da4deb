"""Send deliveries exactly once where the channel allows it, and at most twice after a crash.

Each send *claims* its delivery first: one conditional UPDATE moves it from ``pending`` (or
``failed``) to ``sending`` with a lease, so of two workers only one sends. Once the channel has
taken the message, the delivery becomes ``sent`` with the channel's message id. A worker killed
in between leaves a ``sending`` row whose lease runs out; :func:`recover_deliveries` sends those
again, and only those. So a crash can repeat at most the messages in flight at that moment, one
per worker thread. Portal messages and letters are written in the same transaction as the
``sent`` mark, so they are never repeated.

Quotas: every channel has a rate for the whole site, of which bulk messages may use only a share,
so statutory ones (complaints, account security) are never queued behind a survey or a digest;
and bulk messages have a rate per recipient, so nobody can be flooded through this system.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from typing import Any

from backend.accounts.models import User
from backend.accounts.phone import number_key
from backend.config import current
from backend.db import transaction
from backend.events.models import Delivery
from backend.i18n import translations
from backend.notifications import people, preferences
from backend.notifications.catalogue import (
    DIGEST_INTRO,
    STATUTORY_PRIORITY,
    TOPICS,
    Attachment,
    Recipient,
    recipient_id,
)
from backend.notifications.compose import Composed, Part, action_for, details_for, html_of, split_details, text_of
from backend.notifications.mailer import build_message, send_message
from backend.notifications.models import CallTask, Letter, PortalMessage
from backend.notifications.people import PersonReader
from backend.notifications.registry import EVENTS
from backend.notifications.services import Reader, fall_back_to_letter, plan_follow_up, reader_of
from backend.notifications.sms import provider_for
from backend.ratelimit.services import hit
from backend.timeutil import utcnow

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 60
SENDABLE = ("pending", "failed")


class PermanentFailure(Exception):
    """The channel refused the address for good (a bounce): use the person's next channel."""


class NoPostalAddress(Exception):
    """A letter with nowhere to go: staff must find out where to send it."""


def send_delivery(delivery_id: int) -> int | None:
    """Send one delivery if it is due. Returns the id of a follow-up delivery on another channel
    after a bounce, else None. Safe to run twice, and from several workers at once: a delivery is
    claimed before it is sent, and a sent one is never sent again."""
    delivery = Delivery.get_or_none(Delivery.id == delivery_id)
    now = utcnow()
    if delivery is None or delivery.status not in SENDABLE:
        return None
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return None
    user = reader_of(delivery)
    if user is None:
        Delivery.update(status="skipped", last_error="no_recipient").where(Delivery.id == delivery.id).execute()
        return None
    wait = quota_wait(delivery, user)
    if wait is not None:
        Delivery.update(next_attempt_at=now + dt.timedelta(seconds=wait)).where(
            Delivery.id == delivery.id, Delivery.status.in_(SENDABLE)
        ).execute()
        return None
    if not claim(delivery.id, now):
        return None  # another worker has it, or it is no longer due
    attempts = delivery.attempts + 1
    try:
        deliver(delivery, user)
    except NoPostalAddress:
        _unreachable(delivery.id)
    except PermanentFailure as error:
        return _bounce(delivery, user, str(error))
    except Exception as error:  # a channel boundary: record, back off, retry
        logger.warning("delivery %s by %s failed: %s", delivery.id, delivery.channel, type(error).__name__)
        if _failed(delivery.id, attempts, type(error).__name__, now):
            return fall_back_to_letter(delivery, user)
    return None


def claim(delivery_id: int, now: dt.datetime) -> bool:
    """Take a due delivery for sending, with a lease; return False when another worker has it."""
    lease = now + dt.timedelta(seconds=current().delivery_lease_seconds)
    claimed = (
        Delivery.update(status="sending", lease_until=lease, attempts=Delivery.attempts + 1)
        .where(
            Delivery.id == delivery_id,
            Delivery.status.in_(SENDABLE),
            Delivery.next_attempt_at.is_null() | (Delivery.next_attempt_at <= now),
        )
        .execute()
    )
    return claimed == 1


def mark_sent(delivery_id: int, provider_id: str | None) -> bool:
    """Mark a claimed delivery sent; False when it was no longer claimed (nothing changes then)."""
    changed = (
        Delivery.update(status="sent", sent_at=utcnow(), lease_until=None, provider_id=provider_id, last_error=None)
        .where(Delivery.id == delivery_id, Delivery.status == "sending")
        .execute()
    )
    return changed == 1


def _unreachable(delivery_id: int) -> None:
    Delivery.update(status="unreachable", lease_until=None, last_error="no_postal_address").where(
        Delivery.id == delivery_id, Delivery.status == "sending"
    ).execute()


def _failed(delivery_id: int, attempts: int, error: str, now: dt.datetime) -> bool:
    """Record a failed attempt; True when it was the last one (the delivery is now dead)."""
    dead = attempts >= MAX_ATTEMPTS
    Delivery.update(
        status="dead" if dead else "failed",
        lease_until=None,
        last_error=error,
        next_attempt_at=None if dead else now + dt.timedelta(seconds=BACKOFF_SECONDS * 2 ** (attempts - 1)),
    ).where(Delivery.id == delivery_id, Delivery.status == "sending").execute()
    return dead


def recover_deliveries(now: dt.datetime | None = None, limit: int = 5000) -> list[int]:
    """Put back in the queue the deliveries a dead worker left claimed: their lease ran out with no
    record of sending. Those that have had every attempt become dead letters, and a statutory one
    goes at once as a letter to post. Returns the ids ready to send: those put back, and the letters."""
    now = now or utcnow()
    stale = (Delivery.status == "sending") & (Delivery.lease_until < now)
    rows = list(Delivery.select(Delivery.id, Delivery.attempts).where(stale).order_by(Delivery.id).limit(limit))
    dead = [row.id for row in rows if row.attempts >= MAX_ATTEMPTS]
    again = [row.id for row in rows if row.attempts < MAX_ATTEMPTS]
    with transaction():
        if dead:
            Delivery.update(status="dead", lease_until=None, last_error="interrupted").where(
                stale & Delivery.id.in_(dead)
            ).execute()
        if again:
            Delivery.update(status="pending", lease_until=None, last_error="interrupted", next_attempt_at=None).where(
                stale & Delivery.id.in_(again)
            ).execute()
    if rows:
        logger.warning("recovered %s interrupted deliveries (%s given up)", len(again), len(dead))
    letters = []
    for delivery in Delivery.select().where(Delivery.id.in_(dead)):
        reader = reader_of(delivery)
        letter = fall_back_to_letter(delivery, reader) if reader is not None else None
        if letter is not None:
            letters.append(letter)
    return again + letters


def quota_wait(delivery: Delivery, user: Reader) -> int | None:
    """Seconds to wait before this delivery may go, or None: per-recipient rate for bulk messages,
    then the channel's site-wide rate, of which bulk messages may use only their share."""
    settings = current()
    statutory = delivery.priority >= STATUTORY_PRIORITY
    address = recipient_address(delivery.channel, user)
    if not statutory and address is not None:
        wait = hit(f"recipient:{delivery.channel}:{address}", settings.messages_per_recipient_per_hour, 3600)
        if wait is not None:
            return wait
    limit = {"email": settings.email_per_minute, "sms": settings.sms_per_minute}.get(delivery.channel, 0)
    if limit <= 0:
        return None
    if not statutory:
        share = max(1, limit * settings.bulk_share_percent // 100)
        wait = hit(f"channel:{delivery.channel}:bulk", share, 60)
        if wait is not None:
            return wait
    return hit(f"channel:{delivery.channel}", limit, 60)


def recipient_address(channel: str, user: Reader) -> str | None:
    """What a per-recipient quota counts: the address or number a message goes to."""
    if channel == "email":
        return (user.email or "").lower() or None
    if channel == "sms":
        return number_key(user.phone or "") or None
    return None


def composed(delivery: Delivery, user: Reader, channel: str | None = None) -> Composed:
    """The message a delivery stands for, with its call to action made for ``channel`` now."""
    channel = channel or delivery.channel
    if isinstance(user, PersonReader):
        return Composed(delivery.subject, (Part(delivery.body),))  # no account: no links to follow
    if delivery.topic == "digest":
        return _composed_digest(delivery, user, channel)
    recipient = _recipient(delivery, user, channel)
    if recipient is None:
        return Composed(delivery.subject, (Part(delivery.body),))
    part = split_details(delivery.body, details_for(delivery.event.name, recipient), channel)
    return Composed(
        delivery.subject, (Part(part.body, action_for(delivery.event.name, recipient), details=part.details),)
    )


def _recipient(delivery: Delivery, user: User, channel: str) -> Recipient | None:
    event = delivery.event
    subject_id = delivery.copy_for_user_id or recipient_id(event.payload)
    subject_user = user if subject_id in (None, user.id) else User.get_or_none(User.id == subject_id)
    if subject_user is None:
        return None
    return Recipient(event.name, event.payload, subject_user, user, channel, delivery.locale)


def _composed_digest(digest: Delivery, user: User, channel: str) -> Composed:
    held = list(Delivery.select().where(Delivery.digest_id == digest.id).order_by(Delivery.id))
    if not held:  # made before digests kept their parts: the stored text is all there is
        return Composed(digest.subject, (Part(digest.body),))
    intro = translations(digest.locale).gettext(DIGEST_INTRO) % {"name": user.display_name}
    parts = [Part(intro)]
    for part in held:
        recipient = _recipient(part, user, channel)
        action = action_for(part.event.name, recipient) if recipient is not None else ()
        parts.append(Part(part.body, action, subject=part.subject))
    return Composed(digest.subject, tuple(parts))


def deliver(delivery: Delivery, user: Reader) -> None:
    """Hand one claimed delivery to its channel and mark it sent. An account holder also finds a
    copy of every message in their portal inbox, whatever the channel.

    Raises PermanentFailure for a bounce, NoPostalAddress for a letter with nowhere to go, anything
    else to retry.
    """
    settings = current()
    message = composed(delivery, user)
    if delivery.channel == "email":
        unsubscribe = None
        if isinstance(user, User) and delivery.topic in TOPICS and delivery.topic not in preferences.STATUTORY_TOPICS:
            unsubscribe = (
                f"{settings.base_url}/unsubscribe?token={preferences.unsubscribe_token(user.id, delivery.topic)}"
            )
        email = build_message(
            settings,
            user.email,
            delivery.subject,
            text_of(message, "email", reveal=True) + "\n",
            html_of(message, delivery.locale, reveal=True),
            unsubscribe,
        )
        for attachment in attachments_for(delivery, user):
            main, _slash, sub = attachment.media_type.partition("/")
            email.add_attachment(attachment.content, maintype=main, subtype=sub, filename=attachment.filename)
        try:
            send_message(settings, email)
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentFailure("address refused") from error
        _sent(delivery, user, message, str(email["Message-ID"]))
    elif delivery.channel == "sms":
        provider_id = provider_for(settings).send(user.phone or "", text_of(message, "sms", reveal=True))
        _sent(delivery, user, message, provider_id)
    elif delivery.channel in ("portal", "letter", "call"):
        _store_copy(delivery, user, message)
    else:
        raise PermanentFailure(f"unknown channel {delivery.channel}")


def attachments_for(delivery: Delivery, user: Reader) -> list[Attachment]:
    """The files an email of the delivery's event carries for this reader (none for most events)."""
    spec = EVENTS.get(delivery.event.name)
    if spec is None or spec.attachments is None or not isinstance(user, User):
        return []
    recipient = _recipient(delivery, user, "email")
    return spec.attachments(recipient) if recipient is not None else []


def _sent(delivery: Delivery, user: Reader, message: Composed, provider_id: str | None) -> None:
    """Mark a delivery the channel took as sent, with its inbox copy, in one transaction."""
    with transaction():
        if mark_sent(delivery.id, provider_id):
            _inbox_copy(delivery, user, message)


def _inbox_copy(delivery: Delivery, user: Reader, message: Composed) -> None:
    """What went by email, text, letter or phone, kept in the account holder's portal inbox too."""
    if isinstance(user, User) and delivery.channel != "portal":
        PortalMessage.create(
            user=user,
            event=delivery.event_id,  # type: ignore[attr-defined]
            channel=delivery.channel,
            subject=delivery.subject,
            body=text_of(message, "portal", reveal=False),
        )


def postal_address(user: Reader) -> str:
    """The address block of a letter; empty when there is nowhere to send it."""
    if isinstance(user, PersonReader):
        return user.postal_address if user.address.strip() else ""
    return preferences.postal_address(user) if user.home_id else ""  # type: ignore[attr-defined]


def _store_copy(delivery: Delivery, user: Reader, message: Composed) -> None:
    """Put a portal message, a letter or a call task in place and mark the delivery sent, in one transaction."""
    body = text_of(message, "letter" if delivery.channel == "call" else delivery.channel, reveal=False)
    owner: dict[str, Any] = {"user": user.id} if isinstance(user, User) else {"person": user.id}
    with transaction():
        if delivery.channel == "portal":
            row: Any = PortalMessage.create(user=user, event=delivery.event_id, subject=delivery.subject, body=body)  # type: ignore[attr-defined]
        elif delivery.channel == "call":
            row = CallTask.create(
                delivery=delivery.id,
                event=delivery.event_id,  # type: ignore[attr-defined]
                name=user.display_name,
                phone=user.phone or "",
                locale=delivery.locale,
                subject=delivery.subject,
                body=body,
                **owner,
            )
        else:
            address = postal_address(user)
            if not address:
                raise NoPostalAddress
            row = Letter.create(
                event=delivery.event_id,  # type: ignore[attr-defined]
                locale=delivery.locale,
                address=address,
                subject=delivery.subject,
                body=body,
                **owner,
            )
        if mark_sent(delivery.id, f"{delivery.channel}:{row.id}"):
            _inbox_copy(delivery, user, message)


def _bounce(delivery: Delivery, user: Reader, reason: str) -> int | None:
    if isinstance(user, User):
        preferences.mark_failing(user.id, delivery.channel, reason)
    Delivery.update(status="bounced", lease_until=None, last_error=reason[:500]).where(
        Delivery.id == delivery.id
    ).execute()
    if EVENTS.get(delivery.event.name) is None:
        return None
    if delivery.priority >= STATUTORY_PRIORITY and delivery.topic != "account":
        # A statutory message can't wait for someone to notice: it goes by post at once.
        return fall_back_to_letter(delivery, user)
    if isinstance(user, PersonReader):
        channel = people.channel_for(user)
    else:
        channel = preferences.next_channel(user, delivery.topic, delivery.channel)
    if channel is None:
        return None
    return plan_follow_up(delivery, user, channel)
