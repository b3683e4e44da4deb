"""Working-day clocks: start them from a regime's stage, meet, extend and stop them, and sweep for risk and breach.

Due dates count working days on the statutory calendar of the home's nation (``backend.workdays``):
weekends and that nation's bank holidays, nothing else. The Code does not recognise a landlord's own
closure days, so they never move a deadline; the console only warns staff of one that falls before a deadline.
A clock met after its due date is breached; a running clock is breached from the day after it was due.
Once breached, a clock stays breached, with the due date it missed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, cast

from peewee import Case, fn

from backend.accounts.models import NATIONS, User, UserRole
from backend.complaints import restricted
from backend.complaints.models import Clock, Complaint, Regime, RegimeStage
from backend.db import transaction
from backend.errors import Conflict, Invalid
from backend.events.services import record_event
from backend.timeutil import local_date, utcnow
from backend.workdays import add_working_days, is_working_day, working_days_between

logger = logging.getLogger(__name__)
AT_RISK_WORKING_DAYS = 2


def due_date(start: dt.date, days: int, nation: str, counting: str = "next_working_day") -> dt.date:
    """The date ``days`` working days after ``start``; with "same_day" counting, ``start`` itself counts.

    Only weekends and the nation's bank holidays are skipped: the landlord's closure days never are.
    """
    if counting == "same_day" and is_working_day(start, nation):
        start = start - dt.timedelta(days=1)
    return add_working_days(start, days, nation)


def validate_closure_day(record: object, values: dict) -> None:
    """Refuse a closure day dated before today: a day already past can't be taken out of anyone's diary."""
    day = values.get("day")
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            raise Invalid("day", "invalid") from None
        values["day"] = day
    if isinstance(day, dt.date) and day < local_date():
        raise Invalid("day", "in_past")


def stage_rules(complaint: Complaint, number: int | None = None) -> RegimeStage:
    """The regime's settings for the complaint's current (or given) stage."""
    stage = RegimeStage.get_or_none(
        RegimeStage.regime == complaint.regime_id,  # type: ignore[attr-defined]
        RegimeStage.number == (number or complaint.stage),
    )
    if stage is None:
        raise Conflict("stage_not_configured", stage=number or complaint.stage)
    return stage


def start_clock(complaint: Complaint, kind: str, started_on: dt.date, days: int) -> Clock:
    """Start (or restart, for a stage reopened) the complaint's clock of this kind at its current stage."""
    regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
    due = due_date(started_on, days, complaint.nation, regime.counting)
    existing = Clock.get_or_none(Clock.complaint == complaint.id, Clock.stage == complaint.stage, Clock.kind == kind)
    if existing is not None:
        existing.delete_instance()
    return Clock.create(
        complaint=complaint.id,
        stage=complaint.stage,
        kind=kind,
        started_on=started_on,
        days=days,
        due_on=due,
        original_due_on=due,
    )


def running_clock(complaint: Complaint, kind: str) -> Clock | None:
    return Clock.get_or_none(
        Clock.complaint == complaint.id, Clock.stage == complaint.stage, Clock.kind == kind, Clock.status == "running"
    )


def meet_clock(complaint: Complaint, kind: str, moment: dt.datetime) -> Clock | None:
    """Stop the running clock as met at ``moment``; record the working days taken and any breach."""
    clock = running_clock(complaint, kind)
    if clock is None:
        return None
    met_on = local_date(moment)
    clock.status = "met"
    clock.met_at = moment
    clock.met_on = met_on
    # A breach found by the sweep stays: nothing done later clears it.
    clock.breached = clock.breached or met_on > clock.due_on
    clock.working_days_taken = working_days_between(clock.started_on, met_on, complaint.nation)
    clock.save()
    return clock


def extend_clock(clock: Clock, days: int, nation: str) -> Clock:
    """Move a running clock's due date on by ``days`` working days from its original due date."""
    clock.due_on = add_working_days(clock.original_due_on, days, nation)
    clock.save()
    return clock


def stop_clocks(complaint: Complaint) -> int:
    """Stop every running clock of a complaint that was refused, withdrawn or closed.

    A clock already past its due date was missed, whether or not the sweep has seen it yet: it is marked
    breached as it stops, so stopping it never hides the breach.
    """
    running = Clock.select().where(Clock.complaint == complaint.id, Clock.status == "running")
    Clock.update(breached=True).where(
        Clock.complaint == complaint.id, Clock.status == "running", Clock.due_on < local_date()
    ).execute()
    count = running.count()
    Clock.update(status="stopped").where(Clock.complaint == complaint.id, Clock.status == "running").execute()
    return count


