"""The complaint journey: open, acknowledge, assign, mediate, extend, escalate, refuse, withdraw, close, refer.

The stages, their clocks and their limits come from the complaint's regime (data, not code). Which step
can happen now, and for whom, is the step table's answer (``steps``): a step taken out of sequence raises
``Conflict`` and changes nothing. Responses live in ``responses``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from backend.accounts.models import User
from backend.audit.models import AuditEvent
from backend.audit.services import field_changes, record_audit
from backend.complaints import (
    clocks,
    files,
    regimes,
    restricted,
    roles,
    steps,
)
from backend.complaints.models import (
    DETERMINATIONS,
    REFUSAL_GROUNDS,
    CaseMessage,
    Complaint,
    ComplaintAssignment,
    ComplaintPoint,
    ComplaintResponse,
    ComplaintStage,
    Contact,
    ContactPerson,
    Regime,
)
from backend.complaints.order_items import check_order, create_order
from backend.complaints.redaction import redact_contact_text
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, InputPath, Invalid, NotFound, Problems, gather
from backend.events.services import record_event
from backend.text import clean, is_blank
from backend.timeutil import local_date, utcnow
from backend.workdays import working_days_between

MAX_TEXT = 10_000
MAX_POINTS = 20
# The most working days one extension can add, however good the reason: a bound on the input.
MAX_EXTENSION_DAYS = 60
SNAPSHOT_FIELDS = (
    "stage",
    "status",
    "handler_id",
    "team",
    "summary",
    "outcomes_sought",
    "mediation_offered_at",
    "refusal_ground",
    "refusal_reasons",
    "withdrawal_reason",
    "underlying_cause",
    "remedial_action",
    "closed_at",
    "ombudsman_reference",
    "ombudsman_determination",
    "ombudsman_orders",
    "next_due_on",
)


def get_complaint(complaint_id: int) -> Complaint:
    """Return the complaint; raise ``NotFound("complaint")`` if there is none."""
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None:
        raise NotFound("complaint", complaint_id)
    return complaint


def text(
    field_name: str, value: str | None, maximum: int = MAX_TEXT, required: bool = True, at: InputPath | None = None
) -> str:
    """Strip a text input; raise Invalid (at ``at`` in the input) when it is required and empty, or too long."""
    cleaned = clean(value)
    if required and not cleaned:
        raise Invalid(field_name, "required", at=at)
    if len(cleaned) > maximum:
        raise Invalid(field_name, "too_long", at=at, maximum=maximum)
    return cleaned


def snapshot(complaint: Complaint) -> dict[str, Any]:
    return {name: getattr(complaint, name) for name in SNAPSHOT_FIELDS}


def regime_for(nation: str) -> Regime:
    """The regime that covers a home nation.

    There is no fallback: each nation has its own ombudsman, and a home in a nation no regime covers is
    refused rather than handled under another country's procedure. Raises Conflict("no_regime", nation=...).
    """
    for regime in Regime.select().where(Regime.archived_at.is_null()).order_by(Regime.id):
        if nation in (regime.nations or []):
            return regime
    raise Conflict("no_regime", nation=nation)


def current_stage(complaint: Complaint) -> ComplaintStage:
    return ComplaintStage.get(ComplaintStage.complaint == complaint.id, ComplaintStage.number == complaint.stage)


def first_reply_days(complaint: Complaint) -> int:
    """Working days within which the resident hears first: the acknowledgement, or the decision if none."""
    rules = clocks.stage_rules(complaint, 1)
    return rules.acknowledge_days if rules.acknowledge_days is not None else rules.respond_days


def _start_stage_clocks(complaint: Complaint, opened: dt.date) -> None:
    rules = clocks.stage_rules(complaint)
    if rules.acknowledge_days is not None:
        clocks.start_clock(complaint, "acknowledge", opened, rules.acknowledge_days)
    if rules.respond_from == "receipt" or rules.acknowledge_days is None:
        clocks.start_clock(complaint, "respond", opened, rules.respond_days)
    clocks.refresh_next_due(complaint)


def open_complaint(actor: Actor, contact: Contact) -> Complaint:
    """Open stage 1 of a complaint for a contact, in the current transaction, and start its clocks.

    The nation of the home decides the procedure: the contact's, else its home's. There is no default,
    as a complaint is never handled under another country's rules. Raises Conflict("no_nation") when
    neither is known, and Conflict("no_regime") when no procedure covers the nation.
    """
    home = contact.home
    nation = contact.nation or (home.nation if home is not None else None)
    if nation is None:
        raise Conflict("no_nation")
    regime = regime_for(nation)
    complaint = Complaint.create(
        reference=contact.reference,
        contact=contact.id,
        resident=contact.resident_id,  # type: ignore[attr-defined]
        home=contact.home_id,  # type: ignore[attr-defined]
        nation=nation,
        regime=regime.id,
        stage=1,
        status="received",
        service_area=contact.service_area_id,  # type: ignore[attr-defined]
        category=contact.category_id,  # type: ignore[attr-defined]
    )
    ComplaintStage.create(complaint=complaint.id, number=1, opened_at=contact.received_at)
    _start_stage_clocks(complaint, local_date(contact.received_at))
    complaint.save()
    record_audit(actor, "complaint.opened", "complaint", complaint.id, field_changes(None, snapshot(complaint)))
    record_event("complaint.opened", resident_payload(complaint))
    return complaint


def resident_payload(complaint: Complaint, **extra: Any) -> dict[str, Any]:
    contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
    resident = None if contact.anonymous else complaint.resident_id  # type: ignore[attr-defined]
    return {
        "user_id": resident,
        # Someone without an account is written to by the details recorded with their contact.
        "person_id": person_to_write_to(contact) if resident is None else None,
        "complaint_id": complaint.id,
        "reference": complaint.reference,
        "stage": complaint.stage,
        **extra,
    }


def person_to_write_to(contact: Contact) -> int | None:
    """The ContactPerson that messages about an account-less, named contact go to; None if anonymous."""
    if contact.anonymous or contact.resident_id is not None:  # type: ignore[attr-defined]
        return None
    person = ContactPerson.get_or_none(ContactPerson.contact == contact.id)
    return person.id if person is not None else None


def staff_payload(complaint: Complaint, person_id: int) -> dict[str, Any]:
    """An event for one member of staff (never the resident): who to tell and which case."""
    return {
        "recipient_id": person_id,
        "complaint_id": complaint.id,
        "reference": complaint.reference,
        "stage": complaint.stage,
    }


def add_message(
    actor: Actor, complaint: Complaint, kind: str, body: str, direction: str = "to_resident"
) -> CaseMessage:
    contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
    return CaseMessage.create(
        contact=contact.id,
        complaint=complaint.id,
        direction=direction,
        kind=kind,
        body=body,
        body_redacted=redact_contact_text(contact, body),
        stage=complaint.stage,
        created_by=actor.user_id,
    )


def save_change(actor: Actor, complaint: Complaint, action: str, before: dict[str, Any]) -> None:
    complaint.updated_at = utcnow()
    complaint.save()
    record_audit(actor, action, "complaint", complaint.id, field_changes(before, snapshot(complaint)))


def claim(complaint: Complaint, *statuses: str) -> None:
    """Inside the step's transaction, check nobody moved the complaint on since it was read.

    A conditional UPDATE takes the row's write lock, so of two people acting at once only the first
    succeeds; the second gets Conflict("changed") and changes nothing.
    """
    moved = (
        Complaint.update(updated_at=utcnow())
        .where(Complaint.id == complaint.id, Complaint.stage == complaint.stage, Complaint.status.in_(statuses))
        .execute()
    )
    if moved != 1:
        raise Conflict("changed")


def complaint_for_step(actor: Actor, complaint_id: int, step: str) -> Complaint:
    """The complaint, once the step table lets the actor take ``step`` on it now.

    Raises NotAllowed when the actor may not take the step on any complaint (a read-only token, say),
    NotFound both when there is no such complaint and when the actor may not see it, so that the
    answer never tells whether someone else's complaint exists, and Conflict when the step is not open now.
    """
    steps.require_role(actor, step)
    complaint = get_complaint(complaint_id)
    steps.require_step(actor, complaint, step)
    return complaint


def take_step(actor: Actor, complaint: Complaint, step: str) -> Complaint:
    """Inside the step's transaction: claim the row as it was read, read it again and check the table.

    The claim takes the row's write lock, so the check holds until the commit; a second person acting
    at once gets Conflict("changed") or the table's Conflict, and changes nothing.
    """
    claim(complaint, complaint.status)
    fresh = get_complaint(complaint.id)
    steps.require_step(actor, fresh, step)
    return fresh


def _staff_member(user_id: int) -> User:
    user = User.get_or_none(User.id == user_id, User.is_active == True)  # noqa: E712
    if user is None or not (user.role_names() & {"staff", "manager", "admin"}):
        raise Invalid("handler", "not_staff")
    return user


def earlier_handlers(complaint: Complaint) -> set[int]:
    rows = ComplaintStage.select(ComplaintStage.handler).where(
        ComplaintStage.complaint == complaint.id,
        ComplaintStage.number < complaint.stage,
        ComplaintStage.handler.is_null(False),
    )
    handlers = {row.handler_id for row in rows}  # type: ignore[attr-defined]
    # Whoever answered an earlier stage handled it too, even if the case was theirs only for that answer.
    responders = ComplaintResponse.select(ComplaintResponse.issued_by).where(
        ComplaintResponse.complaint == complaint.id,
        ComplaintResponse.stage < complaint.stage,
        ComplaintResponse.issued_by.is_null(False),
    )
    responded = {row.issued_by_id for row in responders}  # type: ignore[attr-defined]
    assigned = ComplaintAssignment.select(ComplaintAssignment.handler).where(
        ComplaintAssignment.complaint == complaint.id,
        ComplaintAssignment.stage < complaint.stage,
        ComplaintAssignment.handler.is_null(False),
    )
    held = {row.handler_id for row in assigned}  # type: ignore[attr-defined]
    return handlers | responded | held | _held_at_earlier_stages(complaint)


def _held_at_earlier_stages(complaint: Complaint) -> set[int]:
    """Everyone who held the case at an earlier stage, even for a while (Code 6.13), from the audit trail.

    Every change of handler is audited with the complaint's snapshot, so replaying the trail in order tells
    at which stage each person held it: someone reassigned away in the middle of stage 1 counts too.
    """
    held: set[int] = set()
    stage = 1
    events = (
        AuditEvent.select(AuditEvent.changes)
        .where(AuditEvent.entity_type == "complaint", AuditEvent.entity_id == str(complaint.id))
        .order_by(AuditEvent.id)
    )
    for event in events:
        changes = event.changes or {}
        handler = changes.get("handler_id")
        if handler and stage < complaint.stage:
            held |= {value for value in (handler.get("before"), handler.get("after")) if value}
        moved = changes.get("stage")
        if moved and moved.get("after"):
            stage = int(moved["after"])
    return held


def end_assignments(complaint: Complaint, moment: dt.datetime, because: str) -> None:
    """The complaint's current handler, if any, stops holding it: ``because`` it was reassigned or the stage ended."""
    ComplaintAssignment.update(ended_at=moment, ended_because=because, updated_at=moment).where(
        ComplaintAssignment.complaint == complaint.id, ComplaintAssignment.ended_at.is_null()
    ).execute()


