"""Answer a stage: a decision on every point, the reasons, remedies, outstanding actions and the way on.

A response is refused until every required part is there, and the error lists what is missing. A response
that upholds or partly upholds any point needs the underlying cause and the remedial action, at any stage;
the final stage's response also closes the complaint, so it needs them too (the SPSO minimum record).
Every remedy and outstanding action has an owner and a due date no earlier than today, and is followed to
completion (``promises`` sweeps them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.accounts.models import User
from backend.audit.services import field_changes, record_audit
from backend.complaints import clocks, journey, signoff, steps
from backend.complaints.models import (
    DECISIONS,
    REMEDY_KINDS,
    Complaint,
    ComplaintPoint,
    ComplaintResponse,
    Contact,
    OutstandingAction,
    PointDecision,
    Regime,
    Remedy,
    ResponseDraft,
)
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, InputPath, Invalid, NotFound, Problems, gather
from backend.events.services import record_event
from backend.text import is_blank
from backend.timeutil import local_date, utcnow

MAX_AMOUNT = Decimal("100000")
MAX_ITEMS = 20


@dataclass(frozen=True)
class RemedyInput:
    kind: str
    description: str
    due_on: dt.date | None
    amount: Decimal | str | None = None
    owner_id: int | None = None


@dataclass(frozen=True)
class ActionInput:
    description: str
    due_on: dt.date | None
    owner_id: int | None = None


def parse_amount(raw: Decimal | str | None, at: InputPath | None = None) -> Decimal | None:
    """Return the remedy's amount in pounds, or None when none is given.

    Raises Invalid("remedies", "bad_amount") unless it is pounds and pence, more than 0 and at most MAX_AMOUNT.
    """
    if raw is None or raw == "":
        return None
    try:
        amount = Decimal(str(raw).replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        raise Invalid("remedies", "bad_amount", at=at) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise Invalid("remedies", "bad_amount", at=at)
    return amount


def _clean_remedy(item: RemedyInput, earliest: dt.date, index: int) -> dict[str, Any]:
    """The remedy's values; raise Invalid listing every problem with it, each at its place in ``remedies``."""
    here = ("remedies", index)
    with gather() as problems:
        if item.kind not in REMEDY_KINDS:
            problems.add("remedies", "unsupported", at=(*here, "kind"))
        with problems.check():
            description = journey.text("remedies", item.description, 2_000, at=(*here, "description"))
        _check_due(problems, "remedies", item.due_on, earliest, (*here, "due_on"))
        with problems.check():
            amount = parse_amount(item.amount, (*here, "amount"))
            if item.kind == "financial_redress" and amount is None:
                problems.add("remedies", "amount_required", at=(*here, "amount"))
        _check_owner(problems, "remedies", item.owner_id, (*here, "owner_id"))
    return {
        "kind": item.kind,
        "description": description,
        "due_on": item.due_on,
        "amount": amount,
        "owner": item.owner_id,
    }


def _clean_action(item: ActionInput, earliest: dt.date, index: int) -> dict[str, Any]:
    """The action's values; raise Invalid listing every problem with it, each at its place in ``actions``."""
    here = ("actions", index)
    with gather() as problems:
        with problems.check():
            description = journey.text("actions", item.description, 2_000, at=(*here, "description"))
        _check_due(problems, "actions", item.due_on, earliest, (*here, "due_on"))
        _check_owner(problems, "actions", item.owner_id, (*here, "owner_id"))
    return {"description": description, "due_on": item.due_on, "owner": item.owner_id}


def _check_owner(problems: Problems, field: str, owner_id: int | None, at: InputPath) -> None:
    """A promise needs someone to keep it: an active member of staff (the sweep tells them when it falls due)."""
    if owner_id is None:
        problems.add(field, "owner_required", at=at)
    elif not is_staff_member(owner_id):
        problems.add(field, "not_found", at=at)


def is_staff_member(user_id: int) -> bool:
    """Whether the account is an active member of staff, who can own a remedy or an action."""
    user = User.get_or_none(User.id == user_id, User.is_active == True)  # noqa: E712
    return user is not None and bool(user.role_names() & {"staff", "manager", "admin"})


def _check_due(problems: Problems, field: str, due_on: dt.date | None, earliest: dt.date, at: InputPath) -> None:
    """A promise is due on a day still ahead of us (UK time): one due before today would be late as it is made."""
    if due_on is None:
        problems.add(field, "due_required", at=at)
    elif due_on < earliest:
        problems.add(field, "due_before_complaint", at=at)
    elif due_on < local_date():
        problems.add(field, "due_in_past", at=at)


