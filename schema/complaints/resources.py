"""Contacts and complaints: the resources the engine serves, and the mutations for every step of the journey.

Row filters: residents see their own records; advocates those of residents who consented; staff see
everything. Panel members see none of this: they read redacted, published material only.
"""

from __future__ import annotations

import enum
import re
from typing import Any

import strawberry
from peewee import Case, NodeList

from backend.accounts.models import UserRole
from backend.accounts.phone import number_key_sql
from backend.complaints import restricted, steps
from backend.complaints.clocks import validate_closure_day
from backend.complaints.models import (
    Attachment,
    CaseMessage,
    CaseNote,
    Category,
    Clock,
    ClosureDay,
    Complaint,
    ComplaintPoint,
    ComplaintResponse,
    ComplaintStage,
    Contact,
    ContactPerson,
    NoteFile,
    OutstandingAction,
    PointDecision,
    Regime,
    RegimeLimit,
    RegimeStage,
    Remedy,
    ServiceArea,
)
from backend.complaints.regimes import validate_regime, validate_stage
from backend.records import RecordSpec
from schema.access import (
    ADMIN_ROLES,
    HIDDEN_CASE,
    MANAGER_ROLES,
    SIGNED_IN,
    STAFF_ACCESS,
    STAFF_ROLES,
    each,
    own,
    staff_case,
)
from schema.engine.aggregate import month, value, week
from schema.engine.compiler import ReadLog
from schema.engine.declare import ALL, Access, Column, Computed, Dimension, Resolved, Resource, ToMany, ToOne


def log_reads(actor: Any, contact_ids: list[int], operation: str) -> None:
    """Every read of a need-to-know case, by anyone, through a page or the API, goes in its read log."""
    user_id, token_id = (actor.user_id, actor.token_id) if actor is not None else (None, None)
    restricted.record_reads(user_id, token_id, contact_ids, operation or "api")


