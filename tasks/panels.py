"""The scrutiny panels' periodic task: members reminded of their meetings a few days before, once each."""

from __future__ import annotations

from huey import crontab

from backend.panels.meetings import send_due_reminders
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="15", hour="*"))
@with_connection
def remind_panel_meetings() -> int:
    """Remind the members of each meeting that starts within LEARNLOOP_PANEL_REMINDER_DAYS days, once per meeting.
    Safe to run any number of times. Returns how many meetings were reminded of."""
    return send_due_reminders()
