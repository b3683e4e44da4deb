"""Hazards, their clocks and keywords, and the named complaints roles: what the engine serves, and the mutations.

Staff only: residents hear of a hazard by letter, and the case page shows them their own words.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from backend.complaints import hazards, restricted
from backend.complaints.models import (
    Contact,
    Hazard,
    HazardClock,
    HazardDismissal,
    HazardKeyword,
    HazardKind,
    HazardSeverity,
    RoleDesignation,
)
from backend.complaints.roles import validate_designation
from backend.errors import NotFound
from backend.records import RecordSpec
from schema.access import ADMIN_ROLES, STAFF_ACCESS, staff_case
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.declare import Column, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()

HAZARD = Resource(
    name="Hazard",
    plural="hazards",
    model=Hazard,
    description="A hazard in a resident's home, flagged by staff, with its own clocks apart from any complaint's.",
    members=[
        Column("kind"),
        Column("severity"),
        Column("status"),
        Column("description"),
        Column("keywords", "The words in the resident's own words that suggested it; empty when staff flagged it."),
        Column("aware_at"),
        Column("flagged_at"),
        Column("escalated_at"),
        Column("resident_told_at"),
        Column("investigation_concluded_at"),
        Column("findings"),
        Column("summary_sent_at"),
        Column("work_started_at"),
        Column("made_safe_at"),
        Column("closed_at"),
        Column("closure_note"),
        Column("next_due_at"),
        Column("updated_at", "When it or one of its clocks last changed."),
        ToOne("contact"),
        ToOne("complaint"),
        ToOne("flagged_by"),
        ToOne("escalated_to"),
        ToOne("closed_by"),
        ToMany("clocks", "Its deadlines.", target="HazardClock"),
    ],
    access=staff_case("contact"),
    default_order=("nextDueAt", "id"),
)
HAZARD_CLOCK = Resource(
    name="HazardClock",
    plural="hazardClocks",
    model=HazardClock,
    description="One of a hazard's deadlines: when it is due, and when (and whether in time) it was met.",
    members=[
        Column("kind"),
        Column("status"),
        Column("started_at"),
        Column("due_at"),
        Column("met_at"),
        Column("breached"),
        Column("at_risk_notified_at"),
        Column("breach_notified_at"),
        Column("updated_at", "When it last changed."),
        ToOne("hazard"),
    ],
    access=staff_case("hazard.contact"),
    default_order=("dueAt", "id"),
)
HAZARD_DISMISSAL = Resource(
    name="HazardDismissal",
    plural="hazardDismissals",
    model=HazardDismissal,
    description="Staff's decision that a hazard the resident's words suggested is not one.",
    members=[
        Column("kind"),
        Column("reason"),
        Column("dismissed_at"),
        ToOne("contact"),
        ToOne("dismissed_by"),
    ],
    access=staff_case("contact"),
    default_order=("-dismissedAt", "id"),
)
HAZARD_KEYWORD = Resource(
    name="HazardKeyword",
    plural="hazardKeywords",
    model=HazardKeyword,
    description="A word that, in a resident's own words in its language, suggests a hazard for staff to confirm.",
    members=[
        Column("locale"),
        Column("kind"),
        Column("word"),
        Column("archived_at"),
        Column("updated_at", "When it last changed."),
    ],
    access=STAFF_ACCESS,
    editable=RecordSpec(HazardKeyword, "hazard_keyword", ("locale", "kind", "word"), ADMIN_ROLES),
    default_order=("locale", "kind", "word"),
)
ROLE_DESIGNATION = Resource(
    name="RoleDesignation",
    plural="roleDesignations",
    model=RoleDesignation,
    description="A member of staff named to a complaints role (Code 4.1, 9.4-9.7), from one date until another.",
    members=[
        Column("role"),
        Column("starts_on"),
        Column("ends_on"),
        Column("note"),
        Column("created_at"),
        Column("updated_at", "When it last changed."),
        ToOne("person"),
    ],
    access=STAFF_ACCESS,
    # roleDesignationCreate and roleDesignationUpdate, for admins, checked and audited through backend.records.
    editable=RecordSpec(
        RoleDesignation,
        "role_designation",
        ("role", "person", "starts_on", "ends_on", "note"),
        ADMIN_ROLES,
        archive_field=None,
        validate=validate_designation,
    ),
    default_order=("role", "-startsOn", "id"),
)

RESOURCES = [HAZARD, HAZARD_CLOCK, HAZARD_DISMISSAL, HAZARD_KEYWORD, ROLE_DESIGNATION]


@strawberry.input(description="Flag a hazard on a contact: its clocks start, it is escalated and the resident told.")
class HazardFlagInput:
    contact_id: strawberry.ID = strawberry.field(description="The contact the landlord learnt of the hazard from.")
    kind: HazardKind = strawberry.field(description="What kind of hazard it is.")
    severity: HazardSeverity = strawberry.field(description="How urgent it is: it decides the clocks.")
    description: str = strawberry.field(
        default="", description="Where it is and what is known of it, up to 2,000 characters."
    )
    keywords: list[str] = strawberry.field(
        default_factory=list,
        description="The words of the suggestion staff confirmed (from hazardSuggestions), at most 20 of up to 60 "
        "characters; empty when staff flag it themselves.",
    )


@strawberry.input(description="Say that a hazard the resident's words suggest is not one.")
class HazardSuggestionDismissInput:
    contact_id: strawberry.ID = strawberry.field(description="The contact whose words suggested it.")
    kind: HazardKind = strawberry.field(description="The suggested kind of hazard, as hazardSuggestions gave it.")
    reason: str = strawberry.field(description="Why it is not a hazard, up to 2,000 characters.")


@strawberry.input(description="Record what was done about a hazard; give only what is new. Each is recorded once.")
class HazardRecordInput:
    id: strawberry.ID = strawberry.field(description="The hazard, still open.")
    investigation_concluded_at: dt.datetime | None = strawberry.field(
        default=None, description="When the investigation concluded, with an offset; needs the findings."
    )
    findings: str | None = strawberry.field(
        default=None, description="What the investigation found, up to 10,000 characters."
    )
    summary_sent_at: dt.datetime | None = strawberry.field(
        default=None, description="When the written summary of the findings was sent to the resident."
    )
    work_started_at: dt.datetime | None = strawberry.field(default=None, description="When the safety work started.")
    made_safe_at: dt.datetime | None = strawberry.field(default=None, description="When the home was made safe.")


@strawberry.input(description="Close a hazard that was made safe.")
class HazardCloseInput:
    id: strawberry.ID = strawberry.field(description="The hazard, open, with its made-safe date recorded.")
    note: str = strawberry.field(description="Why it can be closed, up to 2,000 characters.")


@mutations.add("hazardFlag", roles=STAFF, payload="HazardFlagged")
def flag(context: Context, data: HazardFlagInput) -> Outcome:
    """Flag a hazard on a contact, escalate it to the senior lead and tell the resident in writing."""
    hazard = hazards.flag_hazard(
        context.actor,
        parse_id(data.contact_id, "contact"),
        data.kind,
        data.severity,
        data.description,
        tuple(data.keywords),
    )
    return Outcome(hazard.id)


@mutations.add("hazardSuggestionDismiss", roles=STAFF, payload="HazardSuggestionDismissed", resource="HazardDismissal")
def dismiss(context: Context, data: HazardSuggestionDismissInput) -> Outcome:
    """Dismiss a hazard suggested by the resident's words, with the reason; it is not suggested again."""
    dismissal = hazards.dismiss_suggestion(context.actor, parse_id(data.contact_id, "contact"), data.kind, data.reason)
    return Outcome(dismissal.id)