def _case_path(where: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The path of relations from a row to its contact in a staff row filter made by ``staff_case``, or None."""
    if where == HIDDEN_CASE:
        return path
    if isinstance(where, dict):
        for key, value in where.items():
            inner = path if key in ("not", "or", "and") else (*path, key)
            found = _case_path(value, inner)
            if found is not None:
                return found
    if isinstance(where, list):
        for value in where:
            found = _case_path(value, path)
            if found is not None:
                return found
    return None


def restricted_contact_via(path: tuple[str, ...]) -> Any:
    """SQL for a row, reached through ``path`` (relations to its contact): the contact's id when the case is
    need-to-know, else NULL."""

    def marker(alias: Any) -> Any:
        model = getattr(alias, "model", alias)
        names = [re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() for name in path]
        key = getattr(alias, names[0])
        model = model._meta.fields[names[0]].rel_model
        for name in names[1:]:
            step = model.alias()
            key = NodeList((step.select(getattr(step, name)).where(step.id == key),))
            model = model._meta.fields[name].rel_model
        contact = Contact.alias()
        query = contact.select(contact.id).where(contact.id == key, contact.restricted_kind.is_null(False))
        return NodeList((query,))

    return marker


def log_case_reads(resources: list[Resource]) -> None:
    """Every resource that belongs to a case (its staff row filter is ``staff_case``) logs reads of need-to-know
    cases' rows, as the contact and complaint themselves do: a case's messages, points, notes and hazards are
    reads of the case."""
    for resource in resources:
        access = resource.access.get("staff")
        path = _case_path(access.where) if access is not None else None
        if path and "read_log" not in resource.extra:
            resource.extra["read_log"] = ReadLog(restricted_contact_via(path), log_reads)


def restricted_contact_of(alias: Any) -> Any:
    """SQL: the complaint's contact id when the case is need-to-know, else NULL."""
    contact = Contact.alias()
    query = contact.select(contact.id).where(contact.id == alias.contact, contact.restricted_kind.is_null(False))
    return NodeList((query,))


CONTACT = Resource(
    name="Contact",
    plural="contacts",
    model=Contact,
    description="Anything a resident told the landlord, by any channel, in their own words (never changed).",
    members=[
        Column("reference", residents=True),
        Column("channel", residents=True),
        Column("received_at", residents=True),
        Column("logged_via"),
        Column("nation"),
        Column("anonymous"),
        Column("locale", residents=True),
        Column("description", filterable=True, residents=True),
        Column("description_redacted"),
        Column("wants_to_complain", residents=True),
        Column("interpreter_used", residents=True),
        Column("interpreter_service"),
        Column("representative_kind", residents=True),
        Column("representative_consent", residents=True),
        Column("representative_consent_method"),
        Column("adjustments", residents=True),
        Column("vulnerabilities"),
        Column("kind", residents=True),
        Column("kind_reason"),
        Column("classified_at"),
        Column("complaint_offered_at"),
        Column("status", residents=True),
        Column("created_at", residents=True),
        Column(
            "updated_at",
            "When it last changed, or its complaint, messages, files or the details of the person who made it.",
            residents=True,
        ),
        ToOne("resident", residents=True),
        ToOne("home"),
        ToOne("received_by"),
        ToOne("service_area"),
        ToOne("category"),
        ToOne("related_request", residents=True),
        ToMany(
            "complaints_about",
            "For a service request: the contacts that complain about it (staff only).",
            target="Contact",
            fk="related_request",
        ),
        Column("service_due_on", "For a service request: the target date to do it by (Code 1.4). Null: none set."),
        ToMany(
            "reviews", "Reviews of it as a service request, or quality checks of the offer to complain (staff only)."
        ),
        ToMany("attachments", residents=True),
        ToMany("messages", residents=True),
        ToMany(
            "complaints", "The complaint opened from this contact (at most one).", target="Complaint", residents=True
        ),
        ToMany("people", "Details of someone without an account (staff only)."),
        Column("restricted_kind"),
        Column("restricted_reason"),
        Column("restricted_at"),
        ToOne("restricted_by"),
        ToMany("access_list", "Need-to-know: the staff who may see the case (staff only).", target="CaseAccess"),
        ToMany(
            "merges",
            "The complaint it was merged into, if any, with who did it and why (staff only).",
            target="ContactMerge",
        ),
    ],
    access={**staff_case(), **own()},
    extra={
        "read_log": ReadLog(lambda alias: Case(None, [(alias.restricted_kind.is_null(False), alias.id)]), log_reads)
    },
    dimensions=(
        Dimension("channel", value("channel")),
        Dimension("kind", value("kind")),
        Dimension("status", value("status")),
        Dimension("locale", value("locale")),
        Dimension("month", month("received_at")),
    ),
    default_order=("-receivedAt",),
)

_STEP_NAMES: Any = enum.Enum(  # type: ignore[misc]
    "ComplaintStepName",
    {step.upper(): strawberry.enum_value(step, description=rule.label) for step, rule in steps.RULE_FOR.items()},
)
ComplaintStepName = strawberry.enum(_STEP_NAMES, description="A step of the complaint journey (see availableSteps).")


@strawberry.type(description="A step the viewer may take on the complaint now, with its name in their language.")
class ComplaintStep:
    step: ComplaintStepName = strawberry.field(  # type: ignore[valid-type]
        description="The step, as a code that is the same in every language."
    )
    label: str = strawberry.field(description="What the step is called, in the viewer's language.")


def available_steps(context: Any, complaint_id: str) -> list[ComplaintStep]:
    """The viewer's steps on one complaint, from the one table that decides (backend.complaints.steps)."""
    complaint = Complaint.get_or_none(Complaint.id == int(complaint_id))
    if complaint is None:
        return []
    return [
        ComplaintStep(step=ComplaintStepName(rule.step), label=context.gettext(rule.label))
        for rule in steps.available_steps(context.actor, complaint)
    ]


COMPLAINT = Resource(
    name="Complaint",
    plural="complaints",
    model=Complaint,
    description="A complaint on its journey through the stages of its regime, against working-day clocks.",
    members=[
        Column("reference", residents=True),
        Column("stage", residents=True),
        Column("status", residents=True),
        Column("nation"),
        Column("team", residents=True),
        Column("summary", filterable=True),
        Column("outcomes_sought", residents=True),
        Column("mediation_offered_at"),
        Column("mediation_note"),
        Column(
            "refusal_ground",
            "One of the regime's refusalGrounds, e.g. over_twelve_months or over_six_months.",
            residents=True,
        ),
        Column("refusal_reasons", residents=True),
        Column("refused_at", residents=True),
        Column("withdrawn_at", residents=True),
        Column("withdrawal_reason"),
        Column("underlying_cause"),
        Column("remedial_action"),
        Column("closed_at", residents=True),
        Column("ombudsman_referred_at", residents=True),
        Column("ombudsman_reference", residents=True),
        Column("ombudsman_determination", residents=True),
        Column("ombudsman_determined_at"),
        Column(
            "ombudsman_orders",
            "Superseded by ombudsmanOrderItems, which hold this text as one item each; no longer written.",
        ),
        Column("next_due_on", residents=True),
        Column("created_at", residents=True),
        Column(
            "updated_at",
            "When it last changed, or any part of it: a stage, point, clock, response, decision, remedy, action, "
            "message, file or note.",
            residents=True,
        ),
        Resolved(
            "available_steps",
            "The steps you may take on this complaint now (none with a read-only token). Worked out per "
            "complaint: ask for it on one complaint, not on a long list.",
            annotation=list[ComplaintStep],
            resolve=available_steps,
            residents=True,
        ),
        ToOne("contact", residents=True),
        ToOne("resident"),
        ToOne("home"),
        ToOne("handler"),
        ToOne("regime", residents=True),
        ToOne("service_area"),
        ToOne("category"),
        ToOne("contractor"),
        ToMany("stages", residents=True),
        ToMany("points", residents=True),
        ToMany("clocks", residents=True),
        ToMany("responses", residents=True),
        ToMany("remedies", residents=True),
        ToMany("actions", residents=True),
        ToMany("messages", residents=True),
        ToMany("notes", "Staff notes (staff only; residents and advocates never see them)."),
        ToMany("ombudsman_order_items", "The Ombudsman's orders, one item each, with due dates.", residents=True),
        ToMany(
            "staff_named",
            "The staff the complaint names (managers and the handler only); it is hidden from each of them.",
            target="ComplaintStaff",
        ),
        ToMany("assignments", "Who handled which stage, from when to when (staff only).", target="ComplaintAssignment"),
        ToMany("response_drafts", "Final responses sent for a manager's sign-off (staff only)."),
    ],
    access={**staff_case("contact"), **own()},
    extra={"read_log": ReadLog(restricted_contact_of, log_reads)},
    dimensions=(
        Dimension("status", value("status")),
        Dimension("stage", value("stage")),
        Dimension("nation", value("nation")),
        Dimension("team", value("team")),
        Dimension("month", month("created_at")),
        Dimension("week", week("created_at"), description="The Monday starting the week it was opened (YYYY-MM-DD)."),
        Dimension("contractor", value("contractor")),
    ),
    default_order=("nextDueOn", "id"),
)


def part_of_case(
    name: str, plural: str, model: type, description: str, members: list, dimensions: tuple[Dimension, ...] = ()
) -> Resource:
    """A resource that belongs to one complaint: visible to whoever may see the complaint."""
    return Resource(
        name=name,
        plural=plural,
        model=model,
        description=description,
        members=[*members, ToOne("complaint", residents=True)],
        access={**staff_case("complaint.contact"), **own(via="complaint.resident")},
        dimensions=dimensions,
    )


STAGE = part_of_case(
    "ComplaintStage",
    "complaintStages",
    ComplaintStage,
    "One stage of one complaint: its dates, any extension, and its handler.",
    [
        Column("number", residents=True),
        Column("opened_at", residents=True),
        Column("acknowledged_at", residents=True),
        Column("responded_at", residents=True),
        Column("extended_days", residents=True),
        Column("extension_reason", residents=True),
        Column("extension_told_on", residents=True),
        Column("extension_ombudsman_details_given"),
        Column("extension_good_reason"),
        Column("extension_authorised_at"),
        ToOne("extension_authorised_by"),
        Column("escalation_reason", residents=True),
        Column("escalation_backdate_reason"),
        Column("extension_backdate_reason"),
        Column("entry_route", residents=True),
        Column("entry_reason"),
        ToOne("handler"),
        Column("updated_at", "When it last changed.", residents=True),
    ],
)
POINT = part_of_case(
    "ComplaintPoint",
    "complaintPoints",
    ComplaintPoint,
    "One point of complaint, as defined at acknowledgement, with the outcome sought.",
    [
        Column("position", residents=True),
        Column("text", sortable=True, filterable=True, residents=True),
        Column("outcome_sought", sortable=True, residents=True),
        Column("stage", residents=True),
        ToMany("scopes", "Whether it is the landlord's to put right (Code 5.7); empty: it is.", residents=True),
        ToOne("contractor"),
    ],
)
CLOCK = part_of_case(
    "Clock",
    "clocks",
    Clock,
    "A working-day deadline: started, due, met, and whether it was breached.",
    [
        Column("stage", residents=True),
        Column("kind", residents=True),
        Column("status", residents=True),
        Column("started_on", residents=True),
        Column("due_on", residents=True),
        Column("original_due_on"),
        Column("met_at"),
        Column("met_on", residents=True),
        Column("breached", residents=True),
        Column("working_days_taken", residents=True),
        Column("at_risk_notified_at"),
        Column("breach_notified_at"),
        Column("updated_at", "When it last changed.", residents=True),
    ],
    dimensions=(Dimension("metMonth", month("met_at"), description="The month it was met (YYYY-MM); null: not met."),),
)
RESPONSE = part_of_case(
    "ComplaintResponse",
    "complaintResponses",
    ComplaintResponse,
    "A stage's answer: reasons, the way on, and a decision per point, remedies and outstanding actions.",
    [
        Column("stage", residents=True),
        Column("reasons", residents=True),
        Column("next_steps", residents=True),
        Column("issued_at", residents=True),
        Column("underlying_cause"),
        Column("remedial_action"),
        Column("outcome", residents=True),
        Column("signed_off_at", residents=True),
        ToOne("signed_off_by"),
        ToMany("decisions", residents=True),
        ToMany("remedies", residents=True),
        ToMany("actions", residents=True),
    ],
)
DECISION = Resource(
    name="PointDecision",
    plural="pointDecisions",
    model=PointDecision,
    description="The decision on one point: upheld, partly_upheld, not_upheld or resolved.",
    members=[Column("decision"), Column("reasons"), ToOne("response"), ToOne("point")],
    access={**staff_case("response.complaint.contact"), **own(via="response.complaint.resident", fields=ALL)},
    dimensions=(Dimension("decision", value("decision")),),
)
REMEDY = part_of_case(
    "Remedy",
    "remedies",
    Remedy,
    "What the landlord will do to put things right, by when, and whether it was done.",
    [
        Column("kind", residents=True),
        Column("description", residents=True),
        Column("amount", residents=True),
        Column("due_on", residents=True),
        Column("completed_at", residents=True),
        Column("due_soon_notified_at"),
        Column("overdue_notified_at"),
        Column("updated_at", "When it last changed.", residents=True),
        ToOne("owner"),
        ToOne("response"),
    ],
)
ACTION = part_of_case(
    "OutstandingAction",
    "outstandingActions",
    OutstandingAction,
    "Work still to do after a response, tracked to completion.",
    [
        Column("description", residents=True),
        Column("due_on", residents=True),
        Column("completed_at", residents=True),
        Column("due_soon_notified_at"),
        Column("overdue_notified_at"),
        Column("updated_at", "When it last changed.", residents=True),
        ToOne("owner"),
        ToOne("response"),
    ],
)


# Residents and advocates read only what was sent to the resident and the resident's own words, whatever other
# directions a message may come to have.
RESIDENT_DIRECTIONS = ("to_resident", "from_resident")


def addressed_to_resident() -> dict[str, Access]:
    return {
        role: Access(access.fields, where={"and": [access.where, {"direction": {"in": list(RESIDENT_DIRECTIONS)}}]})
        for role, access in own(via="contact.resident").items()
    }


def recorded_by_staff(alias: Any) -> Any:
    """SQL: the message holds the resident's words and a member of staff wrote it."""
    members = UserRole.select(UserRole.user).where(UserRole.role.in_(sorted(STAFF_ROLES)))
    return Case(None, [((alias.direction == "from_resident") & alias.created_by.in_(members), True)], False)


MESSAGE = Resource(
    name="CaseMessage",
    plural="caseMessages",
    model=CaseMessage,
    description="Every message on a case: what the landlord sent the resident, and what the resident added.",
    members=[
        Column("direction", residents=True),
        Column("kind", residents=True),
        Column("body", residents=True),
        Column("body_redacted"),
        Column("stage", residents=True),
        Column("created_at", residents=True),
        Computed(
            "recorded_by_staff",
            "The resident's words as a member of staff wrote them down (told by phone or in person).",
            kind="boolean",
            sql=recorded_by_staff,
            residents=True,
        ),
        ToOne("contact", residents=True),
        ToOne("complaint", residents=True),
        ToMany("attachments", residents=True),
    ],
    access={**staff_case("contact"), **addressed_to_resident()},
    default_order=("createdAt", "id"),
)
ATTACHMENT = Resource(
    name="Attachment",
    plural="attachments",
    model=Attachment,
    description="A file given with a contact or message: checked by content; its bytes at /attachments/<id>.",
    members=[
        Column("file_name", residents=True),
        Column("media_type", residents=True),
        Column("family", residents=True),
        Column("size", residents=True),
        Column("sha256"),
        Column("created_at", residents=True),
        ToOne("contact", residents=True),
        ToOne("message", residents=True),
    ],
    access={**staff_case("contact"), **own(via="contact.resident")},
)
# Staff's own record: no resident, advocate or panel access, so their schemas have no such types at all.
NOTE = Resource(
    name="CaseNote",
    plural="caseNotes",
    model=CaseNote,
    description="A staff note on a complaint, written once. Staff only.",
    members=[
        Column("kind"),
        Column("body"),
        Column("stage"),
        Column("created_at"),
        ToOne("complaint"),
        ToOne("created_by"),
        ToMany("files"),
    ],
    access=staff_case("complaint.contact"),
    default_order=("createdAt", "id"),
)
NOTE_FILE = Resource(
    name="NoteFile",
    plural="noteFiles",
    model=NoteFile,
    description="A file kept with a staff note, checked by content; bytes at /console/notes/files/<id>. Staff only.",
    members=[
        Column("file_name"),
        Column("media_type"),
        Column("family"),
        Column("size"),
        Column("sha256"),
        Column("created_at"),
        ToOne("note"),
        ToOne("uploaded_by"),
    ],
    access=staff_case("note.complaint.contact"),
)

REGIME = Resource(
    name="Regime",
    plural="regimes",
    model=Regime,
    description="A complaints procedure as data: its stages, clocks and limits, and its Ombudsman.",
    members=[
        Column("code"),
        Column("name"),
        Column("nations"),
        Column("max_stages", "At least statutoryStages: a stage the procedure requires can't be removed."),
        Column("statutory_stages"),
        Column(
            "refusal_grounds",
            "The grounds of exclusion this procedure allows (over_twelve_months, over_six_months, "
            "legal_proceedings, already_considered); complaintRefuse accepts only these.",
        ),
        Column("counting"),
        Column("ombudsman_name"),
        Column("ombudsman_details"),
        Column("direct_investigation"),
        Column("final_sign_off"),
        Column("archived_at"),
        Column("updated_at", "When it last changed, or its stages (with their leaflets) or limits."),
        ToMany("stages"),
        ToMany("limits", "The statutory maxima of each stage."),
    ],
    access=each(SIGNED_IN),
    editable=RecordSpec(
        Regime,
        "regime",
        ("name", "max_stages", "counting", "ombudsman_name", "ombudsman_details"),
        ADMIN_ROLES,
        archive_field=None,
        choices={"counting": ("next_working_day", "same_day")},
        # Each stage is a row of its own; the seeded regimes have two, and none allows more or fewer.
        ranges={"max_stages": (1, 2)},
        creatable=False,
        validate=validate_regime,
    ),
)
REGIME_LIMIT = Resource(
    name="RegimeLimit",
    plural="regimeLimits",
    model=RegimeLimit,
    description="The most a procedure allows at one stage, from the law or the ombudsman's model (not editable).",
    members=[
        Column("number"),
        Column("acknowledge_max"),
        Column("acknowledge_required"),
        Column("respond_max"),
        Column("respond_from"),
        Column("extension_max"),
        Column("extension_needs_manager"),
        Column("updated_at", "When it last changed (the law, through a migration)."),
        ToOne("regime"),
    ],
    access=each(SIGNED_IN),
    default_order=("number",),
)
REGIME_STAGE = Resource(
    name="RegimeStage",
    plural="regimeStages",
    model=RegimeStage,
    description="One stage of a regime: working days to acknowledge (null: no acknowledgement clock) and respond.",
    members=[
        Column("number"),
        Column("name"),
        Column("acknowledge_days"),
        Column("respond_days"),
        Column("respond_from"),
        Column("max_extension_days"),
        Column("updated_at", "When it last changed, or its leaflet."),
        ToOne("regime"),
    ],
    access=each(SIGNED_IN),
    editable=RecordSpec(
        RegimeStage,
        "regime_stage",
        ("name", "acknowledge_days", "respond_days", "respond_from", "max_extension_days"),
        ADMIN_ROLES,
        archive_field=None,
        choices={"respond_from": ("acknowledgement", "receipt")},
        ranges={"acknowledge_days": (1, 30), "respond_days": (1, 60), "max_extension_days": (0, 60)},
        creatable=False,
        validate=validate_stage,
    ),
    default_order=("number",),
)
CLOSURE_DAY = Resource(
    name="ClosureDay",
    plural="closureDays",
    model=ClosureDay,
    description=(
        "A day the landlord's office is closed. It never moves a deadline (the Code does not recognise it); "
        "staff are warned of deadlines it falls before. Days in the past are refused."
    ),
    members=[
        Column("day"),
        Column("name"),
        Column("created_at"),
        Column("archived_at"),
        Column("updated_at", "When it last changed."),
    ],
    access=each(SIGNED_IN),
    editable=RecordSpec(ClosureDay, "closure_day", ("day", "name"), ADMIN_ROLES, validate=validate_closure_day),
    default_order=("day",),
)
SERVICE_AREA = Resource(
    name="ServiceArea",
    plural="serviceAreas",
    model=ServiceArea,
    description="A part of the landlord's service (repairs, lettings, anti-social behaviour...).",
    members=[Column("name"), Column("archived_at"), Column("updated_at", "When it last changed.")],
    access=STAFF_ACCESS,
    editable=RecordSpec(ServiceArea, "service_area", ("name",), MANAGER_ROLES),
    default_order=("name",),
)
CATEGORY = Resource(
    name="Category",
    plural="categories",
    model=Category,
    description="What a contact is about, for the work queues and for themes.",
    members=[Column("name"), Column("archived_at"), Column("updated_at", "When it last changed.")],
    access=STAFF_ACCESS,
    editable=RecordSpec(Category, "category", ("name",), MANAGER_ROLES),
    default_order=("name",),
)

CONTACT_PERSON = Resource(
    name="ContactPerson",
    plural="contactPeople",
    model=ContactPerson,
    description="Personal details given with a contact by someone without an account, kept apart from the case.",
    members=[
        Column("name"),
        Column("email"),
        Column("phone"),
        Computed(
            "phone_key",
            "The phone number in one spelling, for searching: digits only, and a UK number starting 44, so "
            "07700 900123 and +44 7700 900123 alike are 447700900123. Empty: no number given.",
            kind="string",
            sql=lambda alias: number_key_sql(alias.phone),
            sortable=False,
        ),
        Column("address"),
        Column("postcode"),
        Column("representative_name"),
        Column("representative_contact"),
        Column("contact_channel"),
        Column("updated_at", "When it last changed."),
        ToOne("contact"),
    ],
    access=staff_case("contact", aggregate=False),
)

RESOURCES = [
    CONTACT,
    CONTACT_PERSON,
    COMPLAINT,
    STAGE,
    POINT,
    CLOCK,
    RESPONSE,
    DECISION,
    REMEDY,
    ACTION,
    MESSAGE,
    ATTACHMENT,
    NOTE,
    NOTE_FILE,
    REGIME,
    REGIME_STAGE,
    REGIME_LIMIT,
    CLOSURE_DAY,
    SERVICE_AREA,
    CATEGORY,
]
