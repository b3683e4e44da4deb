"""Reasonable adjustments and unacceptable-behaviour restrictions: what staff read, and the mutations that record,
decide and review them (backend.complaints.safeguards). Staff record and decide adjustments; only managers
(and admins) record and review restrictions. Residents, advocates and panel members never see either here.
"""

from __future__ import annotations

import datetime as dt

import strawberry

from backend.complaints import safeguards
from backend.complaints.models import ContactRestriction, ReasonableAdjustment, RestrictionKind
from backend.complaints.safeguards import AdjustmentDecision, ReviewOutcome
from schema.access import MANAGER_ROLES, STAFF_ROLES, staff_case
from schema.context import Context
from schema.engine.declare import Column, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

ADJUSTMENT = Resource(
    name="ReasonableAdjustment",
    plural="reasonableAdjustments",
    model=ReasonableAdjustment,
    description="A reasonable adjustment in how the landlord deals with a resident (Code 5.10): asked for, then "
    "agreed or declined, and kept under review. Staff only.",
    members=[
        Column("description"),
        Column("requested_by"),
        Column("requested_on"),
        Column("status"),
        Column("decision_reasons"),
        Column("decided_on"),
        Column("review_due_on"),
        Column("reviewed_on"),
        Column("review_note"),
        Column("review_notified_at"),
        Column("created_at"),
        Column("updated_at", "When it last changed."),
        ToOne("resident"),
        ToOne("contact"),
        ToOne("recorded_by"),
        ToOne("decided_by"),
    ],
    access=staff_case("contact", optional=True),
    default_order=("createdAt", "id"),
)
RESTRICTION = Resource(
    name="ContactRestriction",
    plural="contactRestrictions",
    model=ContactRestriction,
    description="A restriction on how a resident contacts the landlord, because of unacceptable behaviour (Code "
    "5.14-5.15). It never stops a complaint being handled. Staff only; managers decide.",
    members=[
        Column("behaviour"),
        Column("evidence"),
        Column("kind"),
        Column("details"),
        Column("equality_consideration"),
        Column("decided_on"),
        Column("starts_on"),
        Column("review_due_on"),
        Column("resident_told_on"),
        Column("resident_notice"),
        Column("status"),
        Column("reviewed_on"),
        Column("review_outcome"),
        Column("ended_on"),
        Column("review_notified_at"),
        Column("created_at"),
        Column("updated_at", "When it last changed."),
        ToOne("resident"),
        ToOne("contact"),
        ToOne("point_of_contact"),
        ToOne("decided_by"),
        ToOne("reviewed_by"),
    ],
    access=staff_case("contact", optional=True),
    default_order=("createdAt", "id"),
)

RESOURCES = [ADJUSTMENT, RESTRICTION]

mutations = Mutations()


@strawberry.input(description="A reasonable adjustment someone asked for, on the resident of a contact.")
class AdjustmentRequestInput:
    contact_id: strawberry.ID = strawberry.field(
        description="The contact it was asked for with. It shows on every contact and complaint of the resident."
    )
    adjustment: str = strawberry.field(
        default="", description="What the adjustment is, up to 5,000 characters (required)."
    )
    requested_by: str = strawberry.field(
        default="", description="Who asked for it, up to 120 characters (required): the resident, their advocate..."
    )
    requested_on: dt.date | None = strawberry.field(
        default=None, description="The day it was asked for (required); not in the future."
    )


@strawberry.input(description="Agree or decline a requested adjustment.")
class AdjustmentDecideInput:
    id: strawberry.ID = strawberry.field(description="The adjustment, still requested.")
    decision: AdjustmentDecision | None = strawberry.field(default=None, description="Agreed or declined (required).")
    reasons: str = strawberry.field(
        default="", description="Why, up to 5,000 characters (required); tell the resident these reasons."
    )
    review_due_on: dt.date | None = strawberry.field(
        default=None, description="When an agreed adjustment is reviewed (required when agreed): after today."
    )


@strawberry.input(description="Review an agreed adjustment: keep it until a new review date, or end it.")
class AdjustmentReviewInput:
    id: strawberry.ID = strawberry.field(description="The adjustment, agreed and in force.")
    outcome: ReviewOutcome | None = strawberry.field(default=None, description="Keep or end it (required).")
    note: str = strawberry.field(default="", description="What the review found, up to 5,000 characters (required).")
    next_review_on: dt.date | None = strawberry.field(
        default=None, description="The next review date, after today (required to keep it)."
    )


@strawberry.input(
    description="A restriction on contact because of unacceptable behaviour. Every part is checked at once, and a "
    "refusal names each one missing."
)
class RestrictionRecordInput:
    contact_id: strawberry.ID = strawberry.field(
        description="The contact it is decided on. It shows on every contact and complaint of the resident."
    )
    behaviour: str = strawberry.field(
        default="", description="The unacceptable behaviour, described factually, up to 5,000 characters (required)."
    )
    evidence: str = strawberry.field(default="", description="The evidence of it, up to 5,000 characters (required).")
    kind: RestrictionKind | None = strawberry.field(default=None, description="The kind of restriction (required).")
    details: str = strawberry.field(
        default="", description="The restriction as the resident is told it, up to 5,000 characters (required)."
    )
    point_of_contact_id: strawberry.ID | None = strawberry.field(
        default=None, description="The member of staff who is the single point of contact (required for that kind)."
    )
    equality_consideration: str = strawberry.field(
        default="",
        description="How the decision had regard to the Equality Act 2010, up to 5,000 characters (required).",
    )
    starts_on: dt.date | None = strawberry.field(default=None, description="The day it applies from; empty: today.")
    review_due_on: dt.date | None = strawberry.field(
        default=None, description="When it is reviewed (required): after today and after it starts."
    )
    resident_told_on: dt.date | None = strawberry.field(
        default=None, description="When the resident was told; not in the future. Empty: not told yet."
    )
    resident_notice: str = strawberry.field(
        default="",
        description="The letter or notice that told the resident (its text, or where it is kept), up to 5,000 "
        "characters; required with residentToldOn.",
    )


