"""Lessons: capture one with its sources, classify it, move it through its life, and end, merge, archive or delete it.

Every service takes the actor first and checks, in order: permission (staff; managers to archive or delete), that
the lesson is there (NotFound: staff see every lesson, so "not there" is the only answer for an id nobody has),
every problem with the input at once (Invalid), then the lesson's state (Conflict). The change, its audit entry
(entity "lesson", the lesson's id) and nothing else are written in one transaction.

Just culture (the PHSO's just and learning culture): a lesson names processes, systems and teams, never a person
as a cause. It holds no disciplinary content: a conduct concern is only the flag ``referred_to_hr``.

A lesson captured from an anonymous speak-up note is recorded without its author: ``identified_by`` stays empty
and the audit entry names no actor (see ``sources.unsigned``), since whoever types an anonymous note in may be the
one who spoke up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import IntegrityError, fn

from backend.accounts.models import User
from backend.audit.services import field_changes, record_audit
from backend.complaints.models import ServiceArea
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, Problems, gather
from backend.lessons import sources as source_rules
from backend.lessons.lesson_guards import ENDED, get_lesson, require_open, require_staff, text, touch
from backend.lessons.models import (
    ActionStatus,
    AgendaItem,
    BulletinLesson,
    ImprovementAction,
    LearningType,
    Lesson,
    LessonCause,
    LessonLearningType,
    LessonReferenceCounter,
    LessonSource,
    LessonStatus,
    QaReport,
    StaffBriefing,
    StoryLink,
)
from backend.timeutil import local_date, utcnow

TITLE_MAX = 200
TEXT_MAX = 10_000
TEAM_MAX = 100
REASON_MAX = 2_000
MAX_SOURCES = 20
IMPACT_RANGE = (1, 5)
MANAGERS = frozenset({"manager", "admin"})
#: A reference the log gives: its UK year and its number.
REFERENCE_PATTERN = re.compile(r"^LS-(\d{4})-(\d+)$")

#: The lifecycle, in order. A lesson moves one step forward, or one back to correct a step taken too soon.
STEPS = (
    LessonStatus.IDENTIFIED,
    LessonStatus.ANALYSED,
    LessonStatus.ACTIONS_AGREED,
    LessonStatus.IN_PROGRESS,
    LessonStatus.MEASURING_IMPACT,
    LessonStatus.CLOSED,
)
#: Actions still to be agreed or dropped do not count as agreed.
AGREED = frozenset(
    {
        ActionStatus.AUTHORISED,
        ActionStatus.IN_PROGRESS,
        ActionStatus.DONE,
        ActionStatus.SIGNED_OFF,
        ActionStatus.VERIFIED,
    }
)
DONE = frozenset({ActionStatus.DONE, ActionStatus.SIGNED_OFF, ActionStatus.VERIFIED})
#: An action in one of these is finished with: it can't be overdue (see the log's overdue filter).
SETTLED = frozenset({*DONE, ActionStatus.CANCELLED})

#: The fields ``update_lesson`` may change, by name.
CAPTURE_FIELDS = ("early_lesson", "event_summary", "actions_taken", "later_findings")
IMPACT_FIELDS = ("business_impact", "resident_impact")
UPDATABLE = frozenset(
    {
        "title",
        *CAPTURE_FIELDS,
        *IMPACT_FIELDS,
        "referred_to_hr",
        "service_area_id",
        "team",
        "owner_id",
        "champion_id",
        "learning_types",
    }
)


def _impact(problems: Problems, name: str, value: Any) -> int | None:
    if value is None:
        return None
    low, high = IMPACT_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.add(name, "out_of_range", minimum=low, maximum=high)
        return None
    return value


def _staff_member(problems: Problems, name: str, user_id: int | None) -> int | None:
    """An active member of staff's id, or None; records "not_staff" for anyone else."""
    if user_id is None:
        return None
    user = User.get_or_none(User.id == user_id, User.is_active == True)  # noqa: E712
    if user is None or not user.role_names() & STAFF_ROLES:
        problems.add(name, "not_staff")
        return None
    return user_id


