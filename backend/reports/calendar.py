"""The statutory calendar in the database: one row a UK day, with each nation's running count of working days.

Reports count working days in SQL with it, with no loop over rows in Python: the working days after one date up to
and including a later one are the difference of the later date's count and the earlier one's (what
:func:`backend.workdays.working_days_between` counts, day by day). A stored moment's UK date is the last day that
starts at or before it, which takes British Summer Time into account on every database.

The days run from :data:`FIRST` to :data:`LAST`. Bank holidays come from the maintained ``holidays`` package (as
the clocks' do); :func:`refresh` writes the counts again where a newer package knows of another bank holiday, and
the periodic maintenance task runs it daily.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from peewee import Case, NodeList

from backend.accounts.models import Nation
from backend.db import transaction
from backend.reports.models import UkDay
from backend.reports.periods import uk_midnight
from backend.workdays import is_working_day

FIRST = dt.date(2000, 1, 1)
LAST = dt.date(2060, 12, 31)
NATIONS = Nation.codes()
#: The columns of :class:`UkDay`, in order, as the migration writes them.
COLUMNS = ("day", "starts_at", *NATIONS)
BATCH = 2_000


def days(first: dt.date = FIRST, last: dt.date = LAST) -> Iterator[tuple[Any, ...]]:
    """Every day's row, from ``first`` to ``last``: its date, the moment it starts and each nation's count."""
    counts = dict.fromkeys(NATIONS, 0)
    day = first
    while day <= last:
        for nation in NATIONS:
            counts[nation] += is_working_day(day, nation)
        yield (day, uk_midnight(day), *(counts[nation] for nation in NATIONS))
        day += dt.timedelta(days=1)


def fill(model: Any) -> int:
    """Write every day into an empty ``uk_day`` table through ``model`` (the migration's own); return how many."""
    fields = [getattr(model, column) for column in COLUMNS]
    written, batch = 0, []
    for row in days():
        batch.append(row)
        if len(batch) == BATCH:
            model.insert_many(batch, fields=fields).execute()
            written, batch = written + len(batch), []
    if batch:
        model.insert_many(batch, fields=fields).execute()
        written += len(batch)
    return written


def refresh() -> int:
    """Write again every day whose counts differ from what the bank holidays known now give; return how many."""
    query = UkDay.select(UkDay.day, *(getattr(UkDay, n) for n in NATIONS)).tuples()
    stored: dict[Any, tuple[Any, ...]] = {row[0]: tuple(row[1:]) for row in query}  # type: ignore[index]
    changed = 0
    with transaction():
        for row in days():
            day, counts = row[0], row[2:]
            if stored.get(day) == counts:
                continue
            if day in stored:
                UkDay.update(dict(zip(NATIONS, counts, strict=True))).where(UkDay.day == day).execute()
            else:
                UkDay.insert(dict(zip(COLUMNS, row, strict=True))).execute()
            changed += 1
    return changed


def _count_column(alias: Any, nation: Any) -> Any:
    """The count of the nation an expression names, from a ``uk_day`` alias."""
    return Case(nation, [(code, getattr(alias, code)) for code in NATIONS], alias.england)


def scalar(query: Any) -> Any:
    """A one-value subquery as an expression (a bare query's + and - would make a union and an except)."""
    return NodeList((query,))


def count_at(moment: Any, nation: Any) -> Any:
    """A nation's working-day count on the UK date of a stored moment (a column or expression), as a subquery."""
    day = UkDay.alias()
    return scalar(
        day.select(_count_column(day, nation)).where(day.starts_at <= moment).order_by(day.starts_at.desc()).limit(1)
    )


def count_before(date: Any, nation: Any) -> Any:
    """A nation's working-day count on the day before a UK date, as a subquery: a deadline is met on ``date`` when
    this is below the deadline's count."""
    day = UkDay.alias()
    return scalar(day.select(_count_column(day, nation)).where(day.day < date).order_by(day.day.desc()).limit(1))


def local_day(moment: Any) -> Any:
    """The UK date of a stored moment, as a subquery."""
    day = UkDay.alias()
    return scalar(day.select(day.day).where(day.starts_at <= moment).order_by(day.starts_at.desc()).limit(1))


def covers(first: dt.date, last: dt.date) -> bool:
    """Whether the calendar holds every day from ``first`` to ``last``."""
    return FIRST <= first and last <= LAST
