"""Root causes without blame: a lesson's causes and contributing factors, and the taxonomy they come from.

The taxonomy (``RootCause``: process, policy, system, communication, resourcing, training, contractor and so on,
with sub-causes under a parent) is edited by admins through the generic record services (``rootCauseCreate``,
``rootCauseUpdate``, ``rootCauseArchive``); :func:`validate_root_cause` holds its own rules. It names categories of
cause, so no cause can name a person: nothing here guesses whether a name is a person's (that would refuse real
categories), the taxonomy is kept to categories by the admins who edit it, and each cause's own text says how a
process, system or team contributed, never who is to blame (the PHSO's just and learning culture). Reports
aggregate causes by team, process or service, never by officer.
"""

from __future__ import annotations

from typing import Any

from backend.audit.services import field_changes, record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotFound, Problems, gather
from backend.lessons import lesson_guards as lessons
from backend.lessons.models import Lesson, LessonCause, LessonStatus, RootCause
from backend.text import clean
from backend.timeutil import utcnow

DETAIL_MAX = 10_000
#: The steps from analysed on: moving to analysed needs a root cause, so a lesson there keeps one.
ANALYSED_ON = frozenset(
    {
        LessonStatus.ANALYSED,
        LessonStatus.ACTIONS_AGREED,
        LessonStatus.IN_PROGRESS,
        LessonStatus.MEASURING_IMPACT,
        LessonStatus.CLOSED,
    }
)


def root_cause_count(lesson_id: int) -> int:
    """How many root causes (contributing factors aside) the lesson has."""
    return LessonCause.select().where(LessonCause.lesson == lesson_id, LessonCause.contributing == False).count()  # noqa: E712


def is_last_root_cause(lesson: Lesson, cause: LessonCause) -> bool:
    """Whether the cause is the only root cause of a lesson analysed or further on, which must keep it."""
    return lesson.status in ANALYSED_ON and not cause.contributing and root_cause_count(lesson.id) <= 1


def validate_root_cause(record: Any, values: dict[str, Any]) -> None:
    """The taxonomy's own rules for a create or update: a name that shows something and that no other cause under
    the same parent has, and one level of sub-causes, under a cause in use. Cleans ``values["name"]`` in place.

    Raises Invalid ``name`` "required" (blank, or only invisible characters) or "same_name" (another cause under
    the same parent, archived or not, has it, ignoring case and spaces or invisible characters at either end);
    ``parent`` "same_cause" (itself), "too_deep" (a sub-cause's sub-cause, or giving a parent to a cause that has
    sub-causes) or "archived".
    """
    if "name" in values:
        values["name"] = clean(values["name"])
        if not values["name"]:
            raise Invalid("name", "required")
    if "parent" in values:
        _check_parent(record, values["parent"])
    if "name" in values or "parent" in values:
        _check_name(record, values)


def _check_parent(record: Any, parent_id: int | None) -> None:
    if parent_id is None:
        return
    parent = RootCause.get_by_id(parent_id)
    if record is not None and parent.id == record.id:
        raise Invalid("parent", "same_cause")
    if parent.parent_id is not None:  # type: ignore[attr-defined]
        raise Invalid("parent", "too_deep")
    if record is not None and RootCause.select().where(RootCause.parent == record.id).exists():
        raise Invalid("parent", "too_deep")
    if parent.archived_at is not None and (record is None or record.parent_id != parent.id):
        raise Invalid("parent", "archived")


def same_name(name: str) -> str:
    """What two causes' names are compared by: without case, nor spaces or invisible characters at either end."""
    return clean(name).casefold()


def _check_name(record: Any, values: dict[str, Any]) -> None:
    """Raise Invalid ``name`` "same_name" when another cause under the same parent already has the name."""
    name = values.get("name", record.name if record is not None else "")
    parent_id = values["parent"] if "parent" in values else (record.parent_id if record is not None else None)
    siblings = RootCause.select(RootCause.name).where(
        RootCause.parent.is_null() if parent_id is None else RootCause.parent == parent_id
    )
    if record is not None:
        siblings = siblings.where(RootCause.id != record.id)
    if any(same_name(other.name) == same_name(name) for other in siblings):
        raise Invalid("name", "same_name")


def _root_cause(problems: Problems, root_cause_id: int | None, current: int | None = None) -> RootCause | None:
    """A cause in use from the taxonomy (or the one already chosen); records "required" or "not_found"."""
    if root_cause_id is None:
        problems.add("root_cause_id", "required")
        return None
    cause = RootCause.get_or_none(RootCause.id == root_cause_id)
    if cause is None or (cause.archived_at is not None and cause.id != current):
        problems.add("root_cause_id", "not_found")
        return None
    return cause


