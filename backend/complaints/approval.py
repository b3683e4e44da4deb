"""A manager signs off, or returns, a final response waiting for sign-off (see ``signoff`` for the rule).

Signing off issues the response exactly as the handler wrote it, through the respond step, so every check applies
again; returning it sends it back to the handler with reasons, and nothing is issued.
"""

from __future__ import annotations

import datetime as dt

from backend.audit.services import field_changes, record_audit
from backend.complaints import journey, responses
from backend.complaints.models import Complaint, ComplaintResponse, ResponseDraft
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict
from backend.events.services import record_event
from backend.timeutil import utcnow

MAX_RETURN_REASON = 4_000


def awaiting_draft(complaint: Complaint) -> ResponseDraft:
    """The final response waiting for sign-off at the complaint's stage; raise Conflict if there is none."""
    draft = (
        ResponseDraft.select()
        .where(
            ResponseDraft.complaint == complaint.id,
            ResponseDraft.stage == complaint.stage,
            ResponseDraft.status == "awaiting",
        )
        .order_by(ResponseDraft.id.desc())
        .first()
    )
    if draft is None:
        raise Conflict("nothing_to_sign_off")
    return draft


def _require_other_manager(actor: Actor, complaint: Complaint, draft: ResponseDraft) -> None:
    """Raise Conflict("own_response") for the draft's author or the complaint's handler, and
    Conflict("earlier_handler") for someone who handled an earlier stage of the complaint."""
    if actor.user_id in (draft.submitted_by_id, complaint.handler_id):  # type: ignore[attr-defined]
        # Signing off is assurance from someone other than the person who wrote the answer.
        raise Conflict("own_response")
    if actor.user_id is not None and actor.user_id in journey.earlier_handlers(complaint):
        # The final stage is a fresh look (the Code and the SPSO): whoever handled an earlier stage does not decide
        # its answer. Checked here so that the refusal says so, not what the respond step says of stage handlers.
        raise Conflict("earlier_handler")


def sign_off_response(actor: Actor, complaint_id: int) -> ComplaintResponse:
    """Sign off the final response waiting on the complaint, which issues it as the handler wrote it.

    The manager must not be its author, the complaint's handler or the handler of an earlier stage. Every check
    of the respond step applies again (a point or a person may have changed since, and a promise may have fallen
    due). Raises NotAllowed (not a manager), NotFound, Conflict("nothing_to_sign_off", "own_response",
    "earlier_handler", "closed") or the respond step's Invalid.
    """
    complaint = journey.complaint_for_step(actor, complaint_id, "sign_off")
    draft = awaiting_draft(complaint)
    _require_other_manager(actor, complaint, draft)
    content = draft.content
    with transaction():
        changed = (
            ResponseDraft.update(status="signed_off", decided_by=actor.user_id, decided_at=utcnow())
            .where(ResponseDraft.id == draft.id, ResponseDraft.status == "awaiting")
            .execute()
        )
        if changed != 1:
            raise Conflict("changed")
        record_audit(
            actor,
            "complaint.response_signed_off",
            "response_draft",
            draft.id,
            field_changes({"status": "awaiting"}, {"status": "signed_off"}),
        )
        response = responses.respond_to_complaint(
            actor,
            complaint.id,
            [(int(point_id), (decision, why)) for point_id, (decision, why) in content["decisions"]],
            content["reasons"],
            content["next_steps"],
            [
                responses.RemedyInput(r["kind"], r["description"], _day(r["due_on"]), r["amount"], r.get("owner_id"))
                for r in content["remedies"]
            ],
            [responses.ActionInput(a["description"], _day(a["due_on"]), a["owner_id"]) for a in content["actions"]],
            content["underlying_cause"],
            content["remedial_action"],
            content.get("outcome"),
        )
    if not isinstance(response, ComplaintResponse):  # a manager's own response never waits for sign-off
        raise Conflict("changed")
    return response


def return_response(actor: Actor, complaint_id: int, reason: str) -> ResponseDraft:
    """Send the waiting final response back to its handler with reasons; nothing is issued.

    The handler can then respond again. Raises NotAllowed (not a manager), NotFound, Invalid("reason") or
    Conflict("nothing_to_sign_off", "own_response", "earlier_handler", "closed").
    """
    complaint = journey.complaint_for_step(actor, complaint_id, "sign_off")
    reason = journey.text("reason", reason, MAX_RETURN_REASON)
    draft = awaiting_draft(complaint)
    _require_other_manager(actor, complaint, draft)
    with transaction():
        complaint = journey.take_step(actor, complaint, "sign_off")
        changed = (
            ResponseDraft.update(status="returned", decided_by=actor.user_id, decided_at=utcnow(), return_reason=reason)
            .where(ResponseDraft.id == draft.id, ResponseDraft.status == "awaiting")
            .execute()
        )
        if changed != 1:
            raise Conflict("changed")
        record_audit(
            actor,
            "complaint.response_returned",
            "response_draft",
            draft.id,
            field_changes({"status": "awaiting"}, {"status": "returned", "return_reason": reason}),
        )
        author = draft.submitted_by_id  # type: ignore[attr-defined]
        if author is not None:
            record_event("complaint.response_returned", journey.staff_payload(complaint, author))
    return ResponseDraft.get_by_id(draft.id)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