def _set_handler(complaint: Complaint, handler: User) -> None:
    # Code 5.8: nobody the complaint names handles it; a need-to-know case only someone on its list.
    restricted.check_handler(complaint, handler.id)
    if handler.id in earlier_handlers(complaint):
        # The Code: the stage-2 handler must not be the person who handled stage 1.
        raise Conflict("same_handler")
    now = utcnow()
    end_assignments(complaint, now, "reassigned")
    ComplaintAssignment.create(complaint=complaint.id, stage=complaint.stage, handler=handler.id, assigned_at=now)
    complaint.handler = handler.id  # type: ignore[assignment]
    complaint.team = handler.team
    stage = current_stage(complaint)
    stage.handler = handler.id  # type: ignore[assignment]
    stage.save()


def acknowledge_complaint(
    actor: Actor,
    complaint_id: int,
    points: Sequence[tuple[str, str]],
    outcomes_sought: str,
    summary: str = "",
) -> Complaint:
    """Acknowledge the current stage and define the complaint: its points and the outcomes the resident seeks.

    Meets the acknowledgement clock and starts the response clock. The acting handler takes the case if
    nobody has it. Raises NotAllowed, NotFound, Invalid (points, outcomes_sought, summary: every problem
    at once) or Conflict("already_acknowledged", "closed", "same_handler").
    """
    complaint = complaint_for_step(actor, complaint_id, "acknowledge")
    with gather() as problems:
        cleaned = []
        for index, (point, outcome) in enumerate(points):
            if not point.strip():
                continue  # a blank row of the form, not a point
            with problems.check():
                cleaned.append(
                    (
                        text("points", point, 2_000, at=("points", index, "text")),
                        text("points", outcome, 2_000, required=False, at=("points", index, "outcome_sought")),
                    )
                )
        written = sum(1 for point, _outcome in points if point.strip())
        if not written:
            problems.add("points", "required")
        elif written > MAX_POINTS:
            problems.add("points", "too_many", maximum=MAX_POINTS)
        with problems.check():
            outcomes = text("outcomes_sought", outcomes_sought)
        with problems.check():
            summary = text("summary", summary, required=False)
    before = snapshot(complaint)
    now = utcnow()
    with transaction():
        complaint = take_step(actor, complaint, "acknowledge")
        if complaint.handler_id is None and actor.user_id is not None and actor.is_staff:  # type: ignore[attr-defined]
            _set_handler(complaint, User.get_by_id(actor.user_id))
        ComplaintPoint.delete().where(
            ComplaintPoint.complaint == complaint.id, ComplaintPoint.stage == complaint.stage
        ).execute()
        start = ComplaintPoint.select().where(ComplaintPoint.complaint == complaint.id).count()
        for position, (point, outcome) in enumerate(cleaned, start=start + 1):
            ComplaintPoint.create(
                complaint=complaint.id, position=position, text=point, outcome_sought=outcome, stage=complaint.stage
            )
        complaint.outcomes_sought = outcomes
        complaint.summary = summary or complaint.summary
        complaint.status = "open"
        stage = current_stage(complaint)
        stage.acknowledged_at = now
        stage.save()
        clocks.meet_clock(complaint, "acknowledge", now)
        rules = clocks.stage_rules(complaint)
        if clocks.running_clock(complaint, "respond") is None:
            clocks.start_clock(complaint, "respond", local_date(now), rules.respond_days)
        clocks.refresh_next_due(complaint)
        add_message(actor, complaint, "acknowledgement", summary or outcomes)
        save_change(actor, complaint, "complaint.acknowledged", before)
        record_event("complaint.acknowledged", resident_payload(complaint))
    return complaint