def _service_area(problems: Problems, area_id: int | None, current: int | None) -> int | None:
    """A service area in use (or the one the lesson already has); records "not_found" otherwise."""
    if area_id is None or area_id == current:
        return area_id
    if not ServiceArea.select().where(ServiceArea.id == area_id, ServiceArea.archived_at.is_null()).exists():
        problems.add("service_area_id", "not_found")
    return area_id


def _learning_types(problems: Problems, values: Sequence[str]) -> list[str]:
    codes = LearningType.codes()
    chosen: list[str] = []
    for index, value in enumerate(values):
        if value not in codes:
            problems.add("learning_types", "unsupported", at=("learning_types", index))
        elif value not in chosen:
            chosen.append(value)
    return chosen


@dataclass(frozen=True)
class Details:
    """What a lesson says and how it is classified; every part may be left out when capturing one."""

    early_lesson: str = ""
    event_summary: str = ""
    business_impact: int | None = None
    resident_impact: int | None = None
    actions_taken: str = ""
    later_findings: str = ""
    referred_to_hr: bool = False
    learning_types: Sequence[str] = ()
    service_area_id: int | None = None
    team: str | None = None
    owner_id: int | None = None
    champion_id: int | None = None


def _clean_details(problems: Problems, values: Mapping[str, Any], current: Lesson | None = None) -> dict[str, Any]:
    """The given fields as stored; records each problem."""
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name == "title":
            cleaned[name] = text(problems, name, value, TITLE_MAX, required=True, line=True)
        elif name in CAPTURE_FIELDS:
            cleaned[name] = text(problems, name, value, TEXT_MAX)
        elif name in IMPACT_FIELDS:
            cleaned[name] = _impact(problems, name, value)
        elif name == "referred_to_hr":
            cleaned[name] = bool(value)
        elif name == "team":
            cleaned[name] = text(problems, name, value, TEAM_MAX, line=True) or None
        elif name in ("owner_id", "champion_id"):
            cleaned[name] = _staff_member(problems, name, value)
        elif name == "service_area_id":
            cleaned[name] = _service_area(problems, value, current.service_area_id if current else None)  # type: ignore[attr-defined]
        elif name == "learning_types":
            cleaned[name] = _learning_types(problems, value or ())
    for name in sorted(set(values) - UPDATABLE):
        problems.add(name, "unknown_field")
    return cleaned


def _snapshot(lesson: Lesson) -> dict[str, Any]:
    types = sorted(t.learning_type for t in LessonLearningType.select().where(LessonLearningType.lesson == lesson.id))
    return {
        "title": lesson.title,
        **{name: getattr(lesson, name) for name in (*CAPTURE_FIELDS, *IMPACT_FIELDS, "referred_to_hr", "team")},
        "service_area_id": lesson.service_area_id,  # type: ignore[attr-defined]
        "owner_id": lesson.owner_id,  # type: ignore[attr-defined]
        "champion_id": lesson.champion_id,  # type: ignore[attr-defined]
        "learning_types": types,
    }


def _apply(lesson: Lesson, cleaned: Mapping[str, Any]) -> None:
    """Set the cleaned fields on the lesson (learning types are rows of their own), inside a transaction."""
    for name, value in cleaned.items():
        if name == "learning_types":
            LessonLearningType.delete().where(
                LessonLearningType.lesson == lesson.id, LessonLearningType.learning_type.not_in(value)
            ).execute()
            have = {t.learning_type for t in LessonLearningType.select().where(LessonLearningType.lesson == lesson.id)}
            for code in value:
                if code not in have:
                    LessonLearningType.create(lesson=lesson.id, learning_type=code)
        elif name.endswith("_id"):
            setattr(lesson, name.removesuffix("_id"), value)
        else:
            setattr(lesson, name, value)


def _number(reference: str, prefix: str) -> int | None:
    tail = reference[len(prefix) :] if reference.startswith(prefix) else ""
    return int(tail) if tail.isascii() and tail.isdigit() else None


