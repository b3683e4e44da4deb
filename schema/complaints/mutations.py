"""The mutations of intake and the complaint journey. Each calls one backend service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from backend.accounts.models import Nation
from backend.complaints import files, intake, journey, notes, responses
from backend.complaints.models import (
    ContactChannel,
    ContactKind,
    Decision,
    Determination,
    NoteKind,
    RefusalGround,
    RemedyKind,
    RepresentativeKind,
    Vulnerability,
)
from backend.errors import Invalid
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.mutations import Mutations, Outcome, parse_id

RESIDENTS = frozenset({"resident", "advocate"}) | STAFF

mutations = Mutations()


@strawberry.input(description="Details of someone without an account, or of their representative.")
class ContactPersonInput:
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    representative_name: str = ""
    representative_contact: str = ""
    contact_channel: str = strawberry.field(
        default="", description="How they asked us to write to them: email, sms, post or phone; empty if not said."
    )


@strawberry.input(description="Change the details recorded for someone without an account; only those given change.")
class ContactPersonUpdateInput:
    contact_id: strawberry.ID
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    contact_channel: str | None = None


@strawberry.input(description="A contact from any channel. Residents log their own; staff and tools any resident's.")
class ContactSubmitInput:
    channel: ContactChannel
    description: str
    resident_id: strawberry.ID | None = None
    home_id: strawberry.ID | None = None
    nation: Nation | None = strawberry.field(
        default=None,
        description=(
            "The nation of the home it is about, which decides the complaints procedure. Staff must give it when "
            "there is no home on record; otherwise the home's is used."
        ),
    )
    anonymous: bool = False
    locale: str = strawberry.field(
        default="en",
        description="The language it was made in: a locale code such as en or cy (a string, not an enumeration, "
        "because languages are added over time).",
    )
    received_at: dt.datetime | None = strawberry.field(
        default=None, description="When it came in, with an offset (Z or ±hh:mm); defaults to now."
    )
    wants_to_complain: bool = False
    interpreter_used: bool = False
    interpreter_service: str | None = None
    representative_kind: RepresentativeKind | None = None
    representative_consent: bool = False
    representative_consent_method: str | None = None
    adjustments: str = ""
    vulnerabilities: list[Vulnerability] = strawberry.field(default_factory=list)
    person: ContactPersonInput | None = None
    related_request_id: strawberry.ID | None = None
    service_area_id: strawberry.ID | None = None
    category_id: strawberry.ID | None = None
    idempotency_key: str | None = strawberry.field(
        default=None, description="Send the same key again and the first contact is returned; nothing new is made."
    )
    attachments: list[Upload] | None = strawberry.field(
        default=None, description="Files (multipart request); checked by content and size before anything is kept."
    )


@strawberry.input
class ContactClassifyInput:
    id: strawberry.ID
    kind: ContactKind
    reason: str
    service_area_id: strawberry.ID | None = None
    category_id: strawberry.ID | None = None
    nation: Nation | None = strawberry.field(
        default=None,
        description="The nation of the home, for a contact with none on record; needed before it can be a complaint.",
    )


@strawberry.input
class CaseIdInput:
    id: strawberry.ID


@strawberry.input
class ContactMergeInput:
    id: strawberry.ID
    complaint_id: strawberry.ID
    reason: str


@strawberry.input
class PointInput:
    text: str
    outcome_sought: str = ""


@strawberry.input
class ComplaintAcknowledgeInput:
    id: strawberry.ID
    points: list[PointInput]
    outcomes_sought: str
    summary: str = ""


@strawberry.input
class ComplaintAssignInput:
    id: strawberry.ID
    handler_id: strawberry.ID


@strawberry.input
class ComplaintNoteInput:
    id: strawberry.ID
    note: str


@strawberry.input
class ComplaintExtendInput:
    id: strawberry.ID
    days: int
    reason: str
    told_on: dt.date | None
    ombudsman_details_given: bool
    good_reason: str = strawberry.field(
        default="",
        description=(
            "Needed to go beyond the regime's extension cap (the Code's 'good reason'). Beyond the cap, and for "
            "every extension where the procedure wants one, a manager or admin who is not the handler makes the "
            "extension: their own request is the authorisation."
        ),
    )


@strawberry.input
class DecisionInput:
    point_id: strawberry.ID
    decision: Decision
    reasons: str = ""


@strawberry.input
class RemedyInput:
    kind: RemedyKind
    description: str
    due_on: dt.date | None
    amount: str | None = strawberry.field(default=None, description='Pounds and pence, e.g. "150.00".')


@strawberry.input
class ActionInput:
    description: str
    due_on: dt.date | None
    owner_id: strawberry.ID | None = None


@strawberry.input
class ComplaintRespondInput:
    id: strawberry.ID
    decisions: list[DecisionInput]
    reasons: str
    next_steps: str
    remedies: list[RemedyInput] = strawberry.field(default_factory=list)
    actions: list[ActionInput] = strawberry.field(default_factory=list)
    underlying_cause: str = ""
    remedial_action: str = ""


@strawberry.input
class ComplaintReasonInput:
    id: strawberry.ID
    reason: str = ""


@strawberry.input(description="The resident asks for the next stage; they need give no reason.")
class ComplaintEscalateInput:
    id: strawberry.ID
    reason: str = ""
    requested_at: dt.datetime | None = strawberry.field(
        default=None,
        description="Staff only: when the resident asked (by phone, say), which starts the next stage's clocks. "
        "Not in the future and not before this stage's answer; defaults to now.",
    )


@strawberry.input
class ComplaintRefuseInput:
    id: strawberry.ID
    ground: RefusalGround = strawberry.field(description="One of the complaint's regime's refusalGrounds.")
    reasons: str
    ombudsman_details_given: bool


@strawberry.input
class ComplaintCloseInput:
    id: strawberry.ID
    underlying_cause: str
    remedial_action: str


@strawberry.input
class ComplaintReferInput:
    id: strawberry.ID
    reference: str


@strawberry.input
class ComplaintDeterminationInput:
    id: strawberry.ID
    determination: Determination
    orders: str = ""


@strawberry.input
class ComplaintMessageInput:
    id: strawberry.ID
    body: str
    attachments: list[Upload] | None = None


@strawberry.input(description="A staff note. Residents, advocates and panel members never see it.")
class ComplaintAddNoteInput:
    id: strawberry.ID
    kind: NoteKind = strawberry.field(description="What the note is.")
    body: str
    attachments: list[Upload] | None = None


@strawberry.input
class ActionCompleteInput:
    id: strawberry.ID
    note: str = ""


def _optional_id(raw: Any, entity: str) -> int | None:
    return None if raw is None else parse_id(raw, entity)


def _optional_text(raw: str | None) -> str | None:
    """An optional code as the backend takes it: None when not given or left empty."""
    return (raw or "").strip() or None


def uploads(items: list[Any] | None) -> list[files.Upload]:
    """Uploaded files (werkzeug FileStorage: ``filename`` and a readable ``stream``) as backend uploads.

    Raises Invalid("attachments", "not_a_file") for anything else sent in their place.
    """
    made = []
    for item in items or []:
        stream = getattr(item, "stream", None)
        if not hasattr(item, "filename") or not all(hasattr(stream, name) for name in ("read", "seek", "tell")):
            raise Invalid("attachments", "not_a_file")
        if item.filename != "":
            made.append(files.Upload(item.filename or "file", stream))  # type: ignore[arg-type]
    return made


@mutations.add("contactSubmit", roles=RESIDENTS, payload="ContactSubmitted", extra={"reference": str})
def submit(context: Context, data: ContactSubmitInput) -> Outcome:
    """Log a contact from any channel, with files. wantsToComplain opens the complaint and its clocks at once."""
    person = {k: v for k, v in vars(data.person).items() if v} if data.person else {}
    new = intake.NewContact(
        channel=data.channel,
        description=data.description,
        resident_id=_optional_id(data.resident_id, "person"),
        home_id=_optional_id(data.home_id, "home"),
        nation=_optional_text(data.nation),
        anonymous=data.anonymous,
        locale=data.locale,
        received_at=data.received_at,  # the DateTime scalar has already made it naive UTC
        wants_to_complain=data.wants_to_complain,
        interpreter_used=data.interpreter_used,
        interpreter_service=data.interpreter_service,
        representative_kind=data.representative_kind,
        representative_consent=data.representative_consent,
        representative_consent_method=data.representative_consent_method,
        adjustments=data.adjustments,
        vulnerabilities=data.vulnerabilities,
        person=person,
        related_request_id=_optional_id(data.related_request_id, "contact"),
        service_area_id=_optional_id(data.service_area_id, "service_area"),
        category_id=_optional_id(data.category_id, "category"),
        idempotency_key=data.idempotency_key,
        logged_via=context.extra.get("logged_via", "api"),
    )
    contact = intake.submit_contact(context.actor, new, uploads(data.attachments))
    return Outcome(contact.id, {"reference": contact.reference})


@mutations.add("contactClassify", roles=STAFF, payload="ContactClassified")
def classify(context: Context, data: ContactClassifyInput) -> Outcome:
    """Record what a contact is and why; a complaint opens its journey."""
    contact = intake.classify_contact(
        context.actor,
        parse_id(data.id, "contact"),
        data.kind,
        data.reason,
        _optional_id(data.service_area_id, "service_area"),
        _optional_id(data.category_id, "category"),
        _optional_text(data.nation),
    )
    return Outcome(contact.id)


@mutations.add("contactPersonUpdate", roles=STAFF, payload="ContactPersonUpdated", node="person")
def update_person(context: Context, data: ContactPersonUpdateInput) -> Outcome:
    """Change the details recorded for someone without an account.

    Staff's details count as verified; every change is audited.
    """
    values = {k: v for k, v in vars(data).items() if k != "contact_id" and v is not None}
    return Outcome(intake.update_contact_person(context.actor, parse_id(data.contact_id, "contact"), values).id)


@mutations.add("contactOfferComplaint", roles=STAFF, payload="ContactComplaintOffered")
def offer_complaint(context: Context, data: CaseIdInput) -> Outcome:
    """Record that a dissatisfied person was offered the choice to make a complaint."""
    return Outcome(intake.record_complaint_offer(context.actor, parse_id(data.id, "contact")).id)


@mutations.add("contactMerge", roles=STAFF, payload="ContactMerged")
def merge(context: Context, data: ContactMergeInput) -> Outcome:
    """Merge a contact into an existing complaint, recording who did it and why."""
    merged = intake.merge_contact(
        context.actor, parse_id(data.id, "contact"), parse_id(data.complaint_id, "complaint"), data.reason
    )
    return Outcome(merged.contact_id)  # type: ignore[attr-defined]


@mutations.add("contactClose", roles=STAFF, payload="ContactClosed")
def close_contact(context: Context, data: CaseIdInput) -> Outcome:
    """Close a contact that is not a complaint."""
    return Outcome(intake.close_contact(context.actor, parse_id(data.id, "contact")).id)


@mutations.add("complaintAcknowledge", roles=STAFF, payload="ComplaintAcknowledged")
def acknowledge(context: Context, data: ComplaintAcknowledgeInput) -> Outcome:
    """Acknowledge the stage and define the complaint: its points and the outcomes sought."""
    points = [(p.text, p.outcome_sought) for p in data.points]
    complaint = journey.acknowledge_complaint(
        context.actor, parse_id(data.id, "complaint"), points, data.outcomes_sought, data.summary
    )
    return Outcome(complaint.id)


@mutations.add("complaintAssign", roles=STAFF, payload="ComplaintAssigned")
def assign(context: Context, data: ComplaintAssignInput) -> Outcome:
    """Give the stage to a handler."""
    complaint = journey.assign_complaint(
        context.actor, parse_id(data.id, "complaint"), parse_id(data.handler_id, "person")
    )
    return Outcome(complaint.id)


@mutations.add("complaintOfferMediation", roles=STAFF, payload="ComplaintMediationOffered")
def offer_mediation(context: Context, data: ComplaintNoteInput) -> Outcome:
    """Record a mediation offer."""
    return Outcome(journey.offer_mediation(context.actor, parse_id(data.id, "complaint"), data.note).id)


@mutations.add("complaintExtend", roles=STAFF, payload="ComplaintExtended")
def extend(context: Context, data: ComplaintExtendInput) -> Outcome:
    """Extend the response clock, with the reason, when the resident was told, and the Ombudsman's details."""
    complaint = journey.extend_complaint(
        context.actor,
        parse_id(data.id, "complaint"),
        data.days,
        data.reason,
        data.told_on,
        data.ombudsman_details_given,
        data.good_reason,
    )
    return Outcome(complaint.id)


