"""One clock for the whole domain, so tests can reason about time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def utcnow() -> dt.datetime:
    """Return the current UTC time as a naive datetime (how every timestamp is stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# Working days and due dates are counted on the landlord's calendar, in UK local time.
LOCAL_ZONE = ZoneInfo("Europe/London")


def local_date(moment: dt.datetime | None = None) -> dt.date:
    """Return the UK calendar date of a stored (naive UTC) moment; now when none is given."""
    moment = moment or utcnow()
    return moment.replace(tzinfo=dt.UTC).astimezone(LOCAL_ZONE).date()