def assign_complaint(actor: Actor, complaint_id: int, handler_id: int) -> Complaint:
    """Give the current stage to a handler (their team is what the resident sees).

    Raises NotAllowed, NotFound, Invalid("handler", "not_staff"), Conflict("closed", "same_handler").
    """
    complaint = complaint_for_step(actor, complaint_id, "assign")
    handler = _staff_member(handler_id)
    before = snapshot(complaint)
    with transaction():
        complaint = take_step(actor, complaint, "assign")
        _set_handler(complaint, handler)
        save_change(actor, complaint, "complaint.assigned", before)
        record_event("complaint.assigned", staff_payload(complaint, handler.id))
    return complaint


def offer_mediation(actor: Actor, complaint_id: int, note: str) -> Complaint:
    """Record that mediation was offered, and how. Raises NotAllowed, NotFound, Invalid or Conflict("closed")."""
    complaint = complaint_for_step(actor, complaint_id, "offer_mediation")
    note = text("note", note, 2_000)
    before = snapshot(complaint)
    with transaction():
        complaint = take_step(actor, complaint, "offer_mediation")
        complaint.mediation_offered_at = utcnow()
        complaint.mediation_note = note
        add_message(actor, complaint, "mediation", note)
        save_change(actor, complaint, "complaint.mediation_offered", before)
        record_event("complaint.mediation_offered", resident_payload(complaint))
    return complaint


