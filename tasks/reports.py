"""Scheduled saved reports: each recipient is told, once on the report's day, that it is ready to read."""

from __future__ import annotations

from huey import crontab

from backend.reports.saved_schedule import send_due_reports
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="20", hour="6-18"))
@with_connection
def send_scheduled_reports() -> dict[str, int]:
    """Tell the recipients of every saved report due today (UK day) that it is ready to read, with a link that
    needs signing in. Hourly in the working day, so a worker that was down at 06:20 still sends that day; each
    report goes once a day however often this runs. Returns ``{"reports": n, "messages": n}``."""
    return send_due_reports()