def _highest_in_log(prefix: str) -> int:
    """The highest number among the year's references in the log (0: none).

    A reference of the year whose tail is not a number (one recorded elsewhere and brought in) is passed over: it
    would otherwise hide the highest number.
    """
    # Zero-padded, so the longest and then the last in order is the highest, past 9999 too; read until a number.
    references = (
        Lesson.select(Lesson.reference)
        .where(Lesson.reference.startswith(prefix))
        .order_by(fn.LENGTH(Lesson.reference).desc(), Lesson.reference.desc())
        .tuples()
        .iterator()
    )
    return next((number for (reference,) in references if (number := _number(reference, prefix)) is not None), 0)


def next_reference(year: int) -> str:
    """Inside a transaction: take the next reference of the UK year, LS-YYYY-NNNN (NNNN grows past 9999 if it must).

    The year's counter (``LessonReferenceCounter``) never goes back, so a reference is never given twice, not even
    that of a lesson deleted; a lesson brought in with a higher number than the counter's moves it on. Counting
    claims the counter's row, so two people capturing at once take turns; the first of a year may still meet
    another's at the same moment: the unique year refuses it (IntegrityError), and creating a lesson tries again.
    """
    prefix = f"LS-{year}-"
    claimed = (
        LessonReferenceCounter.update(last=LessonReferenceCounter.last + 1)
        .where(LessonReferenceCounter.year == year)
        .execute()
    )
    highest = _highest_in_log(prefix)
    if claimed:
        number = max(LessonReferenceCounter.get_by_id(year).last, highest + 1)
        LessonReferenceCounter.update(last=number).where(LessonReferenceCounter.year == year).execute()
    else:
        number = highest + 1
        LessonReferenceCounter.create(year=year, last=number)
    return f"{prefix}{number:04d}"


def _keep_counted(reference: str) -> None:
    """Inside a transaction: make sure the year's counter is at or past ``reference``, which is going away."""
    found = REFERENCE_PATTERN.match(reference)
    if found is None:
        return
    year, number = int(found.group(1)), int(found.group(2))
    raised = (
        LessonReferenceCounter.update(last=number)
        .where(LessonReferenceCounter.year == year, LessonReferenceCounter.last < number)
        .execute()
    )
    if not raised and not LessonReferenceCounter.select().where(LessonReferenceCounter.year == year).exists():
        LessonReferenceCounter.create(year=year, last=number)


#: How often creating a lesson tries the next reference again when someone took it at the same moment.
REFERENCE_ATTEMPTS = 5


def create_lesson(
    actor: Actor, title: str, sources: Sequence[source_rules.SourceInput], details: Details | None = None
) -> Lesson:
    """Capture a lesson with at least one source, and return it, identified today with reference LS-YYYY-NNNN.

    Raises NotAllowed (not staff, or a read-only token) or Invalid listing every problem at once: ``title``
    "required"/"too_long"; ``sources`` "required" (none) or "too_many"; each source's problems under
    ``sources[i]`` (see ``sources.check_source``); and each detail's (``early_lesson`` "too_long",
    ``business_impact`` "out_of_range", ``owner_id`` "not_staff", ``service_area_id`` "not_found",
    ``learning_types[i]`` "unsupported" and so on). Nothing is written when refused. Two people capturing at once
    get consecutive references: the unique reference refuses the second, which takes the next.
    """
    require_staff(actor, "lesson.create")
    details = details or Details()
    values = {
        "title": title,
        **{name: getattr(details, name) for name in (*CAPTURE_FIELDS, *IMPACT_FIELDS, "referred_to_hr", "team")},
        "learning_types": list(details.learning_types),
        "service_area_id": details.service_area_id,
        "owner_id": details.owner_id,
        "champion_id": details.champion_id,
    }
    with gather() as problems:
        cleaned = _clean_details(problems, values)
        if not sources:
            problems.add("sources", "required")
        elif len(sources) > MAX_SOURCES:
            problems.add("sources", "too_many", maximum=MAX_SOURCES)
        checked = []
        for index, source in enumerate(sources[:MAX_SOURCES]):
            with problems.check("sources", index):
                checked.append(source_rules.check_source(actor, source))
        source_rules.check_duplicates(problems, checked)
    title = cleaned.pop("title")
    anonymous = any(source.anonymous for source in checked)
    # Whoever types an anonymous note in may be the one who spoke up: nothing records who captured it.
    author = None if anonymous else actor.user_id
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction():
                today = local_date()
                lesson = Lesson.create(
                    reference=next_reference(today.year),
                    title=title,
                    identified_on=today,
                    identified_by=author,
                    # Timed by the day, like the anonymous note it came from.
                    **({"created_at": source_rules.uk_day_start()} if anonymous else {}),
                )
                _apply(lesson, cleaned)
                lesson.save()
                for row in checked:
                    source_rules.create_source(lesson, row, author)
                after = {
                    "reference": lesson.reference,
                    "status": lesson.status,
                    **_snapshot(lesson),
                    "sources": [source_rules.describe(row) for row in checked],
                }
                source_rules.audit(actor, anonymous, "lesson.created", lesson.id, field_changes(None, after))
            return lesson
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise Conflict("changed") from None
    raise AssertionError("unreachable")  # pragma: no cover


