"""Restricted cases in the API: the staff a complaint names and their support, need-to-know lists and read logs.

A case hidden from someone (see ``schema.access.HIDDEN_CASE``) is hidden whole: these resources follow the
same rule, so a member of staff named in a complaint never reads who else it names or the support they get.
"""

from __future__ import annotations

import datetime as dt

import strawberry

from backend.complaints import restricted
from backend.complaints.models import (
    CaseAccess,
    CaseRead,
    ComplaintAssignment,
    ComplaintStaff,
    ContactMerge,
    RestrictedKind,
    StaffPart,
)
from schema.access import HIDDEN_CASE, MANAGER_ROLES, SELF, STAFF_ROLES, each, reach, staff_case
from schema.context import Context
from schema.engine.aggregate import month, value
from schema.engine.declare import Access, Column, Dimension, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()

VISIBLE_COMPLAINT = {"not": reach("complaint.contact", HIDDEN_CASE)}
VISIBLE_CONTACT = {"not": reach("contact", HIDDEN_CASE)}
COMPLAINT_STAFF = Resource(
    name="ComplaintStaff",
    plural="complaintStaffNamed",
    model=ComplaintStaff,
    description="A member of staff a complaint names (Code 5.8), with their part and the support they are given. "
    "The complaint is hidden from them. Managers see every record, a handler those of their own cases.",
    members=[
        Column("part"),
        Column("details"),
        Column("recorded_at"),
        Column("told_on"),
        Column("support_offered"),
        Column("staff_input"),
        Column("outcome_shared_on"),
        Column("updated_at", "When it last changed."),
        ToOne("complaint"),
        ToOne("person"),
        ToOne("recorded_by"),
        ToOne("told_by"),
    ],
    access={
        **each(MANAGER_ROLES, Access(where=VISIBLE_COMPLAINT, aggregate=True)),
        "staff": Access(where={"and": [VISIBLE_COMPLAINT, {"complaint": {"handler": SELF}}]}),
    },
    default_order=("recordedAt", "id"),
)
CASE_ACCESS = Resource(
    name="CaseAccess",
    plural="caseAccessEntries",
    model=CaseAccess,
    description="A member of staff on a need-to-know case's access list: only they see the case.",
    members=[
        Column("reason"),
        Column("granted_at"),
        ToOne("contact"),
        ToOne("person"),
        ToOne("granted_by"),
    ],
    access=each(STAFF_ROLES, Access(where=VISIBLE_CONTACT)),
    default_order=("grantedAt", "id"),
)
CASE_READ = Resource(
    name="CaseRead",
    plural="caseReads",
    model=CaseRead,
    description="One read of a need-to-know case: who, when, and through what. Managers on its list review them.",
    members=[
        Column("via", "The named operation that returned the case (a console page's or a tool's), or file."),
        Column("token_id", "The API token used, if any.", kind="id"),
        Column("read_at"),
        ToOne("contact"),
        ToOne("person"),
    ],
    access=each(MANAGER_ROLES, Access(where=VISIBLE_CONTACT, aggregate=True)),
    dimensions=(Dimension("via", value("via")), Dimension("month", month("read_at"))),
    default_order=("-readAt", "-id"),
)

COMPLAINT_ASSIGNMENT = Resource(
    name="ComplaintAssignment",
    plural="complaintAssignments",
    model=ComplaintAssignment,
    description="Who handled which stage of a complaint, from when to when. Anyone who held an earlier stage can't "
    "handle a later one (Code 6.13). Staff only.",
    members=[
        Column("stage"),
        Column("assigned_at"),
        Column("ended_at"),
        Column("ended_because"),
        Column("updated_at", "When it last changed."),
        ToOne("complaint"),
        ToOne("handler"),
    ],
    access=staff_case("complaint.contact"),
    default_order=("assignedAt", "id"),
)

CONTACT_MERGE = Resource(
    name="ContactMerge",
    plural="contactMerges",
    model=ContactMerge,
    description="A contact merged into an existing complaint, with who did it and why. Staff only; hidden with the "
    "complaint.",
    members=[
        Column("reason", "Why it was merged: the same matter as the complaint."),
        Column("merged_at", "When it was merged."),
        ToOne("contact", "The contact merged; its words stay as written."),
        ToOne("complaint", "The complaint it joined."),
        ToOne("merged_by", "The member of staff who merged it."),
    ],
    access=staff_case("complaint.contact"),
    default_order=("mergedAt", "id"),
)

RESOURCES = [COMPLAINT_STAFF, CASE_ACCESS, CASE_READ, COMPLAINT_ASSIGNMENT, CONTACT_MERGE]


@strawberry.input(description="Record that a complaint names a member of staff; it is then hidden from them.")
class ComplaintStaffNameInput:
    id: strawberry.ID = strawberry.field(description="The complaint.")
    person_id: strawberry.ID = strawberry.field(
        description="The member of staff it names: not its handler (give the case to someone else first)."
    )
    part: StaffPart = strawberry.field(description="Their part: the complaint is about them, or they were involved.")
    details: str = strawberry.field(default="", description="Their part in a few words, up to 2,000 characters.")


