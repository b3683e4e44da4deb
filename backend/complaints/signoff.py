"""A final response signed off by a manager before it is issued, and the overall outcome of every response.

The SPSO's model complaints handling procedure (Part 4, governance, paragraph 3) has the organisation's final
position signed off by an appropriate manager, "to provide assurance that this is the definitive response". Where
a regime asks for it (``Regime.final_sign_off``), a final-stage response from anyone but a manager who is not the
complaint's handler is checked as if it were issued, then kept as a :class:`ResponseDraft`: nothing is sent and
the stage stays unanswered. A manager then signs it off (and it is issued, as they sent it) or returns it with
reasons (``approval``). A manager who is not the handler responding themselves signs it off as they issue it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from backend.audit.services import field_changes, record_audit
from backend.complaints import clocks, journey, steps
from backend.complaints.models import Complaint, Regime, ResponseDraft, ResponseOutcome
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid
from backend.events.services import record_event

OUTCOMES = ResponseOutcome.codes()
# Previews run the respond step and undo it: they show the message the response would send, so they don't hold it.
_previewing: ContextVar[bool] = ContextVar("previewing_response", default=False)


@contextlib.contextmanager
def previewing() -> Iterator[None]:
    """Within this block, a response that would wait for sign-off is composed as if issued (and then undone)."""
    token = _previewing.set(True)
    try:
        yield
    finally:
        _previewing.reset(token)


def outcome_of(decisions: Iterable[str]) -> str | None:
    """The overall outcome the point decisions give; None when there are none.

    Every point resolved: resolved. Every point upheld: upheld. No point upheld or partly upheld: not upheld.
    Anything else: partly upheld.
    """
    found = set(decisions)
    if not found:
        return None
    if found == {"resolved"}:
        return "resolved"
    if found == {"upheld"}:
        return "upheld"
    if not found & {"upheld", "partly_upheld"}:
        return "not_upheld"
    return "partly_upheld"


def is_signer(actor: Actor, complaint: Complaint) -> bool:
    """A manager or admin who is not the complaint's handler: who may sign off its final response."""
    return actor.has_role(*steps.MANAGERS) and actor.user_id != complaint.handler_id  # type: ignore[attr-defined]


def needs_sign_off(actor: Actor, complaint: Complaint, final: bool) -> bool:
    """Whether this actor's response must wait for a manager's sign-off (never while previewing it)."""
    if not final or _previewing.get():
        return False
    regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
    return bool(regime.final_sign_off) and not is_signer(actor, complaint)


def signed_off_by(actor: Actor, complaint: Complaint, final: bool) -> int | None:
    """The manager signing off a final response as it is issued, where the procedure asks; else None."""
    regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
    if final and regime.final_sign_off and is_signer(actor, complaint):
        return actor.user_id
    return None


def draft_content(
    given: Sequence[tuple[int, tuple[str, str]]],
    reasons: str,
    next_steps: str,
    remedies: Sequence[Any],
    actions: Sequence[Any],
    underlying_cause: str,
    remedial_action: str,
    outcome: str | None,
) -> dict[str, Any]:
    """What the respond step was given, as JSON, so that the manager's sign-off issues exactly that."""
    return {
        "decisions": [[point_id, [decision, why]] for point_id, (decision, why) in given],
        "reasons": reasons,
        "next_steps": next_steps,
        "remedies": [
            {
                "kind": item.kind,
                "description": item.description,
                "due_on": item.due_on.isoformat() if item.due_on else None,
                "amount": None if item.amount is None else str(item.amount),
                "owner_id": item.owner_id,
            }
            for item in remedies
        ],
        "actions": [
            {
                "description": item.description,
                "due_on": item.due_on.isoformat() if item.due_on else None,
                "owner_id": item.owner_id,
            }
            for item in actions
        ],
        "underlying_cause": underlying_cause,
        "remedial_action": remedial_action,
        "outcome": outcome,
    }


def hold(actor: Actor, complaint: Complaint, content: dict[str, Any]) -> ResponseDraft:
    """Keep a checked final response for a manager's sign-off, and tell the managers. Nothing goes to the resident.

    Raises Conflict("changed") or the step table's Conflict when the complaint moved on meanwhile.
    """
    with transaction():
        complaint = journey.take_step(actor, complaint, "respond")
        draft = ResponseDraft.create(
            complaint=complaint.id, stage=complaint.stage, content=content, submitted_by=actor.user_id
        )
        record_audit(
            actor,
            "complaint.response_submitted",
            "response_draft",
            draft.id,
            field_changes(None, {"status": "awaiting", "stage": complaint.stage}),
        )
        for manager in _managers_to_tell(complaint, actor.user_id):
            record_event("complaint.sign_off_requested", journey.staff_payload(complaint, manager))
    return draft


def _managers_to_tell(complaint: Complaint, author: int | None) -> list[int]:
    """The handler's own manager when they have one who can sign off, else every manager (never the author)."""
    handler = complaint.handler
    own = handler.manager_id if handler is not None else None  # type: ignore[attr-defined]
    everyone = [user.id for user in clocks.managers()]
    chosen: list[int] = [own] if own is not None and own in everyone else everyone
    handler_id = complaint.handler_id  # type: ignore[attr-defined]
    return [person for person in chosen if person not in (author, handler_id)]


def check_outcome(outcome: str | None) -> None:
    """Raise Invalid("outcome", "unsupported") for a code that is not an outcome; None is worked out instead."""
    if outcome is not None and outcome not in OUTCOMES:
        raise Invalid("outcome", "unsupported")
