"""Recommendations in the API: the landlord's response on its clock, its approval, the progress of its action and
the panel's satisfaction; and the approval bodies' meetings the clock allows for.

Managers respond and record approval. A panel member sees their own reviews' recommendations with the decision,
reason, dates and the action's status, but never its owner, lesson or action records.
"""

from __future__ import annotations

import datetime as dt

import strawberry

from backend.lessons.models import ActionStatus, ImprovementAction
from backend.panels import responses
from backend.panels.models import ApprovalBody, ApprovalMeeting, Recommendation, ResponseDecision, Satisfaction
from backend.timeutil import local_date
from schema.access import MANAGER_ROLES, STAFF_ACCESS
from schema.context import Context
from schema.engine.declare import Access, Column, Computed, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id
from schema.panels.annotations import CONTRIBUTORS, MEMBER, OWN_REVIEW_ROW

mutations = Mutations()


def _action_status(alias: object) -> object:
    return ImprovementAction.select(ImprovementAction.status).where(ImprovementAction.id == alias.action)  # type: ignore[attr-defined]


RECOMMENDATION = Resource(
    name="Recommendation",
    plural="recommendations",
    model=Recommendation,
    description="A recommendation of a signed-off scrutiny report, the landlord's response on its clock, the "
    "progress of the action it led to, and the panel's verdict.",
    members=[
        Computed("review_id", "The review.", kind="id", sql=lambda alias: alias.review),
        ToOne("review", "The review.", target="ScrutinyReview"),
        Column("number", "Its number in the report."),
        Column("text", "The recommendation, as signed off."),
        Column("response_due_on", "The UK day the landlord's response is due."),
        Computed(
            "response_overdue",
            "Not answered and past its due date (UK date).",
            kind="boolean",
            sql=lambda alias: alias.decision.is_null() & (alias.response_due_on < local_date()),
        ),
        Column("decision", "Accepted, partly accepted or not accepted; null: not answered yet."),
        Column("reason", "Why, in the landlord's words."),
        Column("due_on", "When the actions are due."),
        Column("responded_at", "When the landlord responded; null: not yet."),
        Column("approved_by_body", "The body that approved the response."),
        Column("approved_on", "When that body approved it; null: not yet."),
        Column("approval_note", "The minute or decision reference."),
        Computed(
            "action_status",
            "Where the action it led to is: proposed, authorised, in progress, done, signed off, verified or "
            "cancelled; null when there is none.",
            kind="enum",
            vocabulary=ActionStatus,
            sql=_action_status,
        ),
        Column("satisfaction", "Whether the panel is satisfied with what was done."),
        Column("satisfaction_note", "Why the panel is or is not satisfied."),
        Column("escalated_at", "When an overdue response was escalated (staff only)."),
        ToOne("owner", "Who owns the actions (staff only).", target="Person"),
        ToOne("responded_by", "The manager who responded (staff only).", target="Person"),
        ToOne("lesson", "The lesson its actions are logged under (staff only).", target="Lesson"),
        ToOne("action", "The SMART action it created (staff only).", target="ImprovementAction"),
        Column("updated_at"),
    ],
    access={
        **STAFF_ACCESS,
        MEMBER: Access(
            (
                "reviewId",
                "review",
                "number",
                "text",
                "responseDueOn",
                "responseOverdue",
                "decision",
                "reason",
                "dueOn",
                "respondedAt",
                "approvedByBody",
                "approvedOn",
                "actionStatus",
                "satisfaction",
                "satisfactionNote",
            ),
            where=OWN_REVIEW_ROW,
        ),
    },
    default_order=("number", "id"),
)

APPROVAL_MEETING = Resource(
    name="ApprovalMeeting",
    plural="approvalMeetings",
    model=ApprovalMeeting,
    description="A planned meeting of a body that approves responses to recommendations; the response clock "
    "allows for the next one.",
    members=[
        Column("body", "The approval body: an executive, a committee or the board."),
        Column("meets_on", "The UK day it meets."),
        Column("created_at", "When it was recorded."),
    ],
    access=STAFF_ACCESS,
    default_order=("meetsOn", "id"),
)

RESOURCES = [RECOMMENDATION, APPROVAL_MEETING]


@strawberry.input(description="The landlord's response to a recommendation.")
class RecommendationRespondInput:
    id: strawberry.ID = strawberry.field(description="The recommendation, not yet answered.")
    decision: ResponseDecision = strawberry.field(description="Accepted, partly accepted or not accepted.")
    reason: str = strawberry.field(description="Why (up to 10,000 characters); always needed.")
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="For accepted or partly accepted: who owns the actions (active staff)."
    )
    due_on: dt.date | None = strawberry.field(
        default=None, description="For accepted or partly accepted: the UK day the actions are due, not past."
    )


@mutations.add("recommendationRespond", roles=MANAGER_ROLES, payload="RecommendationResponded")
def respond(context: Context, data: RecommendationRespondInput) -> Outcome:
    """Respond to a recommendation (managers). Accepting logs a lesson and a proposed SMART action for the owner
    and due date; a response without a reason, or an acceptance without an owner and a due date, is refused."""
    owner = parse_id(data.owner_id, "person") if data.owner_id not in (None, "") else None
    row = responses.respond(
        context.actor, parse_id(data.id, "Recommendation"), str(data.decision), data.reason, owner, data.due_on
    )
    return Outcome(row.id)


@strawberry.input(description="The approval of a response by the panel's approval body.")
class RecommendationApproveInput:
    id: strawberry.ID = strawberry.field(description="The recommendation, answered.")
    approved_on: dt.date = strawberry.field(description="The UK day the body approved it; not in the future.")
    note: str = strawberry.field(default="", description="The minute or decision reference (up to 2,000).")


@mutations.add("recommendationApprove", roles=MANAGER_ROLES, payload="RecommendationApproved")
def approve(context: Context, data: RecommendationApproveInput) -> Outcome:
    """Record that the panel's approval body approved the response; when all are, the review is responded."""
    return Outcome(
        responses.approve(context.actor, parse_id(data.id, "Recommendation"), data.approved_on, data.note).id
    )


@strawberry.input(description="The panel's verdict on what was done about a recommendation.")
class RecommendationSatisfactionRecordInput:
    id: strawberry.ID = strawberry.field(description="The recommendation, with an approved response.")
    satisfaction: Satisfaction = strawberry.field(description="Satisfied, partly or not satisfied.")
    note: str = strawberry.field(default="", description="Why (up to 2,000 characters).")


@mutations.add("recommendationSatisfactionRecord", roles=CONTRIBUTORS, payload="RecommendationSatisfactionRecorded")
def satisfaction(context: Context, data: RecommendationSatisfactionRecordInput) -> Outcome:
    """Record whether the panel is satisfied with what was done (current members only); it may be recorded again."""
    row = responses.record_satisfaction(
        context.actor, parse_id(data.id, "Recommendation"), str(data.satisfaction), data.note
    )
    return Outcome(row.id)


@strawberry.input(description="A planned meeting of a body that approves responses.")
class ApprovalMeetingAddInput:
    body: ApprovalBody = strawberry.field(description="An executive, a committee or the board.")
    meets_on: dt.date = strawberry.field(description="The UK day it meets; not in the past.")


@mutations.add("approvalMeetingAdd", roles=MANAGER_ROLES, payload="ApprovalMeetingAdded")
def add_meeting(context: Context, data: ApprovalMeetingAddInput) -> Outcome:
    """Record a planned meeting of an approval body, so response clocks allow for it (managers)."""
    return Outcome(responses.add_approval_meeting(context.actor, str(data.body), data.meets_on).id)
