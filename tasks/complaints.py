"""Complaint and hazard clocks: flag those at risk and those breached, and tell the people who must act."""

from __future__ import annotations

from huey import crontab

from backend.complaints import clocks, hazards
from backend.complaints.safeguards import sweep_reviews
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
    """Tell staff of reasonable adjustments and restrictions on contact whose review has fallen due, once each."""
    return sweep_reviews()


@huey.periodic_task(crontab(minute="*/15"))
@with_connection
def sweep_hazard_clocks() -> dict[str, int]:
    """Warn staff of hazard clocks nearly due and of those missed, once each: every 15 minutes, as an emergency
    hazard's clock runs for 24 hours. Safe to run any number of times."""
    return hazards.sweep_hazards()
