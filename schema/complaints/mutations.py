"""The mutations of intake and the complaint journey. Each calls one backend service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from backend.accounts.models import ConsentMethod, Nation
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
    ResponseDraft,
    ResponseOutcome,
    Vulnerability,
)
from backend.errors import Invalid
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

RESIDENTS = frozenset({"resident", "advocate"}) | STAFF

mutations = Mutations()


@strawberry.input(
    description="Details of someone without an account, or of their representative. Each is trimmed; empty means "
    "not given."
)
class ContactPersonInput:
    name: str = strawberry.field(
        default="",
        description="Their name, on one line, up to 120 characters. Needed when the contact has no residentId and "
        "is not anonymous.",
    )
    email: str = strawberry.field(
        default="", description="Their email address, up to 254 characters; needed when contactChannel is email."
    )
    phone: str = strawberry.field(
        default="",
        description="Their phone number: 7 to 15 digits, with a leading + and spaces, brackets or dashes if wanted. "
        "Needed when contactChannel is sms or phone.",
    )
    address: str = strawberry.field(
        default="",
        description="Their postal address without the postcode, up to 500 characters; needed when contactChannel "
        "is post.",
    )
    postcode: str = strawberry.field(default="", description="Their postcode, up to 10 characters.")
    representative_name: str = strawberry.field(
        default="", description="The name of someone acting for them, on one line."
    )
    representative_contact: str = strawberry.field(
        default="",
        description="How to reach that representative (an email address or phone number), up to 254 characters.",
    )
    contact_channel: str = strawberry.field(
        default="", description="How they asked us to write to them: email, sms, post or phone; empty if not said."
    )


@strawberry.input(description="Change the details recorded for someone without an account; only those given change.")
class ContactPersonUpdateInput:
    contact_id: strawberry.ID = strawberry.field(
        description="The contact the details were given with; it must have some on record."
    )
    name: str | None = strawberry.field(
        default=None, description="Their name, on one line, up to 120 characters; empty clears it."
    )
    email: str | None = strawberry.field(
        default=None, description="Their email address, up to 254 characters; empty clears it."
    )
    phone: str | None = strawberry.field(
        default=None,
        description="Their phone number: 7 to 15 digits, with a leading + and spaces, brackets or dashes if wanted; "
        "empty clears it.",
    )
    address: str | None = strawberry.field(
        default=None, description="Their postal address without the postcode, up to 500 characters; empty clears it."
    )
    postcode: str | None = strawberry.field(
        default=None, description="Their postcode, up to 10 characters; empty clears it."
    )
    contact_channel: str | None = strawberry.field(
        default=None,
        description="How they asked us to write to them: email, sms, post or phone; empty clears it. The detail it "
        "needs (email address, phone number or address) must be on record after the change.",
    )


@strawberry.input(description="A contact from any channel. Residents log their own; staff and tools any resident's.")
class ContactSubmitInput:
    channel: ContactChannel = strawberry.field(
        description="How it reached the landlord. Only staff may log phone, letter, face_to_face, verbal_to_staff "
        "and interpreter."
    )
    description: str = strawberry.field(
        description="What was said, in the person's own words, up to 20,000 characters. It is kept as written."
    )
    resident_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The account holder it is from. Left out by a resident or an advocate, it is their own account; "
        "an advocate logging for a resident gives that resident, who must have consented. Staff give it, or "
        "person, or anonymous.",
    )
    home_id: strawberry.ID | None = strawberry.field(
        default=None, description="Staff only: the home it is about. Left out: the resident's home on record."
    )
    nation: Nation | None = strawberry.field(
        default=None,
        description=(
            "The nation of the home it is about, which decides the complaints procedure. Staff must give it when "
            "there is no home on record; otherwise the home's is used."
        ),
    )
    anonymous: bool = strawberry.field(
        default=False,
        description="Staff only: nobody is linked, so it counts in themes but gets no replies. Not with residentId.",
    )
    locale: str = strawberry.field(
        default="en",
        description="The language it was made in: a locale code such as en or cy (a string, not an enumeration, "
        "because languages are added over time).",
    )
    received_at: dt.datetime | None = strawberry.field(
        default=None, description="When it came in, with an offset (Z or ±hh:mm); defaults to now."
    )
    wants_to_complain: bool = strawberry.field(
        default=False,
        description="The person wants to make a complaint: it opens at once, with its clocks. When the home's nation "
        "is not known yet, the contact waits for staff to choose it and classify the contact.",
    )
    interpreter_used: bool = strawberry.field(
        default=False, description="An interpreter helped; always so with the interpreter channel."
    )
    interpreter_service: str | None = strawberry.field(
        default=None, description="Which interpreting service, e.g. Language Line. Empty or null: not said."
    )
    representative_kind: RepresentativeKind | None = strawberry.field(
        default=None,
        description="Who is acting for the resident, if anyone; needs representativeConsent. Left out by an advocate "
        "logging for a resident who consented, it is advocate.",
    )
    representative_consent: bool = strawberry.field(
        default=False,
        description="The resident consented to the representative acting for them; required with representativeKind.",
    )
    representative_consent_method: ConsentMethod | None = strawberry.field(
        default=None,
        description="How that consent was given. Left out by an advocate logging for a resident who consented, it is "
        "how the resident consented to them.",
    )
    adjustments: str = strawberry.field(
        default="", description="Reasonable adjustments the person asks for, up to 2,000 characters."
    )
    vulnerabilities: list[Vulnerability] = strawberry.field(
        default_factory=list, description="Circumstances that may call for adjustments; each is kept once."
    )
    person: ContactPersonInput | None = strawberry.field(
        default=None,
        description="Details of someone without an account (their name is needed when there is no residentId and "
        "it is not anonymous), or of the resident's representative.",
    )
    related_request_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A contact classified as a service request that this dissatisfaction is about; unless staff log "
        "it, one of the same resident's. It opens a complaint at once, as wantsToComplain does; the request stays "
        "open.",
    )
    service_area_id: strawberry.ID | None = strawberry.field(
        default=None, description="Staff only (ignored for others): the part of the service it is about."
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Staff only (ignored for others): what it is about."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Send the same key again and the first contact is returned; nothing new is made."
    )
    attachments: list[Upload] | None = strawberry.field(
        default=None, description="Files (multipart request); checked by content and size before anything is kept."
    )


@strawberry.input(description="What a contact is, and why.")
class ContactClassifyInput:
    id: strawberry.ID = strawberry.field(description="The contact: not merged, and not already a complaint.")
    kind: ContactKind = strawberry.field(description="What it is. complaint opens the complaint and its clocks.")
    reason: str = strawberry.field(description="Why staff chose the kind, up to 2,000 characters.")
    service_area_id: strawberry.ID | None = strawberry.field(
        default=None, description="The part of the service it is about. Left out: it stays as it is."
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="What it is about. Left out: it stays as it is."
    )
    nation: Nation | None = strawberry.field(
        default=None,
        description="The nation of the home, for a contact with none on record; needed before it can be a complaint.",
    )


@strawberry.input(description="The record a mutation acts on.")
class CaseIdInput:
    id: strawberry.ID = strawberry.field(
        description="A contact for contactOfferComplaint and contactClose; a remedy for remedyComplete."
    )


@strawberry.input(
    description="Merge a contact into a complaint of the same person, while that complaint's first stage is not yet "
    "answered."
)
class ContactMergeInput:
    id: strawberry.ID = strawberry.field(
        description="The contact to merge; its words join the complaint as written, as the resident's."
    )
    complaint_id: strawberry.ID = strawberry.field(
        description="The complaint it joins: the same resident's (or, without an account, the same name with the "
        "same email address or phone number), at stage 1 and not yet answered."
    )
    reason: str = strawberry.field(description="Why, up to 2,000 characters; kept with the merge.")


@strawberry.input(description="One point of complaint, and the outcome the resident seeks for it.")
class PointInput:
    text: str = strawberry.field(description="The point, up to 2,000 characters. A blank point is skipped.")
    outcome_sought: str = strawberry.field(
        default="", description="What the resident wants done about it, up to 2,000 characters."
    )


@strawberry.input(description="Acknowledge the current stage and define the complaint.")
class ComplaintAcknowledgeInput:
    id: strawberry.ID = strawberry.field(description="The complaint, awaiting acknowledgement.")
    points: list[PointInput] = strawberry.field(
        description="The points of complaint for this stage, in order: at least 1 and at most 20 that are not blank."
    )
    outcomes_sought: str = strawberry.field(description="What the resident wants to happen, up to 10,000 characters.")
    summary: str = strawberry.field(
        default="",
        description="The handler's definition of the complaint, up to 10,000 characters: the words of the "
        "acknowledgement message on the case (outcomesSought when empty). Empty keeps any earlier summary.",
    )


@strawberry.input(description="Give the current stage to a handler.")
class ComplaintAssignInput:
    id: strawberry.ID = strawberry.field(description="The complaint.")
    handler_id: strawberry.ID = strawberry.field(
        description="An active member of staff (staff, manager or admin) who did not handle an earlier stage of "
        "this complaint. Their team becomes the complaint's."
    )


@strawberry.input(description="How mediation was offered on a complaint.")
class ComplaintNoteInput:
    id: strawberry.ID = strawberry.field(description="The complaint.")
    note: str = strawberry.field(
        description="How mediation was offered, up to 2,000 characters; it becomes a message to the resident."
    )


@strawberry.input(description="Extend the current stage's response deadline.")
class ComplaintExtendInput:
    id: strawberry.ID = strawberry.field(description="The complaint, with its response clock running and not overdue.")
    days: int = strawberry.field(
        description="UK working days to add, from 1 to 60. Beyond what the stage allows without one, goodReason is "
        "needed too."
    )
    reason: str = strawberry.field(description="Why, up to 2,000 characters; it becomes a message to the resident.")
    told_on: dt.date | None = strawberry.field(
        description="When the resident was told (required): not in the future, not before the stage began, and not "
        "after the current due date."
    )
    ombudsman_details_given: bool = strawberry.field(
        description="The resident was given the Ombudsman's details when told; must be true."
    )
    good_reason: str = strawberry.field(
        default="",
        description=(
            "Needed to go beyond the regime's extension cap (the Code's 'good reason'). Beyond the cap, and for "
            "every extension where the procedure wants one, a manager or admin who is not the handler makes the "
            "extension: their own request is the authorisation."
        ),
    )
    backdate_reason: str = strawberry.field(
        default="",
        description="Why toldOn is an earlier day than today, up to 2,000 characters; required then. Staff may go "
        "back at most 5 UK working days; further back only a manager or admin, who records it themselves.",
    )


@strawberry.input(description="The decision on one of the stage's points.")
class DecisionInput:
    point_id: strawberry.ID = strawberry.field(
        description="A point defined when this stage was acknowledged; any other is refused (not_found)."
    )
    decision: Decision = strawberry.field(description="What was decided on the point.")
    reasons: str = strawberry.field(
        default="", description="Why, for this point, up to 4,000 characters; needed for every point."
    )


@strawberry.input(description="Something the landlord will do to put things right.")
class RemedyInput:
    kind: RemedyKind = strawberry.field(description="What kind of remedy; financial_redress needs an amount.")
    description: str = strawberry.field(
        description="What will be done, as told to the resident, up to 2,000 characters."
    )
    due_on: dt.date | None = strawberry.field(
        description="The date it will be done by (required): today (UK time) or later."
    )
    amount: str | None = strawberry.field(
        default=None, description='Pounds and pence, more than 0 and at most 100000, e.g. "150.00".'
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The member of staff who will do it (required): they are told before and after it falls due.",
    )


@strawberry.input(description="Work still to do after the response, followed to completion.")
class ActionInput:
    description: str = strawberry.field(
        description="What will be done, as told to the resident, up to 2,000 characters."
    )
    due_on: dt.date | None = strawberry.field(
        description="The date it will be done by (required): today (UK time) or later."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The member of staff who will do it (required): they are told before and after it falls due.",
    )


@strawberry.input(
    description="Issue the current stage's response. Refused, listing everything missing, until every required part "
    "is there. At the regime's final stage it also closes the complaint."
)
class ComplaintRespondInput:
    id: strawberry.ID = strawberry.field(description="The complaint: its current stage acknowledged, not yet answered.")
    decisions: list[DecisionInput] = strawberry.field(
        description="A decision, with its reasons, on every point defined for this stage."
    )
    reasons: str = strawberry.field(
        description="The reasons for the decisions, as sent to the resident, up to 10,000 characters."
    )
    next_steps: str = strawberry.field(
        description="How to escalate, or how to go to the Ombudsman, up to 4,000 characters."
    )
    remedies: list[RemedyInput] = strawberry.field(
        default_factory=list,
        description="Up to 20; at least one when any point is upheld or partly upheld.",
    )
    actions: list[ActionInput] = strawberry.field(default_factory=list, description="Up to 20.")
    underlying_cause: str = strawberry.field(
        default="",
        description="What caused what went wrong, up to 10,000 characters. Needed when any point is upheld or "
        "partly upheld, and at the final stage, whose response closes the complaint; kept when given otherwise.",
    )
    remedial_action: str = strawberry.field(
        default="",
        description="The remedial action taken, up to 10,000 characters. Needed when any point is upheld or partly "
        "upheld, and at the final stage, whose response closes the complaint; kept when given otherwise.",
    )
    outcome: ResponseOutcome | None = strawberry.field(
        default=None,
        description="The overall outcome. Left out, it is worked out from the decisions: all upheld is upheld, "
        "all resolved is resolved, none upheld or partly upheld is not_upheld, anything else partly_upheld.",
    )


@strawberry.input(description="Withdraw a complaint at the resident's wish.")
class ComplaintReasonInput:
    id: strawberry.ID = strawberry.field(description="The complaint, still active.")
    reason: str = strawberry.field(
        default="", description="Why, up to 2,000 characters, if the resident gives a reason; none is needed."
    )


@strawberry.input(description="The resident asks for the next stage; they need give no reason.")
class ComplaintEscalateInput:
    id: strawberry.ID = strawberry.field(
        description="The complaint: its current stage answered (closed since, too), and not the regime's final stage."
    )
    reason: str = strawberry.field(
        default="",
        description="The resident's reason, up to 10,000 characters; when given, it is added to the case in their "
        "words.",
    )
    requested_at: dt.datetime | None = strawberry.field(
        default=None,
        description="Staff only: when the resident asked (by phone, say), which starts the next stage's clocks. "
        "Not in the future and not before this stage's answer; defaults to now.",
    )
    backdate_reason: str = strawberry.field(
        default="",
        description="Staff only: why requestedAt is on an earlier day than today, up to 2,000 characters; required "
        "then. Staff may go back at most 5 UK working days; further back only a manager or admin, who records it "
        "themselves.",
    )


@strawberry.input(description="Do not take a complaint forward, on a ground of exclusion its procedure allows.")
class ComplaintRefuseInput:
    id: strawberry.ID = strawberry.field(description="The complaint: active, its current stage not yet answered.")
    ground: RefusalGround = strawberry.field(description="One of the complaint's regime's refusalGrounds.")
    reasons: str = strawberry.field(description="Why, as sent to the resident, up to 10,000 characters.")
    ombudsman_details_given: bool = strawberry.field(
        description="The resident was given the Ombudsman's details; must be true."
    )


@strawberry.input(description="Close an answered complaint that was not escalated, completing its record.")
class ComplaintCloseInput:
    id: strawberry.ID = strawberry.field(description="The complaint, its current stage answered.")
    underlying_cause: str = strawberry.field(description="What caused the complaint, up to 10,000 characters.")
    remedial_action: str = strawberry.field(description="The remedial action taken, up to 10,000 characters.")


@strawberry.input(description="Record that a complaint went to the Ombudsman.")
class ComplaintReferInput:
    id: strawberry.ID = strawberry.field(description="The complaint: not withdrawn, and not referred already.")
    reference: str = strawberry.field(description="The Ombudsman's reference for it, up to 50 characters.")


@strawberry.input(description="Record the Ombudsman's finding on a referred complaint.")
class ComplaintDeterminationInput:
    id: strawberry.ID = strawberry.field(description="The complaint: referred, with no finding recorded yet.")
    determination: Determination = strawberry.field(description="The Ombudsman's finding.")
    orders: str = strawberry.field(
        default="",
        description="What the Ombudsman ordered, up to 4,000 characters; empty when nothing. It becomes one "
        "ombudsman order item; record others with ombudsmanOrderRecord.",
    )
    orders_due_on: dt.date | None = strawberry.field(
        default=None, description="The date the Ombudsman set for the orders; required when orders are given."
    )


@strawberry.input(
    description="Words added to a complaint: the resident's further information (with files), or an update to them."
)
class ComplaintMessageInput:
    id: strawberry.ID = strawberry.field(description="The complaint.")
    body: str = strawberry.field(
        description="The words: up to 20,000 characters of further information, or 4,000 for an update."
    )
    attachments: list[Upload] | None = strawberry.field(
        default=None,
        description="Files with further information (multipart request), checked by content and size before "
        "anything is kept. complaintSendUpdate ignores them.",
    )


@strawberry.input(description="A staff note. Residents, advocates and panel members never see it.")
class ComplaintAddNoteInput:
    id: strawberry.ID = strawberry.field(description="The complaint, whatever its status.")
    kind: NoteKind = strawberry.field(description="What the note is.")
    body: str = strawberry.field(description="The note, up to 20,000 characters. It is never changed.")
    attachments: list[Upload] | None = strawberry.field(
        default=None,
        description="Files kept with the note (multipart request), checked by content and size; only staff can "
        "open them.",
    )


@strawberry.input(description="Mark an outstanding action done; the resident is sent a message.")
class ActionCompleteInput:
    id: strawberry.ID = strawberry.field(description="The outstanding action, not yet done.")
    note: str = strawberry.field(
        default="",
        description="The message to the resident, up to 4,000 characters. Empty: the action's description is sent.",
    )


def _optional_id(raw: Any) -> int | None:
    """An optional id referring to another row, as the backend takes it (see ``reference_id``)."""
    return None if raw is None else reference_id(raw)


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


REFERENCE = (str, "The number the resident quotes, e.g. LL-2026-000042.")
FILES_NOT_KEPT = (
    int,
    "How many of the files sent could not be kept because the file store was full or failing (0 normally). The "
    "words were saved without them: ask the sender to send the files again later.",
)


@mutations.add(
    "contactSubmit",
    roles=RESIDENTS,
    payload="ContactSubmitted",
    extra={"reference": REFERENCE, "filesNotKept": FILES_NOT_KEPT},
)
def submit(context: Context, data: ContactSubmitInput) -> Outcome:
    """Log a contact from any channel, with files. wantsToComplain opens the complaint and its clocks at once."""
    person = {k: v for k, v in vars(data.person).items() if v} if data.person else {}
    new = intake.NewContact(
        channel=data.channel,
        description=data.description,
        resident_id=_optional_id(data.resident_id),
        home_id=_optional_id(data.home_id),
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
        related_request_id=_optional_id(data.related_request_id),
        service_area_id=_optional_id(data.service_area_id),
        category_id=_optional_id(data.category_id),
        idempotency_key=data.idempotency_key,
        logged_via=context.extra.get("logged_via", "api"),
    )
    contact = intake.submit_contact(context.actor, new, uploads(data.attachments))
    return Outcome(contact.id, {"reference": contact.reference, "filesNotKept": contact.files_not_kept})


@mutations.add("contactClassify", roles=STAFF, payload="ContactClassified")
def classify(context: Context, data: ContactClassifyInput) -> Outcome:
    """Record what a contact is and why; a complaint opens its journey."""
    contact = intake.classify_contact(
        context.actor,
        parse_id(data.id, "contact"),
        data.kind,
        data.reason,
        _optional_id(data.service_area_id),
        _optional_id(data.category_id),
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
    complaint = journey.assign_complaint(context.actor, parse_id(data.id, "complaint"), reference_id(data.handler_id))
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
        data.backdate_reason,
    )
    return Outcome(complaint.id)


@mutations.add(
    "complaintRespond",
    roles=STAFF,
    payload="ComplaintResponded",
    extra={
        "awaiting_sign_off": (
            bool,
            "True when this final response was kept for a manager's sign-off (the procedure asks for one): "
            "nothing was sent yet, and a manager signs it off with complaintResponseSignOff.",
        )
    },
)
def respond(context: Context, data: ComplaintRespondInput) -> Outcome:
    """Issue the stage's response. Refused, listing what is missing, until every required part is there.

    Where the procedure has a manager sign off the final response (the SPSO's), a final response from anyone else
    waits for that sign-off instead of being issued.
    """
    decisions = [(reference_id(d.point_id), (d.decision, d.reasons)) for d in data.decisions]
    remedies = [
        responses.RemedyInput(r.kind, r.description, r.due_on, r.amount, _optional_id(r.owner_id))
        for r in data.remedies
    ]
    actions = [responses.ActionInput(a.description, a.due_on, _optional_id(a.owner_id)) for a in data.actions]
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
        data.outcome,
    )
    held = isinstance(response, ResponseDraft)
    complaint_id = response.complaint_id  # type: ignore[union-attr]
    return Outcome(complaint_id, {"awaiting_sign_off": held})


@mutations.add("complaintEscalate", roles=RESIDENTS, payload="ComplaintEscalated")
def escalate(context: Context, data: ComplaintEscalateInput) -> Outcome:
    """Take an answered complaint to the next stage, also after staff closed it. No reason is needed."""
    complaint = journey.escalate_complaint(
        context.actor, parse_id(data.id, "complaint"), data.reason, data.requested_at, data.backdate_reason
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
        context.actor, parse_id(data.id, "complaint"), data.determination, data.orders, data.orders_due_on
    )
    return Outcome(complaint.id)


@mutations.add(
    "complaintAddInformation",
    roles=RESIDENTS,
    payload="ComplaintInformationAdded",
    extra={"filesNotKept": FILES_NOT_KEPT},
)
def add_information(context: Context, data: ComplaintMessageInput) -> Outcome:
    """Add the resident's further words and files to an open complaint.

    The resident sees them; staff who write down what the resident told them are shown as having done so. Staff's
    own notes go in complaintAddNote.
    """
    message = journey.add_information(
        context.actor, parse_id(data.id, "complaint"), data.body, uploads(data.attachments)
    )
    return Outcome(message.complaint_id, {"filesNotKept": message.files_not_kept})  # type: ignore[attr-defined]


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
