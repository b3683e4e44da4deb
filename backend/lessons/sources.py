"""A lesson's sources: each a link to the record it came from, or a note for what lives outside the system.

Kinds and what each needs (``SourceKind``):

- complaint: ``complaint_id``; contact: ``contact_id`` (a case hidden from the actor is "not_found", like none);
- ombudsman_determination: ``complaint_id`` of a complaint the Ombudsman has determined;
- tsm_survey, transactional_survey: ``survey_question_id`` (the survey is taken from the question);
- operational_feedback, scrutiny_recommendation: a ``note``, and a ``reference`` outside the system if there is
  one (the scrutiny issue will link recommendations themselves);
- speak_up: a ``note``, which may be ``anonymous``.

An anonymous speak-up note keeps nothing that identifies who gave it: ``recorded_by`` stays empty, it is timed by
the UK day only (``recorded_at`` is the day's start, 00:00 UK time stored in UTC: a time to the microsecond could
be matched with the request log or a door entry system), and its audit entry (see :func:`audit`) names no user,
token or request and is timed by the same day. What remains is the entry's place among the others in the audit
trail (docs/lessons-log.md says why that is accepted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from backend.audit.models import AuditEvent
from backend.audit.services import record_audit
from backend.complaints import restricted
from backend.complaints.models import Complaint, Contact
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotFound, Problems, gather
from backend.lessons import lesson_guards as lessons
from backend.lessons.models import Lesson, LessonSource, SourceKind
from backend.names import has_hidden_characters
from backend.surveys.models import SurveyQuestion
from backend.text import clean
from backend.timeutil import LOCAL_ZONE, local_date

NOTE_MAX = 10_000
REFERENCE_MAX = 100
LINKED = {
    SourceKind.COMPLAINT: "complaint_id",
    SourceKind.OMBUDSMAN_DETERMINATION: "complaint_id",
    SourceKind.CONTACT: "contact_id",
    SourceKind.TSM_SURVEY: "survey_question_id",
    SourceKind.TRANSACTIONAL_SURVEY: "survey_question_id",
}
LINKS = ("complaint_id", "contact_id", "survey_question_id")
#: The kinds that live outside the system: a note says what they are.
NOTED = frozenset({SourceKind.OPERATIONAL_FEEDBACK, SourceKind.SCRUTINY_RECOMMENDATION, SourceKind.SPEAK_UP})
#: An actor that names nobody, for what an anonymous speak-up note writes in the audit trail.
ANONYMOUS_SPEAKER = Actor(user_id=None, label="anonymous")


@dataclass(frozen=True)
class SourceInput:
    """One source as given: its kind, the link its kind needs, and a note and reference where it has them."""

    kind: str
    complaint_id: int | None = None
    contact_id: int | None = None
    survey_question_id: int | None = None
    reference: str = ""
    note: str = ""
    anonymous: bool = False


@dataclass(frozen=True)
class Checked:
    """A source ready to be written: every value checked and cleaned."""

    kind: str
    complaint_id: int | None
    contact_id: int | None
    survey_id: int | None
    survey_question_id: int | None
    reference: str
    note: str
    anonymous: bool

    @property
    def key(self) -> tuple[str, int | None] | None:
        """What makes a linked source the same as another on one lesson: the same record, the same way."""
        link = LINKED.get(self.kind)  # type: ignore[call-overload]
        return (self.kind, getattr(self, link)) if link else None


def check_source(actor: Actor, source: SourceInput) -> Checked:
    """The source checked and cleaned; raise Invalid listing every problem with it.

    Codes: ``kind`` "unsupported"; the link its kind needs "required", or "not_found" (none, or a case hidden from
    the actor); a link its kind does not take "not_for_kind"; ``complaint_id`` "no_determination" (an Ombudsman
    determination source on a complaint not determined); ``note`` "required" (a kind that lives outside the system)
    or "too_long"; ``reference`` "too_long" or "hidden_characters" (a line break or a hidden formatting character);
    ``anonymous`` "speak_up_only".
    """
    if source.kind not in SourceKind.codes():
        raise Invalid("kind", "unsupported")  # what else it needs depends on its kind
    with gather() as problems:
        needed = LINKED.get(source.kind)  # type: ignore[call-overload]
        for link in LINKS:
            if link != needed and getattr(source, link) is not None:
                problems.add(link, "not_for_kind")
        complaint_id = contact_id = question_id = survey_id = None
        if needed and getattr(source, needed) is None:
            problems.add(needed, "required")
        elif needed == "complaint_id":
            complaint_id = _complaint(actor, problems, source)
        elif needed == "contact_id":
            contact_id = _contact(actor, problems, source.contact_id)
        elif needed == "survey_question_id":
            question = SurveyQuestion.get_or_none(SurveyQuestion.id == source.survey_question_id)
            if question is None:
                problems.add("survey_question_id", "not_found")
            else:
                question_id, survey_id = question.id, question.survey_id  # type: ignore[attr-defined]
        note = clean(source.note)
        if source.kind in NOTED and not note:
            problems.add("note", "none_given")
        elif len(note) > NOTE_MAX:
            problems.add("note", "too_long", maximum=NOTE_MAX)
        reference = clean(source.reference)
        if len(reference) > REFERENCE_MAX:
            problems.add("reference", "too_long", maximum=REFERENCE_MAX)
        elif has_hidden_characters(reference):  # one line of visible text, like a title
            problems.add("reference", "hidden_characters")
        if source.anonymous and source.kind != SourceKind.SPEAK_UP:
            problems.add("anonymous", "speak_up_only")
    return Checked(
        kind=source.kind,
        complaint_id=complaint_id,
        contact_id=contact_id,
        survey_id=survey_id,
        survey_question_id=question_id,
        reference=reference,
        note=note,
        anonymous=source.anonymous,
    )


def _complaint(actor: Actor, problems: Problems, source: SourceInput) -> int | None:
    try:
        complaint = restricted.visible_complaint(actor, source.complaint_id or 0)
    except NotFound:
        problems.add("complaint_id", "not_found")
        return None
    if source.kind == SourceKind.OMBUDSMAN_DETERMINATION and complaint.ombudsman_determination is None:
        problems.add("complaint_id", "no_determination")
    return complaint.id


def _contact(actor: Actor, problems: Problems, contact_id: int | None) -> int | None:
    try:
        return restricted.visible_contact(actor, contact_id or 0).id
    except NotFound:
        problems.add("contact_id", "not_found")
        return None


def check_duplicates(problems: Problems, checked: Sequence[Checked], existing: Sequence[LessonSource] = ()) -> None:
    """Record "duplicate" for a linked source given twice, or already on the lesson."""
    seen = {
        (row.kind, getattr(row, LINKED[row.kind]))  # type: ignore[index]
        for row in existing
        if row.kind in LINKED
    }
    for index, source in enumerate(checked):
        key = source.key
        if key is None:
            continue
        if key in seen:
            problems.add(LINKED[source.kind], "duplicate", at=("sources", index, LINKED[source.kind]))  # type: ignore[index]
        seen.add(key)


def describe(source: Checked | LessonSource) -> dict[str, Any]:
    """What the audit trail keeps of a source: its kind and link, never who gave an anonymous note."""
    described: dict[str, Any] = {"kind": source.kind}
    for link in LINKS:
        value = getattr(source, link, None)
        if value is not None:
            described[link] = value
    if source.reference:
        described["reference"] = source.reference
    if source.anonymous:
        described["anonymous"] = True
    return described


def uk_day_start() -> dt.datetime:
    """The start of today in the UK (00:00 UK time), as stored: naive UTC. How an anonymous note is timed."""
    midnight = dt.datetime.combine(local_date(), dt.time(0), tzinfo=LOCAL_ZONE)
    return midnight.astimezone(dt.UTC).replace(tzinfo=None)


def create_source(lesson: Lesson, source: Checked, recorded_by: int | None) -> LessonSource:
    """Inside a transaction: write the checked source on the lesson; an anonymous one records nobody, and is
    timed by the UK day only."""
    timing = {"recorded_at": uk_day_start()} if source.anonymous else {}
    return LessonSource.create(
        **timing,
        lesson=lesson.id,
        kind=source.kind,
        complaint=source.complaint_id,
        contact=source.contact_id,
        survey=source.survey_id,
        survey_question=source.survey_question_id,
        reference=source.reference,
        note=source.note,
        anonymous=source.anonymous,
        recorded_by=None if source.anonymous else recorded_by,
    )


def audit(actor: Actor, anonymous: bool, action: str, lesson_id: int, changes: Mapping[str, Any]) -> None:
    """Record the audit entry; for an anonymous note, one that names nobody.

    The anonymous entry carries no user, token or request id (the web request's could be tied to a person through
    the request log), and it is timed by the UK day, like the note. The audit trail holds no IP address or
    session, for any entry.
    """
    if not anonymous:
        record_audit(actor, action, "lesson", lesson_id, changes)
        return
    AuditEvent.create(
        occurred_at=uk_day_start(),
        actor_user_id=None,
        actor_token_id=None,
        actor_label=ANONYMOUS_SPEAKER.label,
        action=action,
        entity_type="lesson",
        entity_id=str(lesson_id),
        changes=dict(changes),
        request_id=None,
    )


def add_source(actor: Actor, lesson_id: int, source: SourceInput) -> LessonSource:
    """Add a source to a lesson and return it.

    Raises NotAllowed (not staff, or a read-only token), NotFound (no such lesson), Invalid listing every problem
    under ``source`` (see :func:`check_source`; a record already linked the same way is "duplicate"), or Conflict
    "lesson_archived" or "lesson_ended".
    """
    lessons.require_staff(actor, "lesson.source_add")
    lesson = lessons.get_lesson(lesson_id)
    existing = list(LessonSource.select().where(LessonSource.lesson == lesson.id))
    try:
        checked = check_source(actor, source)
    except Invalid as error:
        raise error.under("source") from None  # where each value is in the input: source.complaintId
    with gather() as problems:
        duplicates = Problems()
        check_duplicates(duplicates, [checked], existing)
        for found in duplicates.found:
            problems.add(found.field, found.code, at=("source", found.field))
    lessons.require_open(lesson)
    with transaction():
        lessons.touch(lesson)
        row = create_source(lesson, checked, actor.user_id)
        audit(
            actor,
            checked.anonymous,
            "lesson.source_added",
            lesson.id,
            {"source": {"before": None, "after": {"id": row.id, **describe(checked)}}},
        )
    return row


def remove_source(actor: Actor, lesson_id: int, source_id: int) -> Lesson:
    """Remove a source from the lesson named and return the lesson; a lesson keeps at least one source.

    Raises NotAllowed, NotFound ("lesson_source": none, one on another lesson, or one about a case hidden from the
    actor), or Conflict "lesson_archived", "lesson_ended" or "last_source".
    """
    lessons.require_staff(actor, "lesson.source_remove")
    row = LessonSource.get_or_none((LessonSource.id == source_id) & (LessonSource.lesson == lesson_id))
    if row is None or not _visible(actor, row):
        raise NotFound("lesson_source", source_id)
    lesson = lessons.get_lesson(row.lesson_id)  # type: ignore[attr-defined]
    lessons.require_open(lesson)
    with transaction():
        lessons.touch(lesson)
        # Only the sources the actor sees count: whether a hidden case's source remains must not change the answer.
        if visible_source_count(actor, lesson.id) <= 1:
            raise Conflict("last_source")
        LessonSource.delete().where(LessonSource.id == row.id).execute()
        record_audit(
            actor,
            "lesson.source_removed",
            "lesson",
            lesson.id,
            {"source": {"before": {"id": row.id, **describe(row)}, "after": None}},
        )
    return lesson


def visible_source_count(actor: Actor, lesson_id: int) -> int:
    """How many of the lesson's sources the actor may see (those about cases hidden from them are left out)."""
    query = LessonSource.select().where(LessonSource.lesson == lesson_id)
    if actor.user_id is not None and actor.has_role(*restricted.STAFF_ROLE_NAMES):
        hidden = restricted.hidden_contacts(actor.user_id)
        query = query.where(
            (
                LessonSource.complaint.is_null()
                | LessonSource.complaint.not_in(restricted.hidden_complaints(actor.user_id))
            )
            & (LessonSource.contact.is_null() | LessonSource.contact.not_in(hidden))
        )
    return query.count()


def _visible(actor: Actor, row: LessonSource) -> bool:
    """Whether the actor may see the record the source links to (a hidden case's source answers like none)."""
    if row.complaint_id is not None:  # type: ignore[attr-defined]
        return restricted.may_see_complaint(actor, Complaint.get_by_id(row.complaint_id))  # type: ignore[attr-defined]
    if row.contact_id is not None:  # type: ignore[attr-defined]
        return restricted.may_see_contact(actor, Contact.get_by_id(row.contact_id))  # type: ignore[attr-defined]
    return True
