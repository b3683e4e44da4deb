"""After a stage-1 answer: close the complaints nobody escalates, and refuse an escalation on a ground the Code allows.

The escalation window (``escalation_window_days`` UK working days from the answer, a setting) is how long a stage-1
answer waits for the resident before the system closes it, once its minimum record (underlying cause and remedial
action) is complete. Closing never stops the resident: a later request to escalate reopens the complaint at stage 2
(``journey.escalate_complaint``), unless staff refuse it here on one of the grounds of exclusion the complaint's
procedure allows (Code 5.11 and section 2), with reasons and the Ombudsman's details sent to the resident.
"""

from __future__ import annotations

import datetime as dt
import logging

from backend import config
from backend.complaints import clocks, journey, regimes, steps
from backend.complaints.models import REFUSAL_GROUNDS, Complaint, Regime
from backend.context import SYSTEM, Actor
from backend.db import transaction
from backend.errors import Conflict, gather
from backend.events.services import record_event
from backend.timeutil import local_date, utcnow
from backend.workdays import working_days_between

logger = logging.getLogger(__name__)


def _window_passed(complaint: Complaint, today: dt.date, window: int) -> bool:
    answered = journey.current_stage(complaint).responded_at
    return answered is not None and working_days_between(local_date(answered), today, complaint.nation) > window


def close_unescalated(today: dt.date | None = None, limit: int = 500) -> dict[str, int]:
    """Close each answered stage-1 complaint whose escalation window has passed and whose record is complete.

    Done as the system, and audited as ``complaint.closed_unescalated``. A complaint whose record is incomplete
    stays answered, for its handler to complete and close. Safe to run any number of times. Returns
    {"closed": n, "incomplete": n}.
    """
    today = today or local_date()
    window = config.current().escalation_window_days
    counted = {"closed": 0, "incomplete": 0}
    answered = (
        Complaint.select()
        .join(Regime)
        .where(Complaint.status == "responded", Complaint.stage == 1, Regime.max_stages > 1)
        .order_by(Complaint.id)
        .limit(limit)
    )
    for complaint in answered:
        if not _window_passed(complaint, today, window):
            continue
        if journey.closure_missing(complaint.underlying_cause, complaint.remedial_action):
            counted["incomplete"] += 1
            continue
        before = journey.snapshot(complaint)
        try:
            with transaction():
                fresh = journey.take_step(SYSTEM, complaint, "close")
                fresh.status = "closed"
                fresh.closed_at = utcnow()
                clocks.stop_clocks(fresh)
                clocks.refresh_next_due(fresh)
                journey.save_change(SYSTEM, fresh, "complaint.closed_unescalated", before)
                record_event("complaint.closed", journey.resident_payload(fresh))
        except Conflict:
            continue  # someone moved it on meanwhile: it is theirs now
        counted["closed"] += 1
    if counted["closed"]:
        logger.info("escalation window: %s closed, %s incomplete", counted["closed"], counted["incomplete"])
    return counted


def refuse_escalation(
    actor: Actor, complaint_id: int, ground: str, reasons: str, ombudsman_details_given: bool
) -> Complaint:
    """Refuse a request to take an answered complaint to the next stage, on a ground its procedure allows.

    The Code (5.11) allows it only for valid reasons under its exclusions (section 2), set out to the resident with
    their right to ask the Ombudsman. The complaint ends as refused; the resident is sent the reasons and the
    Ombudsman's details. Raises NotAllowed, NotFound, Invalid listing every problem ("ground" required, unsupported
    or not in the procedure; "reasons" required or too long; "ombudsman_details_given" required) or
    Conflict("closed", "final_stage", "not_responded").
    """
    steps.require_role(actor, "refuse_escalation")
    complaint = journey.complaint_for_step(actor, complaint_id, "refuse_escalation")
    regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
    with gather() as problems:
        if not ground:
            problems.add("ground", "required")
        elif ground not in REFUSAL_GROUNDS:
            problems.add("ground", "unsupported")
        elif ground not in regimes.refusal_grounds(regime):
            problems.add("ground", "not_in_procedure")
        with problems.check():
            reasons = journey.text("reasons", reasons)
        if not ombudsman_details_given:
            problems.add("ombudsman_details_given", "required")
    before = journey.snapshot(complaint)
    now = utcnow()
    with transaction():
        complaint = journey.take_step(actor, complaint, "refuse_escalation")
        complaint.status = "refused"
        complaint.refusal_ground = ground
        complaint.refusal_reasons = reasons
        complaint.refused_at = now
        complaint.closed_at = complaint.closed_at or now
        clocks.stop_clocks(complaint)
        clocks.refresh_next_due(complaint)
        journey.add_message(actor, complaint, "refusal", reasons)
        journey.save_change(actor, complaint, "complaint.escalation_refused", before)
        record_event("complaint.escalation_refused", journey.resident_payload(complaint, ground=ground))
    return complaint
