"""Contacts that are not complaints, kept under review: service requests (Code 1.4) and the offer to complain (1.3).

The Code: a service request is not a complaint, but it is recorded, monitored and reviewed (1.4), and whenever
someone expresses dissatisfaction staff must offer them the choice to complain (1.3). Staff give each service request
a target date and review it (done, still open, or it became a complaint); managers check contacts that were not
treated as complaints and had no offer to complain recorded, and record what they found.
"""

from __future__ import annotations

import datetime as dt

from backend.audit.services import field_changes, record_audit
from backend.complaints import intake, journey
from backend.complaints.models import ACTIVE_STATUSES, REVIEW_OUTCOMES, CaseNote, Complaint, Contact, ContactReview
from backend.complaints.policies import HANDLER_ROLES
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, gather
from backend.timeutil import local_date

MAX_NOTE = 2_000
# Due dates further out than this are a typing mistake, not a plan.
MAX_DAYS_AHEAD = 366
MANAGERS = ("manager", "admin")


def _require_staff(actor: Actor, *roles: str) -> None:
    if not actor.can_write or not actor.has_role(*(roles or HANDLER_ROLES)):
        raise NotAllowed("contact.review")


def set_service_due(actor: Actor, contact_id: int, due_on: dt.date | None) -> Contact:
    """Set (or clear, with None) the target date of a service request.

    Raises NotAllowed (not staff), NotFound, Conflict("not_service_request") or Invalid("due_on",
    "before_received" | "too_far").
    """
    _require_staff(actor)
    contact = intake.get_contact(contact_id, actor)
    if contact.kind != "service_request":
        raise Conflict("not_service_request")
    if due_on is not None:
        if due_on < local_date(contact.received_at):
            raise Invalid("due_on", "before_received")
        if due_on > local_date() + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise Invalid("due_on", "too_far", maximum=MAX_DAYS_AHEAD)
    before = {"service_due_on": contact.service_due_on}
    with transaction():
        Contact.update(service_due_on=due_on).where(Contact.id == contact.id).execute()
        record_audit(
            actor, "contact.service_due_set", "contact", contact.id, field_changes(before, {"service_due_on": due_on})
        )
    return intake.get_contact(contact.id)


def review_contact(actor: Actor, contact_id: int, kind: str, outcome: str, note: str = "") -> ContactReview:
    """Record a review of a contact that is not a complaint.

    ``service_request`` (staff): the contact is a service request; the outcome is resolved, still_open or
    became_complaint, which opens the complaint about it at stage 1 (``intake.complain_about_request``) while the
    request carries on. ``complaint_offer`` (managers and admins): the contact is not a complaint and had no offer to
    complain recorded; the outcome is no_dissatisfaction, offer_made (the offer is recorded now) or offer_missed.
    Raises NotAllowed, NotFound, Invalid listing every problem (kind, outcome, note) or Conflict("not_service_request",
    "is_complaint", "offer_recorded", "already_complaint" (a complaint about the request is still going),
    "no_nation" or "no_regime" for a complaint that can't be opened).
    """
    _require_staff(actor)
    intake.get_contact(contact_id, actor)  # a hidden case answers like one that is not there, before any check
    with gather() as problems:
        if kind not in REVIEW_OUTCOMES:
            problems.add("kind", "unsupported")
        elif outcome not in REVIEW_OUTCOMES[kind]:
            problems.add("outcome", "unsupported" if outcome else "required")
        with problems.check():
            note = journey.text("note", note, MAX_NOTE, required=False)
    if kind == "complaint_offer":
        _require_staff(actor, *MANAGERS)
    contact = intake.get_contact(contact_id, actor)
    if kind == "service_request" and contact.kind != "service_request":
        raise Conflict("not_service_request")
    if outcome == "became_complaint" and _active_complaint_about(contact):
        raise Conflict("already_complaint")
    if kind == "complaint_offer":
        if contact.kind in (None, "complaint") or contact.status == "merged":
            raise Conflict("is_complaint")
        if contact.complaint_offered_at is not None:
            raise Conflict("offer_recorded")
    with transaction():
        review = ContactReview.create(
            contact=contact.id, kind=kind, outcome=outcome, note=note, reviewed_by=actor.user_id
        )
        record_audit(
            actor,
            "contact.reviewed",
            "contact_review",
            review.id,
            field_changes(None, {"contact": contact.id, "kind": kind, "outcome": outcome}),
        )
        if outcome == "offer_made":
            intake.record_complaint_offer(actor, contact.id)
        if outcome == "became_complaint":
            complaint = intake.complain_about_request(actor, contact)
            if note:
                _note_why(actor, complaint, note)
    return review


def _note_why(actor: Actor, complaint: Complaint, note: str) -> None:
    """Keep the reviewer's note (what the resident is unhappy about) on the complaint as a staff note: it is staff's
    record, not the resident's own words."""
    row = CaseNote.create(
        complaint=complaint.id, kind="internal_note", body=note, stage=complaint.stage, created_by=actor.user_id
    )
    record_audit(
        actor,
        "complaint.note_added",
        "complaint",
        complaint.id,
        {"note": {"before": None, "after": {"id": row.id, "kind": "internal_note"}}},
    )


def _active_complaint_about(request: Contact) -> bool:
    """Whether a complaint about this service request is still going (received, open or responded)."""
    return (
        Complaint.select()
        .join(Contact, on=(Complaint.contact == Contact.id))
        .where(Contact.related_request == request.id, Complaint.status.in_(ACTIVE_STATUSES))
        .exists()
    )