def extend_complaint(
    actor: Actor,
    complaint_id: int,
    days: int,
    reason: str,
    told_on: dt.date | None,
    ombudsman_details_given: bool,
    good_reason: str = "",
    backdate_reason: str | None = None,
) -> Complaint:
    """Extend the current stage's response clock by working days.

    Within the regime's cap a handler extends on their own, unless the procedure wants a manager to authorise
    every extension (the SPSO's and NIPSO's). Beyond the cap the Code asks for a good reason (6.4, "without good
    reason") and the SPSO for exceptional circumstances authorised by a manager: both ``good_reason`` and a
    manager or admin who is not the complaint's handler are needed. The manager authorises by making the
    extension themselves, in their own session, so nobody can record another person's authorisation; both are
    stored on the stage. The reason, the date the resident was told, and that the Ombudsman's details
    were given are always required. ``told_on`` before today is backdating: it needs ``backdate_reason``, and a
    manager or admin beyond 5 working days (``check_backdate``); the clock still runs from the stage's real dates.
    Raises NotAllowed, NotFound, Invalid (days, reason, good_reason; every problem with told_on,
    backdate_reason, ombudsman_details_given at once) or Conflict("closed", "no_running_clock", "overdue",
    "extension_used").
    """
    complaint = complaint_for_step(actor, complaint_id, "extend")
    clock = clocks.running_clock(complaint, "respond")
    if clock is None:  # the table has just checked that it runs; read again in case it stopped meanwhile
        raise Conflict("no_running_clock")
    if local_date() > clock.due_on:
        # An extension is agreed before the answer is late; a missed deadline stays missed.
        raise Conflict("overdue")
    rules = clocks.stage_rules(complaint)
    limit = regimes.limit_for(complaint.regime_id, complaint.stage)  # type: ignore[attr-defined]
    stage = current_stage(complaint)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise Invalid("days", "out_of_range", minimum=1, maximum=MAX_EXTENSION_DAYS)
    good_reason = text("good_reason", good_reason, 2_000, required=False)
    cap = rules.max_extension_days
    beyond_cap = stage.extended_days + days > cap
    if beyond_cap and not good_reason:
        remaining = cap - stage.extended_days
        if remaining <= 0:
            raise Conflict("extension_used", maximum=cap)
        raise Invalid("days", "beyond_cap", maximum=remaining, cap=cap)
    backdated: str | None = None
    with gather() as problems:
        with problems.check():
            reason = text("reason", reason, 2_000)
        if told_on is None:
            problems.add("told_on", "required")
        elif told_on > local_date():
            problems.add("told_on", "in_future")
        elif told_on > clock.due_on:
            problems.add("told_on", "after_due")
        elif told_on < local_date(stage.opened_at):
            # The resident can only be told of an extension to a stage that has begun.
            problems.add("told_on", "before_stage")
        else:
            # The day it really happened may be before today: with a reason, and a manager beyond 5 working days.
            backdated = check_backdate(problems, actor, complaint, "told_on", told_on, backdate_reason)
        if not ombudsman_details_given:
            problems.add("ombudsman_details_given", "required")
    needs_manager = beyond_cap or (limit is not None and limit.extension_needs_manager)
    authoriser = _extension_authoriser(actor, complaint) if needs_manager else None
    before = snapshot(complaint)
    now = utcnow()
    with transaction():
        # Claim the row, then read the stage again: an extension made meanwhile counts against the cap.
        complaint = take_step(actor, complaint, "extend")
        stage = current_stage(complaint)
        if stage.extended_days + days > cap and not (good_reason and authoriser is not None):
            raise Conflict("extension_used", maximum=cap)
        stage_before = {"extended_days": stage.extended_days}
        stage.extended_days += days
        stage.extension_reason = reason
        stage.extension_told_on = told_on
        stage.extension_backdate_reason = backdated
        stage.extension_ombudsman_details_given = True
        if authoriser is not None:
            stage.extension_good_reason = good_reason or None
            stage.extension_authorised_by = authoriser.id  # type: ignore[assignment]
            stage.extension_authorised_at = now
        stage.save()
        clocks.extend_clock(clock, stage.extended_days, complaint.nation)
        clocks.refresh_next_due(complaint)
        add_message(actor, complaint, "extension", reason)
        save_change(actor, complaint, "complaint.extended", before)
        record_audit(
            actor,
            "complaint.extension_recorded",
            "complaint_stage",
            stage.id,
            field_changes(
                stage_before,
                {
                    "extended_days": stage.extended_days,
                    "extension_good_reason": stage.extension_good_reason,
                    "extension_authorised_by": authoriser.id if authoriser is not None else None,
                    "extension_backdate_reason": backdated,
                },
            ),
        )
        record_event("complaint.extended", resident_payload(complaint, days=days, due_on=clock.due_on.isoformat()))
    return complaint


