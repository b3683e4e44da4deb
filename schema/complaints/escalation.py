"""Refusing a request to take an answered complaint to the next stage, on a ground its procedure allows."""

from __future__ import annotations

import strawberry

from backend.complaints import escalation
from backend.complaints.models import RefusalGround
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()


@strawberry.input(
    description="Refuse a request to take an answered complaint to the next stage (Code 5.11): only on a ground of "
    "exclusion its procedure allows, with reasons and the Ombudsman's details sent to the resident."
)
class ComplaintRefuseEscalationInput:
    id: strawberry.ID = strawberry.field(
        description="The complaint: its current stage answered (closed since, too), and not the regime's final stage."
    )
    ground: RefusalGround = strawberry.field(description="One of the complaint's regime's refusalGrounds.")
    reasons: str = strawberry.field(description="Why, as sent to the resident, up to 10,000 characters.")
    ombudsman_details_given: bool = strawberry.field(
        description="The resident is given the Ombudsman's details with the reasons; must be true."
    )


@mutations.add("complaintRefuseEscalation", roles=STAFF, payload="ComplaintEscalationRefused")
def refuse_escalation(context: Context, data: ComplaintRefuseEscalationInput) -> Outcome:
    """Refuse to take an answered complaint to the next stage, on a ground of exclusion, with reasons."""
    complaint = escalation.refuse_escalation(
        context.actor, parse_id(data.id, "complaint"), data.ground, data.reasons, data.ombudsman_details_given
    )
    return Outcome(complaint.id)
