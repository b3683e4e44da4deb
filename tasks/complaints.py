"""Complaint clocks (flag those at risk and breached, and tell the handler and their manager), and reviews of
reasonable adjustments and restrictions that have fallen due."""

from __future__ import annotations

from huey import crontab

from backend.complaints import clocks, safeguards
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="5", hour="*"))
@with_connection
def sweep_complaint_clocks() -> dict[str, int]:
    """Flag clocks two working days from due, and clocks past due, once each. Safe to run any number of times."""
    return clocks.sweep_clocks()


@huey.periodic_task(crontab(minute="20", hour="*"))
@with_connection
def sweep_safeguard_reviews() -> dict[str, int]:
    """Tell staff of adjustments and restrictions whose review has fallen due, once per review date."""
    return safeguards.sweep_reviews()
