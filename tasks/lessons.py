"""The lessons collector's periodic tasks: improvement actions due soon and overdue, each told once; and the
themes' stored figures kept up to date."""

from __future__ import annotations

from huey import crontab

from backend.lessons.escalation import sweep_actions
from backend.lessons.theme_figures import ensure_current
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="45", hour="*"))
@with_connection
def sweep_improvement_actions() -> dict[str, int]:
    """Tell owners, their line managers and senior managers of actions due soon and overdue, once each (the senior
    managers' digest once a day). Safe to run any number of times."""
    return sweep_actions()


@huey.periodic_task(crontab(minute="*/5"))
@with_connection
def refresh_theme_figures() -> int:
    """Work out the stored figures of every theme out of date (something they count changed, or a new UK month
    began), so the themes dashboard rarely waits for them. Returns how many themes it worked out."""
    return ensure_current()