def respond_to_complaint(
    actor: Actor,
    complaint_id: int,
    decisions: Mapping[int, tuple[str, str]] | Sequence[tuple[int, tuple[str, str]]],
    reasons: str,
    next_steps: str,
    remedies: Sequence[RemedyInput] = (),
    actions: Sequence[ActionInput] = (),
    underlying_cause: str = "",
    remedial_action: str = "",
    outcome: str | None = None,
) -> ComplaintResponse | ResponseDraft:
    """Issue the current stage's response; at the final stage this also closes the complaint.

    ``outcome`` is the overall outcome (upheld, partly_upheld, not_upheld or resolved); left out, it is worked
    out from the point decisions. Where the procedure wants a manager to sign off the final response and the
    actor is not a manager who may, the checked response is kept for sign-off instead and its
    :class:`ResponseDraft` returned (see ``backend.complaints.signoff``).

    ``decisions`` gives (decision, reasons) for each of the stage's points by id: a mapping, or the
    (point id, (decision, reasons)) pairs in the order they were sent. Raises NotAllowed, NotFound, Invalid
    listing every problem at once (the first is ("response", "incomplete", missing=[...]) naming every
    missing part, when parts are missing; a problem with one decision is at ("decisions", n, ...), n its
    place in ``decisions``: ("decisions", n, "point_id") is "not_found" for a point this stage doesn't have,
    another complaint's included, and "duplicate" for a point named before; a remedy or action due before
    the complaint was made is "due_before_complaint", one due before today (UK time) "due_in_past"), or
    Conflict("closed", "not_acknowledged", "already_responded", "same_handler").
    """
    complaint = journey.complaint_for_step(actor, complaint_id, "respond")
    if actor.user_id is not None and actor.user_id in journey.earlier_handlers(complaint):
        raise Conflict("same_handler")
    regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
    final = complaint.stage >= regime.max_stages
    # Each stage answers the points defined when that stage was acknowledged.
    points = list(
        ComplaintPoint.select()
        .where(ComplaintPoint.complaint == complaint.id, ComplaintPoint.stage == complaint.stage)
        .order_by(ComplaintPoint.position)
    )
    # Nothing promised in an answer can have been due before the complaint was made.
    earliest = local_date(Contact.get_by_id(complaint.contact_id).received_at)  # type: ignore[attr-defined]
    given = list(decisions.items()) if isinstance(decisions, Mapping) else list(decisions)
    with gather() as problems:
        answered, place = _decisions_by_point(points, given)
        missing = _missing(points, answered, reasons, next_steps, remedies)
        if final or _upholds(answered):
            # Whatever went wrong needs its cause found and put right, at any stage (Code 6.x, SPSO minimum
            # record); the final answer also closes the complaint, which needs the same record.
            missing += journey.closure_missing(underlying_cause, remedial_action)
        if missing:
            problems.add("response", "incomplete", missing=missing)
            problems.found.extend(_missing_parts(points, answered, place, missing))
        problems.found.extend(_unusable_points(points, given, place))
        why_by_point = _check_decisions(problems, points, answered, place)
        for name, items in (("remedies", remedies), ("actions", actions)):
            if len(items) > MAX_ITEMS:
                problems.add(name, "too_many", maximum=MAX_ITEMS)
        clean_remedies = [_checked(problems, _clean_remedy, item, earliest, i) for i, item in enumerate(remedies)]
        clean_actions = [_checked(problems, _clean_action, item, earliest, i) for i, item in enumerate(actions)]
        with problems.check():
            reasons = journey.text("reasons", reasons, required=False)
        with problems.check():
            next_steps = journey.text("next_steps", next_steps, 4_000, required=False)
        with problems.check():
            underlying_cause = journey.text("underlying_cause", underlying_cause, required=False)
        with problems.check():
            remedial_action = journey.text("remedial_action", remedial_action, required=False)
        with problems.check():
            signoff.check_outcome(outcome)
    if signoff.needs_sign_off(actor, complaint, final):
        content = signoff.draft_content(
            given, reasons, next_steps, remedies, actions, underlying_cause, remedial_action, outcome
        )
        return signoff.hold(actor, complaint, content)
    overall = outcome or signoff.outcome_of(decided for decided, _why in answered.values())
    signer = signoff.signed_off_by(actor, complaint, final)
    before = journey.snapshot(complaint)
    now = utcnow()
    with transaction():
        complaint = journey.take_step(actor, complaint, "respond")
        response = ComplaintResponse.create(
            complaint=complaint.id,
            stage=complaint.stage,
            reasons=reasons,
            next_steps=next_steps,
            issued_at=now,
            issued_by=actor.user_id,
            underlying_cause=underlying_cause or None,
            remedial_action=remedial_action or None,
            outcome=overall,
            signed_off_by=signer,
            signed_off_at=now if signer is not None else None,
        )
        for point in points:
            PointDecision.create(
                response=response.id, point=point.id, decision=answered[point.id][0], reasons=why_by_point[point.id]
            )
        for values in clean_remedies:
            Remedy.create(complaint=complaint.id, response=response.id, **values)  # type: ignore[arg-type]
        for values in clean_actions:
            OutstandingAction.create(complaint=complaint.id, response=response.id, **values)  # type: ignore[arg-type]
        stage = journey.current_stage(complaint)
        stage.responded_at = now
        stage.save()
        clocks.meet_clock(complaint, "acknowledge", now)
        clocks.meet_clock(complaint, "respond", now)
        complaint.status = "responded"
        # The complaint keeps the latest stage's finding: what closing it (by staff or by the sweep) needs.
        if underlying_cause:
            complaint.underlying_cause = underlying_cause
        if remedial_action:
            complaint.remedial_action = remedial_action
        clocks.refresh_next_due(complaint)
        journey.add_message(actor, complaint, "response", reasons)
        journey.save_change(actor, complaint, "complaint.responded", before)
        record_event("complaint.responded", journey.resident_payload(complaint, final=final))
        if final:
            journey.close(actor, complaint, journey.snapshot(complaint))
    return response


