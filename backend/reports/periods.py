"""The periods reports cover: the regulator's year (1 April to 31 March), its quarters, calendar months and custom
ranges of days. Every period is a run of UK local dates; the UTC moments it starts and ends bound stored times.

A period is written as a short code that pages, the API and saved reports share:

- ``2025/26``: the year from 1 April 2025 to 31 March 2026 (as the regulator writes it);
- ``2025/26-Q1``: its first quarter, April to June (Q4 is January to March 2026);
- ``2025-04``: the calendar month;
- ``2025-04-01..2025-06-30``: any run of days, both ends included, at most ``MAX_CUSTOM_DAYS`` long.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from backend.errors import Invalid
from backend.timeutil import LOCAL_ZONE, local_date

YEAR, QUARTER, MONTH, CUSTOM = "year", "quarter", "month", "custom"
KINDS = (YEAR, QUARTER, MONTH, CUSTOM)
#: The longest custom range: five years and a day for the leap years.
MAX_CUSTOM_DAYS = 5 * 366
#: The longest code accepted, so that nothing longer is parsed at all.
MAX_CODE_LENGTH = 40
#: The earliest day any period may start: nothing older is reported on.
EARLIEST = dt.date(2000, 1, 1)
YEAR_START_MONTH = 4

# ASCII digits only: \d would take other scripts' digits (２０２５/２６) as a year too.
_YEAR = re.compile(r"^([0-9]{4})/([0-9]{2})$")
_QUARTER = re.compile(r"^([0-9]{4})/([0-9]{2})-Q([1-4])$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_CUSTOM = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})\.\.([0-9]{4}-[0-9]{2}-[0-9]{2})$")


def uk_midnight(day: dt.date) -> dt.datetime:
    """The stored (naive UTC) moment a UK day starts."""
    local = dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_ZONE)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Period:
    """A run of UK days, ``first`` to ``last`` included, of one of the :data:`KINDS`."""

    kind: str
    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        """The stored moment the period starts (UK midnight at the start of ``first``)."""
        return uk_midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        """The stored moment the period ends, not included (UK midnight after ``last``)."""
        return uk_midnight(self.last + dt.timedelta(days=1))

    @property
    def code(self) -> str:
        if self.kind == YEAR:
            return year_code(self.first.year)
        if self.kind == QUARTER:
            year = self.first.year if self.first.month >= YEAR_START_MONTH else self.first.year - 1
            return f"{year_code(year)}-Q{quarter_number(self.first)}"
        if self.kind == MONTH:
            return self.first.strftime("%Y-%m")
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def is_complete(self, today: dt.date | None = None) -> bool:
        """Whether the period is over (its last day is before today)."""
        return self.last < (today or local_date())

    def previous(self) -> Period:
        """The period of the same kind just before this one (for a custom range, as many days before)."""
        if self.kind == YEAR:
            return regulator_year(self.first.year - 1)
        if self.kind == QUARTER:
            return quarter_of(self.first - dt.timedelta(days=1))
        if self.kind == MONTH:
            return month_of(self.first - dt.timedelta(days=1))
        return Period(CUSTOM, self.first - dt.timedelta(days=self.days), self.first - dt.timedelta(days=1))

    def months(self) -> list[Period]:
        """The calendar months the period touches, each cut to the period."""
        found, first = [], self.first
        while first <= self.last:
            month = month_of(first)
            found.append(
                Period(
                    MONTH if month.first >= self.first and month.last <= self.last else CUSTOM,
                    max(month.first, self.first),
                    min(month.last, self.last),
                )
            )
            first = month.last + dt.timedelta(days=1)
        return found


def year_code(year: int) -> str:
    """``2025/26`` for the year starting 1 April 2025."""
    return f"{year}/{(year + 1) % 100:02d}"


def quarter_number(day: dt.date) -> int:
    """The regulator's quarter of ``day``: 1 is April to June, 4 is January to March."""
    return ((day.month - YEAR_START_MONTH) % 12) // 3 + 1


def regulator_year(year: int) -> Period:
    """The regulator's year starting 1 April ``year``."""
    return Period(
        YEAR, dt.date(year, YEAR_START_MONTH, 1), dt.date(year + 1, YEAR_START_MONTH, 1) - dt.timedelta(days=1)
    )


def year_of(day: dt.date) -> Period:
    """The regulator's year ``day`` falls in."""
    return regulator_year(day.year if day.month >= YEAR_START_MONTH else day.year - 1)


def quarter_of(day: dt.date) -> Period:
    """The regulator's quarter ``day`` falls in."""
    first_month = (((day.month - YEAR_START_MONTH) % 12) // 3) * 3 + YEAR_START_MONTH
    year = day.year if first_month <= day.month else day.year - 1
    if first_month > 12:
        first_month -= 12
        year += 1
    first = dt.date(year, first_month, 1)
    following = _add_months(first, 3)
    return Period(QUARTER, first, following - dt.timedelta(days=1))


def month_of(day: dt.date) -> Period:
    """The calendar month ``day`` falls in."""
    first = day.replace(day=1)
    return Period(MONTH, first, _add_months(first, 1) - dt.timedelta(days=1))


def quarters(year: Period) -> list[Period]:
    """The four quarters of a regulator's year."""
    return [quarter_of(_add_months(year.first, 3 * n)) for n in range(4)]


def _add_months(first: dt.date, count: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_period(value: str | None, *, field: str = "period", today: dt.date | None = None) -> Period:
    """The period a code names; raise ``Invalid(field, code)``.

    Codes: ``invalid`` (not a period code, or a date that does not exist), ``reversed`` (a custom range ending
    before it starts), ``too_long`` (a custom range over :data:`MAX_CUSTOM_DAYS`), ``too_early`` (before
    :data:`EARLIEST`) and ``future`` (starting after today: there is nothing to count yet).
    """
    text = (value or "").strip()
    if not text or len(text) > MAX_CODE_LENGTH:
        raise Invalid(field, "invalid")
    try:
        period = _parse(text)
    except ValueError:
        raise Invalid(field, "invalid") from None
    if period is None:
        raise Invalid(field, "invalid")
    if period.last < period.first:
        raise Invalid(field, "reversed")
    if period.days > MAX_CUSTOM_DAYS:
        raise Invalid(field, "too_long")
    if period.first < EARLIEST:
        raise Invalid(field, "too_early")
    if period.first > (today or local_date()):
        raise Invalid(field, "future")
    return period


def _parse(text: str) -> Period | None:
    if match := _QUARTER.match(text):
        year = int(match.group(1))
        if int(match.group(2)) != (year + 1) % 100:
            return None
        return quarters(regulator_year(year))[int(match.group(3)) - 1]
    if match := _YEAR.match(text):
        year = int(match.group(1))
        return regulator_year(year) if int(match.group(2)) == (year + 1) % 100 else None
    if match := _MONTH.match(text):
        return month_of(dt.date(int(match.group(1)), int(match.group(2)), 1))
    if match := _CUSTOM.match(text):
        return Period(CUSTOM, dt.date.fromisoformat(match.group(1)), dt.date.fromisoformat(match.group(2)))
    return None
