"""Residents suggest new themes; staff moderate them from a queue.

A signed-in resident suggests a theme: a title (one line, up to 100 characters) and why it matters (up to 2,000),
in the language they write in. They may have at most MAX_PENDING suggestions waiting at once, and sending the same
suggestion twice while it waits counts once.

Staff accept a suggestion (a new theme is made from it through ``backend.lessons.themes.create_theme``, its title the
theme's resident-facing name in the suggestion's language: not published until a manager publishes it, once it is
named in every language), link it to a theme that already stands for it, or decline it. Each needs a reason, which
the resident reads; each is a ``ModerationAction``, audited, and the resident is told the outcome in their own
language and by their own channel (``cocreation.suggestion_moderated``, see
``backend.cocreation.suggestion_messages``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from peewee import JOIN

from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.cocreation.models import ModerationAction, SuggestionStatus, ThemeSuggestion
from backend.config import KNOWN_LOCALES
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, Problems, gather
from backend.events.services import record_event
from backend.lessons.models import Theme
from backend.lessons.themes import MAX_NAME, TextInput, create_theme, name_taken
from backend.names import has_hidden_characters
from backend.redaction import redact_narrative
from backend.text import clean
from backend.timeutil import utcnow

MAX_TITLE = 100
MAX_DESCRIPTION = 2_000
MAX_REASON = 1_000
#: How many suggestions one resident may have waiting at once.
MAX_PENDING = 5


def _check_resident(actor: Actor) -> None:
    if actor.user_id is None or not actor.can_write or not actor.has_role("resident"):
        raise NotAllowed("theme_suggestion.suggest")


def _check_staff(actor: Actor, action: str) -> None:
    if not actor.can_write or not actor.has_role(*STAFF_ROLES):
        raise NotAllowed(f"theme_suggestion.{action}")


def get_suggestion(suggestion_id: int) -> ThemeSuggestion:
    """The suggestion; raises NotFound("theme_suggestion") when there is none."""
    suggestion = ThemeSuggestion.get_or_none(ThemeSuggestion.id == suggestion_id)
    if suggestion is None:
        raise NotFound("theme_suggestion", suggestion_id)
    return suggestion


def own_suggestion(actor: Actor, suggestion_id: int) -> ThemeSuggestion:
    """The resident's own suggestion; NotFound alike when there is none and when it is someone else's."""
    suggestion = ThemeSuggestion.get_or_none(ThemeSuggestion.id == suggestion_id)
    if suggestion is None or suggestion.author_id != actor.user_id:  # type: ignore[attr-defined]
        raise NotFound("theme_suggestion", suggestion_id)
    return suggestion


def pending_count(user_id: int) -> int:
    """How many of the resident's suggestions wait for a moderator."""
    return (
        ThemeSuggestion.select()
        .where(ThemeSuggestion.author == user_id, ThemeSuggestion.status == SuggestionStatus.PENDING)
        .count()
    )


def suggest_theme(actor: Actor, title: str, description: str = "", locale: str = "en") -> ThemeSuggestion:
    """Suggest a theme; return the suggestion (the one already waiting when the same one is sent again).

    Signed-in residents only. Raises NotAllowed, Invalid listing every problem (``title`` "required", "too_long" or
    "hidden_characters" (a line break or hidden formatting); ``description`` "too_long"; ``locale`` "unsupported"),
    or Conflict("too_many_suggestions") when MAX_PENDING of theirs already wait.
    """
    _check_resident(actor)
    assert actor.user_id is not None
    with gather() as problems:
        clean_title = clean(title)
        if not clean_title:
            problems.add("title", "required")
        elif len(clean_title) > MAX_TITLE:
            problems.add("title", "too_long", maximum=MAX_TITLE)
        elif has_hidden_characters(clean_title):
            problems.add("title", "hidden_characters")
        clean_description = clean(description)
        if len(clean_description) > MAX_DESCRIPTION:
            problems.add("description", "too_long", maximum=MAX_DESCRIPTION)
        if locale not in KNOWN_LOCALES:
            problems.add("locale", "unsupported")
    with transaction():
        waiting = ThemeSuggestion.select().where(
            ThemeSuggestion.author == actor.user_id, ThemeSuggestion.status == SuggestionStatus.PENDING
        )
        for same in waiting:
            if same.title == clean_title and same.description == clean_description:
                return same  # sent twice: counts once
        if waiting.count() >= MAX_PENDING:
            raise Conflict("too_many_suggestions", maximum=MAX_PENDING)
        suggestion = ThemeSuggestion.create(
            author=actor.user_id, locale=locale, title=clean_title, description=clean_description
        )
        record_audit(
            actor,
            "theme_suggestion.created",
            "theme_suggestion",
            suggestion.id,
            {"title": {"before": None, "after": clean_title}, "locale": {"before": None, "after": locale}},
        )
        record_event("cocreation.suggestion_received", {"suggestion_id": suggestion.id})
    return suggestion


def _reason(problems: Problems, reason: str | None) -> str:
    text = clean(reason)
    if not text:
        problems.add("reason", "required")
    elif len(text) > MAX_REASON:
        problems.add("reason", "too_long", maximum=MAX_REASON)
    return text


def _pending(suggestion_id: int) -> ThemeSuggestion:
    suggestion = get_suggestion(suggestion_id)
    if suggestion.status != SuggestionStatus.PENDING:
        raise Conflict("suggestion_moderated")
    return suggestion


