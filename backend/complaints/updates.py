"""Update intervals (Code 5.9): when an answer will be late, how often the resident hears from us, and a sweep.

Staff agree an interval with the resident once the stage's answer will be late (it was extended, or a clock of
the stage is at risk or overdue): every N UK working days, the date it was agreed, and how the updates go. An
update is any message from the landlord to the resident on the case (``send_update`` among them). The next update
is due ``every_days`` working days after the later of the agreement and the last update. The hourly sweep tells
the handler once when an update is missed, and the handler's manager once when it is still missing a further
interval later (every manager, when nobody handles the case). The interval ends when the stage is answered.
"""

from __future__ import annotations

import datetime as dt
import logging

from peewee import fn

from backend.accounts.models import User
from backend.audit.services import field_changes, record_audit
from backend.complaints import clocks, journey
from backend.complaints.models import UPDATE_METHODS, CaseMessage, Complaint, ComplaintStage, UpdateInterval
from backend.context import Actor
from backend.db import transaction
from backend.errors import gather
from backend.events.services import record_event
from backend.timeutil import local_date, utcnow
from backend.workdays import add_working_days

logger = logging.getLogger(__name__)
MIN_EVERY_DAYS, MAX_EVERY_DAYS = 1, 20
MAX_NOTE = 2_000
FIELDS = ("every_days", "agreed_on", "method", "note")


def agree_update_interval(
    actor: Actor,
    complaint_id: int,
    every_days: int | None,
    agreed_on: dt.date | None,
    method: str | None,
    note: str = "",
) -> UpdateInterval:
    """Record (or replace) the update interval agreed with the resident for the complaint's current stage.

    Open to staff while the stage is unanswered and its answer will be late. Every problem with the input is
    named at once and nothing changes: Invalid("every_days": "required" | "out_of_range"; "agreed_on":
    "required" | "in_future" | "before_stage"; "method": "required" | "invalid"; "note": "too_long").
    Raises NotAllowed, NotFound (also for a complaint the actor may not see) or Conflict("closed",
    "already_responded", "not_late").
    """
    complaint = journey.complaint_for_step(actor, complaint_id, "agree_updates")
    opened = local_date(journey.current_stage(complaint).opened_at)
    with gather() as problems:
        if every_days is None:
            problems.add("every_days", "required")
        elif isinstance(every_days, bool) or not MIN_EVERY_DAYS <= every_days <= MAX_EVERY_DAYS:
            problems.add("every_days", "out_of_range", minimum=MIN_EVERY_DAYS, maximum=MAX_EVERY_DAYS)
        if agreed_on is None:
            problems.add("agreed_on", "required")
        elif agreed_on > local_date():
            problems.add("agreed_on", "in_future")
        elif agreed_on < opened:
            problems.add("agreed_on", "before_stage")
        if not method:
            problems.add("method", "required")
        elif method not in UPDATE_METHODS:
            problems.add("method", "invalid")
        with problems.check():
            note = journey.text("note", note, MAX_NOTE, required=False)
    assert every_days is not None and agreed_on is not None and method is not None  # gather refused them
    with transaction():
        complaint = journey.take_step(actor, complaint, "agree_updates")
        interval = UpdateInterval.get_or_none(
            UpdateInterval.complaint == complaint.id, UpdateInterval.stage == complaint.stage
        )
        before = _values(interval) if interval is not None else dict.fromkeys(FIELDS)
        if interval is None:
            interval = UpdateInterval(complaint=complaint.id, stage=complaint.stage)
        interval.every_days = every_days
        interval.agreed_on = agreed_on
        interval.method = method
        interval.note = note
        interval.agreed_by = actor.user_id  # type: ignore[assignment]
        # A new agreement starts counting afresh: earlier missed updates were about the old one.
        interval.missed_due_on = None
        interval.missed_notified_at = None
        interval.manager_notified_at = None
        interval.updated_at = utcnow()
        interval.save()
        record_audit(
            actor,
            "complaint.update_interval_agreed",
            "complaint",
            complaint.id,
            field_changes(before, _values(interval)),
        )
    return interval


