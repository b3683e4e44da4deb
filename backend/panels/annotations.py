"""Lesson review: members annotate the lessons in their pack and ask staff questions, which staff answer.

A member annotates a lesson item of their own review's pack (``access.visible_item``): a comment, a rating of
whether the lesson's actions address its root cause, or both. A member asks a question about the review, or about
one item of its pack; the panel's support staff are told of it, and the asker is told of the answer. Members who
take part on paper, by phone or at a meeting have their annotations and questions entered by staff, who are
recorded as ``entered_by`` beside the member as author, with the channel.

Asking about anything outside the member's own pack is answered ``NotFound``, as if it were not there.
"""

from __future__ import annotations

from backend.audit.services import record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.panels import access
from backend.panels.models import (
    InputChannel,
    ItemKind,
    LessonAnnotation,
    PanelMembership,
    PanelQuestion,
    PanelSupport,
    Rating,
    ScrutinyReview,
)
from backend.panels.redaction import redact_for_panel
from backend.text import clean
from backend.timeutil import local_date, utcnow

COMMENT_MAX = 5_000
QUESTION_MAX = 2_000
ANSWER_MAX = 10_000
#: The ways staff may enter a member's contribution given outside the workspace.
STAFF_CHANNELS = (InputChannel.PAPER, InputChannel.PHONE, InputChannel.MEETING)


def is_current_member(user_id: int | None, panel_id: int) -> bool:
    """Whether the person is a current member of the panel today."""
    return access.current_memberships(user_id).where(PanelMembership.panel == panel_id).exists()


def author_for(actor: Actor, panel_id: int, member_id: int | None, channel: str | None) -> tuple[int, int | None, str]:
    """Who a contribution is by, who entered it, and how it came: (author, entered_by, channel).

    A member writes their own, in the workspace (``member_id`` and ``channel`` are ignored). Staff enter a
    member's contribution given on paper, by phone or at a meeting: ``member_id`` must be a current member of the
    panel. Raises NotAllowed for anyone else (a read-only token included) and Invalid naming every problem
    (``member_id`` "required"/"not_member"; ``channel`` "unsupported").
    """
    if not actor.can_write or actor.user_id is None:
        raise NotAllowed("panel.contribute")
    if not actor.is_staff:
        return actor.user_id, None, InputChannel.WORKSPACE.value
    with gather() as problems:
        if channel not in STAFF_CHANNELS:
            problems.add("channel", "unsupported")
        if member_id is None:
            problems.add("member_id", "required")
        elif not is_current_member(member_id, panel_id):
            problems.add("member_id", "not_member")
    return int(member_id or 0), actor.user_id, str(channel)


def _text(problems: object, name: str, value: str, limit: int, required: bool = False) -> str:
    text = clean(value)
    if required and not text:
        problems.add(name, "required")  # type: ignore[attr-defined]
    elif len(text) > limit:
        problems.add(name, "too_long", maximum=limit)  # type: ignore[attr-defined]
    return text


def annotate_lesson(
    actor: Actor,
    item_id: int,
    comment: str = "",
    rating: str | None = None,
    member_id: int | None = None,
    channel: str | None = None,
) -> LessonAnnotation:
    """Add a member's annotation to a lesson item of their pack and return it.

    Raises NotFound("PackItem") for an item the member may not open (or none), NotAllowed (not a member or staff),
    or Invalid naming every problem: ``item_id`` "not_lesson"; ``comment`` "too_long"; ``rating`` "unsupported";
    ``comment`` "none_given" when there is neither a comment nor a rating; and those of :func:`author_for`.
    """
    if not actor.can_write:
        raise NotAllowed("lesson_annotation.add")
    item = access.visible_item(actor, item_id)
    review = ScrutinyReview.get_by_id(item.review_id)  # type: ignore[attr-defined]
    author, entered_by, how = author_for(actor, review.panel_id, member_id, channel)  # type: ignore[attr-defined]
    with gather() as problems:
        if item.kind != ItemKind.LESSON:
            problems.add("item_id", "not_lesson")
        text = _text(problems, "comment", comment, COMMENT_MAX)
        if rating is not None and rating not in Rating.codes():
            problems.add("rating", "unsupported")
        if not text and rating is None:
            problems.add("comment", "none_given")
    with transaction():
        row = LessonAnnotation.create(
            item=item.id,
            lesson=item.lesson_id,  # type: ignore[attr-defined]
            author=author,
            comment=text,
            rating=rating,
            channel=how,
            entered_by=entered_by,
        )
        record_audit(
            actor,
            "lesson_annotation.added",
            "lesson_annotation",
            row.id,
            {
                "item_id": {"before": None, "after": item.id},
                "rating": {"before": None, "after": rating},
                "channel": {"before": None, "after": how},
                "author_id": {"before": None, "after": author},
            },
        )
    return row


