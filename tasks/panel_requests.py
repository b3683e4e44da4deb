"""The scrutiny panels' daily task: evidence requests still open after their due date, told to the senior lead once."""

from __future__ import annotations

from huey import crontab

from backend.panels.requests import escalate_late_requests
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="20", hour="7"))
@with_connection
def escalate_late_evidence_requests() -> int:
    """Tell each panel's senior lead of its evidence requests still open after their due date, once each. Safe to run
    any number of times; returns how many requests were escalated."""
    return escalate_late_requests()
