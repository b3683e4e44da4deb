"""Working days: weekends, the bank holidays of the home's nation (substitute days included) and
the landlord's own closure days are not working days. Counting starts the working day after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from functools import lru_cache

import holidays

SUBDIVISIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern_ireland": "NIR"}


@lru_cache(maxsize=128)
def bank_holidays(nation: str, year: int) -> frozenset[dt.date]:
    """The nation's bank holidays in ``year``, from the maintained ``holidays`` package."""
    subdivision = SUBDIVISIONS.get(nation, "ENG")
    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=year))


def is_working_day(day: dt.date, nation: str, closures: Collection[dt.date] = ()) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(nation, day.year) and day not in closures


def add_working_days(start: dt.date, count: int, nation: str, closures: Collection[dt.date] = ()) -> dt.date:
    """The date ``count`` working days after ``start`` (``start`` itself never counts)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day, remaining = start, count
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, nation, closures):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, nation: str, closures: Collection[dt.date] = ()) -> int:
    """How many working days come after ``start`` up to and including ``end`` (0 if ``end`` is not later)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, nation, closures):
            count += 1
    return count
