"""Who follows a change, and the choices to follow and to stop.

A person follows a published change when a contact of theirs is linked to it, when they voted for one of its themes
(in any round), or when they pressed "follow"; a ``ChangeFollow`` row with ``following`` false is their choice to
stop, which wins over every reason. Inactive accounts follow nothing.

The one-click stop link in a message is a signed token naming the person and the change. It is made as a message is
handed to its channel and never stored (see ``backend.cocreation.change_messages``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from backend.accounts import links
from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.cocreation.models import Change, ChangeContact, ChangeFollow, ChangeTheme, FollowSource, Vote
from backend.complaints.models import Contact
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, NotAllowed, NotFound
from backend.timeutil import utcnow

STOP_SALT = "learnloop.change-stop"
#: How long a stop link works: long enough for a change that takes a year to be done.
STOP_MAX_AGE = 400 * 24 * 3600
#: How many followers one batch of a fan-out reads.
BATCH = 500


# --- Who follows ---------------------------------------------------------------------------------------------------


def first_column(query: Any) -> list[Any]:
    """The first value of each row of ``query``."""
    return [row[0] for row in query.tuples()]


def _contact_residents(change_id: int) -> Any:
    return (
        Contact.select(Contact.resident)
        .join(ChangeContact, on=(ChangeContact.contact == Contact.id))
        .where(ChangeContact.change == change_id, Contact.resident.is_null(False), Contact.anonymous == False)  # noqa: E712
    )


def _voters(change_id: int) -> Any:
    themes = ChangeTheme.select(ChangeTheme.theme).where(ChangeTheme.change == change_id)
    return Vote.select(Vote.voter).where(Vote.theme.in_(themes))


def _follows(change_id: int, following: bool) -> Any:
    return ChangeFollow.select(ChangeFollow.user).where(
        ChangeFollow.change == change_id, ChangeFollow.following == following
    )


def followers_query(change_id: int) -> Any:
    """The active people who follow the change, as a query of ``User.id`` in id order (stops respected)."""
    return (
        User.select(User.id)
        .where(
            User.is_active == True,  # noqa: E712
            User.id.in_(_contact_residents(change_id))
            | User.id.in_(_voters(change_id))
            | User.id.in_(_follows(change_id, True)),
            User.id.not_in(_follows(change_id, False)),
        )
        .order_by(User.id)
    )


def follower_batches(change_id: int, size: int = BATCH) -> Iterator[list[int]]:
    """The followers' ids in batches of ``size``, each read by its own statement (never all in memory)."""
    last = 0
    while True:
        ids = [row[0] for row in followers_query(change_id).where(User.id > last).limit(size).tuples()]
        if not ids:
            return
        yield ids
        last = ids[-1]


def follower_ids(change_id: int) -> list[int]:
    """Every follower's id, in id order (for tests and small changes; a fan-out uses :func:`follower_batches`)."""
    return [row[0] for row in followers_query(change_id).tuples()]


def follow_reasons(change_id: int, user_id: int) -> list[str]:
    """Why a person follows a change (``pressed``, ``contact``, ``voter``, in that order); empty when they do not,
    or chose to stop."""
    row = ChangeFollow.get_or_none(ChangeFollow.change == change_id, ChangeFollow.user == user_id)
    if row is not None and not row.following:
        return []
    reasons = [FollowSource.PRESSED.value] if row is not None else []
    if _contact_residents(change_id).where(Contact.resident == user_id).exists():
        reasons.append(FollowSource.CONTACT.value)
    if _voters(change_id).where(Vote.voter == user_id).exists():
        reasons.append(FollowSource.VOTER.value)
    return reasons


def followed_change_ids(user_id: int) -> list[int]:
    """The published changes a person follows, newest published first."""
    themes = Vote.select(ChangeTheme.change).join(ChangeTheme, on=(ChangeTheme.theme == Vote.theme))
    contacts = (
        ChangeContact.select(ChangeContact.change)
        .join(Contact, on=(ChangeContact.contact == Contact.id))
        .where(Contact.resident == user_id, Contact.anonymous == False)  # noqa: E712
    )
    pressed = ChangeFollow.select(ChangeFollow.change).where(
        ChangeFollow.user == user_id,
        ChangeFollow.following == True,  # noqa: E712
    )
    stopped = ChangeFollow.select(ChangeFollow.change).where(
        ChangeFollow.user == user_id,
        ChangeFollow.following == False,  # noqa: E712
    )
    query = (
        Change.select(Change.id)
        .where(
            Change.published_at.is_null(False),
            Change.id.in_(themes.where(Vote.voter == user_id)) | Change.id.in_(contacts) | Change.id.in_(pressed),
            Change.id.not_in(stopped),
        )
        .order_by(Change.published_at.desc(), Change.id.desc())
    )
    return first_column(query)


