"""Scrutiny reviews in the API: reviews and the panels' work programmes, with the mutations staff run on them.

A panel member sees the reviews of their own current panels (OWN_REVIEW) and their panels' work programmes; not who
created a review or the theme it came from (themes are staff's).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from backend.panels import reviews
from backend.panels.models import ScrutinyReview, WorkProgrammeItem
from schema.access import STAFF_ACCESS
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.declare import Access, Column, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id
from schema.panels.access import OWN_PANEL, OWN_REVIEW
from schema.panels.panels import KEPT, given

mutations = Mutations()

REVIEW = Resource(
    name="ScrutinyReview",
    plural="scrutinyReviews",
    model=ScrutinyReview,
    description="A panel's review of a topic: its scope, questions, timeline, meetings, interviews and conclusion.",
    members=[
        Column("reference", "Its reference, SR-YYYY-NN."),
        ToOne("panel", "The panel."),
        Column("kind", "service, documents or follow_up."),
        Column("topic", "What it is about."),
        Column("scope", "What is in and out of scope."),
        Column("questions", "The questions it sets out to answer."),
        Column("starts_on", "The UK day it starts."),
        Column("ends_on", "The UK day it is planned to report."),
        Column("status", "planned, gathering, reporting, awaiting_response, responded, published or closed."),
        Column("conclusion", "The panel's conclusion."),
        ToOne("follows", "The review it follows up, if any.", target="ScrutinyReview"),
        Column("follow_up_due_on", "When its follow-up review is due. Null: not yet set."),
        ToOne("theme", "The theme it came from (staff only)."),
        ToOne("created_by", "Who created it (staff only)."),
        Column("created_at", "When it was recorded."),
        Column("published_at", "When its report was published. Null: not."),
        Column("updated_at", "When it last changed."),
        ToMany("meetings", "Its meetings, in the order held.", target="PanelMeeting"),
        ToMany("interviews", "The staff the panel interviewed.", target="StaffInterview"),
        ToMany("follow_ups", "The reviews that follow it up.", target="ScrutinyReview", fk="follows"),
        ToMany("pack_items", "Its evidence pack (members: confirmed items only).", target="PackItem", fk="review"),
        ToMany("evidence_requests", "The panel's requests for evidence.", target="EvidenceRequest", fk="review"),
        ToMany("case_samples", "The case samples drawn for it (staff only).", target="CaseSample", fk="review"),
        ToMany("findings_versions", "Every version of the findings.", target="FindingsVersion", fk="review"),
        ToMany("recommendations", "The recommendations, with the landlord's responses.", target="Recommendation"),
        ToMany("panel_questions", "The members' questions to staff.", target="PanelQuestion", fk="review"),
    ],
    access={
        **STAFF_ACCESS,
        "panel_member": Access(
            (
                "reference",
                "panel",
                "kind",
                "topic",
                "scope",
                "questions",
                "startsOn",
                "endsOn",
                "status",
                "conclusion",
                "follows",
                "followUpDueOn",
                "createdAt",
                "publishedAt",
                "updatedAt",
                "meetings",
                "interviews",
                "followUps",
                "packItems",
                "evidenceRequests",
                "findingsVersions",
                "recommendations",
                "panelQuestions",
            ),
            where=OWN_REVIEW,
        ),
    },
    search=("reference", "topic"),
    default_order=("-createdAt", "id"),
)
WORK_ITEM = Resource(
    name="WorkProgrammeItem",
    plural="workProgrammeItems",
    model=WorkProgrammeItem,
    description="A topic on a panel's work programme, chosen from themes, votes and trends.",
    members=[
        ToOne("panel", "The panel."),
        Column("topic", "What it is about."),
        Column("source", "Where it came from: theme, votes, trend, panel or follow_up."),
        ToOne("theme", "The theme it came from (staff only)."),
        Column("note", "Why it is on the programme."),
        Column("planned_for", "The UK day it is planned to start. Null: not scheduled."),
        ToOne("review", "The review it became, if any.", target="ScrutinyReview"),
        ToOne("created_by", "Who added it (staff only)."),
        Column("created_at", "When it was recorded."),
        Column("updated_at", "When it last changed."),
    ],
    access={
        **STAFF_ACCESS,
        "panel_member": Access(
            ("panel", "topic", "source", "note", "plannedFor", "review", "createdAt", "updatedAt"),
            where={"panel": OWN_PANEL},
        ),
    },
    default_order=("plannedFor", "id"),
)

RESOURCES = [REVIEW, WORK_ITEM]

REVIEW_NAMES = ("topic", "kind", "scope", "questions", "starts_on", "ends_on", "theme_id")


def _review_values(data: Any) -> dict[str, Any]:
    values = given(data, REVIEW_NAMES)
    if values.get("theme_id") is not None:
        values["theme_id"] = reference_id(values["theme_id"])
    for name in ("topic", "kind", "scope", "questions"):
        if name in values and values[name] is None:
            values.pop(name)
    return values


@strawberry.input(description="A new review of a panel, planned, with a reference SR-YYYY-NN.")
class ScrutinyReviewCreateInput:
    panel_id: strawberry.ID = strawberry.field(description="The panel.")
    topic: str = strawberry.field(description="Up to 200 characters on one line.")
    kind: str = strawberry.field(default="service", description="service, documents or follow_up.")
    scope: str = strawberry.field(default="", description="Up to 10,000 characters.")
    questions: str = strawberry.field(default="", description="Up to 10,000 characters.")
    starts_on: dt.date | None = strawberry.field(default=None, description="Optional.")
    ends_on: dt.date | None = strawberry.field(default=None, description="Not before starts_on.")
    theme_id: strawberry.ID | None = strawberry.field(default=None, description="The theme it came from.")
    work_item_id: strawberry.ID | None = strawberry.field(
        default=None, description="The topic of the panel's work programme it takes up."
    )


@strawberry.input(description="Change a review: only the fields given change.")
class ScrutinyReviewUpdateInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")
    topic: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    kind: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    scope: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    questions: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    starts_on: dt.date | None = strawberry.field(default=strawberry.UNSET, description="Null clears it.")
    ends_on: dt.date | None = strawberry.field(default=strawberry.UNSET, description="Null clears it.")
    theme_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Null clears it.")


@strawberry.input(description="Move a review to another status.")
class ScrutinyReviewMoveInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")
    status: str = strawberry.field(
        description="planned, gathering or reporting (one step), or closed; the later steps follow sign-off, the "
        "landlord's response and publication."
    )


@strawberry.input(description="The panel's conclusion of a review.")
class ScrutinyReviewConcludeInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")
    conclusion: str = strawberry.field(description="Up to 10,000 characters; empty clears it.")


@strawberry.input(description="A review.")
class ScrutinyReviewInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")


@strawberry.input(description="Start the follow-up review of a review.")
class ScrutinyReviewFollowUpStartInput:
    id: strawberry.ID = strawberry.field(description="The review followed up.")
    starts_on: dt.date | None = strawberry.field(default=None, description="Null: when the follow-up is due.")


@mutations.add("scrutinyReviewCreate", roles=STAFF, payload="ScrutinyReviewCreated")
def create(context: Context, data: ScrutinyReviewCreateInput) -> Outcome:
    """Start a review for a panel (staff), planned, with reference SR-YYYY-NN."""
    work_item = reference_id(data.work_item_id) if data.work_item_id is not None else None
    review = reviews.create_review(
        context.actor, parse_id(data.panel_id, "panel"), _review_values(data), work_item_id=work_item
    )
    return Outcome(review.id)


@mutations.add("scrutinyReviewUpdate", roles=STAFF, payload="ScrutinyReviewUpdated")
def update(context: Context, data: ScrutinyReviewUpdateInput) -> Outcome:
    """Change a review's topic, kind, scope, questions, timeline or theme (staff)."""
    review = reviews.update_review(context.actor, parse_id(data.id, "scrutiny_review"), _review_values(data))
    return Outcome(review.id)