@mutations.add("hazardRecord", roles=STAFF, payload="HazardRecorded")
def record(context: Context, data: HazardRecordInput) -> Outcome:
    """Record the investigation, the written summary, the start of the safety work or the made-safe date."""
    hazard = hazards.record_progress(
        context.actor,
        parse_id(data.id, "hazard"),
        investigation_concluded_at=data.investigation_concluded_at,
        findings=data.findings,
        summary_sent_at=data.summary_sent_at,
        work_started_at=data.work_started_at,
        made_safe_at=data.made_safe_at,
    )
    return Outcome(hazard.id)


@mutations.add("hazardClose", roles=STAFF, payload="HazardClosed")
def close(context: Context, data: HazardCloseInput) -> Outcome:
    """Close a hazard; refused, naming every missing part, until it was made safe and its steps recorded."""
    return Outcome(hazards.close_hazard(context.actor, parse_id(data.id, "hazard"), data.note).id)


@strawberry.type(description="A hazard that a contact's own words suggest, for staff to flag or dismiss.")
class HazardSuggestion:
    kind: HazardKind = strawberry.field(description="The kind of hazard suggested.")
    words: list[str] = strawberry.field(description="The configured words found in the contact's words.")


@strawberry.type
class HazardsQuery:
    @strawberry.field(
        description="Hazards a contact's own words suggest (in its language and in English), less those already "
        "flagged or dismissed. Staff only; empty for anyone else or a contact that is not there."
    )
    def hazard_suggestions(
        self,
        info: Info[Context, None],
        contact_id: Annotated[strawberry.ID, strawberry.argument(description="The contact.")],
    ) -> list[HazardSuggestion]:
        if not info.context.actor.is_staff:
            return []
        try:
            contact = Contact.get_or_none(Contact.id == parse_id(contact_id, "contact"))
        except NotFound:  # an id that is not a number is a contact that is not there
            return []
        if contact is None or not restricted.may_see_contact(info.context.actor, contact):
            return []  # a case hidden from the viewer is not there
        return [
            HazardSuggestion(kind=HazardKind.of(s.kind), words=list(s.words)) for s in hazards.suggest_hazards(contact)
        ]


QUERIES = [HazardsQuery]
