"""Wording in every language: each language's state, and reviews after staff change the English.

Staff's wording in one language is used for that language only (see
:func:`backend.notifications.templates.effective_source`). So when staff change the English wording
of a message, every other language keeps sending its own wording, which may now say something
different. Each of those languages waits for review from the moment the English changed until
someone either edits that language's wording or records that they reviewed it against the new
English. A review names the English it was checked against, so a review made while someone else
was changing the English never covers wording its reviewer didn't read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.config import current
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed
from backend.notifications.models import CHANNELS, MessageTemplate, TranslationReview
from backend.notifications.registry import EVENTS
from backend.notifications.templates import default_is_translated
from backend.timeutil import utcnow

SOURCE_LOCALE = "en"
Key = tuple[str, str, str]


@dataclass(frozen=True)
class WordingState:
    """One language's wording for an event on a channel.

    ``origin`` is "template" (staff's wording in this language) or "default" (the translated default).
    ``translated`` is False only for a default whose translation isn't finished, which is sent in
    English until it is. ``english_changed_at`` is set while a review waits: when staff last changed
    the English, which this language has neither been edited nor reviewed against since.
    """

    event: str
    channel: str
    locale: str
    origin: str
    changed_at: dt.datetime | None
    translated: bool
    english_changed_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    reviewed_by: str | None

    @property
    def review_pending(self) -> bool:
        return self.english_changed_at is not None


def wording_states(
    event: str | None = None, channel: str | None = None, locale: str | None = None
) -> list[WordingState]:
    """Every enabled language's wording state for each event and channel, optionally narrowed.

    Returns an empty list for an event, channel or language that doesn't exist. Three queries,
    whatever the number of events.
    """
    events = [event] if event is not None else list(EVENTS)
    channels = [channel] if channel is not None else list(CHANNELS)
    locales = [locale] if locale is not None else list(current().enabled_locales)
    if not set(events) <= set(EVENTS) or not set(channels) <= set(CHANNELS):
        return []
    if not set(locales) <= set(current().enabled_locales):
        return []
    templates = _by_key(
        MessageTemplate.select(
            MessageTemplate.event, MessageTemplate.channel, MessageTemplate.locale, MessageTemplate.updated_at
        ).where(MessageTemplate.event.in_(events))
    )
    reviews = _by_key(TranslationReview.select().where(TranslationReview.event.in_(events)))
    names = _reviewer_names(reviews.values())
    return [_state(e, c, loc, templates, reviews, names) for e in events for c in channels for loc in locales]


def pending_reviews() -> list[WordingState]:
    """Every language whose wording waits for review since the English changed, oldest change first."""
    waiting = [state for state in wording_states() if state.review_pending]
    return sorted(waiting, key=lambda s: (s.english_changed_at, s.event, s.channel, s.locale))


def _by_key(rows: Any) -> dict[Key, Any]:
    return {(row.event, row.channel, row.locale): row for row in rows}


def _reviewer_names(reviews: Any) -> dict[int, str]:
    ids = {review.reviewed_by_id for review in reviews if review.reviewed_by_id}
    if not ids:
        return {}
    return {user.id: user.display_name for user in User.select(User.id, User.display_name).where(User.id.in_(ids))}


def _state(
    event: str,
    channel: str,
    locale: str,
    templates: dict[Key, Any],
    reviews: dict[Key, Any],
    names: dict[int, str],
) -> WordingState:
    own = templates.get((event, channel, locale))
    english = templates.get((event, channel, SOURCE_LOCALE))
    review = reviews.get((event, channel, locale))
    changed_at = own.updated_at if own is not None else None
    return WordingState(
        event=event,
        channel=channel,
        locale=locale,
        origin="template" if own is not None else "default",
        changed_at=changed_at,
        translated=own is not None or default_is_translated(event, channel, locale),
        english_changed_at=_waiting_since(locale, english, changed_at, review),
        reviewed_at=review.reviewed_at if review is not None else None,
        reviewed_by=names.get(review.reviewed_by_id) if review is not None else None,
    )


def _waiting_since(locale: str, english: Any, changed_at: dt.datetime | None, review: Any) -> dt.datetime | None:
    """When the English changed, if this language hasn't caught up with it; else None."""
    if locale == SOURCE_LOCALE or english is None:
        return None
    english_changed_at: dt.datetime = english.updated_at
    if changed_at is not None and changed_at >= english_changed_at:
        return None
    if review is not None and review.english_changed_at >= english_changed_at:
        return None
    return english_changed_at


def mark_reviewed(
    actor: Actor, event: str, channel: str, locale: str, english_changed_at: dt.datetime
) -> TranslationReview:
    """Record that ``actor`` reviewed one language's wording against the English changed at ``english_changed_at``.

    Returns the review; a second review of the same English changes nothing and returns the first.
    Raises NotAllowed (only managers and admins), Invalid (``unsupported`` event, channel or
    language; English itself is not reviewed), Conflict ``nothing_to_review`` (the English is
    the default wording) and Conflict ``english_changed`` (the English changed again since the
    reviewer read it: they review the new English).
    """
    if not actor.can_write or not actor.has_role("manager", "admin"):
        raise NotAllowed("template.review")
    if event not in EVENTS:
        raise Invalid("event", "unsupported")
    if channel not in CHANNELS:
        raise Invalid("channel", "unsupported")
    if locale not in current().enabled_locales or locale == SOURCE_LOCALE:
        raise Invalid("locale", "unsupported")
    seen = _utc_naive(english_changed_at)
    with transaction():
        english = MessageTemplate.get_or_none(
            MessageTemplate.event == event,
            MessageTemplate.channel == channel,
            MessageTemplate.locale == SOURCE_LOCALE,
        )
        if english is None:
            raise Conflict("nothing_to_review")
        if english.updated_at != seen:
            raise Conflict("english_changed")
        key = (
            TranslationReview.event == event,
            TranslationReview.channel == channel,
            TranslationReview.locale == locale,
        )
        earlier = TranslationReview.get_or_none(*key)
        if earlier is not None and earlier.english_changed_at >= english.updated_at:
            return earlier
        now = utcnow()
        TranslationReview.insert(
            event=event,
            channel=channel,
            locale=locale,
            english_changed_at=english.updated_at,
            reviewed_at=now,
            reviewed_by=actor.user_id,
        ).on_conflict(
            conflict_target=[TranslationReview.event, TranslationReview.channel, TranslationReview.locale],
            update={
                TranslationReview.english_changed_at: english.updated_at,
                TranslationReview.reviewed_at: now,
                TranslationReview.reviewed_by: actor.user_id,
            },
        ).execute()
        review = TranslationReview.get(*key)
        record_audit(
            actor,
            "template.translation_reviewed",
            "translation_review",
            review.id,
            {
                "english_changed_at": {
                    "before": str(earlier.english_changed_at) if earlier else None,
                    "after": str(english.updated_at),
                }
            },
        )
    return review


def _utc_naive(moment: dt.datetime) -> dt.datetime:
    """A moment as the naive UTC the database stores (a moment without an offset is taken as UTC)."""
    if moment.tzinfo is not None:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment
