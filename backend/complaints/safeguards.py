"""Reasonable adjustments and unacceptable-behaviour restrictions: record, decide, review, and sweep for reviews.

Both belong to a resident (their account, or for someone without one the contact that holds their details), and
both show on every contact and complaint of theirs, so that staff see them before they get in touch.

- A reasonable adjustment (Code 5.10) is requested (what, by whom, when), then agreed or declined with reasons by
  the member of staff who decided. An agreed adjustment has a review date and stays under active review.
- A restriction on contact because of unacceptable behaviour (Code 5.14-5.15) is decided by a manager, with the
  behaviour, the evidence, the restriction, how the Equality Act 2010 was considered, a review date, and when the
  resident was told. It changes how staff deal with the resident; it never stops a complaint being handled, so
  nothing in the journey reads it.

Each change is audited. A refusal lists every problem with the input at once and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from backend.accounts.models import User, UserRole
from backend.audit.services import field_changes, record_audit
from backend.complaints import restricted
from backend.complaints.models import (
    ACTIVE_STATUSES,
    RESTRICTION_KINDS,
    Complaint,
    Contact,
    ContactRestriction,
    ReasonableAdjustment,
)
from backend.complaints.policies import can_handle
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, Problems, gather
from backend.events.services import record_event
from backend.text import clean
from backend.timeutil import local_date, utcnow
from backend.vocabulary import Vocabulary

logger = logging.getLogger(__name__)

MAX_TEXT = 5_000
MAX_WHO = 120


class AdjustmentDecision(Vocabulary):
    """The decision on a requested reasonable adjustment."""

    AGREED = "agreed", "Agreed: it is made from now on, and reviewed by the date given."
    DECLINED = "declined", "Declined, with the reasons given to the resident."


class ReviewOutcome(Vocabulary):
    """What a review of an adjustment or a restriction decided."""

    CONTINUE = "continue", "Keep it, until the next review date given."
    END = "end", "End it from today."


DECISIONS = AdjustmentDecision.codes()
REVIEW_OUTCOMES = ReviewOutcome.codes()
MANAGERS = ("manager", "admin")
REVIEW_DUE_EVENT = "complaint.safeguard_review_due"


def can_decide_restrictions(actor: Actor) -> bool:
    """Only a manager (or an admin) restricts how a resident may contact the landlord, or reviews a restriction."""
    return actor.can_write and actor.has_role(*MANAGERS)


# --- Reasonable adjustments ------------------------------------------------------------------------------------


def request_adjustment(
    actor: Actor, contact_id: int, description: str, requested_by: str, requested_on: dt.date | None
) -> ReasonableAdjustment:
    """Record that a reasonable adjustment was asked for, on the resident of a contact; return it.

    Raises NotAllowed("adjustment.request") for anyone but staff, NotFound("contact") for a contact that does
    not exist, Conflict("anonymous_contact") for an anonymous one, and Invalid listing every problem: the
    adjustment and requested_by required and not too long, requested_on required and not in the future.
    """
    if not can_handle(actor):
        raise NotAllowed("adjustment.request")
    restricted.visible_contact(actor, contact_id)  # a hidden case answers like one that is not there, first
    with gather() as problems:
        what = _text(problems, "adjustment", description, MAX_TEXT)
        who = _text(problems, "requested_by", requested_by, MAX_WHO)
        _past_or_today(problems, "requested_on", requested_on)
    contact = _someones_contact(actor, contact_id)
    with transaction():
        row = ReasonableAdjustment.create(
            resident=contact.resident_id,  # type: ignore[attr-defined]
            contact=contact.id,
            description=what,
            requested_by=who,
            requested_on=requested_on,
            recorded_by=actor.user_id,
        )
        record_audit(
            actor,
            "adjustment.requested",
            "reasonable_adjustment",
            row.id,
            field_changes(None, {"contact": contact.id, "description": what, "requested_by": who}),
        )
    return row


def request_from_contact(actor: Actor, contact: Contact) -> ReasonableAdjustment | None:
    """Make the adjustments a new contact asked for (its free text) a request staff will decide; None if none."""
    what = (contact.adjustments or "").strip()
    if not what:
        return None
    row = ReasonableAdjustment.create(
        resident=contact.resident_id,  # type: ignore[attr-defined]
        contact=contact.id,
        description=what,
        requested_by="",
        requested_on=local_date(contact.received_at),
        recorded_by=actor.user_id,
    )
    record_audit(
        actor, "adjustment.requested", "reasonable_adjustment", row.id, field_changes(None, {"contact": contact.id})
    )
    return row


def request_from_profile(actor: Actor, user: User) -> ReasonableAdjustment:
    """Make the adjustments a resident wrote on their profile a request staff will decide (once per new text)."""
    row = ReasonableAdjustment.create(
        resident=user.id,
        contact=None,
        description=user.reasonable_adjustments.strip(),
        requested_by="",
        requested_on=local_date(),
        recorded_by=actor.user_id,
    )
    record_audit(
        actor, "adjustment.requested", "reasonable_adjustment", row.id, field_changes(None, {"resident": user.id})
    )
    return row


def _someones_contact(actor: Actor, contact_id: int) -> Contact:
    """The contact, when it is someone's: an anonymous contact has nobody to adjust for or restrict.

    Raises NotFound("contact") (also for a case hidden from the actor) and Conflict("anonymous_contact").
    """
    contact = restricted.visible_contact(actor, contact_id)
    if contact.anonymous:
        raise Conflict("anonymous_contact")
    return contact


def decide_adjustment(
    actor: Actor, adjustment_id: int, decision: str, reasons: str, review_due_on: dt.date | None
) -> ReasonableAdjustment:
    """Agree or decline a requested adjustment, with reasons; an agreed one needs a review date after today.

    Raises NotAllowed("adjustment.decide") for anyone but staff, NotFound("reasonable_adjustment"), Invalid
    listing every problem (decision, reasons, review_due_on), and Conflict("adjustment_decided") when it was
    already decided (by someone else first, too).
    """
    if not can_handle(actor):
        raise NotAllowed("adjustment.decide")
    _adjustment(adjustment_id, actor)  # a hidden case answers like one that is not there, before any check
    with gather() as problems:
        if not decision:
            problems.add("decision", "required")
        elif decision not in DECISIONS:
            problems.add("decision", "unsupported")
        why = _text(problems, "reasons", reasons, MAX_TEXT)
        if decision == "agreed":
            _future(problems, "review_due_on", review_due_on)
    row = _adjustment(adjustment_id, actor)
    today = local_date()
    changes = {
        "status": decision,
        "decision_reasons": why,
        "decided_by": actor.user_id,
        "decided_on": today,
        "review_due_on": review_due_on if decision == "agreed" else None,
        "review_notified_at": None,
        "updated_at": utcnow(),
    }
    with transaction():
        # Conditional, so that of two people deciding at once only the first wins.
        done = (
            ReasonableAdjustment.update(**changes)
            .where(ReasonableAdjustment.id == row.id, ReasonableAdjustment.status == "requested")
            .execute()
        )
        if not done:
            raise Conflict("adjustment_decided")
        record_audit(
            actor,
            f"adjustment.{decision}",
            "reasonable_adjustment",
            row.id,
            field_changes(
                {"status": row.status, "review_due_on": None},
                {"status": decision, "reasons": why, "review_due_on": changes["review_due_on"]},
            ),
        )
    return _adjustment(row.id)


def review_adjustment(
    actor: Actor, adjustment_id: int, outcome: str, note: str, next_review_on: dt.date | None
) -> ReasonableAdjustment:
    """Review an agreed adjustment: keep it (with the next review date, after today) or end it, saying why.

    Raises NotAllowed("adjustment.review"), NotFound("reasonable_adjustment"), Invalid listing every problem
    (outcome, note, next_review_on) and Conflict("adjustment_not_agreed") for one that is not in force.
    """
    if not can_handle(actor):
        raise NotAllowed("adjustment.review")
    _adjustment(adjustment_id, actor)
    with gather() as problems:
        _outcome(problems, outcome)
        why = _text(problems, "note", note, MAX_TEXT)
        if outcome == "continue":
            _future(problems, "next_review_on", next_review_on)
    row = _adjustment(adjustment_id, actor)
    status = "agreed" if outcome == "continue" else "ended"
    changes = {
        "status": status,
        "reviewed_on": local_date(),
        "review_note": why,
        "review_due_on": next_review_on if outcome == "continue" else None,
        "review_notified_at": None,
        "updated_at": utcnow(),
    }
    with transaction():
        done = (
            ReasonableAdjustment.update(**changes)
            .where(ReasonableAdjustment.id == row.id, ReasonableAdjustment.status == "agreed")
            .execute()
        )
        if not done:
            raise Conflict("adjustment_not_agreed")
        record_audit(
            actor,
            "adjustment.reviewed",
            "reasonable_adjustment",
            row.id,
            field_changes(
                {"status": row.status, "review_due_on": row.review_due_on},
                {"status": status, "review_due_on": changes["review_due_on"], "note": why},
            ),
        )
    return _adjustment(row.id)


def _adjustment(adjustment_id: int, actor: Actor | None = None) -> ReasonableAdjustment:
    """The adjustment; NotFound alike when there is none and when its contact's case is hidden from ``actor``."""
    row = ReasonableAdjustment.get_or_none(ReasonableAdjustment.id == adjustment_id)
    if row is None or (actor is not None and not _case_visible(actor, row.contact_id)):  # type: ignore[attr-defined]
        raise NotFound("reasonable_adjustment", adjustment_id)
    return row


def _case_visible(actor: Actor, contact_id: int | None) -> bool:
    """Whether the actor may see the case a record belongs to (a record of no case is the resident's own)."""
    if contact_id is None:
        return True
    contact = Contact.get_or_none(Contact.id == contact_id)
    return contact is None or restricted.may_see_contact(actor, contact)


# --- Restrictions ----------------------------------------------------------------------------------------------


def record_restriction(actor: Actor, contact_id: int, values: dict[str, Any]) -> ContactRestriction:
    """Restrict how the resident of a contact may contact the landlord, because of unacceptable behaviour.

    ``values`` holds behaviour, evidence, kind, details, point_of_contact_id, equality_consideration, starts_on,
    review_due_on, resident_told_on and resident_notice. Returns the restriction.

    Raises NotAllowed("restriction.record") for anyone but a manager or admin, NotFound("contact"),
    Conflict("anonymous_contact"), and Invalid
    listing every problem at once: behaviour, evidence, kind, details and the Equality Act consideration are
    required; a single point of contact needs that member of staff; the review date is required and after both
    today and the start; a date told is not in the future and comes with the letter or notice that told them.
    """
    if not can_decide_restrictions(actor):
        raise NotAllowed("restriction.record")
    restricted.visible_contact(actor, contact_id)  # a hidden case answers like one that is not there, first
    today = local_date()
    starts_on = values.get("starts_on") or today
    with gather() as problems:
        cleaned = {
            name: _text(problems, name, values.get(name), MAX_TEXT)
            for name in ("behaviour", "evidence", "details", "equality_consideration")
        }
        kind = values.get("kind") or ""
        if not kind:
            problems.add("kind", "required")
        elif kind not in RESTRICTION_KINDS:
            problems.add("kind", "unsupported")
        point_of_contact = _point_of_contact(problems, kind, values.get("point_of_contact_id"))
        review_due_on = values.get("review_due_on")
        _future(problems, "review_due_on", review_due_on)
        _soon_enough(problems, "review_due_on", review_due_on)
        if review_due_on is not None and today < review_due_on <= starts_on:
            problems.add("review_due_on", "before_start")
        told_on, notice = _told(problems, values.get("resident_told_on"), values.get("resident_notice"))
    contact = _someones_contact(actor, contact_id)
    with transaction():
        row = ContactRestriction.create(
            resident=contact.resident_id,  # type: ignore[attr-defined]
            contact=contact.id,
            kind=kind,
            point_of_contact=point_of_contact,
            decided_by=actor.user_id,
            decided_on=today,
            starts_on=starts_on,
            review_due_on=review_due_on,
            resident_told_on=told_on,
            resident_notice=notice,
            **cleaned,
        )
        record_audit(
            actor,
            "restriction.recorded",
            "contact_restriction",
            row.id,
            field_changes(
                None,
                {
                    "contact": contact.id,
                    "kind": kind,
                    "point_of_contact": point_of_contact,
                    "starts_on": starts_on,
                    "review_due_on": review_due_on,
                    "resident_told_on": told_on,
                },
            ),
        )
    return row


def record_restriction_told(actor: Actor, restriction_id: int, told_on: dt.date | None, notice: str) -> Any:
    """Record when (and by which letter or notice) the resident was told of a restriction; return it.

    Raises NotAllowed("restriction.told"), NotFound("contact_restriction") and Invalid for a missing or future
    date or a missing notice.
    """
    if not can_decide_restrictions(actor):
        raise NotAllowed("restriction.told")
    _restriction(restriction_id, actor)  # a hidden case answers like one that is not there, before any check
    with gather() as problems:
        if told_on is None:
            problems.add("resident_told_on", "required")
        checked_on, cleaned = _told(problems, told_on, notice, notice_required=True)
    row = _restriction(restriction_id, actor)
    with transaction():
        before = {"resident_told_on": row.resident_told_on, "resident_notice": row.resident_notice}
        row.resident_told_on = checked_on
        row.resident_notice = cleaned
        row.updated_at = utcnow()
        row.save()
        record_audit(
            actor,
            "restriction.resident_told",
            "contact_restriction",
            row.id,
            field_changes(before, {"resident_told_on": checked_on, "resident_notice": cleaned}),
        )
    return row


def review_restriction(
    actor: Actor, restriction_id: int, outcome: str, review_outcome: str, next_review_on: dt.date | None
) -> ContactRestriction:
    """Review a restriction: keep it (with the next review date, after today) or end it, saying why.

    Raises NotAllowed("restriction.review") for anyone but a manager or admin, NotFound("contact_restriction"),
    Invalid listing every problem (outcome, review_outcome, next_review_on) and Conflict("restriction_ended").
    """
    if not can_decide_restrictions(actor):
        raise NotAllowed("restriction.review")
    _restriction(restriction_id, actor)
    with gather() as problems:
        _outcome(problems, outcome)
        why = _text(problems, "review_outcome", review_outcome, MAX_TEXT)
        if outcome == "continue":
            _future(problems, "next_review_on", next_review_on)
            _soon_enough(problems, "next_review_on", next_review_on)
    row = _restriction(restriction_id, actor)
    today = local_date()
    ending = outcome == "end"
    changes = {
        "status": "ended" if ending else "active",
        "reviewed_on": today,
        "reviewed_by": actor.user_id,
        "review_outcome": why,
        "review_due_on": row.review_due_on if ending else next_review_on,
        "ended_on": today if ending else None,
        "review_notified_at": None,
        "updated_at": utcnow(),
    }
    with transaction():
        done = (
            ContactRestriction.update(**changes)
            .where(ContactRestriction.id == row.id, ContactRestriction.status == "active")
            .execute()
        )
        if not done:
            raise Conflict("restriction_ended")
        record_audit(
            actor,
            "restriction.reviewed",
            "contact_restriction",
            row.id,
            field_changes(
                {"status": row.status, "review_due_on": row.review_due_on},
                {"status": changes["status"], "review_due_on": changes["review_due_on"], "outcome": why},
            ),
        )
    return _restriction(row.id)


def _restriction(restriction_id: int, actor: Actor | None = None) -> ContactRestriction:
    """The restriction; NotFound alike when there is none and when its contact's case is hidden from ``actor``."""
    row = ContactRestriction.get_or_none(ContactRestriction.id == restriction_id)
    if row is None or (actor is not None and not _case_visible(actor, row.contact_id)):  # type: ignore[attr-defined]
        raise NotFound("contact_restriction", restriction_id)
    return row


def _point_of_contact(problems: Problems, kind: str, person_id: int | None) -> int | None:
    """The single point of contact: an active member of staff, needed when that is the restriction."""
    if person_id is None:
        if kind == "single_point_of_contact":
            problems.add("point_of_contact", "required")
        return None
    staff = (
        User.select(User.id)
        .join(UserRole)
        .where(User.id == person_id, User.is_active == True, UserRole.role.in_(("staff", "manager", "admin")))  # noqa: E712
        .exists()
    )
    if not staff:
        problems.add("point_of_contact", "not_staff")
        return None
    return person_id


def _told(
    problems: Problems, told_on: dt.date | None, notice: str | None, notice_required: bool = False
) -> tuple[dt.date | None, str]:
    """When the resident was told and the letter or notice that told them: each needs the other."""
    cleaned = _text(problems, "resident_notice", notice, MAX_TEXT, required=notice_required or told_on is not None)
    if told_on is not None and told_on > local_date():
        problems.add("resident_told_on", "in_future")
    elif told_on is None and cleaned and not notice_required:
        problems.add("resident_told_on", "required")
    return told_on, cleaned


# --- Checks shared by both -------------------------------------------------------------------------------------


def _text(problems: Problems, name: str, value: str | None, maximum: int, required: bool = True) -> str:
    cleaned = clean(value)
    if required and not cleaned:
        problems.add(name, "required")
    elif len(cleaned) > maximum:
        problems.add(name, "too_long", maximum=maximum)
    return cleaned


def _past_or_today(problems: Problems, name: str, day: dt.date | None) -> None:
    if day is None:
        problems.add(name, "required")
    elif day > local_date():
        problems.add(name, "in_future")


def _future(problems: Problems, name: str, day: dt.date | None) -> None:
    """A review date: required, and after today (a review already due is not a plan for one)."""
    if day is None:
        problems.add(name, "required")
    elif day <= local_date():
        problems.add(name, "not_after_today")


#: A restriction on contact is reviewed at least this often: it must stay proportionate (Code 5.14-5.15), and an
#: open-ended one would never be looked at again. docs/complaints.md says why six months.
RESTRICTION_REVIEW_MONTHS = 6


def _soon_enough(problems: Problems, name: str, day: dt.date | None) -> None:
    """A restriction's review date: within RESTRICTION_REVIEW_MONTHS of today."""
    if day is not None and day > local_date() + dt.timedelta(days=RESTRICTION_REVIEW_MONTHS * 31):
        problems.add(name, "too_far", months=RESTRICTION_REVIEW_MONTHS)


def _outcome(problems: Problems, outcome: str) -> None:
    if not outcome:
        problems.add("outcome", "required")
    elif outcome not in REVIEW_OUTCOMES:
        problems.add("outcome", "unsupported")


# --- The review sweep ------------------------------------------------------------------------------------------


def sweep_reviews(today: dt.date | None = None, limit: int = 1000) -> dict[str, int]:
    """Tell staff of each agreed adjustment and each restriction whose review has fallen due, once per review date.

    The adjustment's decider and the restriction's manager hear, with the handlers of the resident's open
    complaints; when none of them is active, every manager does. A review clears the stamp with its new date.
    Safe to run any number of times. Returns how many of each were newly notified.
    """
    today = today or local_date()
    sent = {"adjustments": 0, "restrictions": 0}
    adjustments = (
        ReasonableAdjustment.select()
        .where(
            ReasonableAdjustment.status == "agreed",
            ReasonableAdjustment.review_due_on <= today,
            ReasonableAdjustment.review_notified_at.is_null(),
        )
        .order_by(ReasonableAdjustment.review_due_on, ReasonableAdjustment.id)
        .limit(limit)
    )
    for row in adjustments:
        with transaction():
            claimed = (
                ReasonableAdjustment.update(review_notified_at=utcnow())
                .where(ReasonableAdjustment.id == row.id, ReasonableAdjustment.review_notified_at.is_null())
                .execute()
            )
            if claimed:
                _notify_review("adjustment", row)
                sent["adjustments"] += 1
    restrictions = (
        ContactRestriction.select()
        .where(
            ContactRestriction.status == "active",
            ContactRestriction.review_due_on <= today,
            ContactRestriction.review_notified_at.is_null(),
        )
        .order_by(ContactRestriction.review_due_on, ContactRestriction.id)
        .limit(limit)
    )
    for restriction in restrictions:
        with transaction():
            claimed = (
                ContactRestriction.update(review_notified_at=utcnow())
                .where(ContactRestriction.id == restriction.id, ContactRestriction.review_notified_at.is_null())
                .execute()
            )
            if claimed:
                _notify_review("restriction", restriction)
                sent["restrictions"] += 1
    if sent["adjustments"] or sent["restrictions"]:
        logger.info("review sweep: %s adjustments, %s restrictions", sent["adjustments"], sent["restrictions"])
    return sent


def _notify_review(record: str, row: Any) -> None:
    """One outbox event per person to tell, naming the record and the contact whose page shows it."""
    contact_id = row.contact_id or _latest_contact(row.resident_id)
    for person in _review_recipients(row):
        record_event(
            REVIEW_DUE_EVENT,
            {
                "recipient_id": person,
                "record": record,
                "record_id": row.id,
                "contact_id": contact_id,
                "reference": _reference(contact_id),
                "due_on": row.review_due_on.isoformat(),
            },
        )


def _review_recipients(row: Any) -> list[int]:
    owners = [row.decided_by_id] if row.decided_by_id else []
    active = User.select(User.id).where(User.id.in_(owners), User.is_active == True)  # noqa: E712
    people: set[int] = {user.id for user in active}
    # Peewee reads "== None" as IS NULL, so a record without a resident must not compare on it.
    theirs = Contact.id == row.contact_id
    if row.resident_id is not None:
        theirs = theirs | (Contact.resident == row.resident_id)
    handled = (
        Complaint.select(Complaint.handler)
        .join(Contact)
        .where(Complaint.status.in_(ACTIVE_STATUSES), Complaint.handler.is_null(False), theirs)
    )
    people |= {complaint.handler_id for complaint in handled}  # type: ignore[attr-defined]
    found = sorted(people)
    if found:
        return found
    return [
        user.id
        for user in User.select(User.id)
        .join(UserRole)
        .where(UserRole.role == "manager", User.is_active == True)  # noqa: E712
        .order_by(User.id)
    ]


def _latest_contact(resident_id: int | None) -> int | None:
    if resident_id is None:
        return None
    latest = Contact.select(Contact.id).where(Contact.resident == resident_id).order_by(Contact.id.desc()).first()
    return latest.id if latest else None


def _reference(contact_id: int | None) -> str:
    contact = Contact.get_or_none(Contact.id == contact_id) if contact_id else None
    return contact.reference if contact else ""
