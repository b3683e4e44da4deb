"""One clock for the whole domain, so tests can reason about time.

Every module reads the time through ``utcnow`` (column defaults too), and ``utcnow`` reads ``clock``: replacing
that one attribute moves the time everywhere at once. Tests do it with the ``clock_at`` fixture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo


def system_clock() -> dt.datetime:
    """Return the machine's UTC time as a naive datetime."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# The seam: what ``utcnow`` asks for the time.
clock: Callable[[], dt.datetime] = system_clock


def utcnow() -> dt.datetime:
    """Return the current UTC time as a naive datetime (how every timestamp is stored)."""
    return clock()


# Working days and due dates are counted on the landlord's calendar, in UK local time.
LOCAL_ZONE = ZoneInfo("Europe/London")


def local_date(moment: dt.datetime | None = None) -> dt.date:
    """Return the UK calendar date of a stored (naive UTC) moment; now when none is given."""
    moment = moment or utcnow()
    return moment.replace(tzinfo=dt.UTC).astimezone(LOCAL_ZONE).date()
