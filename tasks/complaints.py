"""Complaint clocks: flag those at risk and those breached, and tell the handler and their manager."""

from __future__ import annotations

from huey import crontab

from backend.complaints import clocks
from backend.complaints.escalation import close_unescalated
from backend.complaints.promises import sweep_promises
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="5", hour="*"))
@with_connection
def sweep_complaint_clocks() -> dict[str, int]:
    """Flag clocks two working days from due, and clocks past due, once each. Safe to run any number of times."""
    return clocks.sweep_clocks()


@huey.periodic_task(crontab(minute="15", hour="*"))
@with_connection
def sweep_complaint_promises() -> dict[str, int]:
    """Tell people of remedies, actions and Ombudsman orders falling due or overdue, once each. Safe to rerun."""
    return sweep_promises()


@huey.periodic_task(crontab(minute="25", hour="*"))
@with_connection
def close_unescalated_complaints() -> dict[str, int]:
    """Close answered stage-1 complaints whose escalation window passed with their record complete. Safe to rerun."""
    return close_unescalated()
