"""The daily notice of subject access requests due soon and overdue, to the data protection officer."""

from __future__ import annotations

from huey import crontab

from backend.privacy.reminders import send_due_notice
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="10", hour="7"))
@with_connection
def notify_access_requests_due() -> int:
    """Tell the DPO of subject access requests due within five working days or overdue, once a day. Safe to run any
    number of times; returns how many requests were in the notice."""
    return send_due_notice()