def ask_question(
    actor: Actor,
    review_id: int,
    text: str,
    item_id: int | None = None,
    member_id: int | None = None,
    channel: str | None = None,
) -> PanelQuestion:
    """Ask staff a question about a review, or one item of its pack; the panel's support staff are told. Return it.

    Raises NotFound("ScrutinyReview") for a review the member may not see (or none), NotFound("PackItem") for an
    item they may not open or of another review, NotAllowed, or Invalid (``question`` "required"/"too_long", and those
    of :func:`author_for`).
    """
    if not actor.can_write:
        raise NotAllowed("panel_question.ask")
    review = access.visible_review(actor, review_id)
    if item_id is not None:
        item = access.visible_item(actor, item_id)
        if item.review_id != review.id:  # type: ignore[attr-defined]
            raise NotFound("PackItem", item_id)
    author, entered_by, how = author_for(actor, review.panel_id, member_id, channel)  # type: ignore[attr-defined]
    with gather() as problems:
        cleaned = _text(problems, "question", text, QUESTION_MAX, required=True)
    with transaction():
        row = PanelQuestion.create(
            review=review.id, item=item_id, asked_by=author, text=cleaned, channel=how, entered_by=entered_by
        )
        record_audit(
            actor,
            "panel_question.asked",
            "panel_question",
            row.id,
            {"review_id": {"before": None, "after": review.id}, "channel": {"before": None, "after": how}},
        )
        for support in PanelSupport.select().where(PanelSupport.panel == review.panel_id):  # type: ignore[attr-defined]
            record_event(
                "panels.question_asked",
                {
                    "recipient_id": support.person_id,  # type: ignore[attr-defined]
                    "question_id": row.id,
                    "review_id": review.id,
                    "reference": review.reference,
                },
            )
    return row


def answer_question(actor: Actor, question_id: int, answer: str) -> PanelQuestion:
    """Answer a member's question (staff); the asker is told. Return the question.

    Raises NotAllowed (not staff), NotFound("PanelQuestion"), Invalid (``answer`` "required"/"too_long") or
    Conflict("question_answered") when it was answered already (an answer is what the panel relied on: it is not
    rewritten).
    """
    if not (actor.is_staff and actor.can_write):
        raise NotAllowed("panel_question.answer")
    question = PanelQuestion.get_or_none(PanelQuestion.id == question_id)
    if question is None:
        raise NotFound("PanelQuestion", question_id)
    with gather() as problems:
        cleaned = _text(problems, "answer", answer, ANSWER_MAX, required=True)
    cleaned = redact_for_panel(cleaned)
    with transaction():
        now = utcnow()
        moved = (
            PanelQuestion.update(answer=cleaned, answered_by=actor.user_id, answered_at=now, updated_at=now)
            .where(PanelQuestion.id == question.id, PanelQuestion.answered_at.is_null())
            .execute()
        )
        if not moved:
            raise Conflict("question_answered")
        record_audit(
            actor,
            "panel_question.answered",
            "panel_question",
            question.id,
            {"answered_on": {"before": None, "after": local_date().isoformat()}},
        )
        review = ScrutinyReview.get_by_id(question.review_id)  # type: ignore[attr-defined]
        if question.asked_by_id is not None:  # type: ignore[attr-defined]
            record_event(
                "panels.question_answered",
                {
                    "recipient_id": question.asked_by_id,  # type: ignore[attr-defined]
                    "question_id": question.id,
                    "review_id": review.id,
                    "reference": review.reference,
                },
            )
    return PanelQuestion.get_by_id(question.id)
