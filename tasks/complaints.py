"""Complaint clocks and agreed update intervals: flag what is at risk, breached or missed, and tell staff."""

from __future__ import annotations

from huey import crontab

from backend.complaints import clocks, updates
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="5", hour="*"))
@with_connection
def sweep_complaint_clocks() -> dict[str, int]:
    """Flag clocks two working days from due, and clocks past due, once each. Safe to run any number of times."""
    return clocks.sweep_clocks()


@huey.periodic_task(crontab(minute="35", hour="*"))
@with_connection
def sweep_update_intervals() -> dict[str, int]:
    """Tell the handler of an agreed update missed, and their manager when it is missed further, once each."""
    return updates.sweep_update_intervals()