def _missing(
    points: Sequence[ComplaintPoint],
    decisions: Mapping[int, tuple[str, str]],
    reasons: str,
    next_steps: str,
    remedies: Sequence[RemedyInput],
) -> list[str]:
    missing = []
    if not points:
        missing.append("points")
    elif any(point.id not in decisions or not decisions[point.id][0] for point in points):
        missing.append("decisions")
    if any(is_blank(decisions.get(point.id, ("", ""))[1]) for point in points):
        # The Code (6.7, 6.18): clear reasons for each decision, point by point.
        missing.append("decision_reasons")
    if is_blank(reasons):
        missing.append("reasons")
    if is_blank(next_steps):
        missing.append("next_steps")
    if _upholds(decisions) and not remedies:
        # The Code: where something went wrong, the response says how it will be put right.
        missing.append("remedies")
    return missing


def _upholds(decisions: Mapping[int, tuple[str, str]]) -> bool:
    """Whether any point is upheld or partly upheld: something went wrong, so a remedy, cause and action are due."""
    return any(decision in ("upheld", "partly_upheld") for decision, _why in decisions.values())


def _decisions_by_point(
    points: Sequence[ComplaintPoint], given: Sequence[tuple[int, tuple[str, str]]]
) -> tuple[dict[int, tuple[str, str]], dict[int, int]]:
    """The decision sent for each of the stage's points, and where in ``given`` it was (the first, if repeated)."""
    ours = {point.id for point in points}
    answered: dict[int, tuple[str, str]] = {}
    place: dict[int, int] = {}
    for index, (point_id, decided) in enumerate(given):
        if point_id in ours and point_id not in place:
            answered[point_id] = decided
            place[point_id] = index
    return answered, place


def _unusable_points(
    points: Sequence[ComplaintPoint], given: Sequence[tuple[int, tuple[str, str]]], place: Mapping[int, int]
) -> list[Invalid]:
    """A problem at each entry of ``given`` naming no point of this stage (not_found) or one named before."""
    ours = {point.id for point in points}
    found = []
    for index, (point_id, _decided) in enumerate(given):
        if place.get(point_id) == index:
            continue
        # Another complaint's point is told as one that isn't there: ids can't be used to probe other cases.
        code = "duplicate" if point_id in ours else "not_found"
        found.append(Invalid("decisions", code, at=("decisions", index, "point_id")))
    return found


def _missing_parts(
    points: Sequence[ComplaintPoint],
    decisions: Mapping[int, tuple[str, str]],
    place: Mapping[int, int],
    missing: Sequence[str],
) -> list[Invalid]:
    """Each missing part where it belongs in the input; a decision's own parts at its place in the input."""
    found = []
    if any(point.id not in place for point in points):
        found.append(Invalid("decisions", "required", missing=["decisions"]))
    for point in points:
        if point.id not in place:
            continue
        decision, why = decisions[point.id]
        if not decision:
            found.append(
                Invalid("decision", "required", at=("decisions", place[point.id], "decision"), missing=["decisions"])
            )
        if is_blank(why):
            found.append(Invalid("reasons", "required", at=("decisions", place[point.id], "reasons")))
    found += [Invalid(part, "required") for part in ("reasons",) if part in missing]
    found += [
        Invalid(part, "required", missing=[part])
        for part in ("next_steps", "remedies", "underlying_cause", "remedial_action")
        if part in missing
    ]
    return found


def _check_decisions(
    problems: Problems,
    points: Sequence[ComplaintPoint],
    decisions: Mapping[int, tuple[str, str]],
    place: Mapping[int, int],
) -> dict[int, str]:
    """The reasons given for each of the stage's points; record a decision or reasons that can't be used."""
    reasons = {}
    for point in points:
        if point.id not in place:
            continue
        decision, why = decisions[point.id]
        at = ("decisions", place[point.id])
        if decision and decision not in DECISIONS:
            problems.add("decisions", "unsupported", at=(*at, "decision"))
        with problems.check():
            reasons[point.id] = journey.text("decisions", why, 4_000, required=False, at=(*at, "reasons"))
    return reasons


def _checked(problems: Problems, clean: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any] | None:
    """``clean(*args)``, or None once the problems it raised are recorded."""
    with problems.check():
        return clean(*args)
    return None


def _get(model: Any, entity: str, row_id: int) -> Any:
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise NotFound(entity, row_id)
    return row


def complete_remedy(actor: Actor, remedy_id: int) -> Remedy:
    """Mark a remedy as done; the resident is told. Raises NotAllowed, NotFound or Conflict("already_complete")."""
    steps.require_role(actor, "complete_remedy")
    remedy = _get(Remedy, "remedy", remedy_id)
    complaint = Complaint.get_by_id(remedy.complaint_id)
    steps.require_step(actor, complaint, "complete_remedy")
    if remedy.completed_at is not None:
        raise Conflict("already_complete")
    with transaction():
        journey.take_step(actor, complaint, "complete_remedy")
        remedy.completed_at = utcnow()
        remedy.completed_by = actor.user_id
        remedy.save()
        record_audit(
            actor, "remedy.completed", "remedy", remedy.id, field_changes({"completed": False}, {"completed": True})
        )
        record_event("complaint.remedy_completed", journey.resident_payload(complaint, remedy_id=remedy.id))
    return remedy


def complete_action(actor: Actor, action_id: int, note: str = "") -> OutstandingAction:
    """Mark an outstanding action as done, with a note for the resident. Raises NotAllowed, NotFound, Conflict."""
    steps.require_role(actor, "complete_action")
    action = _get(OutstandingAction, "complaint_action", action_id)
    complaint = Complaint.get_by_id(action.complaint_id)
    steps.require_step(actor, complaint, "complete_action")
    if action.completed_at is not None:
        raise Conflict("already_complete")
    note = journey.text("note", note, 4_000, required=False)
    with transaction():
        complaint = journey.take_step(actor, complaint, "complete_action")
        action.completed_at = utcnow()
        action.completed_by = actor.user_id
        action.save()
        journey.add_message(actor, complaint, "action_completed", note or action.description)
        record_audit(
            actor,
            "complaint_action.completed",
            "complaint_action",
            action.id,
            field_changes({"completed": False}, {"completed": True}),
        )
        record_event("complaint.updated", journey.resident_payload(complaint, action_id=action.id))
    return action


def send_update(actor: Actor, complaint_id: int, body: str) -> Any:
    """Send the resident an update on their case (for example on an outstanding action).

    Allowed on a closed complaint too: outstanding actions go on after the response. Raises NotAllowed,
    NotFound, Invalid("body") or Conflict("withdrawn").
    """
    complaint = journey.complaint_for_step(actor, complaint_id, "send_update")
    body = journey.text("body", body, 4_000)
    with transaction():
        complaint = journey.take_step(actor, complaint, "send_update")
        message = journey.add_message(actor, complaint, "update", body)
        record_audit(actor, "complaint.update_sent", "complaint", complaint.id)
        record_event("complaint.updated", journey.resident_payload(complaint, message_id=message.id))
    return message
