"""What every lessons service checks first: that the actor is staff, that the lesson is there and still changes;
and how they read a text input. Shared by the lesson, source and cause services."""

from __future__ import annotations

from backend.context import STAFF_ROLES, Actor
from backend.errors import Conflict, NotAllowed, NotFound, Problems
from backend.lessons.models import Lesson, LessonStatus
from backend.names import has_hidden_characters
from backend.text import clean
from backend.timeutil import utcnow

#: A cancelled or merged lesson changes no more (it can still be archived or deleted).
ENDED = frozenset({LessonStatus.CANCELLED, LessonStatus.MERGED})


def require_staff(actor: Actor, action: str) -> None:
    """Raise NotAllowed unless the actor is staff and may write (a read-only token may not)."""
    if not actor.can_write or not actor.has_role(*STAFF_ROLES):
        raise NotAllowed(action)


def get_lesson(lesson_id: int) -> Lesson:
    """The lesson; raise NotFound when there is none."""
    lesson = Lesson.get_or_none(Lesson.id == lesson_id)
    if lesson is None:
        raise NotFound("lesson", lesson_id)
    return lesson


def require_open(lesson: Lesson) -> None:
    """Raise Conflict when the lesson is archived, cancelled or merged: it no longer changes."""
    if lesson.archived_at is not None:
        raise Conflict("lesson_archived")
    if lesson.status in ENDED:
        raise Conflict("lesson_ended")


def touch(lesson: Lesson) -> None:
    """Inside a transaction: mark the lesson changed, claiming its row so two changes at once go one after the other."""
    Lesson.update(updated_at=utcnow()).where(Lesson.id == lesson.id).execute()


def text(
    problems: Problems, name: str, value: str | None, maximum: int, required: bool = False, line: bool = False
) -> str:
    """The text cleaned of invisible edges; records "required" or "too_long" in ``problems``.

    A ``line`` (a title, a team, a reference) is one line of visible text: a line break or a hidden formatting
    character in it (a right-to-left override can make "gnp.exe" read as "exe.png") is "hidden_characters".
    """
    cleaned = clean(value)
    if required and not cleaned:
        problems.add(name, "required")
    elif len(cleaned) > maximum:
        problems.add(name, "too_long", maximum=maximum)
    elif line and has_hidden_characters(cleaned):
        problems.add(name, "hidden_characters")
    return cleaned