def refresh_next_due(complaint: Complaint) -> None:
    """Keep ``complaint.next_due_on`` equal to the earliest running clock's due date (work queues sort on it)."""
    first = (
        Clock.select(Clock.due_on)
        .where(Clock.complaint == complaint.id, Clock.status == "running")
        .order_by(Clock.due_on)
        .first()
    )
    complaint.next_due_on = first.due_on if first else None


def is_at_risk(clock: Clock, today: dt.date, nation: str) -> bool:
    """A running clock is at risk from two working days before it is due, until it is due."""
    if clock.status != "running" or today > clock.due_on:
        return False
    return working_days_between(today, clock.due_on, nation) <= AT_RISK_WORKING_DAYS


def at_risk_until(today: dt.date, nation: str) -> dt.date:
    """The last due date of a running clock that is at risk today (see :func:`is_at_risk`), on ``nation``'s calendar.

    Due dates fall on working days, so a clock due between today and this date is due within two working days.
    """
    return add_working_days(today, AT_RISK_WORKING_DAYS, nation)


def count_running_clocks(today: dt.date | None = None) -> dict[str, int]:
    """How many running clocks are at risk today and how many are breached, in one aggregate query.

    At risk is :func:`is_at_risk`'s rule; breached is a running clock past its due date, or one the sweep
    already marked. Returns ``{"at_risk": n, "breached": n}``, zeros when there are none.
    """
    today = today or local_date()
    at_risk = None
    for nation in NATIONS:
        this_nation = (Complaint.nation == nation) & Clock.due_on.between(today, at_risk_until(today, nation))
        at_risk = this_nation if at_risk is None else at_risk | this_nation
    breached = (Clock.due_on < today) | (Clock.breached == True)  # noqa: E712
    row = cast(
        dict[str, Any],
        Clock.select(
            fn.COALESCE(fn.SUM(Case(None, [(breached, 1)], 0)), 0).alias("breached"),
            fn.COALESCE(fn.SUM(Case(None, [(at_risk & ~breached, 1)], 0)), 0).alias("at_risk"),
        )
        .join(Complaint)
        .where(Clock.status == "running")
        .dicts()
        .get(),
    )
    return {"at_risk": int(row["at_risk"]), "breached": int(row["breached"])}


def sweep_clocks(today: dt.date | None = None, limit: int = 1000) -> dict[str, int]:
    """Flag running clocks that are at risk or breached, once each, and tell the handler and their manager.

    Safe to run as often as wanted: each clock is notified at most once for risk and once for breach.
    Returns how many clocks were newly flagged of each kind.
    """
    today = today or local_date()
    flagged = {"at_risk": 0, "breached": 0}
    horizon = today + dt.timedelta(days=14)
    candidates = (
        Clock.select(Clock, Complaint)
        .join(Complaint)
        .where(
            Clock.status == "running",
            Clock.due_on <= horizon,
            Clock.breach_notified_at.is_null(),
        )
        .order_by(Clock.due_on)
        .limit(limit)
    )
    for clock in candidates:
        complaint = clock.complaint
        if today > clock.due_on:
            with transaction():
                clock.breached = True
                clock.breach_notified_at = utcnow()
                clock.save()
                _notify_staff("complaint.clock_breached", complaint, clock)
            flagged["breached"] += 1
        elif clock.at_risk_notified_at is None and is_at_risk(clock, today, complaint.nation):
            with transaction():
                clock.at_risk_notified_at = utcnow()
                clock.save()
                _notify_staff("complaint.clock_at_risk", complaint, clock)
            flagged["at_risk"] += 1
    if flagged["at_risk"] or flagged["breached"]:
        logger.info("clock sweep: %s at risk, %s breached", flagged["at_risk"], flagged["breached"])
    return flagged


def _notify_staff(event: str, complaint: Complaint, clock: Clock) -> None:
    """One outbox event per person to tell: the handler, and the handler's manager."""
    handler = User.get_or_none(User.id == complaint.handler_id) if complaint.handler_id else None  # type: ignore[attr-defined]
    if handler is not None:
        people = [handler.id] + ([handler.manager_id] if handler.manager_id else [])  # type: ignore[attr-defined]
    else:
        # Nobody has the case yet: every manager hears, so that someone takes it.
        people = [user.id for user in managers()]
    # Nobody is told of a case hidden from them: one that names them, or a need-to-know case they are not listed on.
    for person in restricted.may_be_told(complaint, people):
        record_event(
            event,
            {
                "recipient_id": person,
                "complaint_id": complaint.id,
                "reference": complaint.reference,
                "stage": clock.stage,
                "clock": clock.kind,
                "due_on": clock.due_on.isoformat(),
            },
        )


def managers() -> list:
    return list(
        User.select(User.id)
        .join(UserRole)
        .where(UserRole.role == "manager", User.is_active == True)  # noqa: E712
        .order_by(User.id)
    )