@mutations.add("scrutinyReviewMove", roles=STAFF, payload="ScrutinyReviewMoved")
def move(context: Context, data: ScrutinyReviewMoveInput) -> Outcome:
    """Move a review one step between planned, gathering and reporting, or close it (staff)."""
    return Outcome(reviews.move_review(context.actor, parse_id(data.id, "scrutiny_review"), data.status).id)


@mutations.add("scrutinyReviewConclude", roles=STAFF, payload="ScrutinyReviewConcluded")
def conclude(context: Context, data: ScrutinyReviewConcludeInput) -> Outcome:
    """Record the panel's conclusion of a review (staff)."""
    review = reviews.record_conclusion(context.actor, parse_id(data.id, "scrutiny_review"), data.conclusion)
    return Outcome(review.id)


@mutations.add("scrutinyReviewFollowUpDueSet", roles=STAFF, payload="ScrutinyReviewFollowUpDueSet")
def follow_up_due(context: Context, data: ScrutinyReviewInput) -> Outcome:
    """Set when a review's follow-up is due: the panel's followUpMonths after the landlord's last response (today
    when none yet), and put it on the panel's work programme (staff)."""
    return Outcome(reviews.set_follow_up_due(context.actor, parse_id(data.id, "scrutiny_review")).id)


@mutations.add("scrutinyReviewFollowUpStart", roles=STAFF, payload="ScrutinyReviewFollowUpStarted")
def follow_up_start(context: Context, data: ScrutinyReviewFollowUpStartInput) -> Outcome:
    """Start a review's follow-up review (staff); the payload holds the new review, which follows it."""
    review = reviews.start_follow_up(context.actor, parse_id(data.id, "scrutiny_review"), data.starts_on)
    return Outcome(review.id)


