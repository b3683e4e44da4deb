"""The monthly lessons QA: on the landlord's first working day of each month, last month's report is computed and
sent to managers, once."""

from __future__ import annotations

from typing import Any

from huey import crontab

from backend.context import SYSTEM
from backend.lessons import qa
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="40", hour="6-18"))
@with_connection
def monthly_lesson_qa() -> dict[str, Any]:
    """Compute and send last month's QA from the month's first working day until it is sent; otherwise nothing.

    Hourly in the working day, so a worker that was down at 06:40 still sends it that day. Safe to run any number
    of times: the report is sent once.
    """
    return qa.run_monthly(SYSTEM)