def _extension_authoriser(actor: Actor, complaint: Complaint) -> User:
    """The manager or admin who authorises an extension: always the person making it.

    A handler cannot name a manager: the manager makes the extension in their own session, so the record
    and the audit trail show who really authorised it. The complaint's own handler cannot authorise their
    own extension. Raises Invalid("days", "needs_manager" | "needs_other_manager").
    """
    user = User.get_or_none(User.id == actor.user_id, User.is_active == True)  # noqa: E712
    if user is None or not actor.has_role("manager", "admin") or not (user.role_names() & {"manager", "admin"}):
        raise Invalid("days", "needs_manager")
    if user.id == complaint.handler_id:  # type: ignore[attr-defined]
        raise Invalid("days", "needs_other_manager")
    return user


#: How far back staff may date a step on their own (working days before today); beyond it, a manager does it.
BACKDATE_WORKING_DAYS = 5
MAX_BACKDATE_REASON = 2_000


def check_backdate(
    problems: Problems, actor: Actor, complaint: Complaint, field: str, happened_on: dt.date, reason: str | None
) -> str | None:
    """Check a step dated before today: it needs a reason, and beyond 5 working days a manager or admin.

    A manager approves by recording the step themselves (as for extensions), so nobody records another person's
    approval. Records Invalid("backdate_reason", "required" | "too_long") and Invalid(field,
    "backdate_needs_manager", maximum=5) on ``problems``; returns the cleaned reason (None when not backdated).
    """
    if happened_on >= local_date():
        return None
    cleaned = clean(reason)
    if not cleaned:
        problems.add("backdate_reason", "required")
    elif len(cleaned) > MAX_BACKDATE_REASON:
        problems.add("backdate_reason", "too_long", maximum=MAX_BACKDATE_REASON)
    if working_days_between(happened_on, local_date(), complaint.nation) > BACKDATE_WORKING_DAYS and not (
        actor.has_role("manager", "admin")
    ):
        problems.add(field, "backdate_needs_manager", maximum=BACKDATE_WORKING_DAYS)
    return cleaned or None


