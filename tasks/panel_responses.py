"""The scrutiny panels' response clock: responses to recommendations past their due date, escalated once each."""

from __future__ import annotations

from huey import crontab

from backend.panels.responses import sweep_overdue_responses
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="50", hour="7"))
@with_connection
def sweep_scrutiny_responses() -> int:
    """Escalate each response to a recommendation past its due date to the panel's senior lead and the managers,
    once. Safe to run any number of times. Returns how many were escalated."""
    return sweep_overdue_responses()