def update_lesson(actor: Actor, lesson_id: int, values: Mapping[str, Any]) -> Lesson:
    """Change what a lesson says or how it is classified: only the fields in ``values`` (see UPDATABLE).

    ``learning_types`` replaces the set. Raises NotAllowed, NotFound, Invalid listing every problem at once (as
    ``create_lesson``; a field not in UPDATABLE is "unknown_field"), or Conflict "lesson_archived" or
    "lesson_ended" (cancelled or merged lessons no longer change). Returns the lesson unchanged when nothing differs.
    """
    require_staff(actor, "lesson.update")
    lesson = get_lesson(lesson_id)
    with gather() as problems:
        cleaned = _clean_details(problems, values, lesson)
    require_open(lesson)
    before = _snapshot(lesson)
    with transaction():
        _apply(lesson, cleaned)
        changes = field_changes(before, _snapshot(lesson))
        if changes:
            lesson.updated_at = utcnow()
            lesson.save()
            record_audit(actor, "lesson.updated", "lesson", lesson.id, changes)
    return lesson


def _claim_status(lesson: Lesson, to: str) -> None:
    """Move the lesson from the status it was read in; of two people acting at once, the second gets Conflict."""
    moved = (
        Lesson.update(status=to, updated_at=utcnow())
        .where(Lesson.id == lesson.id, Lesson.status == lesson.status, Lesson.archived_at.is_null())
        .execute()
    )
    if moved != 1:
        raise Conflict("changed")


def _actions(lesson: Lesson) -> list[ImprovementAction]:
    return list(
        ImprovementAction.select().where(
            ImprovementAction.lesson == lesson.id, ImprovementAction.status != ActionStatus.CANCELLED
        )
    )


def _check_step(lesson: Lesson, to: str) -> None:
    """Raise Conflict when the lesson is not ready for ``to``: what each step needs (the framework's cycle)."""
    if to == LessonStatus.ANALYSED and not (
        LessonCause.select().where(LessonCause.lesson == lesson.id, LessonCause.contributing == False).exists()  # noqa: E712
    ):
        raise Conflict("lesson_no_causes")
    actions = _actions(lesson)
    if to == LessonStatus.ACTIONS_AGREED and not any(a.status in AGREED for a in actions):
        raise Conflict("lesson_no_agreed_actions")
    if to == LessonStatus.MEASURING_IMPACT and (not actions or any(a.status not in DONE for a in actions)):
        raise Conflict("lesson_actions_not_done")
    if to == LessonStatus.CLOSED and (not actions or any(a.status != ActionStatus.VERIFIED for a in actions)):
        raise Conflict("lesson_actions_not_verified")