# --- Following and stopping ----------------------------------------------------------------------------------------


def _published(change_id: int) -> Change:
    change = Change.get_or_none(Change.id == change_id, Change.published_at.is_null(False))
    if change is None:
        raise NotFound("change", change_id)
    return change


def _signed_in(actor: Actor, action: str) -> int:
    if actor.user_id is None or not actor.can_write:
        raise NotAllowed(action)
    return actor.user_id


def follow_change(actor: Actor, change_id: int) -> ChangeFollow:
    """Follow a published change (press "follow"); returns the person's row. Doing it again changes nothing.

    Raises NotAllowed (not signed in, or a read-only token) and NotFound (no such change, or not published).
    """
    user_id = _signed_in(actor, "change.follow")
    _published(change_id)
    return _set_following(actor, change_id, user_id, True)


def unfollow_change(actor: Actor, change_id: int) -> ChangeFollow:
    """Stop following a published change, whatever the reason one follows it; returns the person's row. Doing it
    again changes nothing.

    Raises NotAllowed (not signed in, or a read-only token) and NotFound (no such change, or not published).
    """
    user_id = _signed_in(actor, "change.unfollow")
    _published(change_id)
    return _set_following(actor, change_id, user_id, False)


def _set_following(actor: Actor, change_id: int, user_id: int, following: bool) -> ChangeFollow:
    row = ChangeFollow.get_or_none(ChangeFollow.change == change_id, ChangeFollow.user == user_id)
    before = None if row is None else bool(row.following)
    if before == following:
        return row  # type: ignore[return-value]
    source = FollowSource.PRESSED.value if following else _first_reason(change_id, user_id)
    with transaction():
        ChangeFollow.insert(
            change=change_id, user=user_id, following=following, source=source
        ).on_conflict_ignore().execute()
        # Of two presses at once only one moves an existing row, and only that one is audited.
        changed = (
            ChangeFollow.update(following=following, updated_at=utcnow())
            .where(ChangeFollow.change == change_id, ChangeFollow.user == user_id, ChangeFollow.following != following)
            .execute()
        )
        if before is None or changed:
            record_audit(
                actor,
                "change.followed" if following else "change.unfollowed",
                "change",
                change_id,
                {"following": {"before": before, "after": following}},
            )
    return ChangeFollow.get(ChangeFollow.change == change_id, ChangeFollow.user == user_id)


def _first_reason(change_id: int, user_id: int) -> str:
    reasons = follow_reasons(change_id, user_id)
    return reasons[0] if reasons else FollowSource.PRESSED.value


# --- The one-click stop link ---------------------------------------------------------------------------------------


def stop_token(user_id: int, change_id: int) -> str:
    """A signed token naming the person and the change, for the stop link in their messages. Never store it."""
    return links.make_link_token(STOP_SALT, {"uid": user_id, "change": change_id})


def read_stop_token(token: str) -> tuple[User, Change]:
    """The active person and the change a stop link names.

    Raises ``Invalid("token", "invalid" | "expired")`` for a tampered, unknown or expired link.
    """
    payload = links.read_link_token(STOP_SALT, token[:1000], max_age=STOP_MAX_AGE)
    user = User.get_or_none(User.id == _int(payload.get("uid")), User.is_active == True)  # noqa: E712
    change = Change.get_or_none(Change.id == _int(payload.get("change")))
    if user is None or change is None:
        raise Invalid("token", "invalid")
    return user, change


def stop_by_link(token: str) -> tuple[User, Change]:
    """Stop the messages of a change from its signed link (no sign-in needed); returns the person and the change.

    Safe to use twice. Raises ``Invalid("token", "invalid" | "expired")``, and then changes nothing.
    """
    user, change = read_stop_token(token)
    actor = Actor(user_id=user.id, roles=user.role_names(), label=f"user:{user.id}")
    _set_following(actor, change.id, user.id, False)
    return user, change


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
