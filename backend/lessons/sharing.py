"""What the staff-sharing services share: who may act, and how their text, day and people inputs are checked.

The sharing services (champions, meetings, briefings, bulletins, training and success stories) are staff only:
residents, advocates and panel members never reach them, and a read-only token changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.accounts.models import User
from backend.context import STAFF_ROLES, Actor
from backend.errors import NotAllowed, Problems
from backend.lessons.models import ImprovementAction, Lesson
from backend.names import has_hidden_characters
from backend.text import clean

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_TEAM = 100
MAX_NAME = 120
MANAGERS = ("manager", "admin")


def require_staff(actor: Actor, action: str) -> None:
    """Raise NotAllowed unless a member of staff who may write is acting."""
    if not actor.can_write or not actor.has_role(*STAFF_ROLES) or actor.user_id is None:
        raise NotAllowed(action)


def require_manager(actor: Actor, action: str) -> None:
    """Raise NotAllowed unless a manager (or an admin) who may write is acting."""
    if not actor.can_write or not actor.has_role(*MANAGERS) or actor.user_id is None:
        raise NotAllowed(action)


def text(
    problems: Problems, name: str, value: str | None, maximum: int, required: bool = False, line: bool = False
) -> str:
    """The text cleaned of invisible ends; a problem when required and blank, or longer than ``maximum``.

    A ``line`` (a title, a team, a guest's name) is one line of visible text: a line break or a hidden formatting
    character in it is "hidden_characters" (see ``backend.names``).
    """
    cleaned = clean(value)
    if required and not cleaned:
        problems.add(name, "required")
    elif len(cleaned) > maximum:
        problems.add(name, "too_long", maximum=maximum)
    elif line and has_hidden_characters(cleaned):
        problems.add(name, "hidden_characters")
    return cleaned


def day(problems: Problems, name: str, value: Any, required: bool = True) -> dt.date | None:
    """A UK day from a date or ISO text; a problem when it is missing (and required) or not a real date."""
    if isinstance(value, dt.date):
        return value
    raw = clean(value if isinstance(value, str) else None)
    if not raw:
        if required:
            problems.add(name, "required")
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        problems.add(name, "invalid")
        return None


def active_staff(user_id: int | None) -> User | None:
    """The active member of staff with this id, or None."""
    if not user_id:
        return None
    user = User.get_or_none(User.id == user_id, User.is_active == True)  # noqa: E712
    return user if user is not None and user.role_names() & STAFF_ROLES else None


def lesson_exists(lesson_id: int | None) -> bool:
    return bool(lesson_id) and Lesson.select().where(Lesson.id == lesson_id).exists()


def action_exists(action_id: int | None) -> bool:
    return bool(action_id) and ImprovementAction.select().where(ImprovementAction.id == action_id).exists()


def values_of(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of a row, as the audit trail records them (dates as ISO text, keys as ids)."""
    values = {}
    for name in names:
        value = getattr(row, f"{name}_id") if hasattr(row, f"{name}_id") else getattr(row, name)
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    return values
