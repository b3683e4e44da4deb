"""Stage 2 without a frontline answer: the SPSO's direct route to investigation.

The SPSO's model complaints handling procedure sends complex complaints straight to stage 2 (investigation),
and lets staff move a frontline complaint there when it cannot be resolved at stage 1. Its indicators count
stage 2 by how it was entered, so the stage records its route: ``direct`` or ``escalated`` (the resident's own
escalation after a frontline answer is ``escalated`` too, see ``journey.escalate_complaint``).
"""

from __future__ import annotations

from backend.audit.services import field_changes, record_audit
from backend.complaints import clocks, journey
from backend.complaints.models import Clock, Complaint, ComplaintStage, Contact
from backend.context import Actor
from backend.db import transaction
from backend.events.services import record_event
from backend.timeutil import local_date, utcnow

MAX_REASON = 2_000


def route_for(complaint: Complaint) -> str:
    """``direct`` while nothing has happened at the frontline stage, else ``escalated``.

    Direct means the complaint was judged complex from the start: stage 1 was never acknowledged, and its
    deadline was not missed (a missed frontline deadline stays on record, so the complaint moves on as escalated).
    """
    if complaint.status != "received":
        return "escalated"
    missed = (
        Clock.select()
        .where(
            Clock.complaint == complaint.id,
            Clock.stage == 1,
            (Clock.breached == True) | ((Clock.status == "running") & (Clock.due_on < local_date())),  # noqa: E712
        )
        .exists()
    )
    return "escalated" if missed else "direct"


def start_investigation(actor: Actor, complaint_id: int, reason: str) -> Complaint:
    """Move a frontline (stage 1) complaint to stage 2, investigation, without a frontline answer.

    Direct (stage 1 never acknowledged): the complaint opens straight at stage 2 as if received there. Stage 1
    and its clocks are removed, since a complex complaint has no frontline stage, and stage 2's clocks count from
    when the complaint was received. Escalated (stage 1 acknowledged, or its deadline missed): stage 1 stays on
    record with its clocks stopped, and stage 2's clocks count from now. Either way the new stage starts with
    no handler, and the resident is told it moved on.

    Raises NotAllowed, NotFound (also for a complaint the actor may not see), Invalid("reason") or
    Conflict("closed", "not_in_procedure", "not_frontline", "awaiting_sign_off").
    """
    complaint = journey.complaint_for_step(actor, complaint_id, "investigate")
    reason = journey.text("reason", reason, MAX_REASON)
    before = journey.snapshot(complaint)
    now = utcnow()
    with transaction():
        complaint = journey.take_step(actor, complaint, "investigate")
        route = route_for(complaint)
        stage_one = journey.current_stage(complaint)
        if route == "direct":
            opened = Contact.get_by_id(complaint.contact_id).received_at  # type: ignore[attr-defined]
            Clock.delete().where(Clock.complaint == complaint.id, Clock.stage == 1).execute()
            stage_one.delete_instance()
        else:
            opened = now
            clocks.stop_clocks(complaint)
        complaint.stage = 2
        complaint.status = "received"
        complaint.handler = None
        complaint.team = None
        stage = ComplaintStage.create(
            complaint=complaint.id, number=2, opened_at=opened, entry_route=route, entry_reason=reason
        )
        journey._start_stage_clocks(complaint, local_date(opened))
        journey.save_change(actor, complaint, "complaint.investigation_started", before)
        record_audit(
            actor,
            "complaint.stage_entered",
            "complaint_stage",
            stage.id,
            field_changes(None, {"number": 2, "entry_route": route, "entry_reason": reason}),
        )
        record_event("complaint.investigation_started", journey.resident_payload(complaint, route=route))
    return complaint