@strawberry.input(description="The support given to a member of staff a complaint names (all fields are replaced).")
class ComplaintStaffSupportInput:
    id: strawberry.ID = strawberry.field(description="The ComplaintStaff record.")
    told_on: dt.date | None = strawberry.field(
        default=None, description="The day they were told of the complaint; not in the future. Null: not yet."
    )
    support_offered: str = strawberry.field(
        default="", description="The support offered to them, up to 10,000 characters."
    )
    staff_input: str = strawberry.field(default="", description="Their own account, up to 10,000 characters.")
    outcome_shared_on: dt.date | None = strawberry.field(
        default=None,
        description="The day the outcome was shared with them: not before toldOn, not in the future. Null: not yet.",
    )


@strawberry.input(description="Make a case need-to-know: only the staff on its access list will see it.")
class ContactNeedToKnowMarkInput:
    id: strawberry.ID = strawberry.field(description="The case's contact (a complaint's contact for a complaint).")
    kind: RestrictedKind = strawberry.field(description="Why: safeguarding or domestic abuse.")
    reason: str = strawberry.field(description="The reason, up to 2,000 characters.")


@strawberry.input(description="End a case's need-to-know status; its access list and read log are kept.")
class ContactNeedToKnowLiftInput:
    id: strawberry.ID = strawberry.field(description="The case's contact.")
    reason: str = strawberry.field(description="Why it need no longer be restricted, up to 2,000 characters.")


@strawberry.input(description="Put a member of staff on a need-to-know case's access list.")
class ContactAccessGrantInput:
    id: strawberry.ID = strawberry.field(description="The case's contact; it must be need-to-know.")
    person_id: strawberry.ID = strawberry.field(description="The member of staff; not one the complaint names.")
    reason: str = strawberry.field(description="Why they need to know, up to 2,000 characters.")


@strawberry.input(description="Take a member of staff off a need-to-know case's access list.")
class ContactAccessRevokeInput:
    id: strawberry.ID = strawberry.field(description="The case's contact.")
    person_id: strawberry.ID = strawberry.field(
        description="The member of staff on the list: not the case's handler, and not yourself."
    )


@mutations.add("complaintStaffName", roles=STAFF_ROLES, payload="ComplaintStaffNamed", resource="ComplaintStaff")
def name_staff(context: Context, data: ComplaintStaffNameInput) -> Outcome:
    """Record that a complaint names a member of staff (managers and the handler); it is then hidden from them."""
    row = restricted.name_staff(
        context.actor, parse_id(data.id, "complaint"), reference_id(data.person_id), data.part, data.details
    )
    return Outcome(row.id)


@mutations.add(
    "complaintStaffSupport", roles=STAFF_ROLES, payload="ComplaintStaffSupportRecorded", resource="ComplaintStaff"
)
def record_support(context: Context, data: ComplaintStaffSupportInput) -> Outcome:
    """Record the support given to a member of staff a complaint names: told, support offered, input, outcome."""
    row = restricted.record_support(
        context.actor,
        parse_id(data.id, "complaint_staff"),
        data.told_on,
        data.support_offered,
        data.staff_input,
        data.outcome_shared_on,
    )
    return Outcome(row.id)


@mutations.add("contactNeedToKnowMark", roles=MANAGER_ROLES, payload="ContactNeedToKnowMarked")
def restrict(context: Context, data: ContactNeedToKnowMarkInput) -> Outcome:
    """Make a case need-to-know (managers). You and the case's handler are put on its access list."""
    return Outcome(restricted.restrict_case(context.actor, parse_id(data.id, "contact"), data.kind, data.reason).id)


@mutations.add("contactNeedToKnowLift", roles=MANAGER_ROLES, payload="ContactNeedToKnowLifted")
def lift(context: Context, data: ContactNeedToKnowLiftInput) -> Outcome:
    """End a case's need-to-know status (managers on its list)."""
    return Outcome(restricted.lift_restriction(context.actor, parse_id(data.id, "contact"), data.reason).id)


@mutations.add("contactAccessGrant", roles=MANAGER_ROLES, payload="ContactAccessGranted")
def grant(context: Context, data: ContactAccessGrantInput) -> Outcome:
    """Put a member of staff on a need-to-know case's access list (managers on the list)."""
    restricted.grant_access(context.actor, parse_id(data.id, "contact"), reference_id(data.person_id), data.reason)
    return Outcome(int(data.id))


@mutations.add("contactAccessRevoke", roles=MANAGER_ROLES, payload="ContactAccessRevoked")
def revoke(context: Context, data: ContactAccessRevokeInput) -> Outcome:
    """Take a member of staff off a need-to-know case's access list (managers on the list)."""
    contact = restricted.revoke_access(context.actor, parse_id(data.id, "contact"), parse_id(data.person_id, "person"))
    return Outcome(contact.id)