def escalation_requested_at(
    actor: Actor, complaint: Complaint, requested_at: dt.datetime | None, backdate_reason: str | None = None
) -> tuple[dt.datetime, str | None]:
    """When the resident asked for the next stage, and why it is backdated: now, or the moment staff record.

    The Code (6.11) counts the stage's acknowledgement from the request, so staff may record an earlier
    one (a request by phone, say): not in the future and not before the stage's answer; a day before today needs
    a reason, and more than 5 working days back a manager (``check_backdate``). Residents ask now; a time they
    send is ignored, as for contacts. Raises Invalid listing every problem ("requested_at": "in_future",
    "before_response", "backdate_needs_manager"; "backdate_reason": "required", "too_long").
    """
    now = utcnow()
    if requested_at is None or not actor.is_staff:
        return now, None
    if requested_at.tzinfo is not None:
        requested_at = requested_at.astimezone(dt.UTC).replace(tzinfo=None)
    with gather() as problems:
        if requested_at > now:
            problems.add("requested_at", "in_future")
        answered = current_stage(complaint).responded_at
        if answered is not None and requested_at < answered:
            problems.add("requested_at", "before_response")
        reason = check_backdate(
            problems, actor, complaint, "requested_at", local_date(min(requested_at, now)), backdate_reason
        )
    return requested_at, reason


def escalate_complaint(
    actor: Actor,
    complaint_id: int,
    reason: str = "",
    requested_at: dt.datetime | None = None,
    backdate_reason: str | None = None,
) -> Complaint:
    """Move an answered complaint to the next stage, also after staff closed it. The resident need give no reason.

    The new stage opens, and its clocks start, from the request (``requested_at``, which only staff may
    give). It has no handler until one is assigned (and it can't be an earlier stage's handler).
    Raises NotAllowed, NotFound (also for a complaint the actor may not see), Invalid("reason",
    "requested_at") or Conflict("closed", "final_stage", "not_responded").
    """
    complaint = complaint_for_step(actor, complaint_id, "escalate")
    reason = text("reason", reason, MAX_TEXT, required=False)
    requested, backdated = escalation_requested_at(actor, complaint, requested_at, backdate_reason)
    before = snapshot(complaint)
    with transaction():
        complaint = take_step(actor, complaint, "escalate")
        complaint.stage += 1
        complaint.status = "received"
        complaint.closed_at = None
        complaint.handler = None
        end_assignments(complaint, utcnow(), "stage_ended")
        complaint.team = None
        stage = ComplaintStage.create(
            complaint=complaint.id,
            number=complaint.stage,
            opened_at=requested,
            escalation_reason=reason or None,
            escalation_backdate_reason=backdated,
            entry_route="escalated",
        )
        if backdated:
            record_audit(
                actor,
                "complaint.escalation_backdated",
                "complaint_stage",
                stage.id,
                {
                    "requested_at": {"before": None, "after": requested.isoformat()},
                    "reason": {"before": None, "after": backdated},
                },
            )
        _start_stage_clocks(complaint, local_date(requested))
        if reason:
            add_message(actor, complaint, "escalation_request", reason, direction="from_resident")
        save_change(actor, complaint, "complaint.escalated", before)
        record_event("complaint.escalated", resident_payload(complaint))
    return complaint