def _values(interval: UpdateInterval) -> dict[str, object]:
    return {
        "every_days": interval.every_days,
        "agreed_on": interval.agreed_on.isoformat() if interval.agreed_on else None,
        "method": interval.method,
        "note": interval.note,
    }


def last_update_on(interval: UpdateInterval) -> dt.date | None:
    """The UK date of the latest message to the resident on the case since the interval was agreed."""
    latest = (
        CaseMessage.select(fn.MAX(CaseMessage.created_at))
        .where(
            CaseMessage.complaint == interval.complaint_id,  # type: ignore[attr-defined]
            CaseMessage.direction == "to_resident",
        )
        .scalar()
    )
    if latest is None:
        return None
    if isinstance(latest, str):  # SQLite gives the aggregate back as text
        latest = dt.datetime.fromisoformat(latest)
    day = local_date(latest)
    return day if day >= interval.agreed_on else None


def next_update_due(interval: UpdateInterval, nation: str) -> dt.date:
    """When the next update is due: ``every_days`` working days after the agreement or the last update."""
    start = max(interval.agreed_on, last_update_on(interval) or interval.agreed_on)
    return add_working_days(start, interval.every_days, nation)


def sweep_update_intervals(today: dt.date | None = None, limit: int = 1000) -> dict[str, int]:
    """Tell the handler of each missed update, and their manager when it is missed a further interval; once each.

    Only intervals of a stage still waiting for its answer count. Safe to run any number of times. Returns how
    many were newly flagged of each kind.
    """
    today = today or local_date()
    flagged = {"missed": 0, "missed_further": 0}
    candidates = (
        UpdateInterval.select(UpdateInterval, Complaint)
        .join(Complaint)
        .where(
            UpdateInterval.stage == Complaint.stage,
            Complaint.status.in_(("received", "open")),
        )
        .order_by(UpdateInterval.id)
        .limit(limit)
    )
    for interval in candidates:
        complaint = interval.complaint
        if _answered(complaint):
            continue
        due = next_update_due(interval, complaint.nation)
        if today <= due:
            continue
        if interval.missed_due_on != due:
            with transaction():
                interval.missed_due_on = due
                interval.missed_notified_at = utcnow()
                interval.manager_notified_at = None
                interval.save()
                _notify(complaint, interval, due, managers_only=False)
            flagged["missed"] += 1
        elif interval.manager_notified_at is None and today > add_working_days(
            due, interval.every_days, complaint.nation
        ):
            with transaction():
                interval.manager_notified_at = utcnow()
                interval.save()
                _notify(complaint, interval, due, managers_only=True)
            flagged["missed_further"] += 1
    if flagged["missed"] or flagged["missed_further"]:
        logger.info("update sweep: %s missed, %s missed further", flagged["missed"], flagged["missed_further"])
    return flagged


def _answered(complaint: Complaint) -> bool:
    return (
        ComplaintStage.select()
        .where(
            ComplaintStage.complaint == complaint.id,
            ComplaintStage.number == complaint.stage,
            ComplaintStage.responded_at.is_null(False),
        )
        .exists()
    )


def _notify(complaint: Complaint, interval: UpdateInterval, due: dt.date, managers_only: bool) -> None:
    """The handler hears of a missed update; their manager of one missed further (every manager, if no handler)."""
    handler = User.get_or_none(User.id == complaint.handler_id) if complaint.handler_id else None  # type: ignore[attr-defined]
    if handler is None:
        people = [user.id for user in clocks.managers()]
    elif managers_only:
        manager = handler.manager_id  # type: ignore[attr-defined]
        people = [manager] if manager else [user.id for user in clocks.managers()]
    else:
        people = [handler.id]
    event = "complaint.update_missed_further" if managers_only else "complaint.update_missed"
    for person in people:
        record_event(
            event,
            {
                "recipient_id": person,
                "complaint_id": complaint.id,
                "reference": complaint.reference,
                "stage": interval.stage,
                "due_on": due.isoformat(),
                "every_days": interval.every_days,
            },
        )
