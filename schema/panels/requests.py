"""The panel's evidence requests in the API. A member of the review's panel sees what was asked, by when, where it is
and the answer, never which member of staff asked or answered; staff see everything."""

from __future__ import annotations

import datetime as dt

import strawberry

from backend.panels import requests
from backend.panels.models import EvidenceRequest
from schema.access import PANEL_ROLES, STAFF_ACCESS, each
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.declare import Access, Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()

MEMBER_FIELDS = ("id", "asked", "askedAt", "dueOn", "status", "answer", "answeredAt", "updatedAt", "reviewId", "review")

EVIDENCE_REQUEST = Resource(
    name="EvidenceRequest",
    plural="evidenceRequests",
    model=EvidenceRequest,
    description="Evidence a review's panel asked for, by when, and whether it was supplied or declined.",
    members=[
        Column("asked", "What the panel asked for."),
        Column("asked_at", "When it was asked."),
        Column("due_on", "The UK day it is due."),
        Column("status", "Open, supplied or declined."),
        Column("answer", "What staff said when supplying or declining it."),
        Column("answered_at", "When it was answered."),
        Column("escalated_at", "When the senior lead was told it is late. Staff only."),
        Column("updated_at", "When it last changed."),
        Computed("review_id", "The review.", kind="id", sql=lambda alias: alias.review),
        ToOne("review", "The review.", target="ScrutinyReview"),
        ToOne("asked_by", "Who asked: a member, or staff for the panel. Staff only.", target="Person"),
        ToOne("answered_by", "Who answered. Staff only.", target="Person"),
        ToMany("items", "The pack items that supplied it. Staff only.", target="PackItem"),
    ],
    access={
        **STAFF_ACCESS,
        **each({"panel_member"}, Access(MEMBER_FIELDS, where={"reviewId": {"in": "$viewer.panelReviewIds"}})),
    },
    default_order=("dueOn", "id"),
)
RESOURCES = [EVIDENCE_REQUEST]


@strawberry.input(description="Ask for evidence for a review, by a day.")
class EvidenceRequestAskInput:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    asked: str = strawberry.field(description="What the panel asks for (2,000 characters).")
    due_on: dt.date = strawberry.field(description="The UK day it is due: today or later, within a year.")


@strawberry.input(description="Record a request as supplied by items of the review's pack.")
class EvidenceRequestSupplyInput:
    id: strawberry.ID = strawberry.field(description="The request.")
    item_ids: list[strawberry.ID] = strawberry.field(description="The pack items that supply it (50 at most).")
    answer: str = strawberry.field(default="", description="A note for the panel (5,000 characters).")


@strawberry.input(description="Record a request as declined, with the reason the panel reads.")
class EvidenceRequestDeclineInput:
    id: strawberry.ID = strawberry.field(description="The request.")
    reason: str = strawberry.field(description="Why it is declined (5,000 characters).")


@mutations.add("evidenceRequestAsk", roles=PANEL_ROLES | STAFF, payload="EvidenceRequestAsked")
def ask(context: Context, data: EvidenceRequestAskInput) -> Outcome:
    """Ask for evidence by a day: a current member of the review's panel, or staff for the panel. Late requests are
    told to the panel's senior lead."""
    review_id = parse_id(data.review_id, "ScrutinyReview")
    return Outcome(requests.ask_evidence(context.actor, review_id, data.asked, data.due_on).id)


@mutations.add("evidenceRequestSupply", roles=STAFF, payload="EvidenceRequestSupplied")
def supply(context: Context, data: EvidenceRequestSupplyInput) -> Outcome:
    """Record an open request as supplied, naming the items of the review's pack that answer it."""
    ids = [parse_id(item, "PackItem") for item in data.item_ids[: requests.MAX_ITEMS + 1]]
    return Outcome(requests.supply_evidence(context.actor, parse_id(data.id, "EvidenceRequest"), ids, data.answer).id)


@mutations.add("evidenceRequestDecline", roles=STAFF, payload="EvidenceRequestDeclined")
def decline(context: Context, data: EvidenceRequestDeclineInput) -> Outcome:
    """Record an open request as declined, with the reason."""
    return Outcome(requests.decline_evidence(context.actor, parse_id(data.id, "EvidenceRequest"), data.reason).id)
