"""The one-month clock of a subject access request (UK GDPR article 12(3)), as the ICO counts it.

The ICO's guidance ("Right of access: how long do we have to comply?"): the time limit runs from the day the
request is received, whether or not that is a working day, to the corresponding calendar date in the next month.
When the next month has no such date (a request received on 31 January), the limit is the last day of that month.
When the date falls on a weekend or a bank holiday, the limit is the next working day. An extension by up to two
further months (complex or numerous requests) is counted the same way, three months from the day of receipt.

Bank holidays are those of the nation of the person's home (England when none is on record); the landlord's own
closure days do not move the law's deadline.
"""

from __future__ import annotations

import calendar
import datetime as dt

from backend.workdays import add_working_days, is_working_day, working_days_between

#: Months the law allows at first, and at most with an extension (article 12(3)).
FIRST_MONTHS = 1
MAX_MONTHS = 3
#: Requests due within this many working days are in the DPO's daily notice.
DUE_SOON_WORKING_DAYS = 5


def months_on(day: dt.date, months: int) -> dt.date:
    """The corresponding calendar date ``months`` months after ``day``; the month's last day when it has none."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_working_day(day: dt.date, nation: str) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    return day if is_working_day(day, nation) else add_working_days(day, 1, nation)


def due_on(received_on: dt.date, nation: str, months: int = FIRST_MONTHS) -> dt.date:
    """The last day to answer a request received on the UK day ``received_on``, ``months`` months on."""
    return next_working_day(months_on(received_on, months), nation)


def latest_extension(received_on: dt.date, nation: str) -> dt.date:
    """The latest day an extension may reach: three months from receipt, on a working day."""
    return due_on(received_on, nation, MAX_MONTHS)


def working_days_left(deadline: dt.date, today: dt.date, nation: str) -> int:
    """Working days from ``today`` up to and including ``deadline``; negative (calendar days late) once past it."""
    if deadline < today:
        return -(today - deadline).days
    return working_days_between(today, deadline, nation)