WORK_NAMES = ("topic", "source", "theme_id", "note", "planned_for")


def _work_values(data: Any) -> dict[str, Any]:
    values = given(data, WORK_NAMES)
    if values.get("theme_id") is not None:
        values["theme_id"] = reference_id(values["theme_id"])
    for name in ("topic", "source", "note"):
        if name in values and values[name] is None:
            values.pop(name)
    return values


@strawberry.input(description="A topic for a panel's work programme.")
class WorkProgrammeItemAddInput:
    panel_id: strawberry.ID = strawberry.field(description="The panel.")
    topic: str = strawberry.field(description="Up to 200 characters on one line.")
    source: str = strawberry.field(default="panel", description="theme, votes, trend, panel or follow_up.")
    theme_id: strawberry.ID | None = strawberry.field(default=None, description="Required for a theme's topic.")
    note: str = strawberry.field(default="", description="Up to 10,000 characters.")
    planned_for: dt.date | None = strawberry.field(default=None, description="Optional.")


@strawberry.input(description="Change a topic of a work programme: only the fields given change.")
class WorkProgrammeItemUpdateInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")
    topic: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    source: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    theme_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Kept as it is when not given."
    )
    note: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    planned_for: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="Kept as it is when not given."
    )


@strawberry.input(description="A topic of a work programme.")
class WorkProgrammeItemRemoveInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")


@mutations.add("workProgrammeItemAdd", roles=STAFF, payload="WorkProgrammeItemAdded")
def add_work_item(context: Context, data: WorkProgrammeItemAddInput) -> Outcome:
    """Put a topic on a panel's work programme (staff)."""
    item = reviews.add_work_item(context.actor, parse_id(data.panel_id, "panel"), _work_values(data))
    return Outcome(item.id)


@mutations.add("workProgrammeItemUpdate", roles=STAFF, payload="WorkProgrammeItemUpdated")
def update_work_item(context: Context, data: WorkProgrammeItemUpdateInput) -> Outcome:
    """Change a topic of a work programme (staff)."""
    item = reviews.update_work_item(context.actor, parse_id(data.id, "work_programme_item"), _work_values(data))
    return Outcome(item.id)


@mutations.add("workProgrammeItemRemove", roles=STAFF, payload="WorkProgrammeItemRemoved", resource="Panel")
def remove_work_item(context: Context, data: WorkProgrammeItemRemoveInput) -> Outcome:
    """Take a topic off a work programme unless it became a review (staff); the payload holds the panel."""
    return Outcome(reviews.remove_work_item(context.actor, parse_id(data.id, "work_programme_item")))
