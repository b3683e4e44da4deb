"""Complaint clocks: flag those at risk and those breached, and tell the handler and their manager."""

from __future__ import annotations

from huey import crontab

from backend.complaints import clocks, inbound
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="5", hour="*"))
@with_connection
def sweep_complaint_clocks() -> dict[str, int]:
    """Flag clocks two working days from due, and clocks past due, once each. Safe to run any number of times."""
    return clocks.sweep_clocks()


@huey.periodic_task(crontab(minute="*/10"))
@with_connection
def read_waiting_mail() -> int:
    """Read the complaints mailbox's kept emails that reading failed for. Safe to run any number of times."""
    return inbound.process_waiting_mail()
