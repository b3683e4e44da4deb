"""The complaints' periodic sweeps: clocks, hazards, promises, update intervals and reviews, each telling the people
who must act, once."""

from __future__ import annotations

from huey import crontab

from backend.complaints import clocks, hazards, updates
from backend.complaints.escalation import close_unescalated
from backend.complaints.promises import sweep_promises
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


@huey.periodic_task(crontab(minute="35", hour="*"))
@with_connection
def sweep_update_intervals() -> dict[str, int]:
    """Tell the handler of an agreed update missed, and their manager when it is missed further, once each."""
    return updates.sweep_update_intervals()