def refuse_complaint(
    actor: Actor, complaint_id: int, ground: str, reasons: str, ombudsman_details_given: bool
) -> Complaint:
    """Refuse to take a complaint forward on a ground of exclusion, with reasons and the Ombudsman's details.

    The ground must be one the complaint's own procedure allows (the Code's 12 months, the SPSO's 6 months...).
    Raises NotAllowed, NotFound, Invalid (ground, reasons, ombudsman_details_given) or Conflict("closed").
    """
    steps.require_role(actor, "refuse")
    if not ground:
        raise Invalid("ground", "required")
    if ground not in REFUSAL_GROUNDS:
        raise Invalid("ground", "unsupported")
    reasons = text("reasons", reasons)
    if not ombudsman_details_given:
        raise Invalid("ombudsman_details_given", "required")
    complaint = complaint_for_step(actor, complaint_id, "refuse")
    if ground not in regimes.refusal_grounds(Regime.get_by_id(complaint.regime_id)):  # type: ignore[attr-defined]
        raise Invalid("ground", "not_in_procedure")
    before = snapshot(complaint)
    now = utcnow()
    with transaction():
        complaint = take_step(actor, complaint, "refuse")
        complaint.status = "refused"
        complaint.refusal_ground = ground
        complaint.refusal_reasons = reasons
        complaint.refused_at = now
        complaint.closed_at = now
        clocks.stop_clocks(complaint)
        clocks.refresh_next_due(complaint)
        add_message(actor, complaint, "refusal", reasons)
        save_change(actor, complaint, "complaint.refused", before)
        record_event("complaint.refused", resident_payload(complaint, ground=ground))
    return complaint


def withdraw_complaint(actor: Actor, complaint_id: int, reason: str = "") -> Complaint:
    """Withdraw a complaint at the resident's wish.

    Raises NotAllowed, NotFound (also for a complaint the actor may not see), or Conflict("closed").
    """
    complaint = complaint_for_step(actor, complaint_id, "withdraw")
    reason = text("reason", reason, 2_000, required=False)
    before = snapshot(complaint)
    now = utcnow()
    with transaction():
        complaint = take_step(actor, complaint, "withdraw")
        complaint.status = "withdrawn"
        complaint.withdrawn_at = now
        complaint.withdrawal_reason = reason or None
        complaint.closed_at = now
        clocks.stop_clocks(complaint)
        clocks.refresh_next_due(complaint)
        save_change(actor, complaint, "complaint.withdrawn", before)
        record_event("complaint.withdrawn", resident_payload(complaint))
    return complaint


def closure_missing(underlying_cause: str | None, remedial_action: str | None) -> list[str]:
    """The SPSO minimum record needs the underlying cause and the remedial action before a complaint closes."""
    missing = []
    if is_blank(underlying_cause):
        missing.append("underlying_cause")
    if is_blank(remedial_action):
        missing.append("remedial_action")
    return missing


def close_complaint(actor: Actor, complaint_id: int, underlying_cause: str, remedial_action: str) -> Complaint:
    """Close a complaint whose stage was answered and not escalated, completing its minimum record.

    Raises NotAllowed, NotFound, Invalid("closure", "incomplete", missing=[...]) or Conflict("closed", "not_responded").
    """
    complaint = complaint_for_step(actor, complaint_id, "close")
    missing = closure_missing(underlying_cause, remedial_action)
    if missing:
        raise Invalid("closure", "incomplete", missing=missing)
    before = snapshot(complaint)
    with transaction():
        complaint = take_step(actor, complaint, "close")
        complaint.underlying_cause = text("underlying_cause", underlying_cause)
        complaint.remedial_action = text("remedial_action", remedial_action)
        close(actor, complaint, before)
    return complaint


