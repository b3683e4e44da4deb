"""Contractors: the list managed in the settings, and the contractor a complaint and its points are about."""

from __future__ import annotations

import strawberry

from backend.complaints import contractors
from backend.complaints.models import Contractor
from backend.records import RecordSpec
from schema.access import MANAGER_ROLES, STAFF_ACCESS
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.declare import Column, Resource, ToMany
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()

CONTRACTOR = Resource(
    name="Contractor",
    plural="contractors",
    model=Contractor,
    description="A contractor delivering part of the landlord's service; complaints and their points can name one.",
    members=[
        Column("name"),
        Column("archived_at"),
        Column("updated_at", "When it last changed."),
        ToMany("complaints", "The complaints that name it."),
        ToMany("points", "The points of complaint that name it."),
    ],
    access=STAFF_ACCESS,
    # contractorCreate, contractorUpdate and contractorArchive, for managers and admins, checked and audited.
    editable=RecordSpec(Contractor, "contractor", ("name",), MANAGER_ROLES),
    default_order=("name",),
)

RESOURCES = [CONTRACTOR]


@strawberry.input(description="The contractor one point of the complaint is about.")
class PointContractorInput:
    point_id: strawberry.ID = strawberry.field(description="A point of this complaint, at any stage.")
    contractor_id: strawberry.ID | None = strawberry.field(
        default=None, description="A contractor not archived (or the one it names already); left out: none."
    )


@strawberry.input(description="Name the contractor a complaint, and any of its points, is about.")
class ComplaintContractorSetInput:
    id: strawberry.ID = strawberry.field(description="The complaint, in any state.")
    contractor_id: strawberry.ID | None = strawberry.field(
        default=None, description="A contractor not archived (or the one it names already); left out: none."
    )
    points: list[PointContractorInput] = strawberry.field(
        default_factory=list, description="Up to 100 points; the points left out keep their contractor."
    )


def _optional(raw: strawberry.ID | None) -> int | None:
    return reference_id(raw) if raw not in (None, "") else None


@mutations.add("complaintContractorSet", roles=STAFF, payload="ComplaintContractorSet", resource="Complaint")
def set_contractors(context: Context, data: ComplaintContractorSetInput) -> Outcome:
    """Name the contractor the complaint, and any of its points, is about; reports group complaints by it."""
    points = [(reference_id(p.point_id), _optional(p.contractor_id)) for p in data.points]
    complaint = contractors.set_contractors(
        context.actor, parse_id(data.id, "complaint"), _optional(data.contractor_id), points
    )
    return Outcome(complaint.id)
