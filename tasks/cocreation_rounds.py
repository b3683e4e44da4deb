"""The priority rounds' periodic task: each published round counted once it has closed."""

from __future__ import annotations

from huey import crontab

from backend.cocreation.ballots import count_closed_rounds
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="*/5"))
@with_connection
def count_priority_rounds() -> int:
    """Count every published round that has closed and is not counted yet. Safe to run any number of times, from
    more than one worker. Returns how many rounds were counted."""
    return count_closed_rounds()