@mutations.add("complaintRespond", roles=STAFF, payload="ComplaintResponded")
def respond(context: Context, data: ComplaintRespondInput) -> Outcome:
    """Issue the stage's response. Refused, listing what is missing, until every required part is there."""
    decisions = {parse_id(d.point_id, "complaint_point"): (d.decision, d.reasons) for d in data.decisions}
    remedies = [responses.RemedyInput(r.kind, r.description, r.due_on, r.amount) for r in data.remedies]
    actions = [responses.ActionInput(a.description, a.due_on, _optional_id(a.owner_id, "person")) for a in data.actions]
    response = responses.respond_to_complaint(
        context.actor,
        parse_id(data.id, "complaint"),
        decisions,
        data.reasons,
        data.next_steps,
        remedies,
        actions,
        data.underlying_cause,
        data.remedial_action,
    )
    return Outcome(response.complaint_id)  # type: ignore[attr-defined]


@mutations.add("complaintEscalate", roles=RESIDENTS, payload="ComplaintEscalated")
def escalate(context: Context, data: ComplaintEscalateInput) -> Outcome:
    """Take an answered complaint to the next stage, also after staff closed it. No reason is needed."""
    complaint = journey.escalate_complaint(
        context.actor, parse_id(data.id, "complaint"), data.reason, data.requested_at
    )
    return Outcome(complaint.id)