@strawberry.input(description="Record when, and by which letter or notice, the resident was told of a restriction.")
class RestrictionResidentToldInput:
    id: strawberry.ID = strawberry.field(description="The restriction.")
    resident_told_on: dt.date | None = strawberry.field(
        default=None, description="The day they were told (required); not in the future."
    )
    resident_notice: str = strawberry.field(
        default="", description="The letter or notice, or where it is kept, up to 5,000 characters (required)."
    )


@strawberry.input(description="Review a restriction: keep it until a new review date, or end it.")
class RestrictionReviewInput:
    id: strawberry.ID = strawberry.field(description="The restriction, still in force.")
    outcome: ReviewOutcome | None = strawberry.field(default=None, description="Keep or end it (required).")
    review_outcome: str = strawberry.field(
        default="", description="What the review found and why, up to 5,000 characters (required)."
    )
    next_review_on: dt.date | None = strawberry.field(
        default=None, description="The next review date, after today (required to keep it)."
    )


@mutations.add(
    "adjustmentRequest",
    roles=STAFF_ROLES,
    payload="AdjustmentRequested",
    resource="ReasonableAdjustment",
    node="adjustment",
)
def request_adjustment(context: Context, data: AdjustmentRequestInput) -> Outcome:
    """Record a reasonable adjustment someone asked for; staff then agree or decline it."""
    row = safeguards.request_adjustment(
        context.actor, parse_id(data.contact_id, "contact"), data.adjustment, data.requested_by, data.requested_on
    )
    return Outcome(row.id)


@mutations.add(
    "adjustmentDecide",
    roles=STAFF_ROLES,
    payload="AdjustmentDecided",
    resource="ReasonableAdjustment",
    node="adjustment",
)
def decide_adjustment(context: Context, data: AdjustmentDecideInput) -> Outcome:
    """Agree (with a review date) or decline a requested adjustment, with reasons."""
    row = safeguards.decide_adjustment(
        context.actor,
        parse_id(data.id, "reasonable_adjustment"),
        data.decision or "",
        data.reasons,
        data.review_due_on,
    )
    return Outcome(row.id)


@mutations.add(
    "adjustmentReview",
    roles=STAFF_ROLES,
    payload="AdjustmentReviewed",
    resource="ReasonableAdjustment",
    node="adjustment",
)
def review_adjustment(context: Context, data: AdjustmentReviewInput) -> Outcome:
    """Review an agreed adjustment: keep it until the next review date, or end it."""
    row = safeguards.review_adjustment(
        context.actor, parse_id(data.id, "reasonable_adjustment"), data.outcome or "", data.note, data.next_review_on
    )
    return Outcome(row.id)


@mutations.add(
    "restrictionRecord",
    roles=MANAGER_ROLES,
    payload="RestrictionRecorded",
    resource="ContactRestriction",
    node="restriction",
)
def record_restriction(context: Context, data: RestrictionRecordInput) -> Outcome:
    """Restrict how a resident contacts the landlord, with the behaviour, evidence and Equality Act consideration."""
    values = {
        "behaviour": data.behaviour,
        "evidence": data.evidence,
        "kind": data.kind or "",
        "details": data.details,
        "point_of_contact_id": None if data.point_of_contact_id is None else reference_id(data.point_of_contact_id),
        "equality_consideration": data.equality_consideration,
        "starts_on": data.starts_on,
        "review_due_on": data.review_due_on,
        "resident_told_on": data.resident_told_on,
        "resident_notice": data.resident_notice,
    }
    return Outcome(safeguards.record_restriction(context.actor, parse_id(data.contact_id, "contact"), values).id)


@mutations.add(
    "restrictionResidentTold",
    roles=MANAGER_ROLES,
    payload="RestrictionResidentToldRecorded",
    resource="ContactRestriction",
    node="restriction",
)
def record_restriction_told(context: Context, data: RestrictionResidentToldInput) -> Outcome:
    """Record when, and by which letter or notice, the resident was told of a restriction."""
    row = safeguards.record_restriction_told(
        context.actor, parse_id(data.id, "contact_restriction"), data.resident_told_on, data.resident_notice
    )
    return Outcome(row.id)


@mutations.add(
    "restrictionReview",
    roles=MANAGER_ROLES,
    payload="RestrictionReviewed",
    resource="ContactRestriction",
    node="restriction",
)
def review_restriction(context: Context, data: RestrictionReviewInput) -> Outcome:
    """Review a restriction: keep it until the next review date, or end it."""
    row = safeguards.review_restriction(
        context.actor,
        parse_id(data.id, "contact_restriction"),
        data.outcome or "",
        data.review_outcome,
        data.next_review_on,
    )
    return Outcome(row.id)
