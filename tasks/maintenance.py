"""Periodic housekeeping that keeps small tables small, and the statutory calendar up to date."""

from __future__ import annotations

import datetime as dt

from huey import crontab

from backend.accounts.models import SignInFailure, UserSession
from backend.config import current
from backend.context import SYSTEM
from backend.privacy.retention import sweep
from backend.ratelimit.services import sweep_rate_limit_windows
from backend.reports import calendar
from backend.timeutil import utcnow
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.periodic_task(crontab(minute="*/5"))
@with_connection
def sweep_rate_limits() -> int:
    """Delete rate-limit windows that have closed. Returns how many were removed."""
    return sweep_rate_limit_windows()


@huey.periodic_task(crontab(minute="17"))
@with_connection
def sweep_sign_in_records() -> int:
    """Forget sign-in failures past the throttle window and sessions long expired."""
    settings = current()
    failures_before = utcnow() - dt.timedelta(seconds=settings.sign_in_window_seconds)
    removed = SignInFailure.delete().where(SignInFailure.failed_at < failures_before).execute()
    sessions_before = utcnow() - dt.timedelta(days=30)
    removed += UserSession.delete().where(UserSession.expires_at < sessions_before).execute()
    return int(removed)


@huey.periodic_task(crontab(minute="23", hour="3"))
@with_connection
def refresh_statutory_calendar() -> int:
    """Take in bank holidays the holidays package learnt of since (a one-off, like a coronation): write again the
    working-day counts of every day they change. Returns how many days were written."""
    return calendar.refresh()


@huey.periodic_task(crontab(minute="41", hour="2"))
@with_connection
def erase_past_retention() -> int:
    """Erase the personal details of every record past its retention period (docs/privacy.md), keeping the figures.
    Returns how many records were erased; a record erased before is not counted again."""
    return sum(sweep(SYSTEM).values())
