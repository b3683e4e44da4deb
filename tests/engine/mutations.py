"""The engine's own test mutations, declared as a domain declares its own."""

from __future__ import annotations

import strawberry

from backend.errors import Conflict, Invalid, NotFound
from schema.context import Context
from schema.engine.mutations import Mutations, Outcome, parse_id
from schema.errors import ConflictError, NotAllowedError
from tests.engine.models import Lesson

mutations = Mutations()
# Each run's mutation and actor, so a test can tell a refusal from a run.
RUNS: list[tuple[str, int | None]] = []


@strawberry.input
class LessonRenameInput:
    id: strawberry.ID
    title: str


@strawberry.type(description="How often the counter was bumped.")
class Counter:
    count: int


def _bumps() -> int:
    return sum(1 for name, _actor in RUNS if name == "counterBump")


@mutations.add("lessonRename", roles={"staff"}, payload="LessonRenamed", extra={"previous": str})
def rename_lesson(context: Context, data: LessonRenameInput) -> Outcome:
    """Give a lesson a new title.

    The reply holds the title it had before.
    """
    RUNS.append(("lessonRename", context.actor.user_id))
    lesson = Lesson.get_or_none(Lesson.id == parse_id(data.id, "lesson"))
    if lesson is None:
        raise NotFound("lesson", data.id)
    if not data.title.strip():
        raise Invalid("title", "required")
    previous, lesson.title = lesson.title, data.title.strip()
    lesson.save()
    return Outcome(lesson.id, {"previous": previous})


@mutations.add("counterBump", roles={"anonymous", "staff"}, payload=Counter)
def bump(context: Context) -> Counter:
    """Count one more. Visitors may too."""
    RUNS.append(("counterBump", context.actor.user_id))
    return Counter(count=_bumps())


@mutations.add(
    "counterReset", roles={"staff"}, payload=Counter, result="CounterResult", errors=(NotAllowedError, ConflictError)
)
def reset(context: Context) -> Counter:
    """Start counting again; refused when nothing was counted."""
    if not _bumps():
        raise Conflict("nothing_counted")
    RUNS.clear()
    return Counter(count=0)