def set_status(actor: Actor, lesson_id: int, status: str) -> Lesson:
    """Move a lesson one step along its life, or one step back to correct a step taken too soon.

    Each step needs its part done: analysed, a cause; actions agreed, an authorised action; measuring impact,
    every action done; closed, every action verified (cancelled actions aside). Raises NotAllowed, NotFound,
    Invalid ``status`` "unsupported" (not a step: cancelling and merging have their own services), or Conflict:
    "lesson_archived", "lesson_ended", "lesson_step" (not the next or previous step), "lesson_no_causes",
    "lesson_no_agreed_actions", "lesson_actions_not_done", "lesson_actions_not_verified", or "changed" when
    someone moved it at the same moment.
    """
    require_staff(actor, "lesson.status")
    lesson = get_lesson(lesson_id)
    if status not in STEPS:
        raise Invalid("status", "unsupported")
    require_open(lesson)
    here, there = STEPS.index(lesson.status), STEPS.index(status)
    if abs(here - there) != 1:
        raise Conflict("lesson_step")
    if there > here:
        _check_step(lesson, status)
    before = lesson.status
    with transaction():
        _claim_status(lesson, status)
        record_audit(
            actor, "lesson.status_set", "lesson", lesson.id, field_changes({"status": before}, {"status": status})
        )
    return get_lesson(lesson.id)


def cancel_lesson(actor: Actor, lesson_id: int, reason: str) -> Lesson:
    """Cancel a lesson with the reason. Raises NotAllowed, NotFound, Invalid ``reason`` "required"/"too_long",
    Conflict "lesson_archived", "lesson_ended" or "changed"."""
    require_staff(actor, "lesson.cancel")
    lesson = get_lesson(lesson_id)
    with gather() as problems:
        cleaned = text(problems, "reason", reason, REASON_MAX, required=True)
    require_open(lesson)
    before = {"status": lesson.status, "end_reason": lesson.end_reason}
    with transaction():
        _claim_status(lesson, LessonStatus.CANCELLED)
        Lesson.update(end_reason=cleaned).where(Lesson.id == lesson.id).execute()
        after = {"status": LessonStatus.CANCELLED, "end_reason": cleaned}
        record_audit(actor, "lesson.cancelled", "lesson", lesson.id, field_changes(before, after))
    return get_lesson(lesson.id)


def merge_lesson(actor: Actor, lesson_id: int, into_id: int, reason: str) -> Lesson:
    """Merge a lesson into another, with the reason; the other carries on, this one ends.

    Raises NotAllowed, NotFound (this lesson), Invalid listing every problem: ``into_id`` "not_found" (no such
    lesson, or an archived one), "same_lesson" or "ended" (cancelled or merged); ``reason`` "required"/"too_long";
    then Conflict "lesson_archived", "lesson_ended" or "changed".
    """
    require_staff(actor, "lesson.merge")
    lesson = get_lesson(lesson_id)
    with gather() as problems:
        cleaned = text(problems, "reason", reason, REASON_MAX, required=True)
        into = Lesson.get_or_none(Lesson.id == into_id, Lesson.archived_at.is_null())
        if into is None:
            problems.add("into_id", "not_found")
        elif into.id == lesson.id:
            problems.add("into_id", "same_lesson")
        elif into.status in ENDED:
            problems.add("into_id", "ended")
    require_open(lesson)
    before = {"status": lesson.status, "end_reason": lesson.end_reason, "merged_into_id": None}
    with transaction():
        _claim_status(lesson, LessonStatus.MERGED)
        Lesson.update(end_reason=cleaned, merged_into=into.id).where(Lesson.id == lesson.id).execute()  # type: ignore[union-attr]
        after = {"status": LessonStatus.MERGED, "end_reason": cleaned, "merged_into_id": into.id}  # type: ignore[union-attr]
        changes = field_changes(before, after)
        changes["merged_into_reference"] = {"before": None, "after": into.reference}  # type: ignore[union-attr]
        record_audit(actor, "lesson.merged", "lesson", lesson.id, changes)
    return get_lesson(lesson.id)


