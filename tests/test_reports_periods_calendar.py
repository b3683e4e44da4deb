"""Report periods as UK days, and the statutory calendar in the database agreeing with the clocks' own count."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from peewee import Value

from backend.errors import Invalid
from backend.reports import calendar
from backend.reports.models import UkDay
from backend.reports.periods import month_of, parse_period, quarter_of, quarters, regulator_year, uk_midnight, year_of
from backend.workdays import working_days_between

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("2025/26", dt.date(2025, 4, 1), dt.date(2026, 3, 31)),
        ("2025/26-Q1", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        ("2025/26-Q4", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2025-04-15..2025-05-02", dt.date(2025, 4, 15), dt.date(2025, 5, 2)),
        ("1999/00", dt.date(1999, 4, 1), dt.date(2000, 3, 31)),
    ],
)
def test_period_codes(code: str, first: dt.date, last: dt.date) -> None:
    if first.year < 2000:
        with pytest.raises(Invalid) as error:
            parse_period(code, today=TODAY)
        assert error.value.code == "too_early"
        return
    period = parse_period(code, today=TODAY)
    assert (period.first, period.last, period.code) == (first, last, code)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "invalid"),
        ("2025", "invalid"),
        ("2025/27", "invalid"),
        ("2025-13", "invalid"),
        ("2025/26-Q5", "invalid"),
        ("2025-02-30..2025-03-01", "invalid"),
        ("2025-06-01..2025-05-01", "reversed"),
        ("2015-01-01..2025-01-01", "too_long"),
        ("2027/28", "future"),
        ("x" * 500, "invalid"),
        ("２０２５/２６", "invalid"),
    ],
)
def test_bad_period_codes(code: str, reason: str) -> None:
    with pytest.raises(Invalid) as error:
        parse_period(code, today=TODAY)
    assert (error.value.field, error.value.code) == ("period", reason)


def test_a_period_is_bounded_by_uk_midnights() -> None:
    year = regulator_year(2025)
    assert year.start == dt.datetime(2025, 3, 31, 23)  # 1 April 2025 starts in British Summer Time
    assert year.end == dt.datetime(2026, 3, 31, 23)
    assert month_of(dt.date(2025, 12, 25)).start == dt.datetime(2025, 12, 1)  # Greenwich Mean Time


def test_quarters_and_years_of_a_day() -> None:
    assert [q.code for q in quarters(regulator_year(2025))] == ["2025/26-Q1", "2025/26-Q2", "2025/26-Q3", "2025/26-Q4"]
    assert quarter_of(dt.date(2026, 2, 14)).code == "2025/26-Q4"
    assert year_of(dt.date(2026, 3, 31)).code == "2025/26" and year_of(dt.date(2026, 4, 1)).code == "2026/27"
    assert regulator_year(2025).previous().code == "2024/25"
    assert parse_period("2025/26-Q1", today=TODAY).previous().code == "2024/25-Q4"


def test_a_moments_uk_day_in_sql() -> None:
    moments = [dt.datetime(2025, 3, 31, 22, 59), dt.datetime(2025, 3, 31, 23, 0), dt.datetime(2025, 10, 26, 0, 30)]
    found = [UkDay.select(calendar.local_day(Value(moment))).scalar() for moment in moments]
    assert [str(day) for day in found] == ["2025-03-31", "2025-04-01", "2025-10-26"]


@pytest.mark.parametrize("nation", ["england", "wales", "scotland", "northern_ireland"])
def test_the_calendar_counts_as_the_clocks_do(nation: str) -> None:
    picker = random.Random(nation)
    for _ in range(40):
        start = dt.date(2020, 1, 1) + dt.timedelta(days=picker.randrange(2500))
        end = start + dt.timedelta(days=picker.randrange(90))
        taken = calendar.count_at(Value(uk_midnight(end) + dt.timedelta(hours=15)), Value(nation)) - calendar.count_at(
            Value(uk_midnight(start) + dt.timedelta(hours=9)), Value(nation)
        )
        assert UkDay.select(taken).limit(1).scalar() == working_days_between(start, end, nation), (start, end)


def test_refresh_writes_again_only_what_changed() -> None:
    assert calendar.refresh() == 0
    day = UkDay.get_by_id(dt.date(2031, 6, 2))
    UkDay.update(england=day.england + 5).where(UkDay.day == day.day).execute()
    assert calendar.refresh() == 1
    assert UkDay.get_by_id(day.day).england == day.england


def test_the_daily_task_refreshes_the_calendar() -> None:
    from tasks.maintenance import refresh_statutory_calendar

    day = UkDay.get_by_id(dt.date(2032, 1, 5))
    UkDay.update(wales=0).where(UkDay.day == day.day).execute()
    assert refresh_statutory_calendar.call_local() == 1
    assert UkDay.get_by_id(day.day).wales == day.wales
