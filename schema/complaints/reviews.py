"""Service requests (target dates and reviews) and managers' quality checks of the offer to complain."""

from __future__ import annotations

import datetime as dt

import strawberry

from backend.complaints import reviews
from backend.complaints.models import ContactReview, ContactReviewKind, ContactReviewOutcome
from schema.access import STAFF_ROLES as STAFF
from schema.access import staff_case
from schema.context import Context
from schema.engine.aggregate import value
from schema.engine.declare import Column, Dimension, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()

CONTACT_REVIEW = Resource(
    name="ContactReview",
    plural="contactReviews",
    model=ContactReview,
    description="A review of a contact that is not a complaint: a service request's review (Code 1.4), or a "
    "manager's quality check of the offer to complain (Code 1.3). Staff only; written once.",
    members=[
        Column("kind"),
        Column("outcome"),
        Column("note"),
        Column("reviewed_at"),
        ToOne("contact"),
        ToOne("reviewed_by"),
    ],
    access=staff_case("contact"),
    dimensions=(Dimension("kind", value("kind")), Dimension("outcome", value("outcome"))),
    default_order=("reviewedAt", "id"),
)

RESOURCES = [CONTACT_REVIEW]


@strawberry.input(description="Set or clear a service request's target date.")
class ContactServiceDueSetInput:
    id: strawberry.ID = strawberry.field(description="The contact, classified as a service request.")
    due_on: dt.date | None = strawberry.field(
        default=None,
        description="The date to do it by: not before it was received, at most a year ahead. Left out: none.",
    )


@strawberry.input(description="Record a review of a contact that is not a complaint.")
class ContactReviewInput:
    id: strawberry.ID = strawberry.field(description="The contact reviewed.")
    kind: ContactReviewKind = strawberry.field(
        description="service_request (staff; a service request) or complaint_offer (managers; a contact that is not "
        "a complaint, with no offer to complain recorded)."
    )
    outcome: ContactReviewOutcome = strawberry.field(
        description="For service_request: resolved, still_open or became_complaint (opens the complaint about it at "
        "stage 1, received now; the request carries on). For complaint_offer: "
        "no_dissatisfaction, offer_made (records the offer now) or offer_missed."
    )
    note: str = strawberry.field(default="", description="What the reviewer noted, up to 2,000 characters.")


@mutations.add("contactServiceDueSet", roles=STAFF, payload="ContactServiceDueSet", resource="Contact")
def set_service_due(context: Context, data: ContactServiceDueSetInput) -> Outcome:
    """Set or clear the target date of a service request; the service-request queue sorts by it."""
    return Outcome(reviews.set_service_due(context.actor, parse_id(data.id, "contact"), data.due_on).id)


@mutations.add("contactReview", roles=STAFF, payload="ContactReviewed", resource="ContactReview", node="review")
def review(context: Context, data: ContactReviewInput) -> Outcome:
    """Record a service request's review, or a manager's quality check of the offer to complain."""
    done = reviews.review_contact(context.actor, parse_id(data.id, "contact"), data.kind, data.outcome, data.note)
    return Outcome(done.id)
