"""The Ombudsman's orders on a complaint, one item each: what the engine serves, and recording them."""

from __future__ import annotations

import datetime as dt

import strawberry

from backend.complaints import orders
from backend.complaints.models import OmbudsmanOrder
from schema.access import STAFF_ROLES as STAFF
from schema.access import own, staff_case
from schema.context import Context
from schema.engine.declare import Column, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id

ORDER = Resource(
    name="OmbudsmanOrder",
    plural="ombudsmanOrders",
    model=OmbudsmanOrder,
    description="One thing the Ombudsman ordered on a complaint: the order, its due date, the evidence and when it "
    "was complied with. The handler and their manager are told before and after it falls due until it is.",
    members=[
        Column("text", residents=True),
        Column("due_on", residents=True),
        Column("evidence"),
        Column("complied_on", residents=True),
        Column("due_soon_notified_at"),
        Column("overdue_notified_at"),
        Column("created_at", residents=True),
        Column("updated_at", "When it last changed.", residents=True),
        ToOne("complaint", residents=True),
        ToOne("recorded_by"),
        ToOne("complied_by"),
    ],
    access={**staff_case("complaint.contact"), **own(via="complaint.resident")},
    default_order=("dueOn", "id"),
)
RESOURCES = [ORDER]

mutations = Mutations()


@strawberry.input(description="Record one thing the Ombudsman ordered on a referred complaint.")
class OmbudsmanOrderRecordInput:
    complaint_id: strawberry.ID = strawberry.field(description="The complaint, referred to the Ombudsman.")
    text: str = strawberry.field(
        description="What the Ombudsman ordered, in the order's words, up to 4,000 characters."
    )
    due_on: dt.date | None = strawberry.field(description="The date the Ombudsman set for it (required).")


@strawberry.input(description="Record that an Ombudsman order was complied with, and the evidence.")
class OmbudsmanOrderComplyInput:
    id: strawberry.ID = strawberry.field(description="The order, not yet complied with.")
    complied_on: dt.date | None = strawberry.field(
        description="The date it was complied with (required), not later than today."
    )
    evidence: str = strawberry.field(
        description="What shows it was done, as sent to the Ombudsman, up to 10,000 characters (required)."
    )


@mutations.add("ombudsmanOrderRecord", roles=STAFF, payload="OmbudsmanOrderRecorded")
def record(context: Context, data: OmbudsmanOrderRecordInput) -> Outcome:
    """Record an Ombudsman order with its due date; it is swept like a remedy until complied with."""
    order = orders.record_order(context.actor, parse_id(data.complaint_id, "complaint"), data.text, data.due_on)
    return Outcome(order.id)


@mutations.add("ombudsmanOrderComply", roles=STAFF, payload="OmbudsmanOrderComplied")
def comply(context: Context, data: OmbudsmanOrderComplyInput) -> Outcome:
    """Record the date an Ombudsman order was complied with and the evidence; the sweep stops for it."""
    order = orders.record_compliance(
        context.actor, parse_id(data.id, "ombudsman_order"), data.complied_on, data.evidence
    )
    return Outcome(order.id)