def _describe(cause: LessonCause, root: RootCause) -> dict[str, Any]:
    return {
        "cause_id": cause.id,
        "root_cause_id": root.id,
        "root_cause": root.name,
        "contributing": cause.contributing,
        "detail": cause.detail,
    }


def add_cause(
    actor: Actor, lesson_id: int, root_cause_id: int | None, detail: str, contributing: bool = False
) -> LessonCause:
    """Record a root cause (or, ``contributing``, a contributing factor) of a lesson, with its own text.

    Raises NotAllowed (not staff, or a read-only token), NotFound (no such lesson), Invalid listing every problem
    (``root_cause_id`` "required"/"not_found" for none or an archived cause; ``detail`` "required"/"too_long"),
    or Conflict "lesson_archived" or "lesson_ended".
    """
    lessons.require_staff(actor, "lesson.cause_add")
    lesson = lessons.get_lesson(lesson_id)
    with gather() as problems:
        root = _root_cause(problems, root_cause_id)
        cleaned = lessons.text(problems, "detail", detail, DETAIL_MAX, required=True)
    assert root is not None  # gather raised otherwise
    lessons.require_open(lesson)
    with transaction():
        lessons.touch(lesson)
        cause = LessonCause.create(
            lesson=lesson.id, root_cause=root.id, contributing=bool(contributing), detail=cleaned
        )
        record_audit(
            actor,
            "lesson.cause_added",
            "lesson",
            lesson.id,
            {"cause": {"before": None, "after": _describe(cause, root)}},
        )
    return cause


def _own_cause(cause_id: int) -> LessonCause:
    cause = LessonCause.get_or_none(LessonCause.id == cause_id)
    if cause is None:
        raise NotFound("lesson_cause", cause_id)
    return cause


def update_cause(
    actor: Actor,
    cause_id: int,
    root_cause_id: int | None = None,
    detail: str | None = None,
    contributing: bool | None = None,
) -> LessonCause:
    """Change a cause of a lesson: only what is given (None keeps it).

    Raises NotAllowed, NotFound ("lesson_cause"), Invalid (as :func:`add_cause`; the cause already chosen stays
    usable once archived), or Conflict "lesson_archived", "lesson_ended" or "last_root_cause" (making the only
    root cause of a lesson analysed or further on a contributing factor).
    """
    lessons.require_staff(actor, "lesson.cause_update")
    cause = _own_cause(cause_id)
    lesson = lessons.get_lesson(cause.lesson_id)  # type: ignore[attr-defined]
    with gather() as problems:
        current = cause.root_cause_id  # type: ignore[attr-defined]
        root = _root_cause(problems, current if root_cause_id is None else root_cause_id, current)
        cleaned = (
            cause.detail if detail is None else lessons.text(problems, "detail", detail, DETAIL_MAX, required=True)
        )
    lessons.require_open(lesson)
    before = _describe(cause, RootCause.get_by_id(current))
    cause.root_cause = root.id  # type: ignore[union-attr, assignment]
    cause.detail = cleaned
    if contributing is not None:
        cause.contributing = contributing
    after = _describe(cause, root)  # type: ignore[arg-type]
    changes = field_changes(before, after)
    if changes:
        with transaction():
            lessons.touch(lesson)
            if (
                before["contributing"] is False
                and cause.contributing
                and is_last_root_cause(lessons.get_lesson(lesson.id), _own_cause(cause.id))
            ):
                raise Conflict("last_root_cause")
            cause.updated_at = utcnow()
            cause.save()
            changes["cause_id"] = {"before": cause.id, "after": cause.id}
            record_audit(actor, "lesson.cause_updated", "lesson", lesson.id, changes)
    return cause


def remove_cause(actor: Actor, lesson_id: int, cause_id: int) -> Lesson:
    """Remove a cause from the lesson named and return the lesson; actions that addressed it keep going, without it.

    Raises NotAllowed, NotFound ("lesson_cause": none, or one on another lesson) or Conflict "lesson_archived",
    "lesson_ended" or "last_root_cause" (the only root cause of a lesson analysed or further on).
    """
    lessons.require_staff(actor, "lesson.cause_remove")
    cause = _own_cause(cause_id)
    if cause.lesson_id != lesson_id:  # type: ignore[attr-defined]
        raise NotFound("lesson_cause", cause_id)
    lesson = lessons.get_lesson(cause.lesson_id)  # type: ignore[attr-defined]
    lessons.require_open(lesson)
    before = _describe(cause, RootCause.get_by_id(cause.root_cause_id))  # type: ignore[attr-defined]
    with transaction():
        lessons.touch(lesson)
        if is_last_root_cause(lessons.get_lesson(lesson.id), cause):
            raise Conflict("last_root_cause")
        LessonCause.delete().where(LessonCause.id == cause.id).execute()
        record_audit(actor, "lesson.cause_removed", "lesson", lesson.id, {"cause": {"before": before, "after": None}})
    return lesson