@mutations.add("complaintRefuse", roles=STAFF, payload="ComplaintRefused")
def refuse(context: Context, data: ComplaintRefuseInput) -> Outcome:
    """Refuse on a ground of exclusion, with reasons and the Ombudsman's details."""
    complaint = journey.refuse_complaint(
        context.actor, parse_id(data.id, "complaint"), data.ground, data.reasons, data.ombudsman_details_given
    )
    return Outcome(complaint.id)


@mutations.add("complaintWithdraw", roles=RESIDENTS, payload="ComplaintWithdrawn")
def withdraw(context: Context, data: ComplaintReasonInput) -> Outcome:
    """Withdraw a complaint."""
    return Outcome(journey.withdraw_complaint(context.actor, parse_id(data.id, "complaint"), data.reason).id)


@mutations.add("complaintClose", roles=STAFF, payload="ComplaintClosed")
def close(context: Context, data: ComplaintCloseInput) -> Outcome:
    """Close an answered complaint, with its underlying cause and remedial action."""
    complaint = journey.close_complaint(
        context.actor, parse_id(data.id, "complaint"), data.underlying_cause, data.remedial_action
    )
    return Outcome(complaint.id)


@mutations.add("complaintReferToOmbudsman", roles=STAFF, payload="ComplaintReferred")
def refer(context: Context, data: ComplaintReferInput) -> Outcome:
    """Record an Ombudsman referral."""
    return Outcome(journey.refer_to_ombudsman(context.actor, parse_id(data.id, "complaint"), data.reference).id)


