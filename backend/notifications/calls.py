"""Calls to make: messages for people who asked for a phone call, read out by staff and recorded."""

from __future__ import annotations

from backend.audit.services import record_audit
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import Delivery
from backend.notifications.models import CallTask
from backend.notifications.services import fall_back_to_letter, reader_of
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class CallOutcome(Vocabulary):
    """How a call to read a message out went."""

    DONE = "done", "The message was read out."
    NOT_REACHED = "not_reached", "The person could not be reached; a statutory message goes as a letter."


OUTCOMES = CallOutcome.codes()
MAX_NOTE = 2_000


def complete_call(actor: Actor, call_id: int, outcome: str, note: str = "") -> tuple[CallTask, int | None]:
    """Record how a call went: ``done`` (the message was read out) or ``not_reached``.

    A statutory message whose reader could not be reached goes at once as a letter to post (or is
    flagged for staff when there is no postal address). Returns the call and the id of that letter's
    delivery when it is ready to send, else None.

    Raises NotAllowed (not staff), NotFound (no such call), Invalid (``outcome`` unsupported, ``note``
    too long) and Conflict (``already_complete``: someone recorded it first).
    """
    if not actor.can_write or not actor.is_staff:
        raise NotAllowed("call.complete")
    if outcome not in OUTCOMES:
        raise Invalid("outcome", "unsupported")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid("note", "too_long", maximum=MAX_NOTE)
    call = CallTask.get_or_none(CallTask.id == call_id)
    if call is None:
        raise NotFound("call", call_id)
    with transaction():
        # Of two people recording the same call, only the first is kept.
        changed = (
            CallTask.update(status=outcome, outcome_note=note, completed_at=utcnow(), completed_by=actor.user_id)
            .where(CallTask.id == call.id, CallTask.status == "open")
            .execute()
        )
        if not changed:
            raise Conflict("already_complete")
        record_audit(
            actor,
            "call.completed",
            "call_task",
            call.id,
            {"status": {"before": "open", "after": outcome}, "outcome_note": {"before": "", "after": note}},
        )
    letter = _letter_instead(call) if outcome == "not_reached" else None
    return CallTask.get_by_id(call.id), letter


def _letter_instead(call: CallTask) -> int | None:
    delivery = Delivery.get_by_id(call.delivery_id)  # type: ignore[attr-defined]
    reader = reader_of(delivery)
    return fall_back_to_letter(delivery, reader) if reader is not None else None