def _moderate(
    actor: Actor, suggestion: ThemeSuggestion, status: str, action: str, reason: str, theme_id: int | None
) -> ThemeSuggestion:
    """Inside a transaction: record the outcome if the suggestion still waits; raise Conflict when it does not."""
    now = utcnow()
    moved = (
        ThemeSuggestion.update(
            status=status, theme=theme_id, moderated_by=actor.user_id, moderated_at=now, reason=reason, updated_at=now
        )
        .where(ThemeSuggestion.id == suggestion.id, ThemeSuggestion.status == SuggestionStatus.PENDING)
        .execute()
    )
    if moved != 1:  # another moderator got there first
        raise Conflict("suggestion_moderated")
    ModerationAction.create(suggestion=suggestion.id, action=action, reason=reason, moderator=actor.user_id)
    record_audit(
        actor,
        f"theme_suggestion.{status}",
        "theme_suggestion",
        suggestion.id,
        {
            "status": {"before": SuggestionStatus.PENDING, "after": status},
            "theme_id": {"before": None, "after": theme_id},
            "reason": {"before": "", "after": reason},
        },
    )
    record_event(
        "cocreation.suggestion_moderated",
        {"suggestion_id": suggestion.id, "user_id": suggestion.author_id},  # type: ignore[attr-defined]
    )
    return get_suggestion(suggestion.id)


def _theme_name(title: str, suggestion_id: int) -> str:
    """An internal name for the new theme: the title, or the title marked with the suggestion when it is taken."""
    if not name_taken(title):
        return title
    mark = f" (suggestion {suggestion_id})"
    return title[: MAX_NAME - len(mark)] + mark


def accept_suggestion(actor: Actor, suggestion_id: int, reason: str) -> ThemeSuggestion:
    """Accept a waiting suggestion: make a new theme named by its title in its language; return the suggestion.

    The theme is not published: a manager publishes it once it is named in every enabled language. Staff only.
    Raises NotAllowed, NotFound, Invalid (``reason`` "required" or "too_long"), or Conflict("suggestion_moderated")
    when it was moderated already.
    """
    _check_staff(actor, "accept")
    with gather() as problems:
        clean_reason = _reason(problems, reason)
    suggestion = _pending(suggestion_id)
    name = redact_narrative(suggestion.title)
    with transaction():
        theme = create_theme(actor, _theme_name(name, suggestion.id), [TextInput(suggestion.locale, name)])
        return _moderate(actor, suggestion, SuggestionStatus.ACCEPTED, "accept", clean_reason, theme.id)


def link_suggestion(actor: Actor, suggestion_id: int, theme_id: int, reason: str) -> ThemeSuggestion:
    """Link a waiting suggestion to a theme that already stands for it; return the suggestion.

    Staff only. Raises NotAllowed, NotFound, Invalid listing every problem (``reason`` "required" or "too_long";
    ``theme_id`` "not_found"), or Conflict("suggestion_moderated") or Conflict("theme_ended") (archived or merged).
    """
    _check_staff(actor, "link")
    with gather() as problems:
        clean_reason = _reason(problems, reason)
        theme = Theme.get_or_none(Theme.id == theme_id)
        if theme is None:
            problems.add("theme_id", "not_found")
    suggestion = _pending(suggestion_id)
    if theme.archived_at is not None or theme.merged_into_id is not None:  # type: ignore[union-attr]
        raise Conflict("theme_ended")
    with transaction():
        return _moderate(actor, suggestion, SuggestionStatus.LINKED, "link", clean_reason, theme.id)  # type: ignore[union-attr]


def decline_suggestion(actor: Actor, suggestion_id: int, reason: str) -> ThemeSuggestion:
    """Decline a waiting suggestion with the reason the resident reads; return it.

    Staff only. Raises NotAllowed, NotFound, Invalid (``reason`` "required" or "too_long"), or
    Conflict("suggestion_moderated").
    """
    _check_staff(actor, "decline")
    with gather() as problems:
        clean_reason = _reason(problems, reason)
    suggestion = _pending(suggestion_id)
    with transaction():
        return _moderate(actor, suggestion, SuggestionStatus.DECLINED, "decline", clean_reason, None)


@dataclass(frozen=True)
class Moderation:
    """One thing a moderator did with a suggestion."""

    suggestion_id: int
    title: str
    action: str
    reason: str
    moderator: str | None
    created_at: dt.datetime


def moderation_history(limit: int = 50) -> list[Moderation]:
    """What moderators did with suggestions, newest first, at most ``limit`` (1 to 200); one statement."""
    rows = (
        ModerationAction.select(
            ModerationAction.suggestion,
            ModerationAction.action,
            ModerationAction.reason,
            ModerationAction.created_at,
            ThemeSuggestion.title,
            User.display_name,
        )
        .join(ThemeSuggestion)
        .switch(ModerationAction)
        .join(User, join_type=JOIN.LEFT_OUTER, on=(ModerationAction.moderator == User.id))
        .where(ModerationAction.suggestion.is_null(False))
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        .limit(max(1, min(limit, 200)))
    )
    return [
        Moderation(
            suggestion_id=row["suggestion"],
            title=row["title"],
            action=row["action"],
            reason=row["reason"],
            moderator=row["display_name"],
            created_at=row["created_at"],
        )
        for row in cast(Iterable[dict[str, Any]], rows.dicts())
    ]
