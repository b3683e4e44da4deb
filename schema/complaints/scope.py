"""The scope of a complaint (Code 5.7): which points are the landlord's, and where the resident was signposted."""

from __future__ import annotations

import strawberry

from backend.complaints import scope
from backend.complaints.models import PointScope
from schema.access import STAFF_ROLES as STAFF
from schema.access import own, staff_case
from schema.context import Context
from schema.engine.declare import Column, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()

POINT_SCOPE = Resource(
    name="PointScope",
    plural="pointScopes",
    model=PointScope,
    description="Whether a point of complaint is the landlord's to put right (Code 5.7) and, if not, where the "
    "resident was signposted. A point without one is the landlord's.",
    members=[
        Column("landlord_responsible", residents=True),
        Column("signposted_to", residents=True),
        Column("updated_at", "When it last changed.", residents=True),
        ToOne("point", residents=True),
        ToOne("recorded_by"),
    ],
    access={**staff_case("point.complaint.contact"), **own(via="point.complaint.resident")},
)

RESOURCES = [POINT_SCOPE]


@strawberry.input(description="Whether one point is the landlord's to put right.")
class PointScopeInput:
    point_id: strawberry.ID = strawberry.field(description="A point of the complaint's current stage.")
    landlord_responsible: bool = strawberry.field(
        description="The point is about something the landlord is responsible for."
    )
    signposted_to: str = strawberry.field(
        default="",
        description="Where the resident was signposted (who is responsible, and how to reach them), up to 2,000 "
        "characters; required when landlordResponsible is false, ignored otherwise.",
    )


@strawberry.input(description="The scope of the current stage's points, recorded before the stage's answer.")
class ComplaintScopeRecordInput:
    id: strawberry.ID = strawberry.field(description="The complaint: acknowledged, its current stage not yet answered.")
    points: list[PointScopeInput] = strawberry.field(
        description="The points to record; points not listed keep what they had. Every problem is named at once."
    )


@mutations.add("complaintScopeRecord", roles=STAFF, payload="ComplaintScopeRecorded")
def record_scope(context: Context, data: ComplaintScopeRecordInput) -> Outcome:
    """Record which of the current stage's points are the landlord's, and where the resident was signposted."""
    scope.record_scope(
        context.actor,
        parse_id(data.id, "complaint"),
        [scope.ScopeInput(reference_id(p.point_id), p.landlord_responsible, p.signposted_to) for p in data.points],
    )
    return Outcome(parse_id(data.id, "complaint"))