def close(actor: Actor, complaint: Complaint, before: dict[str, Any]) -> None:
    complaint.status = "closed"
    complaint.closed_at = utcnow()
    clocks.stop_clocks(complaint)
    clocks.refresh_next_due(complaint)
    save_change(actor, complaint, "complaint.closed", before)
    record_event("complaint.closed", resident_payload(complaint))


def refer_to_ombudsman(actor: Actor, complaint_id: int, reference: str) -> Complaint:
    """Record that the complaint went to the Ombudsman, with its reference.

    Raises NotAllowed, NotFound, Invalid("reference") or Conflict("withdrawn", "already_referred").
    """
    complaint = complaint_for_step(actor, complaint_id, "refer")
    reference = text("reference", reference, 50)
    before = snapshot(complaint)
    with transaction():
        complaint = take_step(actor, complaint, "refer")
        complaint.ombudsman_referred_at = utcnow()
        complaint.ombudsman_reference = reference
        save_change(actor, complaint, "complaint.referred", before)
        record_event("complaint.referred", resident_payload(complaint))
        tell_complaints_officer("complaint.ombudsman_liaison", complaint)
    return complaint


def record_determination(
    actor: Actor, complaint_id: int, determination: str, orders: str = "", orders_due_on: dt.date | None = None
) -> Complaint:
    """Record the Ombudsman's determination; any orders given with it become one order item, due ``orders_due_on``.

    Further orders are recorded one by one (``orders.record_order``). Raises NotAllowed, NotFound, Invalid listing
    every problem ("determination"; "orders" too long; "orders_due_on" required when there are orders) or
    Conflict("not_referred").
    """
    complaint = complaint_for_step(actor, complaint_id, "record_determination")
    with gather() as problems:
        if determination not in DETERMINATIONS:
            problems.add("determination", "unsupported" if determination else "required")
        if (orders or "").strip():
            with problems.check():
                orders = check_order(orders, orders_due_on, "orders", "orders_due_on")
    before = snapshot(complaint)
    with transaction():
        complaint = take_step(actor, complaint, "record_determination")
        complaint.ombudsman_determination = determination
        if (orders or "").strip():
            create_order(actor, complaint, orders, orders_due_on)  # type: ignore[arg-type]
        complaint.ombudsman_determined_at = utcnow()
        save_change(actor, complaint, "complaint.determined", before)
        record_event("complaint.determined", resident_payload(complaint, determination=determination))
        tell_complaints_officer("complaint.ombudsman_determined", complaint)
    return complaint


def tell_complaints_officer(event: str, complaint: Complaint) -> None:
    """Ombudsman liaison goes to the complaints officer (Code 4.1); every manager hears when nobody holds the role."""
    officer = roles.holder("complaints_officer")
    for person in [officer.id] if officer else [user.id for user in clocks.managers()]:
        record_event(event, staff_payload(complaint, person))


def add_information(actor: Actor, complaint_id: int, body: str, uploads: Sequence[Any] = ()) -> CaseMessage:
    """Add the resident's further words (and files) to an open complaint; the handler is told.

    The resident sees them. Staff use this for what the resident told them; their own notes go through
    ``backend.complaints.notes.add_note``, which no resident sees.

    When the file store is full or failing, the message is saved without its files and ``files_not_kept`` on it
    says how many. Raises NotAllowed, NotFound (also for a complaint the actor may not see), Invalid("body") or
    Conflict("closed").
    """
    complaint = complaint_for_step(actor, complaint_id, "add_information")
    body = text("body", body, 20_000)
    # As with a new contact, a full or failing file store costs the files, never the words.
    prepared, not_kept = files.prepare_keeping_words(uploads)
    try:
        with transaction():
            complaint = take_step(actor, complaint, "add_information")
            message = add_message(actor, complaint, "more_information", body, direction="from_resident")
            contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
            files.record(actor, contact, message, prepared)
            if not_kept:
                files.record_not_kept(actor, "case_message", message.id, not_kept)
            record_audit(actor, "complaint.information_added", "complaint", complaint.id)
            if complaint.handler_id:  # type: ignore[attr-defined]
                record_event("complaint.information_added", staff_payload(complaint, complaint.handler_id))  # type: ignore[attr-defined]
    except BaseException:
        files.discard(prepared)
        raise
    message.files_not_kept = not_kept
    return message
