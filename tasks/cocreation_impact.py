"""Co-creation's impact survey: ask the residents a change affected whether it made a difference, once it has had
time to."""

from __future__ import annotations

from huey import crontab

from backend.cocreation.impact import sweep_impact
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="20", hour="*"))
@with_connection
def ask_about_impact() -> int:
    """Ask each affected resident once per change, ``LEARNLOOP_IMPACT_SURVEY_WEEKS`` after it was implemented; the
    survey sweep then sends the invitations (or skips them under the per-person cap). Safe to run any number of
    times. Returns how many were asked now."""
    return sweep_impact()