@mutations.add("complaintRecordDetermination", roles=STAFF, payload="ComplaintDetermined")
def record_determination(context: Context, data: ComplaintDeterminationInput) -> Outcome:
    """Record the Ombudsman's determination and orders."""
    complaint = journey.record_determination(
        context.actor, parse_id(data.id, "complaint"), data.determination, data.orders
    )
    return Outcome(complaint.id)


@mutations.add("complaintAddInformation", roles=RESIDENTS, payload="ComplaintInformationAdded")
def add_information(context: Context, data: ComplaintMessageInput) -> Outcome:
    """Add the resident's further words and files to an open complaint.

    The resident sees them; staff who write down what the resident told them are shown as having done so. Staff's
    own notes go in complaintAddNote.
    """
    message = journey.add_information(
        context.actor, parse_id(data.id, "complaint"), data.body, uploads(data.attachments)
    )
    return Outcome(message.complaint_id)  # type: ignore[attr-defined]


@mutations.add("complaintAddNote", roles=STAFF, payload="ComplaintNoteAdded", resource="CaseNote", node="note")
def add_note(context: Context, data: ComplaintAddNoteInput) -> Outcome:
    """Keep a staff note (with files) on a complaint. Only staff ever see it; a note is never changed."""
    note = notes.add_note(
        context.actor, parse_id(data.id, "complaint"), data.kind, data.body, uploads(data.attachments)
    )
    return Outcome(note.id)


@mutations.add("complaintSendUpdate", roles=STAFF, payload="ComplaintUpdateSent")
def send_update(context: Context, data: ComplaintMessageInput) -> Outcome:
    """Send the resident an update."""
    return Outcome(responses.send_update(context.actor, parse_id(data.id, "complaint"), data.body).complaint_id)


@mutations.add("remedyComplete", roles=STAFF, payload="RemedyCompleted")
def complete_remedy(context: Context, data: CaseIdInput) -> Outcome:
    """Mark done."""
    return Outcome(responses.complete_remedy(context.actor, parse_id(data.id, "remedy")).id)


@mutations.add(
    "complaintActionComplete",
    roles=STAFF,
    payload="ComplaintActionCompleted",
    resource="OutstandingAction",
    node="action",
)
def complete_action(context: Context, data: ActionCompleteInput) -> Outcome:
    """Mark an outstanding action done, with a note for the resident."""
    return Outcome(responses.complete_action(context.actor, parse_id(data.id, "complaint_action"), data.note).id)