def archive_lesson(actor: Actor, lesson_id: int) -> Lesson:
    """Take a lesson out of the log; it stays, with its history. Managers only. Archiving twice is harmless.

    Raises NotAllowed (not a manager or admin, or a read-only token) or NotFound.
    """
    if not actor.can_write or not actor.has_role(*MANAGERS):
        raise NotAllowed("lesson.archive")
    lesson = get_lesson(lesson_id)
    if lesson.archived_at is None:
        with transaction():
            now = utcnow()
            Lesson.update(archived_at=now, updated_at=now).where(Lesson.id == lesson.id).execute()
            record_audit(
                actor, "lesson.archived", "lesson", lesson.id, {"archived_at": {"before": None, "after": str(now)}}
            )
    return get_lesson(lesson.id)


#: What may refer to a lesson, in the order a refusal to delete it names them (``Conflict("lesson_in_use")``).
IN_USE = (
    "merged_lessons",
    "merged_into",
    "agenda_items",
    "success_stories",
    "bulletins",
    "staff_briefings",
    "qa_reports",
)


def lesson_uses(lesson: Lesson) -> list[str]:
    """What refers to the lesson, by IN_USE's names: what deleting it would leave pointing at nothing, or change.

    Lessons merged into it (they would be left merged into nothing), its own merge (the lesson it was merged into
    carries its sources on, for the monthly QA), meetings' agenda items, success stories and bulletins that name it,
    staff briefings sent about one of its complaints once the complaint was its source (the briefing's text names
    the lessons drawn), and monthly QA reports that list it as failing. Actions are refused on their own
    (``lesson_has_actions``); a theme link, a source, a cause or a learning type is part of the lesson itself.
    """
    uses = {
        "merged_lessons": Lesson.select().where(Lesson.merged_into == lesson.id).exists(),
        "merged_into": lesson.status == LessonStatus.MERGED or lesson.merged_into_id is not None,  # type: ignore[attr-defined]
        "agenda_items": AgendaItem.select().where(AgendaItem.lesson == lesson.id).exists(),
        "success_stories": StoryLink.select().where(StoryLink.lesson == lesson.id).exists(),
        "bulletins": BulletinLesson.select().where(BulletinLesson.lesson == lesson.id).exists(),
        "staff_briefings": StaffBriefing.select()
        .join(LessonSource, on=(LessonSource.complaint == StaffBriefing.complaint))
        .where(LessonSource.lesson == lesson.id, StaffBriefing.sent_at >= LessonSource.recorded_at)
        .exists(),
        "qa_reports": any(lesson.id in (report.failing or {}).get("smart", ()) for report in QaReport.select()),
    }
    return [name for name in IN_USE if uses[name]]


def delete_lesson(actor: Actor, lesson_id: int) -> str:
    """Delete a lesson captured by mistake, with its sources, causes, learning types and theme links; return its
    reference. Neither its id nor its reference is ever given to another lesson.

    Only a lesson nothing refers to: one with actions is evidence of what was done, and one that other records name
    (:func:`lesson_uses`) would leave them pointing at nothing; either can only be archived. Managers only. Raises
    NotAllowed, NotFound, Conflict "lesson_has_actions", or Conflict "lesson_in_use" with ``uses``, the names of
    what refers to it (see IN_USE). The audit trail keeps what it was.
    """
    if not actor.can_write or not actor.has_role(*MANAGERS):
        raise NotAllowed("lesson.delete")
    lesson = get_lesson(lesson_id)
    with transaction():
        touch(lesson)  # claim the row first, so what refers to it is read as it is when it goes
        lesson = get_lesson(lesson.id)
        if ImprovementAction.select().where(ImprovementAction.lesson == lesson.id).exists():
            raise Conflict("lesson_has_actions")
        uses = lesson_uses(lesson)
        if uses:
            raise Conflict("lesson_in_use", uses=uses)
        before = {"reference": lesson.reference, "status": lesson.status, **_snapshot(lesson)}
        _keep_counted(lesson.reference)
        deleted = Lesson.delete().where(Lesson.id == lesson.id).execute()
        if deleted != 1:
            raise NotFound("lesson", lesson_id)
        record_audit(actor, "lesson.deleted", "lesson", lesson.id, field_changes(before, {}))
    return lesson.reference
