"""Update intervals (Code 5.9): how often a resident whose answer is late hears from us, and the mutation that
records one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from backend.complaints import updates
from backend.complaints.models import Complaint, UpdateInterval, UpdateMethod
from schema.access import STAFF_ROLES as STAFF
from schema.access import own, staff_case
from schema.context import Context
from schema.engine.declare import Column, Resolved, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()


def next_update_due(context: Any, interval_id: str) -> dt.date | None:
    """When the next update is due, while the stage still waits for its answer."""
    interval = UpdateInterval.get_or_none(UpdateInterval.id == int(interval_id))
    if interval is None:
        return None
    complaint = Complaint.get_by_id(interval.complaint_id)  # type: ignore[attr-defined]
    if complaint.stage != interval.stage or complaint.status not in ("received", "open"):
        return None
    return updates.next_update_due(interval, complaint.nation)


UPDATE_INTERVAL = Resource(
    name="UpdateInterval",
    plural="updateIntervals",
    model=UpdateInterval,
    description="How often the resident hears from us while a stage's answer is late, as agreed with them "
    "(Code 5.9). One per complaint stage; an hourly sweep tells the handler, then their manager, of a missed update.",
    members=[
        Column("stage", residents=True),
        Column("every_days", residents=True),
        Column("agreed_on", residents=True),
        Column("method", residents=True),
        Column("note"),
        Column("missed_due_on"),
        Column("missed_notified_at"),
        Column("manager_notified_at"),
        Column("created_at"),
        Column("updated_at", "When it last changed.", residents=True),
        Resolved(
            "next_update_due",
            "The UK date the next update is due by: everyDays working days after the agreement or the last message "
            "to the resident, whichever is later. Null once the stage is answered or the complaint has moved on.",
            annotation=dt.date | None,
            resolve=next_update_due,
            residents=True,
        ),
        ToOne("complaint", residents=True),
        ToOne("agreed_by"),
    ],
    access={**staff_case("complaint.contact"), **own(via="complaint.resident")},
    default_order=("stage", "id"),
)

RESOURCES = [UPDATE_INTERVAL]


@strawberry.input(description="The update interval agreed with the resident while the stage's answer is late.")
class ComplaintUpdatesAgreeInput:
    id: strawberry.ID = strawberry.field(
        description="The complaint: its current stage not yet answered, and the answer late (extended, at risk or "
        "overdue)."
    )
    every_days: int | None = strawberry.field(description="UK working days between updates, from 1 to 20 (required).")
    agreed_on: dt.date | None = strawberry.field(
        description="When it was agreed with the resident (required): not in the future, not before the stage began."
    )
    method: UpdateMethod | None = strawberry.field(description="How the resident will get the updates (required).")
    note: str = strawberry.field(default="", description="Anything else agreed, up to 2,000 characters.")


@mutations.add("complaintUpdatesAgree", roles=STAFF, payload="ComplaintUpdatesAgreed")
def agree_updates(context: Context, data: ComplaintUpdatesAgreeInput) -> Outcome:
    """Record (or replace) how often the resident will be updated while the stage's answer is late."""
    interval = updates.agree_update_interval(
        context.actor,
        parse_id(data.id, "complaint"),
        data.every_days,
        data.agreed_on,
        data.method,
        data.note,
    )
    return Outcome(interval.complaint_id)  # type: ignore[attr-defined]
