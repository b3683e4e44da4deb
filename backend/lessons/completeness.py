"""Completeness: every complaint with an upheld or partly upheld point leads to a lesson, or to a recorded
decision that it holds no wider lesson, with the reason (the Ombudsman's self-assessment, item 2: root-cause
analysis of every upheld complaint; the framework's monthly QA counts the transfer rate from this).

A complaint "leads to a lesson" when a lesson that is not cancelled names it as a source (as a complaint or as an
Ombudsman determination).
"""

from __future__ import annotations

from typing import Any

from peewee import IntegrityError

from backend.audit.services import field_changes, record_audit
from backend.complaints import restricted
from backend.complaints.models import Complaint, ComplaintResponse, Decision, PointDecision
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, gather
from backend.lessons import lesson_guards as lessons
from backend.lessons.models import Lesson, LessonSource, LessonStatus, NoLessonDecision

REASON_MAX = 2_000
UPHELD = (Decision.UPHELD, Decision.PARTLY_UPHELD)


def upheld_complaint_ids() -> Any:
    """A query for the ids of complaints with at least one point decided upheld or partly upheld, at any stage."""
    return (
        ComplaintResponse.select(ComplaintResponse.complaint)
        .join(PointDecision, on=PointDecision.response == ComplaintResponse.id)
        .where(PointDecision.decision.in_(UPHELD))
    )


def complaints_with_lesson() -> Any:
    """A query for the ids of complaints a lesson that is not cancelled names as a source."""
    return (
        LessonSource.select(LessonSource.complaint)
        .join(Lesson, on=LessonSource.lesson == Lesson.id)
        .where(LessonSource.complaint.is_null(False), Lesson.status != LessonStatus.CANCELLED)
    )


def without_lesson(actor: Actor) -> Any:
    """The upheld complaints the actor may see that have neither a lesson nor a recorded decision, oldest first.

    Empty for anyone who is not staff.
    """
    if not actor.is_staff:
        return Complaint.select().where(Complaint.id.is_null())
    return (
        Complaint.select()
        .where(
            Complaint.id.in_(upheld_complaint_ids()),
            Complaint.id.not_in(complaints_with_lesson()),
            Complaint.id.not_in(NoLessonDecision.select(NoLessonDecision.complaint)),
            Complaint.id.not_in(restricted.hidden_complaints(actor.user_id)),
        )
        .order_by(Complaint.id)
    )


def record_no_lesson(actor: Actor, complaint_id: int, reason: str) -> NoLessonDecision:
    """Record that an upheld complaint holds no wider lesson, with the reason; return the decision.

    Raises NotAllowed (not staff, or a read-only token), NotFound (no such complaint, or one hidden from the
    actor), Invalid ``reason`` "required"/"too_long", or Conflict: "not_upheld" (no point upheld or partly upheld),
    "lesson_exists" (a lesson already names it), "no_lesson_decided".
    """
    lessons.require_staff(actor, "complaint.no_lesson")
    complaint = restricted.visible_complaint(actor, complaint_id)
    with gather() as problems:
        cleaned = lessons.text(problems, "reason", reason, REASON_MAX, required=True)
    if not upheld_complaint_ids().where(ComplaintResponse.complaint == complaint.id).exists():
        raise Conflict("not_upheld")
    if complaints_with_lesson().where(LessonSource.complaint == complaint.id).exists():
        raise Conflict("lesson_exists")
    try:
        with transaction():
            # The complaint has one decision at most: of two at once, the unique key refuses the second.
            decision = NoLessonDecision.create(complaint=complaint.id, reason=cleaned, decided_by=actor.user_id)
            changes = field_changes(None, {"no_lesson_reason": cleaned})
            record_audit(actor, "complaint.no_lesson_recorded", "complaint", complaint.id, changes)
    except IntegrityError:
        raise Conflict("no_lesson_decided") from None
    return decision
