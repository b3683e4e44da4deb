"""Lesson review in the API: members' annotations of the lessons in their pack, and their questions to staff.

Staff see every annotation and question. A panel member sees those of their own reviews' packs only, with the
members named by display name and staff never named (who entered a member's words is staff's to see).
"""

from __future__ import annotations

from typing import Any

import strawberry

from backend.accounts.models import User
from backend.panels import annotations as lesson_review
from backend.panels.models import InputChannel, LessonAnnotation, PanelQuestion, Rating
from schema.access import STAFF_ACCESS, STAFF_ROLES
from schema.context import Context
from schema.engine.declare import Access, Column, Computed, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id
from schema.panels.access import OWN_ITEM

mutations = Mutations()
MEMBER = "panel_member"
#: Who adds a member's annotation or question: the member, or staff entering what they gave on paper or by phone.
CONTRIBUTORS = STAFF_ROLES | {MEMBER}


def name_of(column: str) -> Any:
    """A person's display name by the key in ``column``: members see each other by name only."""

    def sql(alias: Any) -> Any:
        return User.select(User.display_name).where(User.id == getattr(alias, column))

    return sql


OWN_ITEM_ROW = {"itemId": OWN_ITEM["id"]}
OWN_REVIEW_ROW = {"reviewId": {"in": "$viewer.panelReviewIds"}}

LESSON_ANNOTATION = Resource(
    name="LessonAnnotation",
    plural="lessonAnnotations",
    model=LessonAnnotation,
    description="A panel member's comment on a lesson in the evidence pack, with their rating of whether its "
    "actions address the root cause.",
    members=[
        Computed("item_id", "The lesson's pack item.", kind="id", sql=lambda alias: alias.item),
        ToOne("item", "The lesson's pack item.", target="PackItem"),
        Computed("lesson_id", "The lesson in the log (staff only).", kind="id", sql=lambda alias: alias.lesson),
        Column("comment", "The member's comment."),
        Column("rating", "Whether the actions address the root cause: addresses, partly, does not, cannot say."),
        Column("channel", "How it reached the workspace: in the workspace, or entered by staff from paper or phone."),
        Computed("author_name", "The member's display name.", kind="string", sql=name_of("author")),
        ToOne("entered_by", "The member of staff who entered it for the member (staff only).", target="Person"),
        Column("created_at", "When it was added."),
    ],
    access={
        **STAFF_ACCESS,
        MEMBER: Access(
            ("itemId", "item", "comment", "rating", "channel", "authorName", "createdAt"), where=OWN_ITEM_ROW
        ),
    },
    default_order=("createdAt", "id"),
)

PANEL_QUESTION = Resource(
    name="PanelQuestion",
    plural="panelQuestions",
    model=PanelQuestion,
    description="A panel member's question to staff about a review or an item of its pack, and staff's answer.",
    members=[
        Computed("review_id", "The review it is about.", kind="id", sql=lambda alias: alias.review),
        Computed("item_id", "The pack item it is about, if any.", kind="id", sql=lambda alias: alias.item),
        ToOne("review", "The review.", target="ScrutinyReview"),
        ToOne("item", "The pack item, if any.", target="PackItem"),
        Column("text", "The question."),
        Column("channel", "How it reached the workspace."),
        Computed("asker_name", "The member's display name.", kind="string", sql=name_of("asked_by")),
        Column("asked_at", "When it was asked."),
        Column("answer", "Staff's answer; empty until answered."),
        Column("answered_at", "When staff answered; null until then."),
        Computed(
            "answered",
            "Whether staff have answered it.",
            kind="boolean",
            sql=lambda alias: alias.answered_at.is_null(False),
            null=False,
        ),
        ToOne("asked_by", "The member who asked (staff only).", target="Person"),
        ToOne("entered_by", "The member of staff who entered it for the member (staff only).", target="Person"),
        ToOne("answered_by", "The member of staff who answered (staff only).", target="Person"),
        Column("updated_at"),
    ],
    access={
        **STAFF_ACCESS,
        MEMBER: Access(
            (
                "reviewId",
                "review",
                "itemId",
                "item",
                "text",
                "channel",
                "askerName",
                "askedAt",
                "answer",
                "answeredAt",
                "answered",
            ),
            where=OWN_REVIEW_ROW,
        ),
    },
    default_order=("askedAt", "id"),
)

RESOURCES = [LESSON_ANNOTATION, PANEL_QUESTION]


@strawberry.input(description="A member's annotation of a lesson in their review's pack.")
class LessonAnnotationAddInput:
    item_id: strawberry.ID = strawberry.field(description="The lesson's pack item.")
    comment: str = strawberry.field(default="", description="The comment (up to 5,000 characters).")
    rating: Rating | None = strawberry.field(
        default=None, description="Whether the lesson's actions address its root cause."
    )
    member_id: strawberry.ID | None = strawberry.field(
        default=None, description="Staff only: the member whose annotation this is. Ignored for a member."
    )
    channel: InputChannel | None = strawberry.field(
        default=None, description="Staff only: how the member gave it (paper, phone or meeting)."
    )


def _member(raw: strawberry.ID | None) -> int | None:
    return parse_id(raw, "person") if raw not in (None, "") else None


@mutations.add("lessonAnnotationAdd", roles=CONTRIBUTORS, payload="LessonAnnotationAdded")
def add_annotation(context: Context, data: LessonAnnotationAddInput) -> Outcome:
    """Annotate a lesson in your pack: a comment, a rating, or both. Staff enter a member's, given on paper or by
    phone. An item outside the member's own pack is not found."""
    row = lesson_review.annotate_lesson(
        context.actor,
        parse_id(data.item_id, "PackItem"),
        data.comment,
        str(data.rating) if data.rating else None,
        _member(data.member_id),
        str(data.channel) if data.channel else None,
    )
    return Outcome(row.id)


@strawberry.input(description="A member's question to staff about a review, or an item of its pack.")
class PanelQuestionAskInput:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    text: str = strawberry.field(description="The question (up to 2,000 characters).")
    item_id: strawberry.ID | None = strawberry.field(default=None, description="The pack item it is about, if any.")
    member_id: strawberry.ID | None = strawberry.field(
        default=None, description="Staff only: the member whose question this is."
    )
    channel: InputChannel | None = strawberry.field(
        default=None, description="Staff only: how the member gave it (paper, phone or meeting)."
    )


@mutations.add("panelQuestionAsk", roles=CONTRIBUTORS, payload="PanelQuestionAsked")
def ask(context: Context, data: PanelQuestionAskInput) -> Outcome:
    """Ask staff a question about a review or an item of its pack; the panel's support staff are told."""
    item_id = parse_id(data.item_id, "PackItem") if data.item_id not in (None, "") else None
    row = lesson_review.ask_question(
        context.actor,
        parse_id(data.review_id, "ScrutinyReview"),
        data.text,
        item_id,
        _member(data.member_id),
        str(data.channel) if data.channel else None,
    )
    return Outcome(row.id)


@strawberry.input(description="Staff's answer to a member's question.")
class PanelQuestionAnswerInput:
    id: strawberry.ID = strawberry.field(description="The question, not yet answered.")
    answer: str = strawberry.field(description="The answer (up to 10,000 characters).")


@mutations.add("panelQuestionAnswer", roles=STAFF_ROLES, payload="PanelQuestionAnswered")
def answer(context: Context, data: PanelQuestionAnswerInput) -> Outcome:
    """Answer a member's question; the member is told. An answer is given once."""
    return Outcome(lesson_review.answer_question(context.actor, parse_id(data.id, "PanelQuestion"), data.answer).id)
