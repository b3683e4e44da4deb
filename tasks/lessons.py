"""The lessons collector's periodic sweep: improvement actions due soon and overdue, each told once."""

from __future__ import annotations

from huey import crontab

from backend.lessons.escalation import sweep_actions
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="45", hour="*"))
@with_connection
def sweep_improvement_actions() -> dict[str, int]:
    """Tell owners, their line managers and senior managers of actions due soon and overdue, once each (the senior
    managers' digest once a day). Safe to run any number of times."""
    return sweep_actions()
