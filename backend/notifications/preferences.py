"""Who gets a message, by which channel, and how often: preferences, channel health, unsubscribing."""

from __future__ import annotations

from backend.accounts import links
from backend.accounts.models import Home, Representation, User
from backend.audit.services import record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed
from backend.notifications.catalogue import STATUTORY_TOPICS, TOPICS
from backend.notifications.models import FREQUENCIES, ChannelStatus, Preference
from backend.timeutil import utcnow

UNSUBSCRIBE_SALT = "learnloop.unsubscribe"
# What each contact preference means for automated messages. Someone who prefers phone calls
# hears about their own cases from staff: the message becomes a call in the staff's queue. Bulk
# topics (changes, surveys) are not read out one by one; they go by the next channel.
PREFERRED = {"email": "email", "sms": "sms", "post": "letter", "portal": "portal", "phone": "call"}
FALLBACK = ("email", "sms", "portal", "letter")
# When the chosen channel can't be used for a statutory message, it goes by post: a message in the
# portal inbox is not a letter sent to them (Code 6.9, 6.19, 2.4).
STATUTORY_FALLBACK = ("letter", "email", "sms", "portal")
CALL_TOPICS = frozenset({"complaints", "feedback"})


def frequency_for(user_id: int, topic: str) -> str:
    """How often this person wants this topic; statutory topics are always immediate."""
    if topic in STATUTORY_TOPICS:
        return "immediate"
    row = Preference.get_or_none(Preference.user == user_id, Preference.topic == topic)
    return row.frequency if row else "immediate"


def set_frequency(actor: Actor, user_id: int, topic: str, frequency: str) -> Preference:
    """Choose how often to hear about a topic. Raises NotAllowed, Invalid or Conflict (statutory)."""
    if not actor.can_write or (actor.user_id != user_id and not actor.has_role("admin", "system")):
        raise NotAllowed("preference.set")
    if topic not in TOPICS:
        raise Invalid("topic", "unsupported")
    if frequency not in FREQUENCIES:
        raise Invalid("frequency", "unsupported")
    if topic in STATUTORY_TOPICS and frequency != "immediate":
        raise Conflict("statutory_topic")
    with transaction():
        row = Preference.get_or_none(Preference.user == user_id, Preference.topic == topic)
        before = row.frequency if row else "immediate"
        if row is None:
            row = Preference.create(user=user_id, topic=topic, frequency=frequency)
        else:
            row.frequency = frequency
            row.updated_at = utcnow()
            row.save()
        if before != frequency:
            record_audit(
                actor,
                "preference.changed",
                "user",
                user_id,
                {f"frequency.{topic}": {"before": before, "after": frequency}},
            )
    return row


def unsubscribe_token(user_id: int, topic: str) -> str:
    return links.make_link_token(UNSUBSCRIBE_SALT, {"uid": user_id, "topic": topic})


def unsubscribe(token: str) -> tuple[User, str]:
    """Turn a topic off from a signed link; return the person and topic.

    Raises ``Invalid("token", …)`` for a bad link and ``Conflict("statutory_topic")`` for complaints
    and security notices, which can't be turned off.
    """
    payload = links.read_link_token(UNSUBSCRIBE_SALT, token, max_age=365 * 24 * 3600)
    user = User.get_or_none(User.id == payload.get("uid"))
    topic = str(payload.get("topic"))
    if user is None or topic not in TOPICS:
        raise Invalid("token", "invalid")
    actor = Actor(user_id=user.id, roles=user.role_names(), label=f"user:{user.id}")
    set_frequency(actor, user.id, topic, "off")
    return user, topic


def failing_channels(user_id: int) -> set[str]:
    return {row.channel for row in ChannelStatus.select().where(ChannelStatus.user == user_id)}


def mark_failing(user_id: int, channel: str, reason: str) -> None:
    """Record that a channel stopped working for someone; later messages use their next channel."""
    with transaction():
        if not ChannelStatus.select().where(ChannelStatus.user == user_id, ChannelStatus.channel == channel).exists():
            ChannelStatus.create(user=user_id, channel=channel, reason=reason[:500])


def available(user: User, channel: str, failing: set[str]) -> bool:
    if channel in failing:
        return False
    if channel == "email":
        return bool(user.email) and not user.email.endswith(".invalid")
    if channel == "sms":
        return bool(user.phone) and user.phone_verified_at is not None
    if channel == "letter":
        return user.home_id is not None  # type: ignore[attr-defined]
    if channel == "call":
        return bool(user.phone)
    return channel == "portal"


def channel_for(user: User, topic: str, failing: set[str] | None = None) -> str | None:
    """The channel to use: the person's preferred one if it works, then the next that does.

    Account notices always go by email: they carry links for that address. ``failing`` may be
    given when it is already known (a fan-out loads it for a whole batch at once).
    """
    failing = failing_channels(user.id) if failing is None else failing
    if topic == "account":
        return "email" if "email" not in failing else None
    preferred = PREFERRED.get(user.contact_channel, "email")
    if preferred == "call" and topic not in CALL_TOPICS:
        preferred = "email"
    fallback = STATUTORY_FALLBACK if topic in STATUTORY_TOPICS else FALLBACK
    for channel in (preferred, *fallback):
        if available(user, channel, failing):
            return channel
    return None


def next_channel(user: User, topic: str, after: str) -> str | None:
    """The channel to try once ``after`` has failed (it has been marked failing)."""
    return channel_for(user, topic) if topic != "account" else None


def advocates_for(resident_id: int) -> list[User]:
    """Advocates with the resident's recorded, unrevoked consent, who receive copies."""
    return list(
        User.select()
        .join(Representation, on=Representation.advocate)
        .where(Representation.resident == resident_id, Representation.revoked_at.is_null(), User.is_active == True)  # noqa: E712
    )


def postal_address(user: User) -> str:
    home = Home.get_or_none(Home.id == user.home_id) if user.home_id else None  # type: ignore[attr-defined]
    return f"{user.display_name}\n{home.address}\n{home.postcode}" if home else user.display_name
