"""The SPSO's own steps: straight to investigation, and a final response signed off by a manager."""

from __future__ import annotations

import strawberry

from backend.complaints import approval, investigation
from backend.complaints.models import ResponseDraft
from schema.access import MANAGER_ROLES, staff_case
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.declare import Column, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()

RESPONSE_DRAFT = Resource(
    name="ResponseDraft",
    plural="responseDrafts",
    model=ResponseDraft,
    description="A final response written by a handler, waiting for a manager's sign-off before it is issued. "
    "Staff only: the resident sees nothing until it is signed off.",
    members=[
        Column("stage"),
        Column("content"),
        Column("status"),
        Column("submitted_at"),
        Column("decided_at"),
        Column("return_reason"),
        Column("updated_at", "When it last changed."),
        ToOne("complaint"),
        ToOne("submitted_by"),
        ToOne("decided_by"),
    ],
    access=staff_case("complaint.contact"),
    default_order=("submittedAt", "id"),
)

RESOURCES = [RESPONSE_DRAFT]


@strawberry.input(description="Move a frontline complaint to stage 2 (investigation) without a frontline answer.")
class ComplaintInvestigateInput:
    id: strawberry.ID = strawberry.field(
        description="The complaint: at stage 1, not yet answered, under a procedure with a direct route to "
        "investigation (directInvestigation)."
    )
    reason: str = strawberry.field(
        description="Why: why the complaint is complex, or why the frontline stage cannot resolve it; up to 2,000 "
        "characters."
    )


@strawberry.input(description="A complaint whose final response waits for a manager's sign-off.")
class ComplaintSignOffInput:
    id: strawberry.ID = strawberry.field(description="The complaint, with a final response awaiting sign-off.")


@strawberry.input(description="Send a final response back to its handler instead of signing it off.")
class ComplaintResponseReturnInput:
    id: strawberry.ID = strawberry.field(description="The complaint, with a final response awaiting sign-off.")
    reason: str = strawberry.field(description="What the handler should change, up to 4,000 characters.")


@mutations.add("complaintInvestigate", roles=STAFF, payload="ComplaintInvestigated")
def investigate(context: Context, data: ComplaintInvestigateInput) -> Outcome:
    """Move a frontline complaint to stage 2, investigation: directly (never acknowledged) or escalated."""
    complaint = investigation.start_investigation(context.actor, parse_id(data.id, "complaint"), data.reason)
    return Outcome(complaint.id)


@mutations.add(
    "complaintResponseSignOff", roles=MANAGER_ROLES, payload="ComplaintResponseSignedOff", resource="Complaint"
)
def sign_off(context: Context, data: ComplaintSignOffInput) -> Outcome:
    """Sign off the final response waiting on the complaint, which issues it to the resident as written."""
    response = approval.sign_off_response(context.actor, parse_id(data.id, "complaint"))
    return Outcome(response.complaint_id)  # type: ignore[attr-defined]


@mutations.add(
    "complaintResponseReturn",
    roles=MANAGER_ROLES,
    payload="ComplaintResponseReturned",
    resource="ResponseDraft",
    node="draft",
)
def return_response(context: Context, data: ComplaintResponseReturnInput) -> Outcome:
    """Send the waiting final response back to its handler, with reasons; nothing is issued."""
    draft = approval.return_response(context.actor, parse_id(data.id, "complaint"), data.reason)
    return Outcome(draft.id)
